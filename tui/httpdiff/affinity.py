"""Which CPUs httpdiff's own processes keep to, where the OS lets them choose (Linux).

On loopback the kernel may wake a server on the client's core the moment a
request is written; the server then runs (reads the request, often answers it)
before the client gets the core back, and that time is counted in the client's
send phase. Measured on a 2-core machine with ``taskset``: aiohttp's send on
``/delay/0.05`` is 0.1 ms with client and server on different cores, 0.6 ms on
the same one. The demo server and the Bench tab's worker are both httpdiff's, so
they keep apart: the server to the last CPU, the bench (and, with ``--demo``, the
app's send thread) to the others. Nothing else is pinned, and where pinning is
not possible nothing happens. Linux sets affinity per thread: a call pins the
calling thread, and the threads it starts afterwards.
"""

from __future__ import annotations

import contextlib
import os


def _usable() -> list[int]:
    getter = getattr(os, "sched_getaffinity", None)
    if getter is None:
        return []
    with contextlib.suppress(OSError):
        return sorted(getter(0))
    return []


def _keep_to(cpus: set[int]) -> bool:
    setter = getattr(os, "sched_setaffinity", None)
    if setter is None or not cpus:
        return False
    with contextlib.suppress(OSError):
        setter(0, cpus)
        return True
    return False


def keep_server_apart() -> bool:
    """The calling thread (a server) to the last usable CPU; False if there is one CPU or no way."""
    cpus = _usable()
    return len(cpus) >= 2 and _keep_to({cpus[-1]})


def keep_client_apart() -> bool:
    """The calling thread (a client) to every usable CPU but the last (the server's)."""
    cpus = _usable()
    return len(cpus) >= 2 and _keep_to(set(cpus[:-1]))
