"""The request editor: method, URL and tabs for headers, query, body, auth and options.

It owns the whole request as the user writes it and hands it over as a
``RequestSpec`` (``spec``) in ``Submitted``; it never sends anything itself.
The Query tab and the URL's query string are one thing shown twice: each side
is rewritten only when the other's pairs really differ, so the two converge
after one round and typing in either never fights the other. A pasted curl
command fills every tab through the same importer the CLI uses.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Static, TabbedContent, TabPane

from httpdiff.compare import Mode
from httpdiff.errors import InvalidRequest
from httpdiff.model import RequestSpec
from httpdiff.ui.widgets.auth_editor import AuthEditor
from httpdiff.ui.widgets.body_editor import BodyEditor
from httpdiff.ui.widgets.key_value_editor import KeyValueEditor
from httpdiff.ui.widgets.method_select import MethodSelect
from httpdiff.ui.widgets.options_editor import OptionsEditor
from httpdiff.ui.widgets.url_bar import UrlBar, is_curl_command


def query_pairs(url: str) -> list[tuple[str, str]]:
    """The URL's query string as ordered pairs (blank values kept)."""
    try:
        return parse_qsl(urlsplit(url).query, keep_blank_values=True)
    except ValueError:
        return []


def with_query(url: str, pairs: list[tuple[str, str]]) -> str:
    """``url`` with its query string replaced by ``pairs`` (``{{variables}}`` left readable)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit(parts._replace(query=urlencode(pairs, safe="{}")))


class RequestEditor(Vertical):
    """Edits one request; posts ``Submitted`` when the user asks to send it."""

    class Submitted(Message):
        """The user asked to send ``spec`` (Enter in the URL, ctrl+j, the Send button)."""

        def __init__(self, spec: RequestSpec, mode: Mode = "parallel") -> None:
            super().__init__()
            self.spec = spec
            self.mode = mode

    class Loaded(Message):
        """A request was loaded into the editor (picked from the list or pasted as curl)."""

        def __init__(self, spec: RequestSpec, notes: list[str]) -> None:
            super().__init__()
            self.spec = spec
            self.notes = notes

    def __init__(self, spec: RequestSpec | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = spec
        self._request_name = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="url-row"):
            yield MethodSelect(id="method")
            yield UrlBar(id="url")
            yield Button("Send", id="send", compact=True, variant="primary")
        yield Static("", id="editor-error")
        with TabbedContent(id="editor-tabs"):
            with TabPane("Headers", id="tab-headers"):
                yield KeyValueEditor(id="headers", placeholders=("Header-Name", "value"),
                                     add_label="+ Add header")
            with TabPane("Query", id="tab-query"):
                yield KeyValueEditor(id="query", placeholders=("name", "value"),
                                     add_label="+ Add parameter")
            with TabPane("Body", id="tab-body"):
                yield BodyEditor(id="body")
            with TabPane("Auth", id="tab-auth"):
                yield AuthEditor(id="auth")
            with TabPane("Options", id="tab-options"):
                yield OptionsEditor(id="options")

    def on_mount(self) -> None:
        if self._initial is not None:
            self.load(self._initial)

    # -- reading and writing the request ------------------------------------------------

    @property
    def url_bar(self) -> UrlBar:
        return self.query_one("#url", UrlBar)

    @property
    def spec(self) -> RequestSpec:
        """The request as written; raises ``InvalidRequest`` for an option that is not a number."""
        return RequestSpec(
            method=self.query_one("#method", MethodSelect).method,
            url=self.url_bar.value.strip(),
            headers=tuple(self.query_one("#headers", KeyValueEditor).pairs),
            body=self.query_one("#body", BodyEditor).body,
            auth=self.query_one("#auth", AuthEditor).auth,
            options=self.query_one("#options", OptionsEditor).options,
            name=self._request_name,
        )

    @property
    def mode(self) -> Mode:
        return self.query_one("#options", OptionsEditor).mode

    def load(self, spec: RequestSpec, notes: list[str] | None = None) -> None:
        """Fill every tab from ``spec``; its ``params`` join the URL's query string."""
        self._request_name = spec.name
        url = spec.url
        if spec.params:
            url = with_query(url, query_pairs(url) + list(spec.params))
        self.query_one("#method", MethodSelect).method = spec.method
        self.url_bar.value = url
        self.query_one("#headers", KeyValueEditor).set_rows(
            (True, name, value) for name, value in spec.headers
        )
        self.query_one("#query", KeyValueEditor).set_rows(
            (True, name, value) for name, value in query_pairs(url)
        )
        self.query_one("#body", BodyEditor).load(spec.body)
        self.query_one("#auth", AuthEditor).load(spec.auth)
        self.query_one("#options", OptionsEditor).load(spec.options)
        self.clear_error()
        self.post_message(self.Loaded(spec, list(notes or [])))

    def load_curl(self, text: str) -> bool:
        """Fill the editor from a curl command; on bad input show why and change nothing."""
        from httpdiff.storage.curl import parse_curl_with_notes

        try:
            parsed = parse_curl_with_notes(text)
        except InvalidRequest as exc:
            self.show_error(f"curl: {exc}")
            return False
        self.load(parsed.spec, parsed.notes)
        return True

    def submit(self) -> None:
        """Post ``Submitted`` with the current request, or show in one line why it cannot be."""
        if is_curl_command(self.url_bar.value) and not self.load_curl(self.url_bar.value):
            return
        try:
            spec = self.spec
        except InvalidRequest as exc:
            self.show_error(str(exc))
            return
        self.post_message(self.Submitted(spec, self.mode))

    # -- the one-line error -------------------------------------------------------------

    def show_error(self, message: str) -> None:
        error = self.query_one("#editor-error", Static)
        error.update(Text("✗ " + message, no_wrap=True, overflow="ellipsis"))
        error.add_class("-visible")

    def clear_error(self) -> None:
        error = self.query_one("#editor-error", Static)
        error.update("")
        error.remove_class("-visible")

    @property
    def error_text(self) -> str:
        return str(self.query_one("#editor-error", Static).render()).removeprefix("✗ ")

    # -- events ---------------------------------------------------------------------------

    @on(UrlBar.CurlPasted)
    def _curl_pasted(self, event: UrlBar.CurlPasted) -> None:
        event.stop()
        self.load_curl(event.text)

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    @on(Button.Pressed, "#send")
    def _send_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit()

    @on(Input.Changed, "#url")
    def _url_changed(self, event: Input.Changed) -> None:
        event.stop()
        if is_curl_command(event.value):
            return  # a paste that failed keeps its error
        # The error said why the last send was refused; once the URL is being edited it is
        # stale (the next send says again whatever is still wrong).
        self.clear_error()
        query = self.query_one("#query", KeyValueEditor)
        from_url = query_pairs(event.value)
        if from_url != query.pairs:
            disabled = [row for row in query.rows if not row[0]]
            query.set_rows([(True, name, value) for name, value in from_url] + disabled)

    @on(KeyValueEditor.Changed, "#query")
    def _query_changed(self, event: KeyValueEditor.Changed) -> None:
        event.stop()
        pairs = event.editor.pairs
        url = self.url_bar.value
        if query_pairs(url) != pairs and not is_curl_command(url):
            self.url_bar.value = with_query(url, pairs)
