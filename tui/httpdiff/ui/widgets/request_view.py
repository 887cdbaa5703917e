"""What a library actually put on the wire: method, URL, every header (defaults included), body.

The headers come from the backend's ``SentRequest`` (not from what the user typed),
which is exactly where the two clients differ most; each is marked from the
comparison's request-header findings.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from httpdiff.model import SentRequest
from httpdiff.ui.render import format_size, looks_binary, safe_text, visible
from httpdiff.ui.widgets.headers_view import HeadersView

BODY_PREVIEW = 2_000


class RequestView(VerticalScroll):
    DEFAULT_CSS = """
    RequestView { height: 1fr; }
    RequestView > .request-line { padding: 0 1; height: auto; }
    RequestView > .request-body { padding: 0 1; height: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(classes="request-line")
        yield HeadersView(classes="request-headers")
        yield Static(classes="request-body")

    def show_request(self, sent: SentRequest | None, marks: Mapping[str, str] | None) -> None:
        line = self.query_one(".request-line", Static)
        body = self.query_one(".request-body", Static)
        headers = self.query_one(HeadersView)
        if sent is None:
            line.update(Text("the request was not sent (no record from the library)", "dim"))
            headers.show_headers((), marks)
            body.update("")
            return
        line.update(
            Text.assemble(
                safe_text(sent.method, "bold", limit=20), " ", safe_text(sent.url, limit=2000)
            )
        )
        headers.show_headers(sent.headers, marks)
        body.update(_body_preview(sent.body))


def _body_preview(data: bytes) -> Text:
    if not data:
        return Text("no request body", style="dim")
    head = Text(f"body, {format_size(len(data))}", style="bold")
    if looks_binary(data):
        return Text.assemble(head, (" (binary)", "dim"))
    preview = data[:BODY_PREVIEW].decode("utf-8", errors="replace")
    more = "…" if len(data) > BODY_PREVIEW else ""
    return Text.assemble(head, "\n", Text(visible(preview) + more))


__all__ = ["RequestView"]
