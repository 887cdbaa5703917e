"""Theme files: every built-in loads, and a broken file is reported with its file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from httpdiff.errors import LoadError
from httpdiff.storage import themes
from httpdiff.storage.themes import VARIABLES, ThemeSet, load_dir, load_themes, parse_theme

BUILTIN = sorted(themes.builtin_dir().glob("*.yaml"))


def test_there_are_at_least_four_builtin_themes() -> None:
    names = {p.stem for p in BUILTIN}
    assert {"httpdiff-dark", "httpdiff-light", "httpdiff-high-contrast",
            "httpdiff-colourblind"} <= names


@pytest.mark.parametrize("path", BUILTIN, ids=[p.stem for p in BUILTIN])
def test_every_builtin_theme_loads_completely(path: Path) -> None:
    theme = parse_theme(path.read_text(encoding="utf-8"), str(path))
    assert theme.name == path.stem
    assert set(theme.variables) == set(VARIABLES)
    assert {"primary", "background", "foreground"} <= set(theme.colors)


def test_colourblind_theme_avoids_red_green_pairs_and_adds_symbols() -> None:
    theme = parse_theme((themes.builtin_dir() / "httpdiff-colourblind.yaml").read_text(), "cb")
    assert theme.markers == "symbols"

    def hue_is_red_or_green(colour: str) -> bool:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return (r > 150 and g < 100 and b < 100) or (g > 150 and r < 100 and b < 100)

    assert not hue_is_red_or_green(theme.variables["diff-added"])
    assert not hue_is_red_or_green(theme.variables["diff-removed"])


VALID = "name: t\ndark: true\ncolors:\n  primary: '#112233'\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: [unclosed", "line 1: invalid YAML"),
        ("- a list", "must be a mapping"),
        (VALID + "colour: x\n", "unknown key 'colour'"),
        (VALID.replace("name: t", "name: Bad Name"), "name:"),
        (VALID.replace("dark: true", "dark: maybe"), "dark:"),
        ("name: t\ndark: true\n", "colors:"),
        (VALID.replace("'#112233'", "'blue-ish'"), "colors.primary: 'blue-ish' is not a colour"),
        (VALID + "  nope: '#fff'\n", "colors.nope: unknown colour"),
        (VALID + "variables:\n  diff-added: '#12'\n", "variables.diff-added"),
        (VALID + "variables:\n  diff-typo: '#123'\n", "variables.diff-typo: unknown variable"),
        (VALID + "pygments_style: nosuch\n", "pygments_style: 'nosuch'"),
        (VALID + "markers: blink\n", "markers:"),
    ],
)
def test_broken_theme_names_file_and_field(text: str, message: str) -> None:
    with pytest.raises(LoadError, match=message) as info:
        parse_theme(text, "/x/broken.yaml")
    assert str(info.value).startswith("/x/broken.yaml: ")


def test_a_broken_user_file_is_listed_and_the_rest_still_load(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(VALID.replace("name: t", "name: good"))
    (tmp_path / "bad.yaml").write_text(VALID + "colors2: 1\n")
    (tmp_path / "binary.yaml").write_bytes(b"\xff\xfe\x00garbage")
    found = ThemeSet()
    load_dir(tmp_path, found)
    assert list(found.themes) == ["good"]
    assert sorted(Path(e.path).name for e in found.errors) == ["bad.yaml", "binary.yaml"]


def test_user_themes_come_from_the_config_dir(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPDIFF_CONFIG_DIR", str(tmp_path))
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "mine.yaml").write_text(VALID.replace("name: t", "name: mine"))
    found = load_themes()
    assert "mine" in found.themes and "httpdiff-dark" in found.themes


def test_themes_command_lists_themes_and_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from httpdiff.cli import main

    monkeypatch.setenv("HTTPDIFF_CONFIG_DIR", str(tmp_path))
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "broken.yaml").write_text(VALID + "colors:\n  primary: nope\n")
    assert main(["themes"]) == 0
    out = capsys.readouterr().out
    assert "httpdiff-light" in out and "httpdiff-colourblind" in out
    assert "failed to load:" in out and "broken.yaml" in out


def test_config_remembers_theme_and_survives_a_broken_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from httpdiff.storage.config import Config, config_path, load_config, remember_theme

    monkeypatch.setenv("HTTPDIFF_CONFIG_DIR", str(tmp_path))
    assert load_config() == (Config(), None)
    remember_theme("httpdiff-light")
    assert load_config()[0].theme == "httpdiff-light"
    config_path().write_text("theme: [1, 2\n")
    config, error = load_config()
    assert config == Config() and error is not None and "config.yaml" in str(error)
    config_path().write_text("colour: x\n")
    assert "unknown setting 'colour'" in str(load_config()[1])
