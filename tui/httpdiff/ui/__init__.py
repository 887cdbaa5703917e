"""The Textual app; ``run`` is what the CLI calls, lazily, so headless use never loads Textual.

Importing this package is cheap: the app module (and Textual with it) is
imported inside ``run``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from httpdiff.demo import DemoServer
    from httpdiff.model import RequestSpec


def run(
    requests: Sequence[RequestSpec] | None = None,
    backends: Sequence[str] = ("httpx", "aiohttp"),
    demo: DemoServer | None = None,
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

    HttpdiffApp(
        requests=list(requests or []), backends=backends, demo=demo, collection=collection,
        env=env, theme=theme, clock=clock,
    ).run()


__all__ = ["run"]
