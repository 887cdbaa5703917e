"""The sidebar: its order, its cursor on the open request, and narrow terminals.

Below the app's breakpoint the sidebar is hidden; ctrl+o shows it over the editor
while it has focus. The tests drive the app with keys, as a person would.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from httpdiff.model import RequestSpec
from httpdiff.storage.collection import load_collection, save_request
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.screens.confirm import ChoiceScreen
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


NARROW = (100, 30)  # below the app's breakpoint (122): no sidebar


async def test_narrow_ctrl_o_shows_the_sidebar_over_the_editor_until_focus_leaves(
    tmp_path: Path,
) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=NARROW) as pilot:
        await open_entry(pilot, app, "health")
        tree = app.query_one(CollectionTree)
        assert not tree.display
        await pilot.press("f3")  # somewhere else than the URL bar, for focus to come back to
        await until(pilot, lambda: app.focused is not None and app.focused is not tree)
        before = app.focused
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.focused is tree and tree.display and tree.overlaid
        # over the editor, inside the screen, above the footer
        assert tree.region.x == 0 and tree.region.width >= 32
        assert tree.region.bottom <= NARROW[1] - 1
        # escape closes it, and focus goes back where it was
        await pilot.press("escape")
        await pilot.pause()
        assert not tree.display and app.focused is before
        # ctrl+o closes it too
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert tree.display
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not tree.display and app.focused is before
        # opening a request from it closes it, focus in the URL bar
        await pilot.press("ctrl+o")
        await until(pilot, lambda: cursor(app) == "health")
        await pilot.press("down", "down", "enter")  # past users/ to users/create
        await until(pilot, lambda: app.collection_state is not None
                    and app.collection_state.current == "users/create")
        await pilot.pause()
        assert app.focused is app.editor.url_bar and not tree.display


async def test_narrow_sidebar_actions_act_on_what_is_shown(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=NARROW) as pilot:
        await open_entry(pilot, app, "health")
        tree = app.query_one(CollectionTree)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: cursor(app) == "health")
        # the sidebar stays on screen behind the question, the request named in it
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert tree.display and "Delete health?" in str(
            app.screen.query_one("#dialog-message").render())
        await pilot.click("#choice-delete")
        await until(pilot, lambda: not (root / "health.yaml").exists())
        assert app.collection_state is not None and app.collection_state.current is None
        assert not any(label.endswith(" health") for label in labels(app))
        tree.reveal("users/list")
        await until(pilot, lambda: cursor(app) == "users/list")
        await pilot.press("escape")
        await pilot.pause()
        assert not tree.display
        # no request open, the sidebar hidden: the palette's Delete has nothing it may act on
        await palette(pilot, "Delete request")
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceScreen)
        assert any("Choose a request" in n.message for n in app._notifications)
        assert (root / "users" / "list.yaml").is_file()


async def test_wide_sidebar_is_always_shown_and_escape_keeps_its_meaning(
    tmp_path: Path,
) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "health")
        tree = app.query_one(CollectionTree)
        assert tree.display and not tree.overlaid
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.focused is tree and tree.display and not tree.overlaid
        await pilot.press("escape", "ctrl+o")
        await pilot.pause()
        assert app.focused is tree and tree.display
        # no request open, the palette's Delete asks about the cursor's: it is on screen
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.click("#choice-delete")
        await until(pilot, lambda: not (root / "health.yaml").exists())
        tree.reveal("users/list")
        await until(pilot, lambda: cursor(app) == "users/list")
        app.editor.url_bar.focus()
        await pilot.pause()
        await palette(pilot, "Delete request")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert "Delete users/list?" in str(app.screen.query_one("#dialog-message").render())
