"""The Textual app; ``run`` is what the CLI calls, lazily, so headless use never loads Textual.

Importing this package is cheap: the app module (and Textual with it) is
imported inside ``run``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from httpdiff.demo.samples import DemoURLs
    from httpdiff.model import RequestSpec

# The GIL switch interval while the app runs (Python's default: 5 ms); see ``run``.
SEND_SWITCH_INTERVAL_S = 0.0005


def run(
    requests: Sequence[RequestSpec] | None = None,
    backends: Sequence[str] = ("httpx", "aiohttp"),
    demo: DemoURLs | None = None,
    *,
    collection: Path | None = None,
    env: str | None = None,
    theme: str | None = None,
    clock: Callable[[], float] | None = None,
) -> None:
    """Build the app and run it until the user quits.

    ``requests`` (the demo samples) or ``collection`` (a folder; None means the default
    collection in the user data dir) fill the sidebar; ``env`` names the collection's
    environment; ``theme`` overrides (and replaces) the remembered theme.
    """
    from httpdiff.ui.app import HttpdiffApp

    app = HttpdiffApp(
        requests=list(requests or []), backends=backends, demo=demo, collection=collection,
        env=env, theme=theme, clock=clock,
    )
    # Sends run on a thread of their own (ui/send_loop.py) but share the GIL with the
    # drawing, which by default keeps it for up to 5 ms at a time: a send waiting at each
    # of its steps took 30-55 ms for a 4 ms loopback request; with 0.5 ms, 7-13 ms.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SEND_SWITCH_INTERVAL_S)
    try:
        app.run()
    finally:
        sys.setswitchinterval(interval)


__all__ = ["SEND_SWITCH_INTERVAL_S", "run"]
