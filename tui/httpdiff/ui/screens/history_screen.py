"""The history screen: past comparisons, newest first; Enter reopens one in the editor.

A modal over the app rather than a tab: history is visited briefly, to pick a
request back up. It reads ``History.entries`` once when shown (a local SQLite
file, a few milliseconds) and dismisses with the chosen entry's id; the app
loads that request as unsaved. URLs and names come from past requests and are
shown as ``Text``, never markup.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from httpdiff.errors import LoadError
from httpdiff.storage.history import History, HistoryEntry
from httpdiff.ui.render import THEME_DEFAULTS, color

SHOWN = 500


def verdict_text(entry: HistoryEntry, palette: Mapping[str, str] = THEME_DEFAULTS) -> Text:
    if entry.equivalent is None:
        return Text("✗ failed", style=f"bold {color(palette, 'status-error')}")
    if entry.equivalent:
        return Text("= same", style=color(palette, "diff-added"))
    return Text("≠ differs", style=color(palette, "diff-changed"))


def when(created: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(created))


class HistoryScreen(ModalScreen[int | None]):
    """Past comparisons; Enter (or a click) dismisses with the entry's id, Esc with None."""

    DEFAULT_CSS = """
    HistoryScreen {
        align: center middle;
        background: $background 60%;
        #history {
            width: 90%;
            height: 80%;
            border: thick $primary 60%;
            background: $surface;
        }
        #history-table { height: 1fr; }
        #history-empty { padding: 1 2; color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, history: History) -> None:
        super().__init__()
        self.history = history
        self.entries: list[HistoryEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="history") as box:
            box.border_title = "History (Enter reopens, Esc closes)"
            yield Static("", id="history-empty")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("time", "name", "method", "URL", "verdict")
        empty = self.query_one("#history-empty", Static)
        try:
            self.entries = self.history.entries(limit=SHOWN)
        except LoadError as exc:
            empty.update(Text(str(exc)))
            return
        for entry in self.entries:
            verdict = verdict_text(entry, self.app.theme_variables)
            table.add_row(when(entry.created), Text(entry.name), Text(entry.method),
                          Text(entry.url), verdict, key=str(entry.id))
        empty.display = not self.entries
        if not self.entries:
            empty.update("Nothing yet: every comparison you send is kept here.")
        table.focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.dismiss(int(event.row_key.value))

    def action_close(self) -> None:
        self.dismiss(None)
