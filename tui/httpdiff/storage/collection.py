"""A collection on disk: a folder of request files, groups as sub-folders, rules at the root.

Layout::

    my-api/
      noise.yaml                 the collection's noise rules (noise_file.py)
      .env                       secrets, read but never written (environment.py)
      environments/local.yaml    one environment per file (environment.py)
      health.yaml                a request; its identity is "health"
      users/list.yaml            a request in group "users"; its identity is "users/list"

Every write is atomic (temporary file + rename), so a crash leaves the old
file or the new one. A file that fails to load becomes an ``Entry`` with its
reason and is never rewritten by loading. Each entry keeps a ``Fingerprint``
(``fingerprint.py``) so a save can refuse, with ``ConflictError``, to overwrite
a file someone changed on disk since the app read it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from httpdiff.errors import ConflictError, InvalidRequest, LoadError, UnknownName
from httpdiff.model import RequestSpec
from httpdiff.noise import NoiseRules
from httpdiff.storage import paths
from httpdiff.storage.environment import ENVIRONMENTS_DIR, environment_names, save_environment
from httpdiff.storage.files import atomic_write, place_new, write_tmp
from httpdiff.storage.fingerprint import Fingerprint, check_unchanged, fingerprint, same
from httpdiff.storage.noise_file import (
    noise_rules_from_yaml,
    noise_rules_to_yaml,
)
from httpdiff.storage.request_file import (
    MAX_FILE_BYTES,
    request_from_yaml,
    request_to_yaml,
)

__all__ = [
    "Collection", "Entry", "Fingerprint", "anchor_paths", "changed_on_disk", "create_group",
    "create_request", "default_collection_dir", "delete_request", "duplicate_request",
    "fingerprint", "load_collection", "load_entry", "move_request", "rename_request",
    "request_from_yaml", "request_path", "request_to_yaml", "save_environment",
    "save_noise_rules", "save_request",
]

SUFFIX = ".yaml"
NOISE_FILE = "noise.yaml"


def default_collection_dir() -> Path:
    """Where the app keeps its own collection when the user has not opened another."""
    return paths.data_dir() / "collection"


# ---------------------------------------------------------------------------
# Names and paths
# ---------------------------------------------------------------------------


def request_id(relative: str | Path) -> str:
    """The identity ``group/name`` of a request path, with or without ``.yaml``.

    Raises ``InvalidRequest`` for a path that would leave the collection or collide
    with its own files (``..``, absolute, hidden parts, ``noise``, ``environments/``).
    """
    text = str(relative)
    path = PurePosixPath(text)
    if path.suffix == SUFFIX:
        path = path.with_suffix("")
    parts = path.parts
    if not text.strip() or path.is_absolute() or not parts:
        raise InvalidRequest(f"invalid request path {text!r}")
    for part in parts:
        if part in (".", "..") or part.startswith(".") or "\x00" in part or not part.strip():
            raise InvalidRequest(f"invalid request path {text!r}: bad part {part!r}")
    if parts == ("noise",) or parts[0] == ENVIRONMENTS_DIR:
        raise InvalidRequest(f"request path {text!r} is reserved by the collection's own files")
    return "/".join(parts)


def request_path(root: Path, relative: str | Path) -> Path:
    """The file of a request in a collection."""
    parts = request_id(relative).split("/")
    return root.joinpath(*parts[:-1], parts[-1] + SUFFIX)


# ---------------------------------------------------------------------------
# Entries and the collection
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One request file: its spec, or why it failed to load (then ``spec`` is ``None``)."""

    path: Path
    relative: str
    spec: RequestSpec | None
    error: str | None
    fingerprint: Fingerprint | None = None

    @property
    def group(self) -> str:
        """The folder part of the identity, ``""`` at the root."""
        return self.relative.rpartition("/")[0]

    @property
    def name(self) -> str:
        return self.relative.rpartition("/")[2]


