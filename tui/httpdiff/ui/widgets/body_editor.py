"""The request body: a kind (none, JSON, form, multipart, raw text, file) and its content.

Text and JSON share one TextArea with no tree-sitter language (it segfaults with
the installed tree-sitter; see CLIENT_NOTES), so JSON gets a validation line
instead of highlighting: it says where the JSON breaks before anything is sent.
Form and multipart share a name/value editor; a file body is a path.
"""

from __future__ import annotations

import json

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Select, Static, TextArea

from httpdiff.model import Body, BodyKind
from httpdiff.ui.widgets.key_value_editor import KeyValueEditor

KINDS: tuple[tuple[str, BodyKind], ...] = (
    ("none", "none"), ("JSON", "json"), ("form", "form"), ("multipart", "multipart"),
    ("raw text", "text"), ("file", "file"),
)


def json_problem(text: str) -> str:
    """One line saying where ``text`` stops being JSON, or "" when it is valid."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"invalid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}"
    return ""


class BodyEditor(Vertical):
    """Edits a ``Body``; ``body`` reads it, ``load`` fills the fields from one."""

    DEFAULT_CSS = """
    BodyEditor {
        height: auto;
        #body-kind-row { height: 1; }
        #body-kind { width: 16; margin-right: 1; }
        #body-content-type { width: 1fr; }
        #body-text { height: 8; border: none; padding: 0 1; }
        #body-status { height: 1; color: $text-muted; }
        #body-status.-invalid { color: $error; }
        #body-fields, #body-path, #body-text, #body-status { display: none; }
        &.-text #body-text, &.-text #body-status { display: block; }
        &.-fields #body-fields { display: block; }
        &.-file #body-path { display: block; }
    }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="body-kind-row"):
            yield Select(
                [(label, kind) for label, kind in KINDS], value="none", allow_blank=False,
                compact=True, id="body-kind",
            )
            yield Input(placeholder="Content-Type (optional: the kind's default)", compact=True,
                        id="body-content-type")
        yield TextArea("", id="body-text", soft_wrap=True, show_line_numbers=False)
        yield Static("", id="body-status")
        yield KeyValueEditor(id="body-fields", placeholders=("field", "value or @file"))
        yield Input(placeholder="path of the file to send", compact=True, id="body-path")

    def on_mount(self) -> None:
        self._show_kind(self.kind)

    @property
    def kind(self) -> BodyKind:
        value = self.query_one("#body-kind", Select).value
        return value if isinstance(value, str) else "none"  # type: ignore[return-value]

    @property
    def body(self) -> Body:
        kind = self.kind
        content_type = self.query_one("#body-content-type", Input).value.strip()
        if kind in ("json", "text"):
            return Body(kind=kind, text=self.query_one("#body-text", TextArea).text,
                        content_type=content_type)
        if kind in ("form", "multipart"):
            fields = tuple(self.query_one("#body-fields", KeyValueEditor).pairs)
            return Body(kind=kind, fields=fields, content_type=content_type)
        if kind == "file":
            return Body(kind="file", path=self.query_one("#body-path", Input).value.strip(),
                        content_type=content_type)
        return Body()

    def load(self, body: Body) -> None:
        self.query_one("#body-kind", Select).value = body.kind
        self.query_one("#body-content-type", Input).value = body.content_type
        self.query_one("#body-text", TextArea).load_text(body.text)
        self.query_one("#body-fields", KeyValueEditor).set_rows(
            (True, name, value) for name, value in body.fields
        )
        self.query_one("#body-path", Input).value = body.path
        self._show_kind(body.kind)

    def _show_kind(self, kind: str) -> None:
        self.set_class(kind in ("json", "text"), "-text")
        self.set_class(kind in ("form", "multipart"), "-fields")
        self.set_class(kind == "file", "-file")
        self._validate()

    @on(Select.Changed, "#body-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        self._show_kind(str(event.value))

    @on(TextArea.Changed, "#body-text")
    def _text_changed(self) -> None:
        self._validate()

    def _validate(self) -> None:
        status = self.query_one("#body-status", Static)
        kind = self.kind
        text = self.query_one("#body-text", TextArea).text
        problem = json_problem(text) if kind == "json" and text.strip() else ""
        if kind == "json":
            message = problem or ("valid JSON" if text.strip() else "empty: write a JSON value")
        else:
            message = f"{len(text.encode('utf-8', 'replace'))} bytes" if kind == "text" else ""
        status.set_class(bool(problem) or (kind == "json" and not text.strip()), "-invalid")
        status.update(Text(message))
