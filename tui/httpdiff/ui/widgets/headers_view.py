"""A header list in received order, duplicates kept, each row marked against the other sides.

A ``DataTable`` renders only visible rows, so a response with thousands of headers
stays cheap; every cell is a ``Text`` built by ``safe_text`` (never markup). The mark
column says same / differs / only here / noise, taken from the comparison's findings,
each with a symbol (= ≠ + ~) so a mark never depends on colour; under a theme with
``markers: symbols`` a name that differs is also underlined.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import DataTable

from httpdiff.model import Header
from httpdiff.ui.render import (
    MARK_SAME,
    MARK_VARIABLES,
    color,
    mark_label,
    safe_text,
    symbols_required,
)

VALUE_LIMIT = 4_000


class HeadersView(DataTable[Text]):
    DEFAULT_CSS = """
    HeadersView {
        height: auto;
        max-height: 100%;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self._marks: list[str] = []

    def on_mount(self) -> None:
        self.add_column("", key="mark")
        self.add_column("name", key="name")
        self.add_column("value", key="value")

    def show_headers(self, headers: tuple[Header, ...], marks: Mapping[str, str] | None) -> None:
        """Fill the table; ``marks`` is None before the comparison is known (no mark column)."""
        self.clear()
        palette = self.app.theme_variables
        shapes = symbols_required(palette)
        self._marks = []
        for index, (name, value) in enumerate(headers):
            mark = "" if marks is None else marks.get(name.lower(), MARK_SAME)
            self._marks.append(mark)
            variable = MARK_VARIABLES.get(mark, "")
            tint = color(palette, variable) if variable else ""
            name_style = f"bold {tint}" if tint else "bold"
            if shapes and tint:
                name_style += " underline"
            self.add_row(
                Text(mark_label(mark), style=f"bold {tint}" if tint else "dim", end=""),
                safe_text(name, name_style, limit=200),
                safe_text(value, limit=VALUE_LIMIT),
                key=str(index),
            )

    def row_texts(self) -> list[tuple[str, str, str]]:
        """Each row's mark word and plain text (mark, name, value), for tests and copying."""
        rows = []
        for index in range(self.row_count):
            _, name, value = self.get_row_at(index)
            rows.append((self._marks[index], name.plain, value.plain))
        return rows


__all__ = ["HeadersView"]
