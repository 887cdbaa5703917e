"""A file as it was read, to notice when someone else changes it before we write.

A ``Fingerprint`` keeps mtime, size and a content hash; content decides, so a touch
without an edit is no conflict. The check and the write that follows are not one atomic
step: enough for a person editing in two places, not for two programs racing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from httpdiff.errors import ConflictError


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a file looked like when it was read: enough to notice any later change."""

    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes, stat: os.stat_result) -> Fingerprint:
        return cls(stat.st_mtime_ns, len(data), hashlib.sha256(data).hexdigest())


def fingerprint(path: Path) -> Fingerprint | None:
    """The file's fingerprint now, or ``None`` when it does not exist."""
    try:
        stat = path.stat()
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return Fingerprint.of(data, stat)


def same(a: Fingerprint | None, b: Fingerprint | None) -> bool:
    """Whether two fingerprints are of the same content (``None``: no file)."""
    # Content decides: a touch without an edit is not a conflict.
    if a is None or b is None:
        return a is b
    return a.size == b.size and a.sha256 == b.sha256


def check_unchanged(path: Path, expected: Fingerprint | None) -> None:
    """Raise ``ConflictError`` if ``path`` changed or vanished since ``expected`` was taken."""
    if expected is None:
        return
    now = fingerprint(path)
    if now is None:
        raise ConflictError(f"{path} was deleted on disk since it was loaded")
    if not same(now, expected):
        raise ConflictError(f"{path} changed on disk since it was loaded; reload it or save as "
                            "a new name")
