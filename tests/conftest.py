"""Shared fixtures: an isolated environment for every test, and one demo server per session.

No test may touch the user's real config, data or cache dirs, or reach a proxy from the
developer's environment: the autouse fixture points ``HTTPDIFF_*_DIR`` at a tmp dir and clears
proxy variables before any test runs. The demo server (three loopback listeners) starts once per
session in its own thread, so async tests, Pilot tests and plain tests can all use it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from httpdiff import backends
from httpdiff.backends import Backend
from httpdiff.demo import DemoServer

PROXY_VARIABLES = (
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "WS_PROXY", "WSS_PROXY",
    "http_proxy", "https_proxy", "all_proxy", "no_proxy", "ws_proxy", "wss_proxy",
)


@pytest.fixture(scope="session", autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """HTTPDIFF_DATA_DIR / _CONFIG_DIR / _CACHE_DIR in tmp dirs; no proxy variables."""
    patch = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("httpdiff-home")
    for kind in ("DATA", "CONFIG", "CACHE"):
        folder = home / kind.lower()
        folder.mkdir()
        patch.setenv(f"HTTPDIFF_{kind}_DIR", str(folder))
    for name in PROXY_VARIABLES:
        patch.delenv(name, raising=False)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """The demo server: ``http_url``, ``https_url``, ``raw_url``, ``ca_path``."""
    server = DemoServer(data_dir=tmp_path_factory.mktemp("demo-data")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest_asyncio.fixture(params=["httpx", "aiohttp"], loop_scope="session")
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    """Each backend in turn (tests using it run once per backend), closed afterwards."""
    async with backends.create(request.param) as created:
        yield created
