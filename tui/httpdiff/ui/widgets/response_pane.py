"""One backend's side of a comparison: a summary line and tabs for every part of the response.

The pane keeps the last outcome and comparison it was given and draws them once it is
mounted, so ``ResultsView`` can hand it data straight after creating it. Markers
(same / differs / only here / noise) appear only once the comparison is known; a lone
outcome is drawn without them.
"""

from __future__ import annotations

import textwrap
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static, TabbedContent, TabPane

from httpdiff.model import Category, Comparison, Failure, Outcome
from httpdiff.ui.render import header_marks, safe_text
from httpdiff.ui.widgets.body_view import BodyView
from httpdiff.ui.widgets.connection_view import ConnectionView
from httpdiff.ui.widgets.headers_view import HeadersView
from httpdiff.ui.widgets.redirects_view import RedirectsView
from httpdiff.ui.widgets.request_view import RequestView
from httpdiff.ui.widgets.summary_line import SummaryLine
from httpdiff.ui.widgets.timing_view import TimingView

# Columns an error message is wrapped to in the body area (a pane at 80 columns has ~70).
ERROR_WRAP = 60


class FindInput(Input):
    """The body search box: Enter finds the next match, Escape closes the bar."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close find", id="close-find"),
    ]

    class Closed(Message):
        """The user closed the find bar."""

    def action_close(self) -> None:
        self.post_message(self.Closed())

# A send still pending after this long gets a spinner.
SPINNER_AFTER_S = 0.3


class ResponsePane(Vertical):
    ALLOW_MAXIMIZE = True

    DEFAULT_CSS = """
    ResponsePane {
        width: 1fr;
        height: 1fr;
        border: round $primary 40%;
    }
    ResponsePane:focus-within { border: round $primary; }
    ResponsePane TabbedContent { height: 1fr; }
    ResponsePane TabPane { padding: 0; height: 1fr; }
    ResponsePane .body-notice { height: auto; color: $warning; padding: 0 1; }
    ResponsePane .body-notice.-empty { display: none; }
    ResponsePane .find-bar { height: 1; display: none; }
    ResponsePane .find-bar.-open { display: block; }
    ResponsePane .find-bar Input { width: 1fr; height: 1; border: none; padding: 0 1; }
    ResponsePane .find-status { width: auto; min-width: 10; padding: 0 1; }
    ResponsePane .tab-scroll { height: 1fr; overflow-y: auto; }
    ResponsePane .failure { padding: 1; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Next/previous match are the body view's own n / N (the app uses the F-keys).
        Binding("ctrl+f", "open_find", "Find", id="find"),
    ]

    def __init__(
        self, backend: str, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.backend = backend
        self.border_title = backend
        self._outcome: Outcome | None = None
        self._comparison: Comparison | None = None
        self._pending = False
        self._axis = 0.0
        self._ready = False
        self._body_of: object = None

    def compose(self) -> ComposeResult:
        yield SummaryLine()
        with TabbedContent():
            with TabPane("Body", id="tab-body"):
                yield Static(classes="body-notice -empty")
                with Horizontal(classes="find-bar"):
                    yield FindInput(placeholder="find in body (Enter: next)")
                    yield Static(classes="find-status")
                yield BodyView()
            with TabPane("Headers", id="tab-headers"):
                yield HeadersView(classes="response-headers")
            with TabPane("Request", id="tab-request"):
                yield RequestView()
            with TabPane("Timing", id="tab-timing"), Vertical(classes="tab-scroll"):
                yield TimingView()
            with TabPane("Connection", id="tab-connection"), Vertical(classes="tab-scroll"):
                yield ConnectionView()
            with TabPane("Redirects", id="tab-redirects"), Vertical(classes="tab-scroll"):
                yield RedirectsView()

    def on_mount(self) -> None:
        self._ready = True
        self._draw()

    # -- data in -------------------------------------------------------------------

    def show_pending(self) -> None:
        self._pending, self._outcome, self._comparison = True, None, None
        self._draw()
        # The spinner repaints many times a second, and every repaint holds the GIL the
        # send needs: it appears only once a send is slow enough to need one.
        self.set_timer(SPINNER_AFTER_S, self._spin_if_pending)

    def _spin_if_pending(self) -> None:
        if self._pending and self._ready:
            self.query_one(TabbedContent).loading = True

    def show_outcome(self, outcome: Outcome, comparison: Comparison | None = None) -> None:
        self._pending, self._outcome, self._comparison = False, outcome, comparison
        self._draw()

    def clear(self) -> None:
        self._pending, self._outcome, self._comparison = False, None, None
        self._draw()

    def redraw(self) -> None:
        """Draw what is shown again, e.g. in a new theme's colours."""
        self._draw()

    def set_axis(self, axis_ms: float) -> None:
        self._axis = axis_ms
        if self._ready:
            self.query_one(TimingView).axis_ms = axis_ms

    @property
    def outcome(self) -> Outcome | None:
        return self._outcome

    @property
    def body_view(self) -> BodyView:
        return self.query_one(BodyView)

    # -- drawing -------------------------------------------------------------------

    def _draw(self) -> None:
        if not self._ready:
            return
        summary = self.query_one(SummaryLine)
        tabs = self.query_one(TabbedContent)
        if not self._pending:
            tabs.loading = False
        outcome, comparison = self._outcome, self._comparison
        if self._pending:
            summary.show_pending(self.backend)
        elif outcome is None:
            summary.show_empty(self.backend)
        else:
            summary.show_outcome(outcome)
        findings = comparison.findings if comparison is not None else None
        self._draw_body(outcome)
        response_marks = (
            None if findings is None else header_marks(findings, Category.HEADER, self.backend)
        )
        request_marks = (
            None
            if findings is None
            else header_marks(findings, Category.REQUEST_HEADER, self.backend)
        )
        headers = () if outcome is None or isinstance(outcome, Failure) else outcome.headers
        self.query_one(".response-headers", HeadersView).show_headers(headers, response_marks)
        self.query_one(RequestView).show_request(
            None if outcome is None else outcome.request, request_marks
        )
        timing = self.query_one(TimingView)
        timing.axis_ms = self._axis
        timing.timings = None if outcome is None else outcome.timings
        self.query_one(ConnectionView).show_outcome(outcome)
        self.query_one(RedirectsView).show_outcome(outcome)

    def _draw_body(self, outcome: Outcome | None) -> None:
        if outcome is not None and outcome is self._body_of:
            # A recompute (noise marked) re-shows the same outcome: keep scroll and search.
            return
        self._body_of = outcome
        body = self.body_view
        if outcome is None:
            body.clear_body()
        elif isinstance(outcome, Failure):
            # A failure has no body: its message is the content worth reading.
            # Wrapped: the body view scrolls sideways, and a message is read, not scanned.
            wrapped = textwrap.fill(outcome.message, ERROR_WRAP, break_on_hyphens=False)
            message = f"{outcome.kind.value}: {outcome.exception_type}\n\n{wrapped}"
            body.show_body(message.encode(), message, "text/plain", False)
        else:
            body.show_body(outcome.body, outcome.text, outcome.content_type, outcome.truncated)
        self._update_notice()

    def _update_notice(self) -> None:
        notice = self.query_one(".body-notice", Static)
        text = self.body_view.notice
        notice.update(Text(text))
        notice.set_class(not text, "-empty")

    @on(BodyView.MatchMoved)
    def _match_moved(self) -> None:
        self._update_find_status()

    @on(BodyView.Reformatted)
    def _body_reformatted(self) -> None:
        self._update_notice()
        self._update_find_status()

    # -- find ----------------------------------------------------------------------

    def action_open_find(self) -> None:
        self.query_one(TabbedContent).active = "tab-body"
        self.query_one(".find-bar").add_class("-open")
        self.query_one(FindInput).focus()

    @on(Input.Submitted, "FindInput")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        body = self.body_view
        if event.value and event.value == body.needle:
            body.action_find_next()
        else:
            body.find(event.value)
        self._update_find_status()

    @on(FindInput.Closed)
    def _find_closed(self) -> None:
        self.query_one(".find-bar").remove_class("-open")
        self.body_view.focus()

    def _update_find_status(self) -> None:
        status = self.body_view.match_status
        self.query_one(".find-status", Static).update(safe_text(status))

    def find(self, needle: str) -> str:
        """Search the body for ``needle`` and return the status ("1/3", "no match")."""
        self.body_view.find(needle)
        self._update_find_status()
        return self.body_view.match_status


__all__ = ["FindInput", "ResponsePane"]
