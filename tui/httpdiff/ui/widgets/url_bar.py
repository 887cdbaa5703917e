"""The URL input: ``{{variables}}`` highlighted, Enter sends, a pasted curl command is imported.

A paste that starts with ``curl `` is not inserted as text (Input would keep only
its first line): the whole command goes up in ``CurlPasted`` and the editor turns
it into a request with the curl importer. Terminals without bracketed paste type
the command in instead; the editor checks for ``curl `` again on Enter.
"""

from __future__ import annotations

import re

from rich.highlighter import Highlighter
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Input

_VARIABLE = re.compile(r"\{\{\s*[^{}]*?\s*\}\}")


def is_curl_command(text: str) -> bool:
    return text.lstrip().startswith("curl ")


class VariableHighlighter(Highlighter):
    """Styles ``{{name}}`` placeholders; the style is set by the bar from the theme."""

    def __init__(self, style: str = "bold") -> None:
        self.style = style

    def highlight(self, text: Text) -> None:
        for match in _VARIABLE.finditer(text.plain):
            text.stylize(self.style, match.start(), match.end())


class UrlBar(Input):
    """An Input for the request URL."""

    class CurlPasted(Message):
        """A curl command was pasted into the bar; ``text`` is the whole command."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        self._variables = VariableHighlighter()
        super().__init__(
            value,
            placeholder="https://example.org/path?q=1 — or paste a curl command",
            highlighter=self._variables,
            compact=True,
            id=id,
        )

    def on_mount(self) -> None:
        self._apply_theme()
        # the signal comes once the new theme's variables are in place (a watch of
        # App.theme would run before, and read the old accent)
        self.app.theme_changed_signal.subscribe(self, lambda _: self._apply_theme())

    def _apply_theme(self) -> None:
        accent = self.app.theme_variables.get("accent", "")
        self._variables.style = f"bold {accent}".strip()
        self.refresh()

    def _on_paste(self, event: events.Paste) -> None:
        if is_curl_command(event.text):
            event.stop()
            event.prevent_default()
            self.post_message(self.CurlPasted(event.text))
            return
        super()._on_paste(event)
