"""Keeping the app's drawing out of a send's timings: a send waits for the app to go quiet."""

from __future__ import annotations

import asyncio
import time

from httpdiff.ui.quiet import until_quiet


def keep_busy(loop: asyncio.AbstractEventLoop, seconds: float, done: asyncio.Event) -> None:
    """Spin the loop's thread in 5 ms slices for ``seconds``, as a burst of drawing would."""
    deadline = time.monotonic() + seconds

    def slice_() -> None:
        end = min(time.monotonic() + 0.005, deadline)
        while time.monotonic() < end:
            pass
        if time.monotonic() < deadline:
            loop.call_soon(slice_)
        else:
            done.set()

    loop.call_soon(slice_)


async def test_an_idle_loop_is_quiet_at_once() -> None:
    assert await until_quiet(max_wait=2.0) is True


async def test_the_send_waits_for_a_burst_of_work_to_end() -> None:
    done = asyncio.Event()
    keep_busy(asyncio.get_running_loop(), 0.08, done)
    assert await until_quiet(max_wait=5.0) is True
    assert done.is_set()


async def test_a_loop_that_never_goes_quiet_still_sends_after_the_limit() -> None:
    done = asyncio.Event()
    keep_busy(asyncio.get_running_loop(), 1.0, done)
    assert await until_quiet(max_wait=0.05) is False
    assert not done.is_set()
    await asyncio.wait_for(done.wait(), 5)