@dataclass(frozen=True, slots=True)
class Collection:
    root: Path
    entries: tuple[Entry, ...] = ()
    rules: NoiseRules = field(default_factory=NoiseRules)
    rules_error: str | None = None
    environments: tuple[str, ...] = ()

    def get(self, relative: str | Path) -> Entry:
        wanted = request_id(relative)
        for entry in self.entries:
            if entry.relative == wanted:
                return entry
        raise UnknownName(f"no request {wanted!r} in {self.root}")

    @property
    def groups(self) -> tuple[str, ...]:
        """Every folder holding requests, parents before children, ``""`` for the root."""
        found: set[str] = set()
        for entry in self.entries:
            parts = entry.group.split("/") if entry.group else []
            found.update("/".join(parts[:i]) for i in range(len(parts) + 1))
        return tuple(sorted(found, key=lambda g: (g.split("/") if g else [])))

    @property
    def errors(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.error is not None)


def load_entry(root: Path, path: Path) -> Entry:
    """Read one request file; any problem becomes the entry's ``error``, never an exception."""
    relative = path.relative_to(root).with_suffix("").as_posix()
    try:
        stat = path.stat()
        if stat.st_size > MAX_FILE_BYTES:
            return Entry(path, relative, None, f"is larger than {MAX_FILE_BYTES} bytes")
        data = path.read_bytes()
    except OSError as exc:
        return Entry(path, relative, None, f"cannot read: {exc.strerror or exc}")
    mark = Fingerprint.of(data, stat)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Entry(path, relative, None, f"is not UTF-8 text (byte {exc.start})", mark)
    try:
        spec = request_from_yaml(text, str(path))
    except LoadError as exc:
        return Entry(path, relative, None, exc.reason, mark)
    return Entry(path, relative, spec, None, mark)


def _request_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and not (here == root and d == ENVIRONMENTS_DIR)
        )
        for name in files:
            if not name.endswith(SUFFIX) or name.startswith("."):
                continue
            if here == root and name == NOISE_FILE:
                continue
            path = here / name
            if path.is_file():  # never open a FIFO or device that happens to end in .yaml
                found.append(path)
    return found


def _sort_key(entry: Entry) -> tuple[list[str], str]:
    # By folder, so each group's requests stay together: root requests first, and in each
    # folder its own requests before its sub-folders' (the order the app's sidebar shows).
    group = entry.group
    return ([p.casefold() for p in group.split("/")] if group else [], entry.name.casefold())


def load_noise(root: Path) -> tuple[NoiseRules, str | None]:
    """The collection's noise rules and, if ``noise.yaml`` is broken, why (then defaults)."""
    path = root / NOISE_FILE
    try:
        if not path.is_file():
            return NoiseRules(), None
        if path.stat().st_size > MAX_FILE_BYTES:
            return NoiseRules(), f"is larger than {MAX_FILE_BYTES} bytes"
        text = path.read_bytes().decode("utf-8-sig")
        return noise_rules_from_yaml(text, str(path)), None
    except UnicodeDecodeError:
        return NoiseRules(), "is not UTF-8 text"
    except OSError as exc:
        return NoiseRules(), f"cannot read: {exc.strerror or exc}"
    except LoadError as exc:
        return NoiseRules(), exc.reason


def load_collection(root: Path) -> Collection:
    """Every request under ``root``, sorted by group then name; bad files become error entries.

    Raises ``LoadError`` only when ``root`` itself is not a readable folder.
    """
    if not root.is_dir():
        raise LoadError(str(root), "is not a folder")
    entries = sorted((load_entry(root, p) for p in _request_files(root)), key=_sort_key)
    rules, rules_error = load_noise(root)
    return Collection(
        root=root,
        entries=tuple(entries),
        rules=rules,
        rules_error=rules_error,
        environments=environment_names(root),
    )


