"""The whole app against the demo server: sending, cancelling, rejecting, toggling, keys."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from urllib.parse import urlsplit

from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from httpdiff.demo import DemoServer
from httpdiff.demo.samples import demo_requests
from httpdiff.model import Category, Failure, RequestSpec, Verdict
from httpdiff.noise import NoiseRule
from httpdiff.storage.curl import to_curl
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.messages import SendStarted
from httpdiff.ui.widgets.backend_toggle import BackendToggle
from httpdiff.ui.widgets.diff_view import DiffView
from httpdiff.ui.widgets.request_editor import RequestEditor
from httpdiff.ui.widgets.request_list import RequestList
from httpdiff.ui.widgets.summary_line import SummaryLine
from httpdiff.ui.widgets.url_bar import UrlBar
from httpdiff.validate import check

SIZE = (160, 45)


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app run until ``condition`` holds (bounded)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await pilot.pause(0.02)


def summary(app: HttpdiffApp, name: str) -> str:
    return str(app.results.pane(name).query_one(SummaryLine).render())


async def send(pilot: Pilot[None], app: HttpdiffApp, spec: RequestSpec) -> None:
    """Load ``spec`` and press Enter in the URL bar, as a person would."""
    app.open_request(spec)
    await pilot.pause()
    app.query_one(UrlBar).focus()
    await pilot.press("enter")


def diff_subjects(app: HttpdiffApp) -> list[str]:
    return [" ".join(row) for row in app.query_one(DiffView).row_texts()]


async def test_echo_shows_both_panes_and_the_user_agent_difference(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, RequestSpec(url=f"{demo.http_url}/echo"))
        await until(pilot, lambda: app.comparison is not None)
        assert app.results.backends == ("httpx", "aiohttp")
        for name in ("httpx", "aiohttp"):
            assert "200" in summary(app, name) and "HTTP/1.1" in summary(app, name)
        comparison = app.comparison
        assert comparison is not None
        ua = [f for f in comparison.differences if f.category is Category.REQUEST_HEADER
              and f.subject.lower() == "user-agent"]
        assert ua, comparison.findings
        assert any("user-agent" in row.lower() for row in diff_subjects(app))
        tabs = app.query_one("#views", TabbedContent)
        assert str(tabs.get_tab("diff-tab").label) == f"Diff ({len(comparison.differences)})"


async def test_http2_sample_shows_the_version_difference(demo: DemoServer) -> None:
    sample = next(s for s in demo_requests(demo) if s.name.startswith("HTTP/2"))
    app = HttpdiffApp(requests=demo_requests(demo))
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, sample)
        await until(pilot, lambda: app.comparison is not None)
        assert "HTTP/2" in summary(app, "httpx")
        assert "HTTP/1.1" in summary(app, "aiohttp")
        comparison = app.comparison
        assert comparison is not None
        assert any(f.category is Category.VERSION for f in comparison.differences)


async def test_a_liar_shows_a_failure_on_a_side(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, RequestSpec(url=f"{demo.raw_url}/wrong-length"))
        await until(pilot, lambda: app.comparison is not None)
        comparison = app.comparison
        assert comparison is not None
        failed = [n for n, o in comparison.outcomes.items() if isinstance(o, Failure)]
        assert failed
        for name in failed:
            assert "✗" in summary(app, name)
        assert not comparison.equivalent


async def test_escape_cancels_a_slow_send(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, RequestSpec(url=f"{demo.http_url}/delay/5"))
        await until(pilot, lambda: app.sending and "sending" in summary(app, "httpx"))
        started = asyncio.get_running_loop().time()
        await pilot.press("escape")
        await until(pilot, lambda: "cancelled" in summary(app, "httpx"), timeout=3)
        assert "cancelled" in summary(app, "aiohttp")
        assert not app.sending and app.comparison is None
        await until(pilot, lambda: not app.workers._workers, timeout=3)
        assert asyncio.get_running_loop().time() - started < 3
        # typing still works after a cancel, and the next send goes through
        await send(pilot, app, RequestSpec(url=f"{demo.http_url}/status/418"))
        await until(pilot, lambda: app.comparison is not None)
        assert "418" in summary(app, "httpx")


async def test_a_new_send_replaces_the_one_in_flight(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, RequestSpec(url=f"{demo.http_url}/delay/5"))
        await until(pilot, lambda: app.sending)
        started = asyncio.get_running_loop().time()
        await send(pilot, app, RequestSpec(url=f"{demo.http_url}/status/201"))
        await until(pilot, lambda: app.comparison is not None)
        assert asyncio.get_running_loop().time() - started < 4
        comparison = app.comparison
        assert comparison is not None
        assert comparison.request.url.endswith("/status/201")
        assert "201" in summary(app, "aiohttp")


async def test_an_invalid_header_shows_one_line_and_sends_nothing(demo: DemoServer) -> None:
    started: list[Message] = []

    def hook(message: Message) -> None:
        if isinstance(message, SendStarted):
            started.append(message)

    app = HttpdiffApp()
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        bad = RequestSpec(url=f"{demo.http_url}/echo", headers=(("Bad Name", "x"),))
        await send(pilot, app, bad)
        editor = app.query_one(RequestEditor)
        await until(pilot, lambda: editor.error_text != "")
        assert "invalid header name" in editor.error_text
        await pilot.pause(0.2)
        assert started == [] and app.comparison is None and not app.sending
        assert "no response yet" in summary(app, "httpx")


async def test_backend_toggle_by_key_and_mouse(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        toggle = app.query_one(BackendToggle)
        assert toggle.selected == ("httpx", "aiohttp")
        await pilot.press("ctrl+b")
        assert toggle.selected == ("httpx",)
        await until(pilot, lambda: app.results.backends == ("httpx",))
        await send(pilot, app, RequestSpec(url=f"{demo.http_url}/echo"))
        await until(pilot, lambda: app.comparison is not None)
        assert app.comparison is not None and list(app.comparison.outcomes) == ["httpx"]
        # a click on "aiohttp" picks it
        choice = next(c for c in toggle.query(".backend-choice") if c.choice == ("aiohttp",))
        await pilot.click(choice)
        assert toggle.selected == ("aiohttp",)
        await pilot.press("ctrl+b")
        assert toggle.selected == ("httpx", "aiohttp")


async def test_copy_as_curl_and_focus_keys() -> None:
    app = HttpdiffApp()
    spec = RequestSpec(method="POST", url="http://127.0.0.1:9/x", headers=(("X-A", "1"),))
    async with app.run_test(size=SIZE) as pilot:
        app.open_request(spec)
        await pilot.pause()
        await pilot.press("f6")
        assert app.clipboard == to_curl(spec)
        views = app.query_one("#views", TabbedContent)
        await pilot.press("f4")
        await pilot.pause()
        assert views.active == "diff-tab"
        await pilot.press("f3")
        await pilot.pause()
        assert views.active == "responses-tab"
        await pilot.press("ctrl+l")
        assert isinstance(app.focused, UrlBar)
        await pilot.press("f2")
        await pilot.pause()
        focused = app.focused
        assert focused is not None and app.query_one(RequestEditor) in focused.ancestors


async def test_marking_noise_updates_the_verdict_at_once(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, RequestSpec(url=f"{demo.http_url}/echo"))
        await until(pilot, lambda: app.comparison is not None)
        rule = NoiseRule("request-header", "user-agent")
        app.query_one(DiffView).post_message(DiffView.NoiseMarked(rule))

        def user_agent_is_noise() -> bool:
            comparison = app.comparison
            return comparison is not None and any(
                f.subject.lower() == "user-agent" and f.verdict is Verdict.NOISE
                for f in comparison.findings
            )

        await until(pilot, user_agent_is_noise)
        assert rule in app.rules.rules
        app.query_one(DiffView).post_message(DiffView.NoiseUnmarked(rule))
        await until(pilot, lambda: not user_agent_is_noise())


async def test_picking_a_request_loads_it(demo: DemoServer) -> None:
    samples = demo_requests(demo)
    app = HttpdiffApp(requests=samples)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.query_one(RequestEditor)
        await until(pilot, lambda: editor.spec == samples[0])
        listing = app.query_one(RequestList)
        listing.focus()
        basic = next(i for i, s in enumerate(samples) if s.auth.kind == "basic")
        listing.highlighted = basic
        await pilot.press("enter")
        await until(pilot, lambda: editor.spec == samples[basic])


async def test_command_palette_runs_an_httpdiff_command() -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Cycle backends")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await until(pilot, lambda: app.query_one(BackendToggle).selected == ("httpx",))


async def test_typing_is_not_blocked_while_sending(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, RequestSpec(url=f"{demo.http_url}/delay/3"))
        await until(pilot, lambda: app.sending)
        bar = app.query_one(UrlBar)
        await pilot.press("end", *"?typed")
        assert bar.value.endswith("/delay/3?typed") and app.sending
        await pilot.press("escape")
        await until(pilot, lambda: not app.sending)


async def test_escape_with_nothing_in_flight_does_nothing() -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        assert app.check_action("cancel", ()) is False  # hidden from the footer too
        await pilot.press("escape")
        await pilot.pause()
        assert "no response yet" in summary(app, "httpx")


def test_demo_samples_are_valid_loopback_requests(demo: DemoServer) -> None:
    samples = demo_requests(demo)
    assert 10 <= len(samples) <= 20
    assert len({s.name for s in samples}) == len(samples)
    for spec in samples:
        check(spec)  # raises InvalidRequest if a sample could not be sent
        host = urlsplit(spec.url).hostname
        assert host in ("127.0.0.1", "localhost"), spec.url
    assert any(s.options.http2 and s.options.ca_bundle == str(demo.ca_path) for s in samples)
    assert any(s.url.startswith(demo.raw_url) for s in samples)


async def test_hostile_request_names_and_errors_stay_literal(demo: DemoServer) -> None:
    hostile = "[bold red]x[/] [@click=app.quit]q[/] \x1b[31m"
    app = HttpdiffApp(requests=[RequestSpec(name=hostile, url=f"{demo.http_url}/echo")],
                      demo=demo)
    async with app.run_test(size=SIZE) as pilot:
        listing = app.query_one(RequestList)
        prompt = listing.get_option_at_index(0).prompt
        assert hostile in str(prompt)
        await send(pilot, app, RequestSpec(url=f"{demo.http_url}/echo",
                                           headers=(("[@click=app.quit]q[/]", "v"),)))
        editor = app.query_one(RequestEditor)
        await until(pilot, lambda: editor.error_text != "")
        assert "[@click=app.quit]q[/]" in editor.error_text
        assert app.is_running and demo.http_url in app.sub_title


def test_importing_the_ui_package_and_samples_leaves_textual_out() -> None:
    code = (
        "import sys, httpdiff.ui, httpdiff.demo.samples\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
