"""Focus is visible on every focus stop of the main screen, in every built-in theme.

The first test walks Tab through the main screen (every editor tab, every view,
the response panes' tabs) in the dark theme; the others go once round in each
other built-in theme. For each widget that takes focus they compare the cells it
covers on screen focused and unfocused. Focus counts as visible when a glyph
changes, underline or reverse flips, or a colour changes with a contrast of at
least 3:1 (the WCAG 2.2 bar for a focus indicator); a faint background tint, or
no change at all (a focus stop with no focus style), fails and names the widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.color import Color
from rich.style import Style
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Select, TabbedContent, TextArea

from httpdiff.ui import messages as msg
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.widgets.key_value_editor import KeyValueEditor
from httpdiff.ui.widgets.response_pane import ResponsePane

from .test_results_data import both_comparison


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # --theme is remembered in the config: keep it from the tests that run after these
    monkeypatch.setenv("HTTPDIFF_CONFIG_DIR", str(tmp_path / "config"))


THEMES = ("httpdiff-dark", "httpdiff-light", "httpdiff-high-contrast", "httpdiff-colourblind")
MIN_CONTRAST = 3.0
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Cell:
    char: str
    fg: RGB
    bg: RGB
    marks: tuple[bool, bool]  # underline, reverse (bold alone is too faint to count)


def _rgb(color: Color | None, default: RGB) -> RGB:
    if color is None:
        return default
    true = color.get_truecolor()
    return (true.red, true.green, true.blue)


def _luminance(rgb: RGB) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def cells(app: App[None], region: Region) -> list[Cell]:
    """What the screen shows in ``region``, cell by cell, reverse video applied."""
    theme = app.current_theme
    default_fg = _rgb(Color.parse(theme.foreground or "#ffffff"), (255, 255, 255))
    default_bg = _rgb(Color.parse(theme.background or "#000000"), (0, 0, 0))
    # Textual keeps no public screen buffer: the compositor renders what a driver would get.
    strips = app.screen._compositor.render_strips()
    out = []
    for y in range(region.y, region.bottom):
        for segment in strips[y].crop(region.x, region.right):
            style = segment.style or Style()
            fg, bg = _rgb(style.color, default_fg), _rgb(style.bgcolor, default_bg)
            if style.reverse:
                fg, bg = bg, fg
            out.extend(Cell(char, fg, bg, (bool(style.underline), bool(style.reverse)))
                       for char in segment.text)
    return out


def visible_change(focused: list[Cell], blurred: list[Cell]) -> bool:
    for a, b in zip(focused, blurred, strict=True):
        if a.char != b.char or a.marks != b.marks:
            return True
        if contrast(a.bg, b.bg) >= MIN_CONTRAST:
            return True
        if a.char.strip() and contrast(a.fg, b.fg) >= MIN_CONTRAST:
            return True
    return False


def describe(widget: Widget) -> str:
    path = [f"{type(w).__name__}{'#' + w.id if w.id else ''}"
            for w in reversed(list(widget.ancestors_with_self)[:3])]
    return " > ".join(path)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()


async def both_looks(pilot: Pilot[None], widget: Widget, region: Region,
                     focused: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """``widget``'s cells focused (``focused``, seen in ``region``) and with focus elsewhere.

    Usually "elsewhere" is where Tab just moved focus, at no cost. When the new stop
    is inside this one (a container), or focusing it scrolled this one, both looks
    are taken again where the widget is now, the second with nothing focused.
    """
    app = pilot.app
    current = app.focused
    inside = current is not None and current.region.overlaps(region)
    if widget.region == region and not inside:
        return focused, cells(app, region)
    widget.focus()
    await settle(pilot)
    focused = cells(app, widget.region)
    app.set_focus(None)
    await settle(pilot)
    blurred = cells(app, widget.region)
    app.set_focus(current)
    await settle(pilot)
    return focused, blurred


async def check_focus_stops(pilot: Pilot[None], checked: dict[int, str], invisible: list[str],
                            start: str = "#url", until: str | None = None) -> None:
    """Tab from ``start`` to ``until`` (or once round); note each new stop whose focus hides.

    A stop is looked at focused, then unfocused once Tab has moved on, which costs
    no extra focus change (each one re-lays out the Footer: the slow part).
    """
    app = pilot.app
    app.query_one(start).focus()
    await settle(pilot)
    first = app.focused
    last = app.query_one(until) if until else None
    pending: tuple[Widget, Region, list[Cell]] | None = None
    for step in range(100):
        widget = app.focused
        assert widget is not None
        if pending is not None:
            before, region, focused = pending
            if not visible_change(*await both_looks(pilot, before, region, focused)):
                invisible.append(describe(before))
            pending = None
        if widget is last or (widget is first and step):
            return
        if id(widget) not in checked:
            checked[id(widget)] = describe(widget)
            pending = (widget, widget.region, cells(app, widget.region))
        await pilot.press("tab")
        await settle(pilot)
    raise AssertionError("Tab never came back round to where it started")


EDITOR_STRIP, VIEWS_STRIP = "#editor-tabs ContentTabs", "#views ContentTabs"
# The editor's other tabs, each walked from the tab strip to the environment Select
# (Query holds what Headers does).
EDITOR_TABS = ("tab-body", "tab-auth", "tab-options")
# The other views (with the response panes' tab), walked from their strip to the request
# tree; the Request tab holds a headers table like the Headers tab's.
VIEWS = (("responses-tab", "tab-request"), ("diff-tab", "tab-body"), ("bench-tab", "tab-body"))


async def open_app(pilot: Pilot[None]) -> HttpdiffApp:
    """A response in both panes, a header row, a JSON body and basic auth: every field shown."""
    app = pilot.app
    assert isinstance(app, HttpdiffApp)
    app.post_message(msg.ComparisonReady(0, both_comparison(), 1.0))
    await app.editor.query_one("#headers", KeyValueEditor).add_row("X-A", "1", focus=False)
    app.editor.query_one("#body-kind", Select).value = "json"
    app.editor.query_one("#auth-kind", Select).value = "basic"
    await pilot.pause()
    for widget in app.query("Input, TextArea"):
        assert isinstance(widget, Input | TextArea)
        widget.cursor_blink = False  # a blinking cursor would make the picture flicker
    return app


async def show(pilot: Pilot[None], editor_tab: str, view: str, pane_tab: str) -> None:
    app = pilot.app
    app.query_one("#editor-tabs", TabbedContent).active = editor_tab
    app.query_one("#views", TabbedContent).active = view
    for pane in app.query(ResponsePane):
        pane.query_one(TabbedContent).active = pane_tab
    await pilot.pause()


def collection(tmp_path: Path) -> Path:
    """A collection (so the sidebar and the environment Select are there) with one request."""
    folder = tmp_path / "requests"
    (folder / "environments").mkdir(parents=True)
    (folder / "environments" / "dev.yaml").write_text("http: http://127.0.0.1:1\n")
    (folder / "echo.yaml").write_text("url: '{{http}}/echo'\n")
    return folder


async def test_tab_reaches_every_focus_stop_and_each_shows_focus(tmp_path: Path) -> None:
    app = HttpdiffApp(collection=collection(tmp_path), theme="httpdiff-dark")
    async with app.run_test(size=(160, 45)) as pilot:
        await open_app(pilot)
        checked: dict[int, str] = {}
        invisible: list[str] = []
        await show(pilot, "tab-headers", "responses-tab", "tab-body")
        await check_focus_stops(pilot, checked, invisible)  # once round the whole screen
        for editor_tab in EDITOR_TABS:
            await show(pilot, editor_tab, "responses-tab", "tab-body")
            await check_focus_stops(pilot, checked, invisible, EDITOR_STRIP, "#environment")
        for view, pane_tab in VIEWS:
            await show(pilot, "tab-headers", view, pane_tab)
            await check_focus_stops(pilot, checked, invisible, VIEWS_STRIP, "#requests")
        assert not invisible, f"focus does not show on: {invisible}"
        seen = checked.values()
        for kind in ("MethodSelect#method", "EnvironmentSelect#environment", "Select#body-kind",
                     "Select#auth-kind", "Select#opt-mode", "TickBox", "Button#kv-add",
                     "TextArea#body-text", "Input#auth-user", "BodyView", "HeadersView",
                     "RequestView", "FindingsTable#findings", "BodyDiffView", "Switch#bench-cold",
                     "VerticalScroll#bench-body", "DataTable#bench-stats",
                     "CollectionTree#requests"):
            assert any(stop.endswith(kind) for stop in seen), f"Tab never reached {kind}"
        # a container with no look of its own is no focus stop (it was one, invisibly)
        assert not any(stop.endswith("#kv-rows") for stop in seen)


@pytest.mark.parametrize("theme", THEMES[1:])
async def test_focus_shows_in_every_theme(theme: str, tmp_path: Path) -> None:
    # Once round, over the most kinds of stop a screen holds (each Tab costs ~0.3 s):
    # the header row's controls, the Selects, the bench's switches, buttons and tables.
    app = HttpdiffApp(collection=collection(tmp_path), theme=theme)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_app(pilot)
        checked: dict[int, str] = {}
        invisible: list[str] = []
        await show(pilot, "tab-headers", "bench-tab", "tab-body")
        await check_focus_stops(pilot, checked, invisible)
        assert not invisible, f"focus does not show in {theme} on: {invisible}"
        assert len(checked) >= 20
