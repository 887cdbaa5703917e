"""History in the app: every comparison is recorded; the history screen reopens one, unsaved."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from httpdiff.demo import DemoServer
from httpdiff.model import RequestSpec
from httpdiff.storage.collection import save_request
from httpdiff.storage.environment import save_environment
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.screens.history_screen import HistoryScreen
from httpdiff.ui.widgets.collection_tree import CollectionTree

from .test_collections import SIZE, answer, open_entry, type_into_prompt, until


async def test_history_records_and_reopens_as_unsaved(tmp_path: Path, demo: DemoServer) -> None:
    root = tmp_path / "hist"
    root.mkdir()
    save_request(root, "status", RequestSpec(url="{{base}}/status/418"))
    save_request(root, "other", RequestSpec(url="{{base}}/echo"))
    save_environment(root, "local", {"base": demo.http_url.rstrip("/")})
    app = HttpdiffApp(collection=root, env="local")
    async with app.run_test(size=SIZE) as pilot:
        assert app.history is not None
        before = app.history.count()
        await open_entry(pilot, app, "status")
        await pilot.press("f5")
        await until(pilot, lambda: app.comparison is not None)
        await until(pilot, lambda: app.history is not None and app.history.count() == before + 1)
        newest = app.history.entries(limit=1)[0]
        assert (newest.method, newest.url, newest.name) == ("GET", "{{base}}/status/418", "status")

        await open_entry(pilot, app, "other")
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        table = app.screen.query_one(DataTable)
        assert table.row_count >= 1
        first_row = [str(cell) for cell in table.get_row_at(0)]
        assert "{{base}}/status/418" in first_row
        await pilot.press("enter")
        await until(pilot, lambda: app.editor.url_bar.value == "{{base}}/status/418")
        assert app.collection_state is not None and app.collection_state.current is None
        app.refresh_dirty()
        assert app.is_dirty()
        assert "unsaved" in str(app.query_one(CollectionTree).border_subtitle)

        # saving an unsaved request asks for its name and writes it into the collection
        await pilot.press("ctrl+s")
        await type_into_prompt(pilot, "from-history")
        await until(pilot, lambda: (root / "from-history.yaml").is_file())
        assert "{{base}}/status/418" in (root / "from-history.yaml").read_text()
        assert not app.is_dirty()

        # reopening again over unsaved edits asks first
        await open_entry(pilot, app, "other")
        app.editor.url_bar.value = "{{base}}/edited"
        await pilot.pause()
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("enter")
        await answer(pilot, "cancel")
        assert app.editor.url_bar.value == "{{base}}/edited"


async def test_history_without_a_collection(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        assert app.history is not None
        before = app.history.count()
        app.open_request(RequestSpec(url=demo.http_url.rstrip("/") + "/status/204"))
        await pilot.pause()
        await pilot.press("f5")
        await until(pilot, lambda: app.history is not None and app.history.count() == before + 1)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, HistoryScreen))
