"""Where the app's sends run: a thread with an event loop of its own.

On the app's loop a send's every await lets the UI run: a repaint, a key, a
timer. Those land inside the phases being timed. Measured on loopback with
``--demo``, a ~1 ms request showed totals of 45-215 ms. On a loop of its own a
send waits only for the network. It still shares the GIL with the drawing, which
``ui.run`` makes hand it over every 0.5 ms (``benchmarks/app_send.py``: medians
within about 1 ms of the same send outside the app). The Bench tab goes further
and measures in a child process.

With ``apart_from_server`` (the app runs ``--demo``, whose server keeps to the
last CPU) the thread keeps to the other CPUs, as the Bench tab's worker does:
on the server's core, its work lands in the send phase (``httpdiff.affinity``).

The backends' pools (``Session``) live on that loop for the app's lifetime, so
connections are reused between sends as before. ``run`` is awaited from the
app's loop, and cancelling it (Esc, or a new send) cancels the send there.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar

from httpdiff.affinity import keep_client_apart
from httpdiff.compare import Session

T = TypeVar("T")
CLOSE_TIMEOUT = 5.0


class SendLoop:
    """A daemon thread running an event loop, and the backends' session on it."""

    def __init__(self, names: Sequence[str], *, apart_from_server: bool = False) -> None:
        self.session = Session(names)  # its clients are made lazily, on the send loop
        self._apart = apart_from_server
        # Started by the first send: an app that never sends starts no thread.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def _started(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._serve, args=(self._loop,),
                                            name="httpdiff-send", daemon=True)
            self._thread.start()
        return self._loop

    def _serve(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._apart:
            # This thread only (Linux sets affinity per thread); never worth losing the loop.
            with contextlib.suppress(Exception):
                keep_client_apart()
        loop.run_forever()

    async def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Await ``coroutine`` on the send loop; cancelling this cancels it there."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self._started())
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            future.cancel()
            raise

    async def aclose(self) -> None:
        """Close the pooled connections, then stop the loop and its thread (bounded)."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or loop.is_closed():
            return
        if thread.is_alive():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.run(self.session.aclose()), CLOSE_TIMEOUT)
            loop.call_soon_threadsafe(loop.stop)
            await asyncio.to_thread(thread.join, CLOSE_TIMEOUT)
        if not thread.is_alive():
            loop.close()
