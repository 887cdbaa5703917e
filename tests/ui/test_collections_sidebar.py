"""The sidebar: the order it lists a collection in, and its cursor on the open request."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from httpdiff.model import RequestSpec
from httpdiff.storage.collection import load_collection, save_request
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.widgets.collection_tree import CollectionTree

from .test_collections import SIZE, labels, make_collection, open_entry, until


def cursor(app: HttpdiffApp) -> str | None:
    entry = app.query_one(CollectionTree).cursor_entry
    return entry.relative if entry is not None else None


async def palette(pilot: Pilot[None], command: str) -> None:
    """Run one command by typing it into the command palette, as a person would."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "CommandPalette")
    await pilot.press(*command)
    await pilot.pause(0.3)  # the palette searches in a worker
    await pilot.press("enter")
    await until(pilot, lambda: type(pilot.app.screen).__name__ != "CommandPalette")
    await pilot.pause()


async def test_root_requests_come_first_then_each_folders_own_before_its_subfolders(
    tmp_path: Path,
) -> None:
    root = make_collection(tmp_path / "api")
    save_request(root, "users/admin/reset", RequestSpec(method="DELETE", url="http://x/r"))
    save_request(root, "zeta", RequestSpec(url="http://x/z"))
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # "GET    health" -> "health", "✗ broken.yaml — why" -> "broken.yaml", "users/"
        shown = [(label.split()[1:] or label.split())[0] for label in labels(app)]
        assert shown == ["broken.yaml", "health", "zeta", "users/", "create", "list",
                         "admin/", "reset"]
        # the same order as the collection's entries (and `httpdiff run`)
        names = [e.relative for e in load_collection(root).entries]
        assert names == ["broken", "health", "zeta", "users/create", "users/list",
                         "users/admin/reset"]
        # the request opened at start is the first one in the sidebar
        assert app.collection_state is not None and app.collection_state.current == "health"
        await pilot.pause(0.1)
        assert cursor(app) == "health"


async def test_the_cursor_follows_a_request_opened_from_the_palette(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "health")
        await palette(pilot, "Open: users/list")
        await until(pilot, lambda: cursor(app) == "users/list")
        assert app.collection_state is not None and app.collection_state.current == "users/list"
        # the cursor wanders off in the sidebar; opening the open request brings it back
        await pilot.press("ctrl+o", "up", "up")
        assert cursor(app) != "users/list"
        await palette(pilot, "Open: users/list")
        await until(pilot, lambda: cursor(app) == "users/list")
        assert app.focused is app.editor.url_bar
