"""Builders shared by the diff engine tests (no tests here): canned outcomes, no network."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from httpdiff.model import (
    Category,
    ConnectionInfo,
    Failure,
    FailureKind,
    Finding,
    ResponseSnapshot,
    SentRequest,
    Timings,
)

REQUEST = SentRequest(
    "GET", "http://127.0.0.1:8080/x", (("Host", "127.0.0.1:8080"), ("Accept", "*/*"))
)
BASE = ResponseSnapshot(
    backend="",
    request=REQUEST,
    status=200,
    reason="OK",
    http_version="HTTP/1.1",
    headers=(("Content-Type", "text/plain"), ("Content-Length", "5")),
    body=b"hello",
    text="hello",
    timings=Timings(connect=1.0, send=0.5, wait=2.0, download=0.1, total=4.0),
    connection=ConnectionInfo(remote_address="127.0.0.1:8080"),
)


def snap(name: str, **changes: Any) -> ResponseSnapshot:
    """The base snapshot for backend ``name``, with ``changes``; ``text`` follows ``body``."""
    if "body" in changes and "text" not in changes:
        changes["text"] = changes["body"].decode("utf-8", "replace")
    return replace(BASE, backend=name, **changes)


def fail(name: str, kind: FailureKind = FailureKind.CONNECT, message: str = "refused",
         **changes: Any) -> Failure:
    return Failure(name, kind, "OSError", message, **changes)


def pick(found: tuple[Finding, ...], category: Category, subject: str | None = None
         ) -> list[Finding]:
    return [f for f in found if f.category is category and subject in (None, f.subject)]


def one(found: tuple[Finding, ...], category: Category, subject: str) -> Finding:
    matches = pick(found, category, subject)
    assert len(matches) == 1, (category, subject, found)
    return matches[0]
