"""How the app looks: an empty start, and a comparison in a narrow terminal, from fixed data."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from httpdiff.diff import findings
from httpdiff.model import (
    Comparison,
    ConnectionInfo,
    Failure,
    FailureKind,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Timings,
)
from httpdiff.noise import NoiseRules
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.messages import ComparisonReady

URL = "http://127.0.0.1:8000/echo"
REQUEST = RequestSpec(name="Echo", url=URL, headers=(("X-Demo", "1"),))


def _snapshot(backend: str, agent: str, body: bytes) -> ResponseSnapshot:
    sent = SentRequest("GET", URL, (("Host", "127.0.0.1:8000"), ("User-Agent", agent)))
    return ResponseSnapshot(
        backend=backend, request=sent, status=200, reason="OK", http_version="HTTP/1.1",
        headers=(("Content-Type", "application/json"), ("Content-Length", str(len(body)))),
        body=body, text=body.decode(),
        timings=Timings(dns=None, connect=1.0, tls=None, send=0.2, wait=3.0, download=0.5,
                        total=5.0),
        connection=ConnectionInfo(remote_address="127.0.0.1:8000",
                                  local_address="127.0.0.1:50000", reused=False),
    )


def canned_comparison(failure: bool = False) -> Comparison:
    outcomes: dict[str, Outcome] = {
        "httpx": _snapshot("httpx", "python-httpx/0.28.1", b'{"agent": "httpx", "n": 1}'),
        "aiohttp": (
            Failure(backend="aiohttp", kind=FailureKind.PROTOCOL,
                    exception_type="aiohttp.ClientPayloadError",
                    message="Response payload is not completed", timings=Timings(total=4.0))
            if failure
            else _snapshot("aiohttp", "Python/3.11 aiohttp/3.14.5", b'{"agent": "aiohttp", "n": 1}')
        ),
    }
    return Comparison(REQUEST, outcomes, findings(outcomes, NoiseRules()))


async def _steady(pilot: Pilot[Any], comparison: Comparison | None = None) -> None:
    for widget in pilot.app.query(Input):
        widget.cursor_blink = False
    if comparison is not None:
        pilot.app.post_message(ComparisonReady(0, comparison, 5.0))
    await pilot.pause(0.3)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_empty_start(snap_compare: Any) -> None:
    assert snap_compare(HttpdiffApp(clock=lambda: 0.0), terminal_size=(160, 45),
                        run_before=_steady)


def test_comparison_in_a_narrow_terminal(snap_compare: Any) -> None:
    app = HttpdiffApp(requests=[REQUEST], clock=lambda: 0.0)

    async def before(pilot: Pilot[Any]) -> None:
        await _steady(pilot, canned_comparison())

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_failure_on_one_side_with_the_request_list(snap_compare: Any) -> None:
    app = HttpdiffApp(requests=[REQUEST, RequestSpec(name="Other", url=URL + "?x=1")],
                      clock=lambda: 0.0)

    async def before(pilot: Pilot[Any]) -> None:
        await _steady(pilot, canned_comparison(failure=True))

    assert snap_compare(app, terminal_size=(160, 45), run_before=before)
