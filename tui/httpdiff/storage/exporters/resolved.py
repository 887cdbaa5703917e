"""A request exported so it runs as is: resolved as a send resolves it, secrets left out.

Copying a request as curl or as a script is only useful if the result runs, so its
``{{variables}}`` are filled in exactly as before a send (``variables.resolve``: the
environment first, then the secrets; an undefined one is the same ``InvalidRequest``;
relative file paths anchored at the collection). Secrets are the exception: their
values must never leave httpdiff, clipboard included, so each one is read from the
environment variable of its name when the command runs (``secret_refs``), and the
result lists those variables for the caller to tell the user.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from httpdiff.errors import InvalidRequest, UnknownName
from httpdiff.model import RequestSpec
from httpdiff.storage.collection import anchor_paths
from httpdiff.storage.curl import to_curl
from httpdiff.storage.exporters.code import to_aiohttp, to_httpx
from httpdiff.storage.secret_refs import References
from httpdiff.storage.variables import resolve

_EXPORTERS: dict[str, Callable[[RequestSpec, References | None], str]] = {
    "curl": to_curl,
    "httpx": to_httpx,
    "aiohttp": to_aiohttp,
}


@dataclass(frozen=True, slots=True)
class ExportedRequest:
    """The exported text and what it needs from whoever runs it."""

    text: str
    environment: tuple[str, ...] = ()
    """Environment variables the text reads (the secrets it uses), in order of first use."""
    notes: tuple[str, ...] = ()
    """What the export could not express exactly."""


def export_request(
    spec: RequestSpec,
    exporter: str,
    variables: Mapping[str, str],
    secrets: Mapping[str, str],
    *,
    root: Path | None = None,
) -> ExportedRequest:
    """``spec`` as a ``curl`` command or an ``httpx`` / ``aiohttp`` script that runs as is.

    ``variables`` and ``secrets`` are those a send would use; ``root``, the collection
    the request belongs to (relative paths are taken from there). An undefined variable
    raises ``InvalidRequest`` as a send would.
    """
    write = _exporter(exporter)
    refs = References()
    ready = resolve(spec, variables, secrets, reference=refs.reference)
    if root is not None:
        ready = anchor_paths(root, ready)
    text = write(ready, refs)
    if missed := refs.leftover(text):  # an exporter wrote a value without refs: never run it
        raise InvalidRequest(f"cannot export the secret {{{{{missed[0]}}}}} in that place")
    return ExportedRequest(text, refs.used, refs.notes)


def export_as_written(spec: RequestSpec, exporter: str) -> ExportedRequest:
    """``spec`` exported without resolving anything, as a send without a collection takes it."""
    return ExportedRequest(_exporter(exporter)(spec, None))


def _exporter(name: str) -> Callable[[RequestSpec, References | None], str]:
    if name not in _EXPORTERS:
        raise UnknownName(f"unknown exporter {name!r} (known: {', '.join(_EXPORTERS)})")
    return _EXPORTERS[name]


__all__ = ["ExportedRequest", "export_as_written", "export_request"]
