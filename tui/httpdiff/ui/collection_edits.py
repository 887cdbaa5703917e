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
        relative = await self.push_screen_wait(NamePrompt(
            "New request", "Name (group/name makes a folder):", f"{group}/" if group else "",
            attempt=state.create, refusals=STORAGE_ERRORS))
        if relative is None:
            return
        try:
            self._load(state.spec_of(relative), relative)
        except STORAGE_ERRORS as exc:
            self._error(exc, "Cannot open")
            self._changed(relative)
            return
        self._editor.url_bar.focus()

    def _target(self) -> Entry | None:
        """The request an action is about: the tree's cursor while the tree has focus,
        else the open request, else the cursor's if the tree is on screen (a narrow
        terminal hides it: nothing is done to a request the user cannot see)."""
        state = self.collection_state
        if state is None:
            self.notify("No collection is open", severity="warning")
            return None
        tree = self._tree
        if tree.has_focus:
            entry = tree.cursor_entry
        else:
            entry = state.current_entry or (tree.cursor_entry if tree.display else None)
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
        renamed = await self.push_screen_wait(NamePrompt(
            "Rename", f"New name for {entry.relative}:", entry.name,
            attempt=lambda name: state.rename(entry.relative, name), refusals=STORAGE_ERRORS))
        self._changed(renamed)

    @work(group="collection")
    async def action_move_request(self) -> None:
        entry, state = self._target(), self.collection_state
        if entry is None or state is None:
            return
        moved = await self.push_screen_wait(NamePrompt(
            "Move", f"Folder for {entry.relative} ('/' is the top):", entry.group or "/",
            select_all=True, attempt=lambda group: state.move(entry.relative, group.strip("/")),
            refusals=STORAGE_ERRORS))
        self._changed(moved)

    def action_duplicate_request(self) -> None:
        entry, state = self._target(), self.collection_state
        if entry is None or state is None:
            return
        copy = self._apply(lambda: state.duplicate(entry.relative), "Not duplicated")
        if isinstance(copy, str):  # no dialog showed what it was about: say what it did
            self.notify(f"Copied {entry.relative} to {copy}", title="Duplicate", markup=False)

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
        made = await self.push_screen_wait(NamePrompt(
            "New folder", "Folder name (a/b makes both):", f"{group}/" if group else "",
            attempt=state.new_folder, refusals=STORAGE_ERRORS))
        self._changed(made, folder=True)

    def _apply(self, change: Callable[[], object], title: str) -> object:
        """Run one change to the collection, then redraw; errors become a notification."""
        try:
            result = change()
        except STORAGE_ERRORS as exc:
            self._error(exc, title)
            return None
        self._show_tree()
        if isinstance(result, str):
            self._tree.reveal(result)
        return result

    def _changed(self, made: str | None, *, folder: bool = False) -> None:
        """Redraw the sidebar after a change, the cursor on what it made (None: nothing)."""
        if made is not None:
            self._show_tree()
            self._tree.reveal(made, folder=folder)
