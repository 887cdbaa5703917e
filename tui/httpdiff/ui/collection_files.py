"""The app's open request and its file (open, save, save as, quit), as a base class.

``HttpdiffApp`` inherits these actions and bindings through ``CollectionEdits``
(new, rename, move, delete) and ``CollectionActions`` (environments and
history), so the app stays thin: this class holds
the flows (ask, then act) while ``CollectionState`` holds the rules. Every flow
that may ask a question runs in a worker and awaits a modal, so "switch with
unsaved changes", "file changed on disk" and "delete?" read top to bottom.
Nothing is lost silently: leaving an edited request (opening another, new,
history, quit) asks save / discard / cancel; a save over a file changed on disk
asks reload / overwrite / cancel.

Textual calls a handler of every class in the MRO, so ``on_mount`` and the
send messages handled here run beside the app's own handlers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches

from httpdiff.errors import ConflictError, InvalidRequest, LoadError, UnknownName
from httpdiff.model import RequestSpec
from httpdiff.ui.collection_state import CollectionState
from httpdiff.ui.screens.confirm import ChoiceScreen, NamePrompt
from httpdiff.ui.widgets.collection_tree import CollectionTree
from httpdiff.ui.widgets.environment_select import EnvironmentSelect
from httpdiff.ui.widgets.request_editor import RequestEditor

if TYPE_CHECKING:
    from pathlib import Path

    from textual.widget import Widget

DIRTY_CHECK_SECONDS = 0.3
STORAGE_ERRORS = (ConflictError, InvalidRequest, LoadError, UnknownName, OSError)


class CollectionFiles(App[None]):
    """Open, edit and save requests of a collection; ask before anything is lost."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save_request", "Save", id="save-request", priority=True),
        Binding("f12", "save_request_as", "Save as", id="save-request-as", show=False),
        Binding("ctrl+o", "focus_collection", "Requests", id="focus-collection", show=False),
    ]

    collection_dir: Path | None
    env_name: str | None
    collection_state: CollectionState | None = None
    _blank: RequestSpec | None = None  # what an empty editor holds
    _focus_before_tree: Widget | None = None  # where focus goes back when the tree closes

    # -- start ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._blank = self._editor_spec()
        if self.collection_dir is None:
            return
        try:
            self.collection_dir.mkdir(parents=True, exist_ok=True)
            self.collection_state = state = CollectionState(self.collection_dir, self.env_name)
        except (LoadError, OSError) as exc:
            self.notify(str(exc), title="Collection", severity="error", markup=False)
            return
        self._environment_select.set_environments(state.environments, state.env)
        if state.env_error:
            self.notify(state.env_error, title="Environment", severity="error", markup=False)
        if state.noise_error:
            self.notify(state.noise_error, title="Noise rules", severity="error", markup=False)
        self._show_tree()
        first = next((e for e in state.collection.entries if e.spec is not None), None)
        if first is not None:
            self._load(state.spec_of(first.relative), first.relative)
        else:
            state.opened(None, self._blank or RequestSpec())
        self.set_interval(DIRTY_CHECK_SECONDS, self.refresh_dirty)

    # -- parts ----------------------------------------------------------------------------

    # the main screen's widgets, also while a dialog is on top (app.query_one would
    # search the dialog)
    @property
    def _editor(self) -> RequestEditor:
        return self.screen_stack[0].query_one("#editor", RequestEditor)

    @property
    def _tree(self) -> CollectionTree:
        return self.screen_stack[0].query_one(CollectionTree)

    @property
    def _environment_select(self) -> EnvironmentSelect:
        return self.screen_stack[0].query_one(EnvironmentSelect)

    def _editor_spec(self) -> RequestSpec | None:
        try:
            return self._editor.spec
        except InvalidRequest:  # e.g. a timeout that is not a number: not savable as is
            return None

    def _show_tree(self) -> None:
        state = self.collection_state
        if state is None:
            return
        self._tree.show(state.folders(), state.collection.entries, current=state.current,
                        dirty=self.is_dirty())

    def _load(self, spec: RequestSpec, relative: str | None) -> None:
        """Put ``spec`` in the editor; the editor's own reading of it is the clean baseline."""
        self._editor.load(spec)
        if self.collection_state is not None:
            baseline = self._editor_spec() if relative is not None else self._blank
            self.collection_state.opened(relative, baseline or spec)
            self._show_tree()

    def is_dirty(self) -> bool:
        """Whether the editor holds changes that are in no file."""
        state = self.collection_state
        return state is not None and state.is_dirty(self._editor_spec())

    def refresh_dirty(self) -> None:
        """Show the unsaved-changes dot (on the open request, or on the sidebar's title)."""
        state = self.collection_state
        if state is None or not self.screen_stack:
            return
        try:
            dirty = self.is_dirty()
            tree = self._tree
        except NoMatches:  # the app is closing: its widgets are going
            return
        tree.mark_dirty(state.current if dirty and state.current else None)
        tree.border_subtitle = "● unsaved" if dirty and state.current is None else ""

    def _error(self, exc: Exception, title: str) -> None:
        self.notify(str(exc), title=title, severity="error", markup=False)

    # -- asking ---------------------------------------------------------------------------

    async def _may_leave(self) -> bool:
        """True when the editor's request may be replaced: clean, saved, or discarded."""
        state = self.collection_state
        if state is None or not self.is_dirty():
            return True
        what = state.current or "The new request"
        answer = await self.push_screen_wait(ChoiceScreen(
            "Unsaved changes", f"{what} has unsaved changes.",
            [("save", "Save"), ("discard", "Discard"), ("cancel", "Cancel")]))
        if answer == "discard":
            return True
        return answer == "save" and await self._save()

    async def _save(self, *, force: bool = False) -> bool:
        state = self.collection_state
        spec = self._editor_spec()
        if state is None:
            self.notify("No collection is open", title="Save", severity="warning")
            return False
        if spec is None:
            self._editor.submit()  # shows the one-line reason in the editor, sends nothing
            return False
        if state.current is None:
            return await self._save_as(spec)
        try:
            state.save(spec, force=force)
        except ConflictError as exc:
            answer = await self.push_screen_wait(ChoiceScreen(
                "Changed on disk", str(exc),
                [("reload", "Reload from disk"), ("overwrite", "Overwrite"),
                 ("cancel", "Cancel")]))
            if answer == "overwrite":
                return await self._save(force=True)
            if answer == "reload":
                self._reload_current()
            return False
        except STORAGE_ERRORS as exc:
            self._error(exc, "Not saved")
            return False
        self._show_tree()
        self.notify(f"Saved {state.current}", title="Save", markup=False)
        return True

    async def _save_as(self, spec: RequestSpec) -> bool:
        state = self.collection_state
        if state is None:
            return False
        group = self._tree.cursor_group
        suggestion = (state.current or spec.name or "new-request").rpartition("/")[2]
        saved = await self.push_screen_wait(NamePrompt(
            "Save as", "Name in the collection (group/name makes a folder):",
            f"{group}/{suggestion}" if group else suggestion,
            attempt=lambda name: state.save_as(name, spec), refusals=STORAGE_ERRORS))
        if saved is None:
            return False
        self._show_tree()
        self.notify(f"Saved as {state.current}", title="Save", markup=False)
        return True

    def _reload_current(self) -> None:
        """Read the collection again and show the open request as it is on disk now."""
        state = self.collection_state
        if state is None:
            return
        state.reload()
        if state.current is not None and state.current_entry is not None:
            try:
                self._load(state.spec_of(state.current), state.current)
                return
            except LoadError as exc:
                self._error(exc, "Reload")
        self._show_tree()

    # -- opening --------------------------------------------------------------------------

    @on(CollectionTree.Opened)
    def _tree_opened(self, event: CollectionTree.Opened) -> None:
        self.open_entry(event.relative)

    @on(CollectionTree.BrokenPicked)
    def _broken_picked(self, event: CollectionTree.BrokenPicked) -> None:
        self.notify(f"{event.entry.path}: {event.entry.error}", title="Cannot open",
                    severity="error", markup=False)

    @work(group="collection")
    async def open_entry(self, relative: str) -> None:
        """Open a request of the collection, asking first if the editor has changes."""
        state = self.collection_state
        if state is None:
            return
        if relative == state.current and not state.changed_on_disk():
            self._tree.reveal(relative)  # the cursor may have wandered (the palette opens too)
            self._editor.url_bar.focus()
            return
        if not await self._may_leave():
            self._show_tree()  # the cursor goes back to the request still open
            return
        state.reload()  # what is on disk now, not when the tree was drawn
        try:
            self._load(state.spec_of(relative), relative)
        except STORAGE_ERRORS as exc:
            self._error(exc, "Cannot open")
            self._show_tree()
            return
        self._editor.url_bar.focus()

    def on_app_focus(self, event: events.AppFocus) -> None:
        self.check_disk()

    @work(group="collection")
    async def check_disk(self) -> None:
        """Notice the open request's file changed elsewhere: reload if nothing is edited,
        else ask."""
        state = self.collection_state
        if state is None or not state.changed_on_disk():
            return
        if not self.is_dirty():
            self._reload_current()
            self.notify(f"{state.current or 'The request'} changed on disk: reloaded",
                        title="Reloaded", markup=False)
            return
        answer = await self.push_screen_wait(ChoiceScreen(
            "Changed on disk",
            f"{state.current} changed on disk, and you have unsaved changes.",
            [("reload", "Reload from disk"), ("overwrite", "Overwrite with mine"),
             ("cancel", "Decide later")]))
        if answer == "reload":
            self._reload_current()
        elif answer == "overwrite":
            await self._save(force=True)

    # -- actions --------------------------------------------------------------------------

    def action_focus_collection(self) -> None:
        """Focus the sidebar; shown over the editor (a narrow terminal), again closes it."""
        if self.collection_state is None:
            return
        tree = self._tree
        if not tree.has_focus:
            self._focus_before_tree = self.focused
            tree.focus()
        elif tree.overlaid:
            self._tree_closed()

    @on(CollectionTree.Closed)
    def _tree_closed(self) -> None:
        """Focus goes back to where it was before the sidebar took it (else the URL bar)."""
        before, self._focus_before_tree = self._focus_before_tree, None
        if (before is not None and before.is_attached and before.focusable
                and before.screen is self._tree.screen):
            before.focus()
        else:
            self._editor.url_bar.focus()

    @work(group="collection")
    async def action_save_request(self) -> None:
        await self._save()

    @work(group="collection")
    async def action_save_request_as(self) -> None:
        spec = self._editor_spec()
        if spec is None:
            self._editor.submit()
            return
        if self.collection_state is None:
            self.notify("No collection is open", title="Save as", severity="warning")
            return
        await self._save_as(spec)

    async def action_quit(self) -> None:
        self._quit_when_safe()

    @work(group="collection")
    async def _quit_when_safe(self) -> None:
        if await self._may_leave():
            self.exit()

