"""The app with a collection open: the tree, opening, editing, saving and the file actions.

Each test builds its own collection in a tmp folder and drives the app as a person
would (keys, modals); the files on disk are the proof.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from httpdiff.model import RequestSpec
from httpdiff.storage.collection import load_collection, request_to_yaml, save_request
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.screens.confirm import ChoiceScreen, NamePrompt
from httpdiff.ui.widgets.collection_tree import DIRTY, CollectionTree

SIZE = (160, 45)
BROKEN = b"method: [unclosed\n\xff not yaml"


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await pilot.pause(0.02)


def make_collection(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    save_request(root, "health", RequestSpec(url="http://127.0.0.1:9/health"))
    save_request(root, "users/list", RequestSpec(url="http://127.0.0.1:9/users",
                                                 headers=(("Accept", "application/json"),)))
    save_request(root, "users/create", RequestSpec(method="POST", url="http://127.0.0.1:9/users"))
    (root / "broken.yaml").write_bytes(BROKEN)
    return root


def labels(app: HttpdiffApp) -> list[str]:
    tree = app.query_one(CollectionTree)
    found: list[str] = []
    stack = list(reversed(tree.root.children))
    while stack:
        node = stack.pop()
        found.append(node.label.plain)
        stack.extend(reversed(node.children))
    return found


async def type_into_prompt(pilot: Pilot[None], text: str) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, NamePrompt))
    field = pilot.app.screen.query_one(Input)
    field.value = text
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, NamePrompt))


async def answer(pilot: Pilot[None], choice: str) -> str:
    """Press one button of the ChoiceScreen on top; returns the question asked."""
    await until(pilot, lambda: isinstance(pilot.app.screen, ChoiceScreen))
    screen = pilot.app.screen
    question = str(screen.query_one("#dialog-message").render())
    await pilot.click(f"#choice-{choice}")
    await until(pilot, lambda: pilot.app.screen is not screen)
    return question


async def open_entry(pilot: Pilot[None], app: HttpdiffApp, relative: str) -> None:
    app.open_entry(relative)
    await until(pilot, lambda: app.collection_state is not None
                and app.collection_state.current == relative)
    await pilot.pause()


async def edit_url(pilot: Pilot[None], app: HttpdiffApp, url: str) -> None:
    app.editor.url_bar.value = url
    await pilot.pause()
    app.refresh_dirty()


async def test_tree_shows_groups_requests_and_the_broken_file(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = labels(app)
        assert "users/" in shown
        assert any(s.startswith("GET") and s.endswith("health") for s in shown)
        assert any(s.startswith("POST") and s.endswith("create") for s in shown)
        broken = next(s for s in shown if "broken.yaml" in s)
        assert broken.startswith("✗")
        # the first readable request is open in the editor
        assert app.collection_state is not None and app.collection_state.current == "health"
        assert app.editor.url_bar.value == "http://127.0.0.1:9/health"
    assert (root / "broken.yaml").read_bytes() == BROKEN


async def test_edit_marks_dirty_and_save_writes_the_file(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "users/list")
        assert not app.is_dirty()
        assert not any(s.endswith(DIRTY) for s in labels(app))
        await edit_url(pilot, app, "http://127.0.0.1:9/users?page=2")
        assert app.is_dirty()
        assert any(s.endswith("list" + DIRTY) for s in labels(app))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not app.is_dirty())
        assert not any(s.endswith(DIRTY) for s in labels(app))
        saved = app.editor.spec
    text = (root / "users" / "list.yaml").read_text()
    assert "page" in text and "Accept" in text
    reloaded = load_collection(root).get("users/list").spec
    assert reloaded is not None
    # the file, read again, is the request the editor held (name is the file's stem)
    assert request_to_yaml(reloaded) == request_to_yaml(saved)
    assert (root / "broken.yaml").read_bytes() == BROKEN


async def test_switching_with_unsaved_changes_asks(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "health")
        await edit_url(pilot, app, "http://127.0.0.1:9/edited")
        app.open_entry("users/list")
        question = await answer(pilot, "cancel")
        assert "health has unsaved changes" in question
        assert app.collection_state is not None and app.collection_state.current == "health"
        assert app.editor.url_bar.value == "http://127.0.0.1:9/edited"

        app.open_entry("users/list")
        await answer(pilot, "discard")
        await until(pilot, lambda: app.editor.url_bar.value == "http://127.0.0.1:9/users")
        assert "edited" not in (root / "health.yaml").read_text()

        await edit_url(pilot, app, "http://127.0.0.1:9/users2")
        app.open_entry("health")
        await answer(pilot, "save")
        await until(pilot, lambda: app.editor.url_bar.value == "http://127.0.0.1:9/health")
        assert "users2" in (root / "users" / "list.yaml").read_text()


async def test_quitting_with_unsaved_changes_asks(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "health")
        await edit_url(pilot, app, "http://127.0.0.1:9/edited")
        await pilot.press("ctrl+q")
        await answer(pilot, "cancel")
        assert app.is_running
        await pilot.press("ctrl+q")
        await answer(pilot, "save")
        await until(pilot, lambda: not app.is_running)
    assert "edited" in (root / "health.yaml").read_text()


async def test_new_rename_duplicate_move_delete_and_folder(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await type_into_prompt(pilot, "users/fresh")
        await until(pilot, lambda: (root / "users" / "fresh.yaml").is_file())
        assert app.collection_state is not None and app.collection_state.current == "users/fresh"

        tree = app.query_one(CollectionTree)
        tree.focus()
        tree.reveal("users/fresh")
        await pilot.pause()
        await pilot.press("r")
        await type_into_prompt(pilot, "renamed")
        await until(pilot, lambda: (root / "users" / "renamed.yaml").is_file())
        assert not (root / "users" / "fresh.yaml").exists()
        assert app.collection_state.current == "users/renamed"

        await pilot.press("d")
        await until(pilot, lambda: (root / "users" / "renamed-copy.yaml").is_file())
        assert any(s.endswith("renamed-copy") for s in labels(app))
        assert any("to users/renamed-copy" in n.message for n in app._notifications)

        await pilot.press("f")
        await type_into_prompt(pilot, "archive")
        await until(pilot, lambda: (root / "archive").is_dir())
        assert "archive/" in labels(app)

        tree.focus()
        tree.reveal("users/renamed-copy")
        await pilot.pause()
        await pilot.press("m")
        await type_into_prompt(pilot, "archive")
        await until(pilot, lambda: (root / "archive" / "renamed-copy.yaml").is_file())
        assert not (root / "users" / "renamed-copy.yaml").exists()

        tree.focus()
        tree.reveal("archive/renamed-copy")
        await pilot.pause()
        await pilot.press("delete")
        await answer(pilot, "cancel")
        assert (root / "archive" / "renamed-copy.yaml").is_file()
        await pilot.press("delete")
        await answer(pilot, "delete")
        await until(pilot, lambda: not (root / "archive" / "renamed-copy.yaml").exists())
        assert not any(s.endswith("renamed-copy") for s in labels(app))
        # the broken file was never touched by any of it, and cannot be renamed
        tree.focus()
        node = next(n for n in tree.root.children if "broken" in n.label.plain)
        tree.move_cursor(node)
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, NamePrompt)
    assert (root / "broken.yaml").read_bytes() == BROKEN


async def test_save_as_writes_a_new_file_and_keeps_the_old(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "health")
        await edit_url(pilot, app, "http://127.0.0.1:9/other")
        await pilot.press("f12")
        await type_into_prompt(pilot, "copies/other")
        await until(pilot, lambda: (root / "copies" / "other.yaml").is_file())
        assert app.collection_state is not None and app.collection_state.current == "copies/other"
        assert not app.is_dirty()
    assert "other" not in (root / "health.yaml").read_text()


async def test_file_changed_on_disk_is_detected_at_save(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "health")
        await edit_url(pilot, app, "http://127.0.0.1:9/mine")
        (root / "health.yaml").write_text("url: http://127.0.0.1:9/theirs\n")
        await pilot.press("ctrl+s")
        question = await answer(pilot, "cancel")
        assert "changed on disk" in question
        assert "theirs" in (root / "health.yaml").read_text()
        await pilot.press("ctrl+s")
        await answer(pilot, "overwrite")
        await until(pilot, lambda: "mine" in (root / "health.yaml").read_text())


async def test_file_changed_on_disk_reloads_on_focus_when_clean(tmp_path: Path) -> None:
    root = make_collection(tmp_path / "api")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "health")
        (root / "health.yaml").write_text("url: http://127.0.0.1:9/theirs\n")
        app.check_disk()
        await until(pilot, lambda: app.editor.url_bar.value == "http://127.0.0.1:9/theirs")
        assert not app.is_dirty()
        # with edits, it asks instead
        await edit_url(pilot, app, "http://127.0.0.1:9/mine")
        (root / "health.yaml").write_text("url: http://127.0.0.1:9/third\n")
        app.check_disk()
        await answer(pilot, "reload")
        await until(pilot, lambda: app.editor.url_bar.value == "http://127.0.0.1:9/third")
