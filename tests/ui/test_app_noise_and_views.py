"""Noise rules kept in the collection, and what the views show as requests come and go.

- ``noise.yaml`` is what the app compares with, and a mark in the diff view is
  written back to it (applied to the file as it is on disk then); a broken one is
  reported and never rewritten;
- the diff's cursor stays on the finding it was on when a mark redraws the table;
- one backend gets no verdict; f7 maximises the view that has focus;
- opening another request clears the results of the one before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from httpdiff.demo import DemoServer
from httpdiff.errors import LoadError
from httpdiff.model import Category, RequestSpec, Verdict
from httpdiff.noise import NoiseRule
from httpdiff.storage.collection import NOISE_FILE, save_request
from httpdiff.storage.noise_file import noise_rules_from_yaml
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.collection_state import CollectionState
from httpdiff.ui.widgets.diff_view import DiffView, FindingsTable
from httpdiff.ui.widgets.response_pane import ResponsePane
from httpdiff.ui.widgets.url_bar import UrlBar

SIZE = (160, 45)
USER_AGENT = NoiseRule("request-header", "user-agent")


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await pilot.pause(0.02)


def collection(root: Path, url: str, noise: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    save_request(root, "echo", RequestSpec(url=f"{url}/echo"))
    save_request(root, "other/json", RequestSpec(url=f"{url}/json"))
    if noise is not None:
        (root / NOISE_FILE).write_text(noise, encoding="utf-8")
    return root


def verdict_of(app: HttpdiffApp, subject: str) -> Verdict | None:
    comparison = app.comparison
    if comparison is None:
        return None
    return next((f.verdict for f in comparison.findings if f.subject.lower() == subject), None)


def rules_on_disk(root: Path) -> tuple[NoiseRule, ...]:
    text = (root / NOISE_FILE).read_text(encoding="utf-8")
    return noise_rules_from_yaml(text, NOISE_FILE).rules


async def send_open_request(pilot: Pilot[None], app: HttpdiffApp) -> None:
    """Send the open request (a collection's first, once it is open) and wait for the result."""
    await until(pilot, lambda: app.collection_dir is None or app.collection_state is not None)
    app.query_one(UrlBar).focus()
    await pilot.press("enter")
    await until(pilot, lambda: app.comparison is not None and not app.sending)


async def open_and_wait(pilot: Pilot[None], app: HttpdiffApp, relative: str) -> None:
    await until(pilot, lambda: app.collection_state is not None)
    app.open_entry(relative)
    await until(pilot, lambda: app.collection_state is not None
                and app.collection_state.current == relative)
    await pilot.pause()


async def start_sending(pilot: Pilot[None], app: HttpdiffApp, relative: str) -> None:
    await open_and_wait(pilot, app, relative)
    app.query_one(UrlBar).focus()
    await pilot.press("enter")
    await until(pilot, lambda: app.sending)


def cursor_subject(app: HttpdiffApp) -> str:
    table = app.query_one(FindingsTable)
    return app.diff.row_texts()[table.cursor_row][1]


# -- the collection's noise.yaml, without a screen ------------------------------------------


def test_a_mark_is_added_to_the_file_as_it_is_on_disk(tmp_path: Path) -> None:
    root = collection(tmp_path / "c", "http://127.0.0.1:9")
    state = CollectionState(root)
    assert state.noise.rules == () and state.noise_error is None
    # someone edits the file after the collection was opened: their rule is kept
    (root / NOISE_FILE).write_text("rules:\n- kind: header\n  pattern: x-served-by\n")
    state.set_noise_rule(USER_AGENT, True)
    assert rules_on_disk(root) == (NoiseRule("header", "x-served-by"), USER_AGENT)
    assert state.noise.rules == rules_on_disk(root)
    state.set_noise_rule(USER_AGENT, False)
    assert rules_on_disk(root) == (NoiseRule("header", "x-served-by"),)


def test_a_broken_noise_file_is_named_and_never_rewritten(tmp_path: Path) -> None:
    broken = "rules: [kind: header\n"
    root = collection(tmp_path / "c", "http://127.0.0.1:9", noise=broken)
    state = CollectionState(root)
    assert state.noise_error is not None and NOISE_FILE in state.noise_error
    with pytest.raises(LoadError, match=r"noise\.yaml"):
        state.set_noise_rule(USER_AGENT, True)
    assert (root / NOISE_FILE).read_text() == broken


# -- in the app ------------------------------------------------------------------------------


async def test_the_app_compares_with_the_collections_noise_file(
    demo: DemoServer, tmp_path: Path
) -> None:
    root = collection(tmp_path / "c", demo.http_url,
                      noise="rules:\n- kind: request-header\n  pattern: user-agent\n")
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await send_open_request(pilot, app)
        assert verdict_of(app, "user-agent") is Verdict.NOISE


async def test_m_writes_the_mark_to_noise_yaml_and_the_cursor_stays_on_it(
    demo: DemoServer, tmp_path: Path
) -> None:
    root = collection(tmp_path / "c", demo.http_url)
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await send_open_request(pilot, app)
        assert verdict_of(app, "user-agent") is Verdict.DIFFERENCE
        await pilot.press("f4")
        await pilot.pause()
        table = app.query_one(FindingsTable)
        row = next(i for i, cells in enumerate(app.diff.row_texts())
                   if cells[1].lower() == "user-agent")
        table.move_cursor(row=row)
        await pilot.press("m")
        await until(pilot, lambda: verdict_of(app, "user-agent") is Verdict.NOISE)
        assert USER_AGENT in rules_on_disk(root)
        # the finding moved to the noise group; the cursor went with it, so m undoes
        assert cursor_subject(app).lower() == "user-agent"
        await pilot.press("m")
        await until(pilot, lambda: verdict_of(app, "user-agent") is Verdict.DIFFERENCE)
        assert USER_AGENT not in rules_on_disk(root)


async def test_a_mark_with_a_broken_noise_file_applies_but_leaves_the_file(
    demo: DemoServer, tmp_path: Path
) -> None:
    broken = "rules: [kind: header\n"
    root = collection(tmp_path / "c", demo.http_url, noise=broken)
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.collection_state is not None)
        await until(pilot, lambda: any("noise.yaml" in n.message for n in app._notifications))
        await send_open_request(pilot, app)
        app.diff.post_message(DiffView.NoiseMarked(USER_AGENT))
        await until(pilot, lambda: verdict_of(app, "user-agent") is Verdict.NOISE)
        assert any("not saved" in n.message for n in app._notifications)
        assert (root / NOISE_FILE).read_text() == broken


