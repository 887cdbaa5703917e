"""Keeping the app's drawing out of a send's timings: a send waits for the app to go quiet."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from httpdiff.ui.quiet import until_quiet


class Clocks:
    """Scripted readings: each tick of ``busy`` is spent in full on the loop's thread or not.

    Real CPU time would make the tests depend on how much of a core the test
    thread gets; the wait only compares the two clocks, so scripting them is exact.
    """

    def __init__(self, busy: Iterator[bool], tick: float = 0.005) -> None:
        self.busy, self.tick = busy, tick
        self.cpu = self.wall = 0.0
        self.ticks = 0

    def cpu_clock(self) -> float:
        return self.cpu

    def wall_clock(self) -> float:
        return self.wall

    async def sleep(self, _: float) -> None:
        """asyncio.sleep for until_quiet: one tick passes on both clocks."""
        self.ticks += 1
        self.wall += self.tick
        if next(self.busy):
            self.cpu += self.tick
        await asyncio.sleep(0)


def run_with(clocks: Clocks, max_wait: float) -> bool:
    return asyncio.run(until_quiet(max_wait, clocks.tick, cpu_clock=clocks.cpu_clock,
                                   wall_clock=clocks.wall_clock, sleep=clocks.sleep))


def test_the_send_waits_for_a_burst_of_work_to_end() -> None:
    clocks = Clocks(iter([True] * 12 + [False] * 100))
    assert run_with(clocks, max_wait=1.0) is True
    assert clocks.ticks == 13  # twelve busy ticks, then the first quiet one


def test_a_loop_that_never_goes_quiet_still_sends_after_the_limit() -> None:
    clocks = Clocks(iter([True] * 1000))
    assert run_with(clocks, max_wait=0.1) is False
    assert 20 <= clocks.ticks <= 21  # 0.1 s of 5 ms ticks (floats may need one more)


async def test_on_the_real_clocks_an_idle_loop_stops_waiting() -> None:
    assert await asyncio.wait_for(until_quiet(max_wait=0.5), 10) in (True, False)
