"""How the comparison screen looks in each built-in theme, from the same canned comparison.

One snapshot per theme file in ``themes/``: a colour that is hard to read shows up here
(convert the SVG to PNG and look), and a theme that stops loading fails the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from httpdiff.storage.themes import builtin_dir
from httpdiff.ui.app import HttpdiffApp

from .test_app_snapshots import REQUEST, _steady, canned_comparison

THEMES = sorted(path.stem for path in builtin_dir().glob("*.yaml"))


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPDIFF_CONFIG_DIR", str(tmp_path))  # --theme is remembered here


def test_the_four_built_in_themes_are_covered() -> None:
    assert THEMES == [
        "httpdiff-colourblind", "httpdiff-dark", "httpdiff-high-contrast", "httpdiff-light",
    ]


@pytest.mark.parametrize("theme", THEMES)
def test_comparison_in_each_theme(theme: str, snap_compare: Any) -> None:
    app = HttpdiffApp(requests=[REQUEST], theme=theme, clock=lambda: 0.0)

    async def before(pilot: Pilot[Any]) -> None:
        assert pilot.app.theme == theme
        await _steady(pilot, canned_comparison())

    assert snap_compare(app, terminal_size=(160, 45), run_before=before)


@pytest.mark.parametrize("theme", THEMES)
def test_diff_view_in_each_theme(theme: str, snap_compare: Any) -> None:
    app = HttpdiffApp(requests=[REQUEST], theme=theme, clock=lambda: 0.0)

    async def before(pilot: Pilot[Any]) -> None:
        await _steady(pilot, canned_comparison())
        await pilot.press("f4")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(160, 45), run_before=before)