def anchor_paths(root: Path, spec: RequestSpec) -> RequestSpec:
    """``spec`` with relative file paths (body file, ``@file`` form fields, CA bundle) taken
    relative to the collection folder, so a collection runs the same from any directory."""

    def anchored(value: str) -> str:
        return value if not value or Path(value).is_absolute() else str(root / value)

    body = spec.body
    fields = tuple(
        (name, "@" + anchored(value[1:]) if value.startswith("@") else value)
        for name, value in body.fields
    ) if body.kind == "multipart" else body.fields
    return replace(
        spec,
        body=replace(body, path=anchored(body.path), fields=fields),
        options=replace(spec.options, ca_bundle=anchored(spec.options.ca_bundle)),
    )


def changed_on_disk(entry: Entry) -> bool:
    """Whether the entry's file differs from what was loaded (edited, replaced or deleted)."""
    return not same(fingerprint(entry.path), entry.fingerprint)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def save_request(
    root: Path, relative: str | Path, spec: RequestSpec, *, expected: Fingerprint | None = None
) -> Path:
    """Write ``spec`` to its file (created or replaced), atomically; returns the path.

    With ``expected`` (the fingerprint from loading), raises ``ConflictError`` instead of
    overwriting a file that changed or vanished on disk since.
    """
    path = request_path(root, relative)
    check_unchanged(path, expected)
    atomic_write(path, request_to_yaml(spec))
    return path


def create_request(root: Path, relative: str | Path, spec: RequestSpec) -> Path:
    """Write a new request file ("save as", "new"); ``ConflictError`` if it already exists."""
    path = request_path(root, relative)
    tmp = write_tmp(path, request_to_yaml(spec).encode("utf-8"))
    try:
        place_new(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def _existing(root: Path, relative: str | Path) -> Path:
    path = request_path(root, relative)
    if not path.is_file():
        raise UnknownName(f"no request {request_id(relative)!r} in {root}")
    return path


def rename_request(root: Path, relative: str | Path, new_name: str) -> Path:
    """Give a request a new name in the same group; ``ConflictError`` if the name is taken."""
    if "/" in new_name:
        raise InvalidRequest(f"a request name cannot contain '/': {new_name!r}")
    group = request_id(relative).rpartition("/")[0]
    return _relocate(root, relative, f"{group}/{new_name}" if group else new_name)


def move_request(root: Path, relative: str | Path, group: str) -> Path:
    """Move a request into another group (``""`` is the root), keeping its name."""
    name = request_id(relative).rpartition("/")[2]
    return _relocate(root, relative, f"{group.strip('/')}/{name}" if group.strip("/") else name)


def _relocate(root: Path, relative: str | Path, target_id: str) -> Path:
    source = _existing(root, relative)
    target = request_path(root, target_id)
    if target == source:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    place_new(source, target)
    return target


def duplicate_request(root: Path, relative: str | Path) -> Path:
    """Copy a request byte for byte (comments kept) to ``NAME-copy``, ``NAME-copy-2``, ..."""
    source = _existing(root, relative)
    data = source.read_bytes()
    base = request_id(relative)
    for n in range(1, 1000):
        candidate = request_path(root, f"{base}-copy" if n == 1 else f"{base}-copy-{n}")
        if candidate.exists():
            continue
        tmp = write_tmp(candidate, data)
        try:
            place_new(tmp, candidate)
        except ConflictError:
            continue
        finally:
            Path(tmp).unlink(missing_ok=True)
        return candidate
    raise ConflictError(f"too many copies of {base!r} already")


def delete_request(
    root: Path, relative: str | Path, *, expected: Fingerprint | None = None
) -> None:
    """Remove a request file; with ``expected``, only if unchanged since it was loaded.

    Folders left empty are removed too, up to (not including) the root.
    """
    path = _existing(root, relative)
    check_unchanged(path, expected)
    path.unlink()
    folder = path.parent
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (or gone): stop climbing
            break
        folder = folder.parent


def create_group(root: Path, group: str) -> Path:
    """Create an (empty) group folder."""
    path = root.joinpath(*request_id(group).split("/"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_noise_rules(root: Path, rules: NoiseRules) -> Path:
    """Write the collection's ``noise.yaml`` atomically ."""
    path = root / NOISE_FILE
    atomic_write(path, noise_rules_to_yaml(rules))
    return path

