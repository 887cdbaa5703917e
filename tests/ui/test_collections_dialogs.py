"""The name dialogs of the collection (new, save as, rename, move, new folder), typed into.

Typing is real key presses, so what the dialog pre-fills and selects is what a
person would overwrite. A name the collection refuses (taken, or invalid) keeps
the dialog open with the reason under the field and the text as typed.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.screens.confirm import NamePrompt
from httpdiff.ui.widgets.collection_tree import CollectionTree

from .test_collections import SIZE, make_collection, open_entry, until


async def prompt(pilot: Pilot[None]) -> tuple[NamePrompt, Input]:
    await until(pilot, lambda: isinstance(pilot.app.screen, NamePrompt))
    screen = pilot.app.screen
    assert isinstance(screen, NamePrompt)
    await pilot.pause()
    return screen, screen.query_one(Input)


def error(screen: NamePrompt) -> str:
    return str(screen.query_one("#dialog-error", Static).render())


async def refused(pilot: Pilot[None], typed: str, reason: str) -> None:
    """Enter refuses what is in the field: the dialog stays, says why, keeps the text."""
    screen, field = await prompt(pilot)
    await pilot.press("enter")
    await pilot.pause()
    assert pilot.app.screen is screen
    assert reason in error(screen)
    assert field.value == typed


async def on_in_tree(pilot: Pilot[None], app: HttpdiffApp, relative: str) -> None:
    tree = app.query_one(CollectionTree)
    await pilot.press("ctrl+o")
    tree.reveal(relative)
    await until(pilot, lambda: tree.cursor_entry is not None
                and tree.cursor_entry.relative == relative)


async def test_new_request_keeps_the_folder_and_refuses_a_taken_name(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "users/list")
        await on_in_tree(pilot, app, "users/list")
        await pilot.press("n")
        screen, field = await prompt(pilot)
        # the cursor after the folder, nothing selected: typing adds to it
        assert field.value == "users/"
        assert field.selection.is_empty and field.cursor_position == len("users/")
        await pilot.press(*"list")
        await refused(pilot, "users/list", "users/list already exists")
        # an edit clears the stale reason; an invalid name is refused the same way
        await pilot.press("backspace")
        assert error(screen) == ""
        field.value = "users/../../x"
        await refused(pilot, "users/../../x", "invalid request path")
        field.value = "users/"
        await pilot.press(*"mynew", "enter")
        await until(pilot, lambda: (root / "users" / "mynew.yaml").is_file())
        assert not (root / "mynew.yaml").exists()
        assert app.collection_state is not None
        assert app.collection_state.current == "users/mynew"
        # the refused name's file was left alone
        assert "127.0.0.1:9/users" in (root / "users" / "list.yaml").read_text()


async def test_save_as_selects_only_the_name_and_refuses_a_taken_one(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "users/list")
        await pilot.press("f12")
        _screen, field = await prompt(pilot)
        assert field.value == "users/list"
        assert field.selected_text == "list"
        await pilot.press(*"create")
        await refused(pilot, "users/create", "users/create already exists")
        await pilot.press("backspace", "enter")
        await until(pilot, lambda: (root / "users" / "creat.yaml").is_file())


async def test_rename_and_move_refuse_a_taken_name_inline(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    (root / "users" / "health.yaml").write_text("url: http://127.0.0.1:9/other-health\n")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "users/list")
        await on_in_tree(pilot, app, "users/list")
        await pilot.press("r")
        _screen, field = await prompt(pilot)
        assert field.selected_text == "list"  # the whole name: typing replaces it
        await pilot.press(*"create")
        await refused(pilot, "create", "users/create already exists")
        field.value = "a/b"
        await refused(pilot, "a/b", "cannot contain '/'")
        field.value = "people"
        await pilot.press("enter")
        await until(pilot, lambda: (root / "users" / "people.yaml").is_file())

        # users/health cannot move to the top: a health request is there already
        await on_in_tree(pilot, app, "users/health")
        await pilot.press("m")
        _screen, field = await prompt(pilot)
        assert field.selected_text == "users"  # the whole folder: typing replaces it
        await pilot.press("slash")
        await refused(pilot, "/", "health already exists")
        field.value = "archive"
        await pilot.press("enter")
        await until(pilot, lambda: (root / "archive" / "health.yaml").is_file())
        assert (root / "health.yaml").read_text() != (root / "archive" / "health.yaml").read_text()
        tree = app.query_one(CollectionTree)
        await until(pilot, lambda: tree.cursor_entry is not None
                    and tree.cursor_entry.relative == "archive/health")


async def test_new_folder_refuses_one_that_exists_and_puts_the_cursor_on_a_new_one(
    tmp_path: Path,
) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "health")
        await on_in_tree(pilot, app, "health")
        await pilot.press("f")
        _screen, field = await prompt(pilot)
        assert field.value == "" and field.selection.is_empty
        await pilot.press(*"users")
        await refused(pilot, "users", "users/ already exists")
        await pilot.press(*"/admin", "enter")
        await until(pilot, lambda: (root / "users" / "admin").is_dir())
        tree = app.query_one(CollectionTree)
        await until(pilot, lambda: tree.cursor_group == "users/admin")
        # "n" on the new folder offers it
        await pilot.press("n")
        _screen, field = await prompt(pilot)
        assert field.value == "users/admin/"
