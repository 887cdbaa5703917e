"""The app's send loop: sends on a thread of their own, cancellable from the app's loop."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from typing import Any

import pytest

from httpdiff.compare import compare
from httpdiff.model import RequestSpec
from httpdiff.ui.send_loop import SendLoop


async def test_a_coroutine_runs_on_the_send_thread_and_returns() -> None:
    sends = SendLoop(("httpx",))

    async def where() -> str:
        await asyncio.sleep(0)
        return threading.current_thread().name

    try:
        assert await sends.run(where()) == "httpdiff-send"
    finally:
        await sends.aclose()
    assert sends._thread is not None and not sends._thread.is_alive()
    await sends.aclose()  # twice is fine


async def test_cancelling_the_caller_cancels_the_send_there() -> None:
    sends = SendLoop(("httpx",))
    stopped = threading.Event()

    async def forever() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            stopped.set()
            raise

    try:
        task = asyncio.ensure_future(sends.run(forever()))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await asyncio.to_thread(stopped.wait, 5)
    finally:
        await sends.aclose()


async def test_real_sends_reuse_their_connections_between_runs(demo: Any) -> None:
    sends = SendLoop(("httpx", "aiohttp"))
    spec = RequestSpec(url=f"{demo.http_url}/echo")
    try:
        await sends.run(compare(spec, sends.session))
        second = await sends.run(compare(spec, sends.session))
        assert all(o.ok and o.connection.reused for o in second.outcomes.values())
    finally:
        await sends.aclose()


def test_an_app_that_never_sends_starts_no_thread() -> None:
    assert SendLoop(("httpx",))._thread is None


def test_the_app_runs_with_a_short_switch_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    from httpdiff import ui
    from httpdiff.ui.app import HttpdiffApp

    seen: list[float] = []
    monkeypatch.setattr(HttpdiffApp, "run", lambda self: seen.append(sys.getswitchinterval()))
    before = sys.getswitchinterval()
    ui.run()
    assert seen == [ui.SEND_SWITCH_INTERVAL_S] and sys.getswitchinterval() == before


CPUS = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


async def _send_thread_cpus(sends: SendLoop) -> set[int]:
    async def where() -> set[int]:
        return os.sched_getaffinity(0)  # 0: the calling thread, on Linux

    try:
        return await sends.run(where())
    finally:
        await sends.aclose()


@pytest.mark.skipif(len(CPUS) < 2, reason="needs two CPUs and sched_setaffinity")
async def test_with_the_demo_server_the_send_thread_keeps_off_its_cpu() -> None:
    cpus = await _send_thread_cpus(SendLoop(("httpx",), apart_from_server=True))
    assert cpus == set(CPUS[:-1])  # the demo server keeps to the last one
    assert os.sched_getaffinity(0) == set(CPUS)  # the app's own thread is left alone


@pytest.mark.skipif(not CPUS, reason="needs sched_getaffinity")
async def test_without_a_demo_server_the_send_thread_is_not_pinned() -> None:
    assert await _send_thread_cpus(SendLoop(("httpx",))) == set(CPUS)
