"""Rows of name/value pairs that can be added, edited, switched on and off, and deleted.

Used for request headers, query parameters and form fields. Each row is a
checkbox (enabled; a ``TickBox``, so on and off differ by more than colour), two
compact inputs and a delete button, rather than a DataTable with a separate edit
form: editing in place is what people expect from a request editor, and every
part works with the mouse and the keyboard.
Only enabled rows with a name count (``pairs``); disabled rows are kept so a
header can be switched off for one send without retyping it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input

from httpdiff.ui.widgets.tick_box import TickBox

Row = tuple[bool, str, str]


class KeyValueRow(Horizontal):
    """One editable row: enabled, name, value, delete."""

    DEFAULT_CSS = """
    KeyValueRow {
        height: 1;
        Checkbox { width: 5; min-width: 5; }
        .kv-name { width: 1fr; max-width: 40; margin-right: 1; }
        .kv-value { width: 2fr; }
        Button { width: 3; min-width: 3; }
    }
    """

    def __init__(self, enabled: bool, name: str, value: str, *, placeholders: tuple[str, str]):
        super().__init__()
        self._initial: Row = (enabled, name, value)
        self._placeholders = placeholders

    def compose(self) -> ComposeResult:
        enabled, name, value = self._initial
        yield TickBox(value=enabled, compact=True, tooltip="Send this row")
        yield Input(name, placeholder=self._placeholders[0], compact=True, classes="kv-name")
        yield Input(value, placeholder=self._placeholders[1], compact=True, classes="kv-value")
        yield Button("✕", compact=True, classes="kv-delete", tooltip="Delete this row")

    @property
    def row(self) -> Row:
        if not self.is_mounted or not self.children:
            return self._initial
        name, value = self.query(Input)
        return (self.query_one(Checkbox).value, name.value, value.value)


class KeyValueEditor(Widget):
    """An ordered list of rows; posts ``Changed`` whenever any row changes."""

    DEFAULT_CSS = """
    KeyValueEditor {
        height: auto;
        #kv-rows { height: auto; max-height: 12; }
        #kv-add { margin-top: 0; }
    }
    """

    class Changed(Message):
        """A row was added, edited, switched on or off, or deleted."""

        def __init__(self, editor: KeyValueEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> KeyValueEditor:
            return self.editor

    def __init__(
        self,
        rows: Iterable[Row] = (),
        *,
        placeholders: tuple[str, str] = ("name", "value"),
        add_label: str = "+ Add",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._pending: list[Row] = list(rows)
        self._placeholders = placeholders
        self._add_label = add_label
        self._replacing = 0
        self._lock = asyncio.Lock()
        # what was last reported: mounting a row fires Input.Changed with its initial
        # value, which must not count as an edit
        self._last: list[Row] = list(self._pending)

    def compose(self) -> ComposeResult:
        # Not a focus stop: it has no focus style of its own (an invisible stop, empty
        # or not), and focusing a row's field scrolls that row into view anyway.
        with VerticalScroll(id="kv-rows", can_focus=False):
            for enabled, name, value in self._pending:
                yield KeyValueRow(enabled, name, value, placeholders=self._placeholders)
        yield Button(self._add_label, id="kv-add", compact=True)

    @property
    def rows(self) -> list[Row]:
        """Every row, in order, including disabled and empty ones."""
        if not self.is_mounted or self._replacing:
            return list(self._pending)
        return [row.row for row in self.query(KeyValueRow)]

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The enabled rows that have a name: what would be sent."""
        return [(name.strip(), value) for enabled, name, value in self.rows
                if enabled and name.strip()]

    def set_rows(self, rows: Iterable[Row]) -> None:
        """Replace every row (used when a request is loaded or the URL's query changes).

        Rows are swapped asynchronously; until that is done, ``rows`` answers from the
        new list and edits the swap causes are not reported as the user's.
        """
        new_rows = list(rows)
        self._pending = new_rows
        self._last = list(new_rows)
        if not self.is_mounted:
            return
        self._replacing += 1
        self.run_worker(self._replace(new_rows), group="kv-replace")

    async def _replace(self, new_rows: list[Row]) -> None:
        container = self.query_one("#kv-rows", VerticalScroll)
        try:
            async with self._lock:  # one swap at a time, in the order they were asked for
                await container.remove_children()
                await container.mount_all(
                    KeyValueRow(enabled, name, value, placeholders=self._placeholders)
                    for enabled, name, value in new_rows
                )
        finally:
            self._replacing -= 1

    async def add_row(self, name: str = "", value: str = "", *, focus: bool = True) -> None:
        row = KeyValueRow(True, name, value, placeholders=self._placeholders)
        await self.query_one("#kv-rows", VerticalScroll).mount(row)
        if focus:
            row.query_one(".kv-name", Input).focus()
        self._report()

    @on(Button.Pressed, "#kv-add")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add_row()

    @on(Button.Pressed, ".kv-delete")
    async def _delete_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        row = event.button.parent
        if isinstance(row, KeyValueRow):
            await row.remove()
            self._report()

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _edited(self, event: Input.Changed | Checkbox.Changed) -> None:
        event.stop()
        self._report()

    def _report(self) -> None:
        rows = self.rows
        if rows != self._last:
            self._last = rows
            self.post_message(self.Changed(self))
