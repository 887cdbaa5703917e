"""Exports from the app: library code to the clipboard, the comparison as HAR and JSON files."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from httpdiff.demo import DemoServer
from httpdiff.model import RequestSpec
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.widgets.url_bar import UrlBar


async def test_code_is_copied_and_the_comparison_saved(demo: DemoServer, tmp_path: Path) -> None:
    app = HttpdiffApp()
    app.export_dir = tmp_path
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f11")  # nothing sent yet: a warning, no file
        await pilot.pause()
        assert list(tmp_path.iterdir()) == []
        app.open_request(RequestSpec(url=f"{demo.http_url}/echo"))
        await pilot.pause()
        app.query_one(UrlBar).focus()
        await pilot.press("ctrl+t")
        assert "httpx.AsyncClient" in app.clipboard and "/echo" in app.clipboard
        await pilot.press("ctrl+g")
        assert "aiohttp.ClientSession" in app.clipboard
        await pilot.press("enter")
        deadline = asyncio.get_running_loop().time() + 15
        while app.comparison is None:
            assert asyncio.get_running_loop().time() < deadline
            await pilot.pause(0.05)
        await pilot.press("f11")
        await pilot.pause()
    har = json.loads(next(tmp_path.glob("*.har")).read_text())
    assert har["log"]["version"] == "1.2"
    assert len(har["log"]["entries"]) == 2
    doc = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert set(doc["results"]) == {"httpx", "aiohttp"} and doc["equivalent"] is False
