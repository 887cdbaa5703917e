"""Themes in the app: registration, the starting theme, the previewing picker, remembering, markers.

Every test gets its own config dir (the choice is written to ``config.yaml`` there),
so a theme chosen here never leaks into another test's app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.style import Style
from textual.pilot import Pilot

from httpdiff.storage.config import load_config
from httpdiff.storage.themes import VARIABLES, load_themes, parse_theme
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.render import (
    MARK_SYMBOLS,
    Highlighter,
    mark_label,
    symbols_required,
    syntax_style,
    token_styles,
)
from httpdiff.ui.themes import (
    SYMBOLS_CLASS,
    ThemePicker,
    starting_theme,
    to_textual,
    variable_defaults,
)
from httpdiff.ui.widgets.body_diff_view import GUTTERS
from httpdiff.ui.widgets.headers_view import HeadersView

from .test_app_snapshots import canned_comparison
from .test_results_data import both_comparison

BUILT_IN = ("httpdiff-dark", "httpdiff-light", "httpdiff-high-contrast", "httpdiff-colourblind")


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("HTTPDIFF_CONFIG_DIR", str(folder))
    return folder


def remembered() -> str:
    config, problem = load_config()
    assert problem is None
    return config.theme


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause()


# -- pure parts -------------------------------------------------------------------------------


def test_a_theme_spec_becomes_a_textual_theme_with_its_variables() -> None:
    spec = load_themes().themes["httpdiff-colourblind"]
    theme = to_textual(spec)
    assert theme.name == "httpdiff-colourblind" and theme.dark
    assert theme.primary == spec.colors["primary"] and theme.error == spec.colors["error"]
    assert theme.variables["diff-added"] == spec.variables["diff-added"]
    assert theme.variables["syntax-style"] == "monokai"
    assert theme.variables["diff-markers"] == "symbols"
    assert set(VARIABLES) <= set(theme.variables)


def test_textual_themes_get_httpdiffs_variables_with_a_dark_or_light_syntax_style() -> None:
    assert variable_defaults(True)["syntax-style"] == "monokai"
    assert variable_defaults(False)["syntax-style"] == "default"
    assert variable_defaults(True)["diff-markers"] == "colour"
    assert variable_defaults(False)["status-5xx"] == VARIABLES["status-5xx"]


@pytest.mark.parametrize(
    ("requested", "configured", "expected", "notes"),
    [
        (None, "httpdiff-dark", "httpdiff-dark", 0),
        (None, "httpdiff-light", "httpdiff-light", 0),
        ("httpdiff-light", "httpdiff-dark", "httpdiff-light", 0),
        ("nope", "httpdiff-light", "httpdiff-light", 1),
        ("nope", "gone", "httpdiff-dark", 1),
        (None, "gone", "httpdiff-dark", 1),
    ],
)
def test_starting_theme(requested: str | None, configured: str, expected: str, notes: int) -> None:
    available = {"httpdiff-dark", "httpdiff-light", "textual-dark"}
    name, told = starting_theme(requested, configured, available)
    assert name == expected
    assert len(told) == notes
    if requested == "nope":
        assert "'nope'" in told[0]


def test_highlighting_follows_the_pygments_style_named_by_the_theme() -> None:
    line = '{"a": "text", "n": 1}'
    monokai = Highlighter("json", {"syntax-style": "monokai"}).line(line)
    default = Highlighter("json", {"syntax-style": "default"}).line(line)
    assert monokai.plain == default.plain == line
    colours = {str(span.style) for span in monokai.spans} - {str(s.style) for s in default.spans}
    assert colours, "two pygments styles should colour the same JSON differently"
    assert syntax_style({}) == "monokai"
    # an unknown style (a hand-edited theme on another machine) falls back, never raises
    assert token_styles("no-such-style") == token_styles("monokai")
    # the style's background is left out: the body keeps the theme's surface
    assert all(isinstance(s, Style) and s.bgcolor is None
               for s in token_styles("github-dark").values())


def test_marks_and_gutters_carry_symbols() -> None:
    assert mark_label("differs") == "≠ differs"
    assert mark_label("only here") == "+ only here"
    assert mark_label("noise") == "~ noise"
    assert mark_label("same") == "= same"
    assert len(set(MARK_SYMBOLS.values())) == len(MARK_SYMBOLS)
    assert GUTTERS == {"delete": ("−", " "), "insert": (" ", "+"), "replace": ("~", "~")}
    assert symbols_required({"diff-markers": "symbols"})
    assert not symbols_required({"diff-markers": "colour"})


# -- the app ----------------------------------------------------------------------------------


async def test_every_theme_file_is_registered_and_the_default_is_httpdiff_dark() -> None:
    app = HttpdiffApp()
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "httpdiff-dark"
        assert set(BUILT_IN) <= set(app.available_themes)
        assert "textual-dark" in app.available_themes  # Textual's own still there
        assert app.theme_variables["syntax-style"] == "github-dark"
        assert app.theme_variables["diff-added"] == "#3fb950"
        assert not app._notifications  # nothing went wrong, nothing to say


async def test_theme_option_is_applied_and_remembered() -> None:
    app = HttpdiffApp(theme="httpdiff-light")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "httpdiff-light"
        assert app.theme_variables["syntax-style"] == "default"
        assert remembered() == "httpdiff-light"
    # the next start without --theme takes the remembered one
    again = HttpdiffApp()
    async with again.run_test() as pilot:
        await settle(pilot)
        assert again.theme == "httpdiff-light"


async def test_an_unknown_theme_option_starts_with_the_default_and_says_so_once() -> None:
    app = HttpdiffApp(theme="purple-rain")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "httpdiff-dark"
        told = [n.message for n in app._notifications]
        assert len(told) == 1 and "purple-rain" in told[0]
        assert remembered() == "httpdiff-dark"  # the bad name was not written


async def test_a_broken_theme_file_is_reported_per_file_and_the_app_starts(
    config_dir: Path,
) -> None:
    themes = config_dir / "themes"
    themes.mkdir()
    (themes / "bad-colour.yaml").write_text("name: bad\ndark: true\ncolors: {primary: red}\n")
    (themes / "not-yaml.yaml").write_text("name: [\n")
    (themes / "mine.yaml").write_text(
        "name: mine\ndark: false\ncolors: {primary: '#123456'}\nmarkers: symbols\n"
    )
    app = HttpdiffApp()
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "httpdiff-dark"
        told = sorted(n.message for n in app._notifications)
        assert len(told) == 2
        assert "bad-colour.yaml" in told[0] and "colors.primary" in told[0]
        assert "not-yaml.yaml" in told[1] and "invalid YAML" in told[1]
        assert "mine" in app.available_themes  # the good user theme still loaded
        app.theme = "mine"
        await settle(pilot)
        assert app.theme_variables["syntax-style"] == "default"
        assert app.has_class(SYMBOLS_CLASS)


async def test_any_change_of_the_theme_is_remembered() -> None:
    app = HttpdiffApp()
    async with app.run_test() as pilot:
        await settle(pilot)
        app.theme = "textual-light"
        await settle(pilot)
        assert remembered() == "textual-light"
        assert app.theme_variables["syntax-style"] == "default"  # Textual theme, light default
        assert app.theme_variables["diff-removed"] == VARIABLES["diff-removed"]


async def test_the_picker_previews_restores_on_escape_and_remembers_only_a_choice() -> None:
    app = HttpdiffApp()
    async with app.run_test() as pilot:
        await settle(pilot)
        await app.run_action("change_theme")  # Textual's "Change theme" system command
        await pilot.pause(0.4)
        assert isinstance(app.screen, ThemePicker)
        assert app.theme == "httpdiff-dark"  # the current theme is listed first: no jump
        await pilot.press("down")
        await settle(pilot)
        previewed = app.theme
        assert previewed != "httpdiff-dark"  # moving the cursor previews
        await pilot.press("down")
        await settle(pilot)
        assert app.theme not in ("httpdiff-dark", previewed)
        assert remembered() == "httpdiff-dark"  # nothing written while previewing
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ThemePicker)
        assert app.theme == "httpdiff-dark"
        assert remembered() == "httpdiff-dark"

        await app.run_action("change_theme")
        await pilot.pause(0.4)
        await pilot.press(*"light")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ThemePicker)
        assert app.theme.endswith("light") and app.theme != "httpdiff-dark"
        assert remembered() == app.theme


async def test_a_theme_change_redraws_the_comparison_in_the_new_colours() -> None:
    app = HttpdiffApp()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        app._show(both_comparison())
        await settle(pilot)
        headers = app.query_one("#results").query(HeadersView).first()
        before = {str(cell.style) for row in range(headers.row_count)
                  for cell in headers.get_row_at(row)}
        app.theme = "httpdiff-light"
        await settle(pilot)
        headers = app.query_one("#results").query(HeadersView).first()
        after = {str(cell.style) for row in range(headers.row_count)
                 for cell in headers.get_row_at(row)}
        light = app.available_themes["httpdiff-light"].variables["diff-changed"]
        assert any(light in style for style in after)
        assert after != before


async def test_symbols_theme_marks_shapes_as_well_as_colours() -> None:
    app = HttpdiffApp(theme="httpdiff-colourblind")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert app.has_class(SYMBOLS_CLASS)
        app._show(canned_comparison())
        await settle(pilot)
        table = app.query_one("#results").query(HeadersView)
        request = next(v for v in table if v.has_class("request-headers"))
        labels = {request.get_row_at(i)[0].plain for i in range(request.row_count)}
        assert "≠ differs" in labels and "= same" in labels
        names = {request.get_row_at(i)[1].plain: str(request.get_row_at(i)[1].style)
                 for i in range(request.row_count)}
        assert "underline" in names["User-Agent"] and "underline" not in names["Host"]
        app.theme = "httpdiff-dark"
        await settle(pilot)
        assert not app.has_class(SYMBOLS_CLASS)


def test_every_built_in_theme_parses() -> None:
    found = load_themes()
    assert not [e for e in found.errors if "/themes/" in str(e) and "config" not in str(e)]
    for name in BUILT_IN:
        spec = found.themes[name]
        assert parse_theme(Path(spec.path).read_text(), spec.path) == spec


async def test_a_theme_change_mid_send_redraws_the_outcomes_already_shown(demo: Any) -> None:
    from httpdiff.model import RequestSpec
    from httpdiff.ui.widgets.summary_line import SummaryLine

    def label_styles(name: str) -> str:
        summary = app.results.pane(name).query_one(SummaryLine)
        return " ".join(str(span.style) for span in summary.render().spans)

    app = HttpdiffApp()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        # Sequential: the first backend answers after 3 s, 3 s before the second does.
        app.send(RequestSpec(url=f"{demo.http_url}/delay/3"), mode="sequential")
        arrived: list[str] = []
        for _ in range(600):
            arrived = [n for n in ("httpx", "aiohttp") if app.results.pane(n).outcome]
            if arrived:
                break
            await pilot.pause(0.02)
        assert len(arrived) == 1 and app.sending
        (name,) = arrived
        app.theme = "httpdiff-light"
        await settle(pilot)
        assert app.sending  # still mid-send: the comparison is not there yet
        light = app.available_themes["httpdiff-light"].variables[f"backend-{name}"]
        assert light.lower() in label_styles(name).lower()
