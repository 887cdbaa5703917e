"""The sidebar's changes to a collection (new, rename, duplicate, move, delete, new folder).

A base class of the app, beside ``CollectionFiles`` (the open request and its
file): these flows change which files exist, so each asks for a name or a
confirmation, calls ``CollectionState`` and redraws the sidebar with the
cursor on what changed. An action is about the sidebar's cursor while the
sidebar has focus, else about the open request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from httpdiff.model import RequestSpec
from httpdiff.ui.collection_files import STORAGE_ERRORS, CollectionFiles
from httpdiff.ui.screens.confirm import ChoiceScreen, NamePrompt

if TYPE_CHECKING:
    from collections.abc import Callable

    from httpdiff.storage.collection import Entry


class CollectionEdits(CollectionFiles):
    """New, rename, duplicate, move and delete requests; new folders."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_request", "New", id="new-request", show=False, priority=True),
    ]

    @work(group="collection")
    async def action_new_request(self) -> None:
        state = self.collection_state
        if not await self._may_leave():
            return
        if state is None:
            self._editor.load(RequestSpec())
            return
        group = self._tree.cursor_group
        name = await self.push_screen_wait(NamePrompt(
            "New request", "Name (group/name makes a folder):", f"{group}/" if group else ""))
        if name is None:
            return
        try:
            relative = state.create(name)
            self._load(state.spec_of(relative), relative)
        except STORAGE_ERRORS as exc:
            self._error(exc, "Not created")
            return
        self._editor.url_bar.focus()

    def _target(self) -> Entry | None:
        """The request an action is about: the tree's cursor while the tree has focus,
        else the open request."""
        state = self.collection_state
        if state is None:
            self.notify("No collection is open", severity="warning")
            return None
        tree = self._tree
        entry = tree.cursor_entry if tree.has_focus else state.current_entry
        entry = entry or tree.cursor_entry
        if entry is None:
            self.notify("Choose a request in the sidebar first", severity="warning")
        elif entry.spec is None:
            self.notify(f"{entry.path} cannot be read ({entry.error}); fix it in a text editor",
                        severity="error", markup=False)
            return None
        return entry

    @work(group="collection")
    async def action_rename_request(self) -> None:
        entry, state = self._target(), self.collection_state
        if entry is None or state is None:
            return
        name = await self.push_screen_wait(NamePrompt(
            "Rename", f"New name for {entry.relative}:", entry.name))
        if name is not None:
            self._apply(lambda: state.rename(entry.relative, name), "Not renamed")

    @work(group="collection")
    async def action_move_request(self) -> None:
        entry, state = self._target(), self.collection_state
        if entry is None or state is None:
            return
        group = await self.push_screen_wait(NamePrompt(
            "Move", f"Folder for {entry.relative} ('/' is the top):", entry.group or "/"))
        if group is not None:
            self._apply(lambda: state.move(entry.relative, group.strip("/")), "Not moved")

    def action_duplicate_request(self) -> None:
        entry, state = self._target(), self.collection_state
        if entry is not None and state is not None:
            self._apply(lambda: state.duplicate(entry.relative), "Not duplicated")

    @work(group="collection")
    async def action_delete_request(self) -> None:
        entry, state = self._target(), self.collection_state
        if entry is None or state is None:
            return
        answer = await self.push_screen_wait(ChoiceScreen(
            "Delete", f"Delete {entry.relative}? Its file {entry.path.name} is removed.",
            [("delete", "Delete"), ("cancel", "Cancel")], focus="cancel"))
        if answer == "delete":
            was_open = entry.relative == state.current
            self._apply(lambda: state.delete(entry.relative), "Not deleted")
            if was_open and state.current is None:  # what it held stays, as a new request
                state.opened(None, self._blank or RequestSpec())

    @work(group="collection")
    async def action_new_folder(self) -> None:
        state = self.collection_state
        if state is None:
            self.notify("No collection is open", severity="warning")
            return
        group = self._tree.cursor_group
        name = await self.push_screen_wait(NamePrompt(
            "New folder", "Folder name (a/b makes both):", f"{group}/" if group else ""))
        if name is not None:
            self._apply(lambda: state.new_folder(name), "No folder made")

    def _apply(self, change: Callable[[], object], title: str) -> None:
        """Run one change to the collection, then redraw; errors become a notification."""
        try:
            result = change()
        except STORAGE_ERRORS as exc:
            self._error(exc, title)
            return
        self._show_tree()
        if isinstance(result, str):
            self._tree.reveal(result)
