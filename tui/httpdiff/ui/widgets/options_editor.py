"""Transport options and the send mode, every one shown with its value.

The two clients' own defaults differ (redirects, timeouts), so every option is
explicit here and passed to each backend. Numbers are parsed when the request is
built; a bad number is an ``InvalidRequest`` naming the field, shown in one line.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select

from httpdiff.compare import Mode
from httpdiff.errors import InvalidRequest
from httpdiff.model import Options
from httpdiff.ui.widgets.tick_box import TickBox

MODES: tuple[tuple[str, Mode], ...] = (
    ("parallel (fast)", "parallel"),
    ("sequential (fair timings)", "sequential"),
)


class OptionsEditor(Vertical):
    """Edits ``Options`` and the send mode; ``options`` raises ``InvalidRequest`` on bad numbers."""

    DEFAULT_CSS = """
    OptionsEditor {
        height: auto;
        Horizontal { height: 1; }
        Label { width: 16; }
        .num { width: 10; margin-right: 2; }
        Checkbox { margin-right: 2; }
        #opt-ca, #opt-proxy { width: 1fr; }
        #opt-mode { width: 30; }
    }
    """

    def compose(self) -> ComposeResult:
        defaults = Options()
        with Horizontal():
            yield Label("Timeout (s)")
            yield Input(f"{defaults.timeout:g}", type="number", compact=True, classes="num",
                        id="opt-timeout")
            yield Label("Max redirects")
            yield Input(str(defaults.max_redirects), type="integer", compact=True,
                        classes="num", id="opt-max-redirects")
        with Horizontal():
            yield TickBox("Follow redirects", defaults.follow_redirects, compact=True,
                          id="opt-follow")
            yield TickBox("Verify TLS", defaults.verify, compact=True, id="opt-verify")
            yield TickBox("HTTP/2", defaults.http2, compact=True, id="opt-http2")
        with Horizontal():
            yield Label("CA bundle")
            yield Input(placeholder="path to a PEM file (default: system CAs)", compact=True,
                        id="opt-ca")
        with Horizontal():
            yield Label("Proxy")
            yield Input(placeholder="http://proxy:3128 (default: none)", compact=True,
                        id="opt-proxy")
        with Horizontal():
            yield Label("Send mode")
            yield Select([(label, mode) for label, mode in MODES], value="parallel",
                         allow_blank=False, compact=True, id="opt-mode")

    def _number(self, widget_id: str, label: str, kind: type[float] | type[int]) -> float:
        text = self.query_one(widget_id, Input).value.strip()
        try:
            return kind(text)
        except ValueError:
            raise InvalidRequest(f"{label}: {text!r} is not a number") from None

    @property
    def options(self) -> Options:
        return Options(
            timeout=self._number("#opt-timeout", "timeout", float),
            follow_redirects=self.query_one("#opt-follow", Checkbox).value,
            max_redirects=int(self._number("#opt-max-redirects", "max redirects", int)),
            verify=self.query_one("#opt-verify", Checkbox).value,
            ca_bundle=self.query_one("#opt-ca", Input).value.strip(),
            http2=self.query_one("#opt-http2", Checkbox).value,
            proxy=self.query_one("#opt-proxy", Input).value.strip(),
        )

    @property
    def mode(self) -> Mode:
        value = self.query_one("#opt-mode", Select).value
        return "sequential" if value == "sequential" else "parallel"

    def load(self, options: Options) -> None:
        self.query_one("#opt-timeout", Input).value = f"{options.timeout:g}"
        self.query_one("#opt-max-redirects", Input).value = str(options.max_redirects)
        self.query_one("#opt-follow", Checkbox).value = options.follow_redirects
        self.query_one("#opt-verify", Checkbox).value = options.verify
        self.query_one("#opt-http2", Checkbox).value = options.http2
        self.query_one("#opt-ca", Input).value = options.ca_bundle
        self.query_one("#opt-proxy", Input).value = options.proxy
