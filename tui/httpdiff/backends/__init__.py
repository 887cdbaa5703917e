"""Backends by name: the registry that ``compare``, the CLI and the UI look clients up in.

Built-in backends are registered here; a third-party package can add one through
the ``httpdiff.backends`` entry-point group (name = backend name, value = class).
Library modules are imported only when a backend is created, so listing names is cheap.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from importlib.metadata import entry_points

from httpdiff.backends.base import Backend, Settings
from httpdiff.errors import UnknownName

__all__ = [
    "Backend", "Settings", "available", "create", "library_versions", "speed_notes",
    "unobservable",
]

_BUILTIN: dict[str, str] = {
    "httpx": "httpdiff.backends.httpx_backend:HttpxBackend",
    "aiohttp": "httpdiff.backends.aiohttp_backend:AiohttpBackend",
}


def _registry() -> dict[str, str]:
    found = dict(_BUILTIN)
    for ep in entry_points(group="httpdiff.backends"):
        found.setdefault(ep.name, ep.value)
    return found


def available() -> list[str]:
    """Names of every backend that can be created, built-ins first."""
    return list(_registry())


def _class(name: str) -> type[Backend]:
    target = _registry().get(name)
    if target is None:
        raise UnknownName(f"unknown backend {name!r} (known: {', '.join(available())})")
    module_name, _, class_name = target.partition(":")
    cls: type[Backend] = getattr(importlib.import_module(module_name), class_name)
    return cls


def create(name: str) -> Backend:
    """A new backend instance by name; raises ``UnknownName`` listing the known ones."""
    return _class(name)()


def unobservable(name: str) -> frozenset[str]:
    """Phases the named backend's library never reports; empty for an unknown name."""
    try:
        return _class(name).unobservable
    except (UnknownName, ImportError, AttributeError):
        return frozenset()


def library_versions() -> dict[str, str]:
    """Installed versions of the client libraries behind the built-in backends."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for dist in ("httpx", "httpcore", "anyio", "sniffio", "h2", "aiohttp"):
        try:
            versions[dist] = version(dist)
        except PackageNotFoundError:
            continue
    return versions


@functools.cache
def speed_notes() -> tuple[str, ...]:
    """Facts of this installation that change what a library costs per request.

    A bench measures the libraries as installed here; these say where another
    installation of the same versions would measure differently.
    """
    notes = []
    if importlib.util.find_spec("httpcore") and importlib.util.find_spec("sniffio") is None:
        # httpcore 1.0 imports sniffio inside current_async_library(), called for every
        # lock it creates; anyio 4.x no longer brings sniffio, so the import fails (a
        # walk of sys.path) several times a request. Measured: ~17% of a loopback request.
        notes.append("sniffio is not installed: httpcore tries to import it again for every "
                     "lock it creates, which makes each httpx request slower than where "
                     "sniffio is installed (about 17% on a fast loopback endpoint)")
    return tuple(notes)
