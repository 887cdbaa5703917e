"""Helpers shared by the backend tests (the ``backend`` fixture itself is in conftest.py)."""

from __future__ import annotations

from httpdiff.backends import Settings
from httpdiff.model import Outcome, ResponseSnapshot

SMALL = Settings(max_body_bytes=64 * 1024)


def at(base: str, path: str) -> str:
    return base.rstrip("/") + path


def ok(outcome: Outcome) -> ResponseSnapshot:
    assert isinstance(outcome, ResponseSnapshot), outcome
    return outcome
