"""The Textual app; ``run`` is what the CLI calls, lazily, so headless use never loads Textual.

Importing this package is cheap: the app module (and Textual with it) is
imported inside ``run``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from httpdiff.demo import DemoServer
    from httpdiff.model import RequestSpec


def run(
    requests: Sequence[RequestSpec] | None = None,
    backends: Sequence[str] = ("httpx", "aiohttp"),
    demo: DemoServer | None = None,
    *,
    clock: Callable[[], float] | None = None,
) -> None:
    """Build the app with ``requests`` in its sidebar and run it until the user quits."""
    from httpdiff.ui.app import HttpdiffApp

    HttpdiffApp(requests=list(requests or []), backends=backends, demo=demo, clock=clock).run()


__all__ = ["run"]