async def test_one_backend_gets_no_verdict(demo: DemoServer) -> None:
    app = HttpdiffApp(requests=[RequestSpec(url=f"{demo.http_url}/echo")], backends=("httpx",))
    async with app.run_test(size=SIZE) as pilot:
        await send_open_request(pilot, app)
        assert "nothing to compare" in app.diff.verdict_text
        assert "equivalent" not in app.diff.verdict_text
        assert str(app._views.get_tab("diff-tab").label) == "Diff"


async def test_f7_maximises_the_view_that_has_focus(demo: DemoServer) -> None:
    app = HttpdiffApp(requests=[RequestSpec(url=f"{demo.http_url}/echo")])
    async with app.run_test(size=SIZE) as pilot:
        await send_open_request(pilot, app)
        await pilot.press("f4", "f7")
        await pilot.pause()
        assert isinstance(app.screen.maximized, DiffView)
        await pilot.press("f7")
        await pilot.pause()
        assert app.screen.maximized is None
        app.query_one(UrlBar).focus()
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen.maximized, ResponsePane))
        pane = app.screen.maximized
        # keys go to what is shown
        await until(pilot, lambda: app.focused is not None
                    and pane in app.focused.ancestors_with_self)


async def test_opening_another_request_clears_the_results(
    demo: DemoServer, tmp_path: Path
) -> None:
    root = collection(tmp_path / "c", demo.http_url)
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await send_open_request(pilot, app)
        assert app.comparison is not None
        assert any(f.category is Category.REQUEST_HEADER for f in app.comparison.findings)
        await open_and_wait(pilot, app, "other/json")
        assert app.comparison is None
        assert app.diff.verdict_text == "no comparison yet"
        assert str(app._views.get_tab("diff-tab").label) == "Diff"


async def test_opening_another_request_mid_send_leaves_no_outcome_of_the_old_one(
    demo: DemoServer, tmp_path: Path
) -> None:
    root = collection(tmp_path / "c", demo.http_url)
    save_request(root, "slow", RequestSpec(url=f"{demo.http_url}/delay/2"))
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await start_sending(pilot, app, "slow")
        await open_and_wait(pilot, app, "echo")
        await pilot.pause(0.5)
        assert not app.sending and app.comparison is None
        for name in ("httpx", "aiohttp"):
            assert app.results._outcomes.get(name) is None, name


async def test_the_open_request_read_again_keeps_its_send(
    demo: DemoServer, tmp_path: Path
) -> None:
    root = collection(tmp_path / "c", demo.http_url)
    save_request(root, "slow", RequestSpec(url=f"{demo.http_url}/delay/1"))
    app = HttpdiffApp(collection=root)
    async with app.run_test(size=SIZE) as pilot:
        await start_sending(pilot, app, "slow")
        state = app.collection_state
        assert state is not None
        app._load(state.spec_of("slow"), "slow")  # what a reload after a change on disk does
        await until(pilot, lambda: app.comparison is not None and not app.sending)

