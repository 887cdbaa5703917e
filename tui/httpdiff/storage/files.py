"""Writing files so a crash or a concurrent reader never sees half of one.

Everything is written to a synced temporary file in the same folder, then
renamed over the target (``atomic_write``) or linked to a name that must not
exist yet (``place_new``), so "save as" can never silently clobber a file;
``write_new`` uses that to save a set of files under the first free name.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from httpdiff.errors import ConflictError


def write_tmp(path: Path, data: bytes) -> str:
    """A synced temporary file beside ``path`` (same file system, so rename is atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``: readers see the old file or the new one, never half."""
    tmp = write_tmp(path, text.encode("utf-8"))
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def place_new(source: str | Path, target: Path) -> None:
    """Move ``source`` to ``target`` only if ``target`` does not exist (no silent clobber)."""
    if target.exists():
        raise ConflictError(f"{target} already exists")
    try:
        # link() fails with FileExistsError if someone got there first; a symlink stays one.
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        raise ConflictError(f"{target} already exists") from None
    except OSError:
        # No hard links here (some file systems): the exists check above must do.
        os.replace(source, target)
        return
    os.unlink(source)


def write_new(stem: Path, texts: Mapping[str, str], *, tries: int = 1000) -> tuple[Path, ...]:
    """Write one file per suffix in ``texts`` (``{".har": ..., ".json": ...}``) under the
    first stem free for all of them: ``stem``, then ``stem-2``, ``stem-3``...

    Never replaces a file: each is placed with ``place_new``, and if a name is taken
    meanwhile, the files already placed for that stem are removed and the next is tried,
    so the set always shares one stem. Returns the paths, in the order of ``texts``.
    """
    for n in range(1, tries + 1):
        name = stem.name if n == 1 else f"{stem.name}-{n}"
        targets = tuple(stem.with_name(name + suffix) for suffix in texts)
        if any(target.exists() for target in targets):
            continue
        placed: list[Path] = []
        try:
            for target, text in zip(targets, texts.values(), strict=True):
                tmp = write_tmp(target, text.encode("utf-8"))
                try:
                    place_new(tmp, target)
                finally:
                    Path(tmp).unlink(missing_ok=True)  # still there if it was not placed
                placed.append(target)
        except ConflictError:
            for target in placed:
                target.unlink(missing_ok=True)
            continue
        except BaseException:
            for target in placed:
                target.unlink(missing_ok=True)
            raise
        return targets
    raise ConflictError(f"no free name for {stem} after {tries} tries")
