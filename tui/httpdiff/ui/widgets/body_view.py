"""A response body viewer that renders only the lines on screen.

Bodies can be tens of megabytes, so this is a ``ScrollView`` using Textual's line API:
the body is split into lines once, and each visible line is made safe (control
characters shown), highlighted with pygments and cached on first display. JSON is
pretty-printed for the formatted view; above ``PRETTY_SYNC_LIMIT`` that runs in a
thread worker and the raw text shows meanwhile. Search works on the whole text with
``str.find`` (C speed) and maps offsets to lines with a bisect, capped at
``MAX_MATCHES`` so a one-letter needle in 50 MB cannot flood memory.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from httpdiff.ui.render import (
    HIGHLIGHT_MAX_LINE,
    PRETTY_SYNC_LIMIT,
    Highlighter,
    color,
    format_size,
    hexdump,
    is_json_type,
    lexer_name,
    looks_binary,
    pretty_json,
    visible,
)

MAX_MATCHES = 10_000


def _display(raw: str) -> str:
    return visible(raw).replace("\t", "    ")


class BodyView(ScrollView, can_focus=True):
    """One body: formatted (pretty, highlighted) or raw, with find next/previous."""

    DEFAULT_CSS = """
    BodyView {
        height: 1fr;
        background: $surface;
    }
    BodyView:focus {
        background-tint: $foreground 4%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "toggle_raw", "Raw/pretty", id="toggle-raw"),
        Binding("n", "find_next", "Next match", show=False, id="find-next"),
        Binding("N", "find_prev", "Prev match", show=False, id="find-prev"),
    ]

    class Scrolled(Message):
        """The view's vertical scroll position changed (for synchronised scrolling)."""

        def __init__(self, view: BodyView, y: float) -> None:
            super().__init__()
            self.view = view
            self.y = y

    class Reformatted(Message):
        """The shown text changed (raw/pretty switch, or pretty-print finished)."""

        def __init__(self, view: BodyView) -> None:
            super().__init__()
            self.view = view

    class MatchMoved(Message):
        """The current search match changed (find next / previous)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._raw_text = ""
        self._pretty: str | None = None
        self._content_type = ""
        self._binary = False
        self._lexer: str | None = None
        self.raw = False
        self.truncated = False
        self.size_bytes = 0
        self.pretty_pending = False
        self._source = ""
        self._lines: list[str] = []
        self._starts: list[int] | None = None
        self._cache: LRUCache[int, Strip] = LRUCache(1024)
        self._highlighter: Highlighter | None = None
        self._needle = ""
        self._matches: list[tuple[int, int]] = []
        self._match_index = -1
        self._matches_by_line: dict[int, list[int]] = {}
        self._generation = 0
        self.suppress_scroll_message = False
        self._base_style: Style | None = None

    # -- content -----------------------------------------------------------------

    def show_body(self, body: bytes, text: str, content_type: str, truncated: bool) -> None:
        self._generation += 1
        self.size_bytes = len(body)
        self.truncated = truncated
        self._content_type = content_type
        self._binary = looks_binary(body, content_type) and not is_json_type(content_type)
        self._raw_text = text
        self._pretty = None
        self.pretty_pending = False
        self._lexer = None if self._binary else lexer_name(content_type, text)
        if self._lexer == "json":
            if len(text) <= PRETTY_SYNC_LIMIT:
                self._pretty = pretty_json(text)
            else:
                self.pretty_pending = True
                self._pretty_in_thread(text, self._generation)
        if self._binary:
            self._set_source("\n".join(hexdump(body)))
        else:
            self._set_source(self._formatted())

    def clear_body(self) -> None:
        self.show_body(b"", "", "", False)

    def _formatted(self) -> str:
        if not self.raw and self._pretty is not None:
            return self._pretty
        return self._raw_text

    @work(thread=True, exclusive=True, group="pretty-print")
    def _pretty_in_thread(self, text: str, generation: int) -> None:
        pretty = pretty_json(text)
        self.app.call_from_thread(self._pretty_ready, pretty, generation)

    def _pretty_ready(self, pretty: str | None, generation: int) -> None:
        if generation != self._generation:
            return
        self._pretty = pretty
        self.pretty_pending = False
        if not self.raw and not self._binary:
            self._set_source(self._formatted())

    def _set_source(self, source: str) -> None:
        self._source = source
        lines = source.split("\n") if source else []
        self._lines = [line[:-1] if line.endswith("\r") else line for line in lines]
        self._starts = None
        self._cache.clear()
        self._highlighter = self._make_highlighter()
        width = max((len(line) for line in self._lines), default=0)
        self.virtual_size = Size(width + 2, len(self._lines))
        self._matches, self._match_index, self._matches_by_line = [], -1, {}
        if self._needle:
            self._search(self._needle)
        self.scroll_to(0, 0, animate=False)
        self.refresh()
        self.post_message(self.Reformatted(self))

    @property
    def notice(self) -> str:
        """What the pane should say above the body (capped, binary, pretty-print pending)."""
        parts = []
        if self.truncated:
            parts.append(f"body capped at {format_size(self.size_bytes)}: the rest was not read")
        if self._binary:
            parts.append(f"binary body, {format_size(self.size_bytes)}: hex dump of the start")
        if self.pretty_pending and not self.raw:
            parts.append("formatting JSON…")
        if self.raw:
            parts.append("raw")
        return " · ".join(parts)

    @property
    def line_count(self) -> int:
        return len(self._lines)

    @property
    def lines(self) -> list[str]:
        return self._lines

    def action_toggle_raw(self) -> None:
        self.raw = not self.raw
        if not self._binary:
            self._set_source(self._formatted())
        else:
            self.post_message(self.Reformatted(self))

    def _make_highlighter(self) -> Highlighter:
        use_lexer = self._lexer if not self.raw and not self._binary else None
        return Highlighter(use_lexer, self.app.theme_variables)

    def notify_style_update(self) -> None:
        # A theme switch changes the palette: rebuild highlighting with the new colours.
        super().notify_style_update()
        self._cache.clear()
        self._base_style = None
        if self._highlighter is not None:
            self._highlighter = self._make_highlighter()

    # -- search ------------------------------------------------------------------

    def find(self, needle: str) -> int:
        """Search for ``needle`` (case-insensitive), jump to the first match, return the count."""
        self._needle = needle
        self._search(needle)
        if self._matches:
            self._match_index = 0
            self._reveal()
        self._cache.clear()
        self.refresh()
        return len(self._matches)

    def _search(self, needle: str) -> None:
        self._matches, self._match_index, self._matches_by_line = [], -1, {}
        if not needle:
            return
        if self._starts is None:
            self._starts = list(accumulate((len(line) + 1 for line in self._lines), initial=0))
        hay, pin = self._source.lower(), needle.lower()
        offset = hay.find(pin)
        while offset >= 0 and len(self._matches) < MAX_MATCHES:
            line = bisect_right(self._starts, offset) - 1
            column = offset - self._starts[line]
            self._matches.append((line, column))
            self._matches_by_line.setdefault(line, []).append(column)
            offset = hay.find(pin, offset + len(pin))

    @property
    def needle(self) -> str:
        return self._needle

    @property
    def match_status(self) -> str:
        if not self._needle:
            return ""
        if not self._matches:
            return "no match"
        more = "+" if len(self._matches) >= MAX_MATCHES else ""
        return f"{self._match_index + 1}/{len(self._matches)}{more}"

    @property
    def current_match(self) -> tuple[int, int] | None:
        if 0 <= self._match_index < len(self._matches):
            return self._matches[self._match_index]
        return None

    def action_find_next(self) -> None:
        self._step(1)

    def action_find_prev(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self._matches:
            return
        self._match_index = (self._match_index + delta) % len(self._matches)
        self._cache.clear()
        self._reveal()
        self.refresh()
        self.post_message(self.MatchMoved())

    def _reveal(self) -> None:
        match = self.current_match
        if match is None:
            return
        line, column = match
        x = _display_column(self._lines[line], column)
        target_x = max(0, x - self.size.width // 2) if x >= self.size.width else 0
        self.scroll_to(target_x, max(0, line - self.size.height // 2), animate=False)

    # -- rendering ---------------------------------------------------------------

    # Paging jumps without animation: animating through a 10,000-line body redraws (and
    # highlights) every line it passes, and the other panes follow each frame.
    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value) and not self.suppress_scroll_message:
            self.post_message(self.Scrolled(self, new_value))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        # ``rich_style`` walks the DOM each time; one lookup per style change, not per line.
        if self._base_style is None:
            self._base_style = self.rich_style
        base = self._base_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        raw = self._lines[index]
        if len(raw) > HIGHLIGHT_MAX_LINE:
            # A huge line (minified JSON): make only the visible slice, never the whole line.
            piece = _display(raw[scroll_x : scroll_x + width + 8])
            strip = Strip(Text(piece, no_wrap=True, end="").render(self.app.console))
            return strip.crop_extend(0, width, base).apply_style(base)
        cached = self._cache.get(index)
        if cached is None:
            cached = self._line_strip(index, raw)
            self._cache[index] = cached
        strip = cached
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_style(base)

    def _line_strip(self, index: int, raw: str) -> Strip:
        assert self._highlighter is not None
        text = self._highlighter.line(raw)
        columns = self._matches_by_line.get(index)
        if columns and self._needle:
            palette = self.app.theme_variables
            accent, ink = color(palette, "warning"), color(palette, "background")
            current = self.current_match
            for column in columns:
                start = _display_column(raw, column)
                end = _display_column(raw, column + len(self._needle))
                is_current = current == (index, column)
                style = Style(reverse=True, bold=True) if is_current else Style(
                    bgcolor=accent or None, color=ink or None
                )
                text.stylize(style, start, end)
        return Strip(text.render(self.app.console), text.cell_len)


def _display_column(raw: str, column: int) -> int:
    """Where character ``column`` of a raw line lands once control characters are shown."""
    return len(_display(raw[:column]))


__all__ = ["MAX_MATCHES", "BodyView"]
