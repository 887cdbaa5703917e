"""compare(): order, fairness, and failures as results, with a backend written for the test.

The double is one more implementation of the Backend interface (as httpx's
MockTransport is of its transport), not a mock of httpx or aiohttp.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from httpdiff.backends import Backend, Settings
from httpdiff.compare import Session, compare, send_all
from httpdiff.errors import InvalidRequest, UnknownName
from httpdiff.model import (
    Failure,
    FailureKind,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
)

SPEC = RequestSpec(url="http://127.0.0.1:9/x")


class Recording(Backend):
    """Answers 200 with a fixed body, and records what happened when."""

    def __init__(self, label: str, log: list[str], body: bytes = b"ok", fail: bool = False,
                 delay: float = 0.0) -> None:
        self.label, self.log, self.body, self.fail, self.delay = label, log, body, fail, delay

    async def prepare(self, spec: RequestSpec, settings: Settings) -> None:
        self.log.append(f"prepare {self.label}")

    async def send(self, spec: RequestSpec, settings: Settings) -> Outcome:
        self.log.append(f"send {self.label}")
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("backend bug\nsecond line")
        sent = SentRequest(spec.method, spec.url, ())
        return ResponseSnapshot(self.label, sent, 200, "OK", "HTTP/1.1", (), self.body, "ok")

    async def aclose(self) -> None:
        self.log.append(f"close {self.label}")


def session(log: list[str], **backends: Any) -> Session:
    return Session(list(backends), instances=backends)


async def test_every_backend_is_prepared_before_any_sends() -> None:
    log: list[str] = []
    s = session(log, a=Recording("a", log), b=Recording("b", log))
    await send_all(SPEC, s)
    assert log[:2] == ["prepare a", "prepare b"]
    assert sorted(log[2:]) == ["send a", "send b"]


async def test_sequential_mode_alternates_who_goes_first() -> None:
    log: list[str] = []
    s = session(log, a=Recording("a", log), b=Recording("b", log))
    for _ in range(4):
        await send_all(SPEC, s, mode="sequential")
    sends = [entry for entry in log if entry.startswith("send")]
    firsts = sends[0::2]
    assert firsts == ["send a", "send b", "send a", "send b"]


async def test_outcomes_keep_the_order_names_were_given() -> None:
    log: list[str] = []
    s = session(log, a=Recording("a", log, delay=0.02), b=Recording("b", log))
    outcomes = await send_all(SPEC, s)
    assert list(outcomes) == ["a", "b"]


async def test_a_backend_bug_is_a_failure_and_the_other_side_still_shows() -> None:
    log: list[str] = []
    s = session(log, a=Recording("a", log, fail=True), b=Recording("b", log))
    result = await compare(SPEC, s)
    failed = result.outcomes["a"]
    assert isinstance(failed, Failure) and failed.kind is FailureKind.OTHER
    assert failed.message == "backend bug second line"
    assert isinstance(result.outcomes["b"], ResponseSnapshot)
    assert not result.equivalent
    assert any(f.category.value == "error" for f in result.differences)


async def test_same_answers_are_equivalent_and_a_body_change_is_not() -> None:
    log: list[str] = []
    same = await compare(SPEC, session(log, a=Recording("a", log), b=Recording("b", log)))
    assert same.equivalent
    other = await compare(
        SPEC, session(log, a=Recording("a", log), b=Recording("b", log, body=b"no"))
    )
    assert [f.category.value for f in other.differences] == ["body"]


async def test_an_invalid_request_is_refused_before_anything_is_sent() -> None:
    log: list[str] = []
    with pytest.raises(InvalidRequest):
        await compare(RequestSpec(url="ftp://x/"), session(log, a=Recording("a", log)))
    assert log == []


async def test_cancellation_propagates_and_closing_closes_every_backend() -> None:
    log: list[str] = []
    s = session(log, a=Recording("a", log, delay=5), b=Recording("b", log, delay=5))
    task = asyncio.create_task(compare(SPEC, s))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await s.aclose()
    assert {"close a", "close b"} <= set(log)


def test_unknown_backend_name_is_refused() -> None:
    with pytest.raises(UnknownName, match="unknown backend 'curl'"):
        Session(["httpx", "curl"])
