"""Canned outcomes and small harness apps for the results and diff view tests (no tests here).

Everything is fixed (timings, addresses, bodies) so snapshots do not change run to run;
findings come from the real diff engine, which is pure.
"""

from __future__ import annotations

import json

from textual.app import App, ComposeResult

from httpdiff.diff import findings, recompute
from httpdiff.model import (
    Comparison,
    ConnectionInfo,
    Failure,
    FailureKind,
    Hop,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Timings,
)
from httpdiff.noise import NoiseRules
from httpdiff.ui.render import THEME_DEFAULTS
from httpdiff.ui.widgets.diff_view import DiffView
from httpdiff.ui.widgets.results_view import ResultsView

URL = "http://127.0.0.1:8080/json"
HOSTILE = "[bold]x[/] [@click=app.quit]q[/] \x1b[31mred\x1b[0m"

SPEC = RequestSpec(method="GET", url=URL, name="canned")


def _body(items: list[int]) -> bytes:
    doc = {"id": 7, "name": HOSTILE, "items": items, "nested": {"ok": True, "n": None}}
    return json.dumps(doc).encode()


def httpx_snapshot(body: bytes | None = None) -> ResponseSnapshot:
    body = _body([1, 2, 3]) if body is None else body
    return ResponseSnapshot(
        backend="httpx",
        request=SentRequest(
            "GET",
            URL,
            (
                ("Host", "127.0.0.1:8080"),
                ("Accept", "*/*"),
                ("Accept-Encoding", "gzip, deflate, br, zstd"),
                ("Connection", "keep-alive"),
                ("User-Agent", "python-httpx/0.28.1"),
            ),
        ),
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        headers=(
            ("Content-Type", "application/json"),
            ("Date", "Tue, 24 Nov 2026 10:00:00 GMT"),
            ("Server", "demo/1"),
            ("X-Hostile", HOSTILE),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
            ("Content-Length", str(len(body))),
        ),
        body=body,
        text=body.decode(),
        redirects=(
            Hop(
                SentRequest("GET", "http://127.0.0.1:8080/redirect/1", ()),
                302,
                "Found",
                "HTTP/1.1",
                (("Location", "/json"),),
            ),
        ),
        timings=Timings(
            dns=None, connect=1.2, tls=None, send=0.3, wait=4.5, download=0.8, total=7.1
        ),
        connection=ConnectionInfo("127.0.0.1:8080", "127.0.0.1:50001", None, None, None, False),
    )


def aiohttp_snapshot(body: bytes | None = None) -> ResponseSnapshot:
    body = _body([1, 2, 4]) if body is None else body
    return ResponseSnapshot(
        backend="aiohttp",
        request=SentRequest(
            "GET",
            URL,
            (
                ("Host", "127.0.0.1:8080"),
                ("Accept", "*/*"),
                ("Accept-Encoding", "gzip, deflate, br"),
                ("User-Agent", "Python/3.11 aiohttp/3.14.5"),
            ),
        ),
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        headers=(
            ("Content-Type", "application/json"),
            ("Date", "Tue, 24 Nov 2026 10:00:01 GMT"),
            ("Server", "demo/2"),
            ("X-Hostile", HOSTILE),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
            ("X-Only-Aiohttp", "yes"),
            ("Content-Length", str(len(body))),
        ),
        body=body,
        text=body.decode(),
        timings=Timings(
            dns=0.4, connect=2.0, tls=None, send=0.2, wait=5.1, download=1.9, total=14.2
        ),
        connection=ConnectionInfo("127.0.0.1:8080", "127.0.0.1:50002", None, None, None, True),
    )


def aiohttp_failure() -> Failure:
    return Failure(
        backend="aiohttp",
        kind=FailureKind.CONNECT,
        exception_type="aiohttp.client_exceptions.ClientConnectorError",
        message="Cannot connect to host 127.0.0.1:8080 " + HOSTILE,
        request=None,
        timings=Timings(total=3.0),
    )


def comparison_of(*outcomes: Outcome, rules: NoiseRules | None = None) -> Comparison:
    by_name = {o.backend: o for o in outcomes}
    return Comparison(SPEC, by_name, findings(by_name, rules or NoiseRules()))


def both_comparison() -> Comparison:
    return comparison_of(httpx_snapshot(), aiohttp_snapshot())


def failure_comparison() -> Comparison:
    return comparison_of(httpx_snapshot(), aiohttp_failure())


class ThemedApp(App[None]):
    """Defines the app-level theme variables, as the real app does."""

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_DEFAULTS)


class ResultsHarness(ThemedApp):
    def __init__(self, comparison: Comparison | None = None) -> None:
        super().__init__()
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        yield ResultsView()

    def on_mount(self) -> None:
        view = self.query_one(ResultsView)
        if self.comparison is not None:
            view.show_comparison(self.comparison)
        else:
            view.set_backends(("httpx", "aiohttp"))


class DiffHarness(ThemedApp):
    """Owns the noise rules like the app: marks recompute the comparison and re-show it."""

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison
        self.rules = NoiseRules()
        self.marked: list[object] = []

    def compose(self) -> ComposeResult:
        yield DiffView()

    def on_mount(self) -> None:
        self.query_one(DiffView).show(self.comparison, self.rules)

    def on_diff_view_noise_marked(self, event: DiffView.NoiseMarked) -> None:
        self.marked.append(event)
        self._apply(self.rules.with_rule(event.rule))

    def on_diff_view_noise_unmarked(self, event: DiffView.NoiseUnmarked) -> None:
        self.marked.append(event)
        self._apply(self.rules.without_rule(event.rule))

    def _apply(self, rules: NoiseRules) -> None:
        self.rules = rules
        self.comparison = recompute(self.comparison, rules)
        self.query_one(DiffView).show(self.comparison, rules)
