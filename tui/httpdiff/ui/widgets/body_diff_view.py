"""Two bodies side by side, row by row, rendering only the rows on screen.

Rows come from the diff engine (``text_diff`` for text, ``json_diff`` by path for JSON)
and are computed in a thread worker, since two 10 MB bodies take a noticeable moment
and the UI must keep taking keys meanwhile. Drawing uses the line API: a row is made
safe (control characters visible) and coloured by its tag only when it scrolls into view;
the gutter carries the tag as a symbol too (− removed, + added, ~ changed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import work
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from httpdiff.diff import json_diff, text_diff
from httpdiff.model import ResponseSnapshot
from httpdiff.ui.render import color, is_json_type, looks_binary, visible

JSON_CHANGE_LIMIT = 20_000
GUTTERS = {"delete": ("−", " "), "insert": (" ", "+"), "replace": ("~", "~")}
VALUE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Row:
    """One drawn row: ``tag`` is equal/insert/delete/replace, or "gap" between hunks."""

    tag: str
    left_no: int | None
    left: str | None
    right_no: int | None
    right: str | None


def _compact(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def _json_side(path: str, value: Any) -> str:
    return f"{path} = {_compact(value)}"


_JSON_TAGS = {"added": "insert", "removed": "delete", "changed": "replace"}


def body_rows(left: ResponseSnapshot, right: ResponseSnapshot) -> tuple[list[Row], str]:
    """The rows to draw and a one-line description of what they are. Pure; may be slow."""
    if left.body == right.body:
        return [], "bodies are identical"
    if looks_binary(left.body, left.content_type) or looks_binary(
        right.body, right.content_type
    ):
        return [], f"binary bodies differ ({len(left.body)} vs {len(right.body)} bytes)"
    if is_json_type(left.content_type) or is_json_type(right.content_type):
        try:
            a, b = json.loads(left.text), json.loads(right.text)
        except (ValueError, RecursionError):
            pass
        else:
            changes = json_diff(a, b, limit=JSON_CHANGE_LIMIT)
            rows = [
                Row(
                    _JSON_TAGS.get(change.kind, "replace"),
                    None,
                    None if change.kind == "added" else _json_side(change.path, change.left),
                    None,
                    None if change.kind == "removed" else _json_side(change.path, change.right),
                )
                for change in changes
            ]
            if not rows:
                return [], "same JSON document (only formatting or key order differ)"
            capped = " (first changes only)" if len(rows) >= JSON_CHANGE_LIMIT else ""
            paths = "1 changed path" if len(rows) == 1 else f"{len(rows)} changed paths"
            return rows, f"JSON, by path: {paths}{capped}"
    rows = []
    previous: tuple[int | None, int | None] = (None, None)
    for line in text_diff(left.text, right.text):
        jumped = (
            previous[0] is not None
            and line.left_no is not None
            and line.left_no > previous[0] + 1
        ) or (
            previous[1] is not None
            and line.right_no is not None
            and line.right_no > previous[1] + 1
        )
        if jumped:
            rows.append(Row("gap", None, "⋯", None, "⋯"))
        rows.append(Row(line.tag, line.left_no, line.left, line.right_no, line.right))
        previous = (line.left_no or previous[0], line.right_no or previous[1])
    changed = sum(r.tag not in ("equal", "gap") for r in rows)
    return rows, f"text, by line: {changed} rows differ"


class BodyDiffView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    BodyDiffView { height: 1fr; background: $surface; }
    """

    class Computed(Message):
        """The rows for the current pair of bodies are ready (or were found empty)."""

        def __init__(self, view: BodyDiffView, description: str) -> None:
            super().__init__()
            self.view = view
            self.description = description

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[Row] = []
        self.description = ""
        self._generation = 0
        self._max_len = 0

    def compare(self, left: ResponseSnapshot | None, right: ResponseSnapshot | None) -> None:
        """Start computing rows for two bodies; ``None`` on either side clears the view."""
        self._generation += 1
        self._set_rows([], "")
        if left is None or right is None:
            self.post_message(self.Computed(self, ""))
            return
        self.description = "comparing bodies…"
        self._compute(left, right, self._generation)

    def clear(self) -> None:
        self._generation += 1
        self._set_rows([], "")

    @work(thread=True, exclusive=True, group="body-diff")
    def _compute(self, left: ResponseSnapshot, right: ResponseSnapshot, generation: int) -> None:
        rows, description = body_rows(left, right)
        self.app.call_from_thread(self._computed, rows, description, generation)

    def _computed(self, rows: list[Row], description: str, generation: int) -> None:
        if generation != self._generation:
            return
        self._set_rows(rows, description)
        self.post_message(self.Computed(self, description))

    def _set_rows(self, rows: list[Row], description: str) -> None:
        self.rows, self.description = rows, description
        self._max_len = max(
            (max(len(r.left or ""), len(r.right or "")) for r in rows), default=0
        )
        self._update_virtual_size()
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def _half(self) -> int:
        return max((self.size.width - 2 * self._number_width() - 5) // 2, 4)

    def _number_width(self) -> int:
        last = max((max(r.left_no or 0, r.right_no or 0) for r in self.rows[-50:]), default=0)
        return max(len(str(last)), 3)

    def _update_virtual_size(self) -> None:
        extra = max(0, self._max_len - self._half())
        self.virtual_size = Size(self.size.width + extra, len(self.rows))

    def on_resize(self) -> None:
        self._update_virtual_size()

    def _append_side(
        self, text: Text, number: int | None, value: str | None, style: Style, sign: str,
        digits: int, half: int,
    ) -> None:
        scroll_x = self.scroll_offset.x
        text.append(f"{number if number is not None else '':>{digits}}", style="dim")
        text.append(sign, style=style)
        shown = "" if value is None else visible(value[scroll_x : scroll_x + half + 4])
        text.append(f"{shown.replace(chr(9), ' ')[:half]:<{half}}", style=style)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        palette = self.app.theme_variables
        styles = {
            "delete": (Style(color=color(palette, "diff-removed")), Style()),
            "insert": (Style(), Style(color=color(palette, "diff-added"))),
            "replace": (
                Style(color=color(palette, "diff-changed")),
                Style(color=color(palette, "diff-changed")),
            ),
        }
        left_style, right_style = styles.get(row.tag, (Style(), Style()))
        if row.tag == "gap":
            left_style = right_style = Style(dim=True)
        half, digits = self._half(), self._number_width()
        text = Text(no_wrap=True, end="")
        # a gutter symbol on every changed row, so the diff never depends on colour alone
        left_sign, right_sign = GUTTERS.get(row.tag, (" ", " "))
        self._append_side(text, row.left_no, row.left, left_style, left_sign, digits, half)
        text.append(" │ ", style="dim")
        self._append_side(text, row.right_no, row.right, right_style, right_sign, digits, half)
        strip = Strip(text.render(self.app.console), text.cell_len)
        return strip.crop_extend(0, width, self.rich_style).apply_style(self.rich_style)


__all__ = ["BodyDiffView", "Row", "body_rows"]
