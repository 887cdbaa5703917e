"""How the app looks with a collection open: folders, requests, a broken file, an edit;
and in a narrow terminal, the sidebar shown over the editor (ctrl+o)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from httpdiff.model import Body, RequestSpec
from httpdiff.storage.collection import save_request
from httpdiff.storage.environment import save_environment
from httpdiff.ui.app import HttpdiffApp


def fixed_collection(root: Path) -> Path:
    root.mkdir()
    save_request(root, "health", RequestSpec(url="{{base}}/health"))
    save_request(root, "users/list", RequestSpec(url="{{base}}/users?page=1",
                                                 headers=(("Accept", "application/json"),)))
    save_request(root, "users/create", RequestSpec(
        method="POST", url="{{base}}/users", body=Body(kind="json", text='{"name": "a"}')))
    save_request(root, "users/admin/reset", RequestSpec(method="DELETE", url="{{base}}/reset"))
    (root / "broken.yaml").write_text("method: [unclosed\n")
    save_environment(root, "local", {"base": "http://127.0.0.1:8000"})
    save_environment(root, "staging", {"base": "http://127.0.0.1:8001"})
    return root


async def _edited(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, HttpdiffApp)
    await pilot.pause()
    app.open_entry("users/list")
    await pilot.pause(0.2)
    for widget in app.query(Input):
        widget.cursor_blink = False
    app.editor.url_bar.value = "{{base}}/users?page=2"
    await pilot.pause()
    app.refresh_dirty()
    await pilot.pause(0.2)


def test_snapshot_collection_tree(snap_compare: Any, tmp_path: Path) -> None:
    root = fixed_collection(tmp_path / "my-api")
    app = HttpdiffApp(collection=root, env="local", clock=lambda: 0.0)
    assert snap_compare(app, terminal_size=(160, 45), run_before=_edited)


async def _sidebar_over_the_editor(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.press("ctrl+o")
    await pilot.pause(0.2)


def test_snapshot_narrow_sidebar_over_the_editor(snap_compare: Any, tmp_path: Path) -> None:
    root = fixed_collection(tmp_path / "my-api")
    app = HttpdiffApp(collection=root, env="local", clock=lambda: 0.0)
    assert snap_compare(app, terminal_size=(100, 30), run_before=_sidebar_over_the_editor)
