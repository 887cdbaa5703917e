"""Theme files: YAML documents of colours, validated into plain data.

Built-in themes (the top-level ``themes/`` folder, shipped inside the wheel as
``httpdiff/_themes``) and the user's own (``<config dir>/themes/*.yaml``) go
through this one loader, so a built-in theme is no more privileged than a
user's. A broken file never stops anything: ``load_themes`` returns the themes
that loaded and, separately, each failure with its file and field. The UI turns
a ``ThemeSpec`` into a Textual ``Theme``; this module knows nothing of Textual.

A theme file::

    name: httpdiff-dark          # required, unique
    dark: true                   # required
    colors:                      # Textual's base colours; primary required
      primary: "#4f8cc9"
      background: "#1b1d23"
      ...
    variables:                   # httpdiff's own, see VARIABLES; missing ones take defaults
      diff-added: "#3fb950"
    pygments_style: monokai      # any installed pygments style
    markers: symbols             # optional: "symbols" adds + - ~ to diff markers
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from httpdiff.errors import LoadError
from httpdiff.storage import paths

BASE_COLORS: tuple[str, ...] = (
    "primary", "secondary", "accent", "foreground", "background", "surface", "panel",
    "boost", "warning", "error", "success",
)

# httpdiff's own theme variables, with the values a theme gets when it leaves one out.
VARIABLES: dict[str, str] = {
    "diff-added": "#3fb950",
    "diff-removed": "#f85149",
    "diff-changed": "#d29922",
    "diff-noise": "#8b949e",
    "backend-httpx": "#58a6ff",
    "backend-aiohttp": "#d2a8ff",
    "status-2xx": "#3fb950",
    "status-3xx": "#58a6ff",
    "status-4xx": "#d29922",
    "status-5xx": "#f85149",
    "status-error": "#ff7b72",
    "phase-dns": "#79c0ff",
    "phase-connect": "#d2a8ff",
    "phase-tls": "#ffa657",
    "phase-send": "#7ee787",
    "phase-wait": "#e3b341",
    "phase-download": "#56d4dd",
}

_KEYS = {"name", "dark", "colors", "variables", "pygments_style", "markers", "description"}
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True, slots=True)
class ThemeSpec:
    name: str
    dark: bool
    colors: dict[str, str]
    variables: dict[str, str]
    pygments_style: str
    markers: str = "colour"
    description: str = ""
    path: str = ""


@dataclass
class ThemeSet:
    """Every theme that loaded, by name, and every file that did not."""

    themes: dict[str, ThemeSpec] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)


def _colour(value: Any, source: str, where: str) -> str:
    if not isinstance(value, str) or not _HEX.match(value.strip()):
        raise LoadError(source, f"{where}: {value!r} is not a colour (use #rgb or #rrggbb)")
    return value.strip().lower()


def _pygments_styles() -> set[str]:
    from pygments.styles import get_all_styles

    return set(get_all_styles())


def parse_theme(text: str, source: str) -> ThemeSpec:
    """Validate one theme document; ``LoadError`` names the file and the field."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else "YAML"
        raise LoadError(source, f"{place}: invalid YAML ({getattr(exc, 'problem', exc)})") from exc
    if not isinstance(doc, dict):
        raise LoadError(source, "a theme must be a mapping of keys (name, dark, colors, ...)")
    unknown = sorted(str(k) for k in doc if k not in _KEYS)
    if unknown:
        raise LoadError(source, f"unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    name = doc.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise LoadError(source, f"name: {name!r} must be lowercase letters, digits, - or _")
    dark = doc.get("dark")
    if not isinstance(dark, bool):
        raise LoadError(source, "dark: must be true or false")
    colors_doc = doc.get("colors")
    if not isinstance(colors_doc, dict) or "primary" not in colors_doc:
        raise LoadError(source, "colors: a mapping with at least 'primary' is required")
    colors = {}
    for key, value in colors_doc.items():
        if key not in BASE_COLORS:
            known = ", ".join(BASE_COLORS)
            raise LoadError(source, f"colors.{key}: unknown colour (known: {known})")
        colors[key] = _colour(value, source, f"colors.{key}")
    variables = dict(VARIABLES)
    variables_doc = doc.get("variables") or {}
    if not isinstance(variables_doc, dict):
        raise LoadError(source, "variables: must be a mapping of variable to colour")
    for key, value in variables_doc.items():
        if key not in VARIABLES:
            raise LoadError(source, f"variables.{key}: unknown variable")
        variables[key] = _colour(value, source, f"variables.{key}")
    style = doc.get("pygments_style", "monokai" if dark else "default")
    if not isinstance(style, str) or style not in _pygments_styles():
        raise LoadError(source, f"pygments_style: {style!r} is not an installed pygments style")
    markers = doc.get("markers", "colour")
    if markers not in ("colour", "symbols"):
        raise LoadError(source, "markers: must be 'colour' or 'symbols'")
    description = doc.get("description", "")
    if not isinstance(description, str):
        raise LoadError(source, "description: must be text")
    return ThemeSpec(name, dark, colors, variables, style, markers, description, source)


def builtin_dir() -> Path:
    """The built-in themes: inside the installed wheel, or the checkout's ``themes/``."""
    packaged = Path(__file__).resolve().parent.parent / "_themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "themes"


def user_dir() -> Path:
    return paths.config_dir() / "themes"


def load_dir(folder: Path, into: ThemeSet) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")):
        try:
            theme = parse_theme(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as exc:
            into.errors.append(LoadError(str(path), f"cannot read: {exc}"))
            continue
        except LoadError as exc:
            into.errors.append(exc)
            continue
        into.themes[theme.name] = theme  # a user's theme of the same name wins


def load_themes() -> ThemeSet:
    """Built-in themes, then the user's own (which may replace a built-in by name)."""
    found = ThemeSet()
    load_dir(builtin_dir(), found)
    load_dir(user_dir(), found)
    return found
