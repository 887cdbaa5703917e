"""Themes in the app: theme files become Textual themes; the chosen one is applied and remembered.

``httpdiff.storage.themes`` loads and validates the YAML; this module turns each
``ThemeSpec`` into a ``textual.theme.Theme`` and registers it, picks the theme to
start with (``--theme``, else the config, else httpdiff-dark), and remembers every
later change of ``App.theme`` in the config, except while the theme picker previews.

Decisions:

- A theme's pygments style and marker mode ride along as two extra theme variables
  (``syntax-style``, ``diff-markers``; see ``ui.render``), so widgets read everything
  from ``App.theme_variables`` and a Textual built-in theme gets them from
  ``variable_defaults`` (a dark or light pygments style, colour markers).
- Textual 8's own theme picker changes the theme only on enter. ``ThemePicker`` is the
  same command palette, listing the current theme first, that previews each theme as
  the cursor moves over it and puts the old one back on escape; only enter is remembered.
- Text styles baked into Rich ``Text`` (tables, summary lines) are not CSS, so the
  keeper calls ``on_applied`` once the new variables are in place, and the app re-draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import App
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.theme import Theme
from textual.widgets import OptionList

from httpdiff.storage.config import DEFAULT_THEME, load_config, remember_theme
from httpdiff.storage.themes import VARIABLES, ThemeSpec, load_themes
from httpdiff.ui.render import MARKERS_VARIABLE, SYNTAX_VARIABLE

SYNTAX_DARK = "monokai"
SYNTAX_LIGHT = "default"
SYMBOLS_CLASS = "-markers-symbols"


def to_textual(spec: ThemeSpec) -> Theme:
    """A ``ThemeSpec`` as a Textual theme: base colours, then httpdiff's variables."""
    colors = spec.colors
    variables = {
        **spec.variables, SYNTAX_VARIABLE: spec.pygments_style, MARKERS_VARIABLE: spec.markers,
    }
    return Theme(
        name=spec.name,
        primary=colors["primary"],
        secondary=colors.get("secondary"),
        accent=colors.get("accent"),
        foreground=colors.get("foreground"),
        background=colors.get("background"),
        surface=colors.get("surface"),
        panel=colors.get("panel"),
        boost=colors.get("boost"),
        warning=colors.get("warning"),
        error=colors.get("error"),
        success=colors.get("success"),
        dark=spec.dark,
        variables=variables,
    )


def variable_defaults(dark: bool) -> dict[str, str]:
    """httpdiff's variables for a theme that does not set them (Textual's own themes)."""
    return {
        **VARIABLES,
        SYNTAX_VARIABLE: SYNTAX_DARK if dark else SYNTAX_LIGHT,
        MARKERS_VARIABLE: "colour",
    }


def starting_theme(
    requested: str | None, configured: str, available: set[str]
) -> tuple[str, list[str]]:
    """The theme to start with and what to tell the user about the choice.

    ``--theme`` wins, then the config; an unknown name falls back to the next choice
    and is named once. httpdiff-dark is always the last resort (it ships with the app).
    """
    notes: list[str] = []
    if requested:
        if requested in available:
            return requested, notes
        notes.append(f"Unknown theme {requested!r}: using the default. See `httpdiff themes`.")
    if configured in available:
        return configured, notes
    if not requested:
        notes.append(f"Unknown theme {configured!r} in the config: using the default.")
    return (DEFAULT_THEME if DEFAULT_THEME in available else "textual-dark"), notes


@dataclass(eq=False)
class ThemeKeeper:
    """Registers the theme files with ``app``, applies the starting theme, and remembers changes.

    Create it in the app's ``__init__`` (registration and the starting theme must come
    before the first CSS pass); call ``start`` from ``on_mount``.
    """

    app: App[Any]
    requested: str | None = None
    on_applied: Callable[[], object] | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)
    _remembered: str = ""
    _previewing: bool = False
    _original: str = ""

    def __post_init__(self) -> None:
        found = load_themes()
        for spec in found.themes.values():
            self.app.register_theme(to_textual(spec))
        for error in found.errors:
            self.notes.append(("Theme not loaded", str(error)))
        config, problem = load_config()
        if problem is not None:
            self.notes.append(("Config not read", str(problem)))
        name, notes = starting_theme(self.requested, config.theme, set(self.app.available_themes))
        self.notes.extend(("Theme", note) for note in notes)
        self._remembered = config.theme
        self.app.theme = name

    def start(self) -> None:
        """Tell the user what went wrong at startup, and follow theme changes from now on."""
        for title, note in self.notes:
            self.app.notify(note, title=title, severity="warning", markup=False, timeout=10)
        if self.requested and self.app.theme == self.requested:
            self._remember(self.requested)  # --theme NAME is remembered
        self.app.watch(self.app, "theme", self._theme_set, init=False)
        self.app.theme_changed_signal.subscribe(self.app, self._applied)
        self.app.set_class(self.symbols, SYMBOLS_CLASS)

    @property
    def symbols(self) -> bool:
        return self.app.theme_variables.get(MARKERS_VARIABLE) == "symbols"

    @property
    def previewing(self) -> bool:
        return self._previewing

    # -- the picker --------------------------------------------------------------------

    def begin_preview(self) -> None:
        if not self._previewing:
            self._previewing, self._original = True, self.app.theme

    def preview(self, name: str) -> None:
        if self._previewing and name in self.app.available_themes:
            self.app.theme = name

    def choose(self, name: str) -> None:
        """The user picked ``name``: apply it and remember it."""
        self._previewing = False
        self.app.theme = name
        self._remember(name)  # a previewed theme is already set, so no change to follow

    def end_preview(self) -> None:
        """The picker closed: without a choice, the theme from before the preview returns."""
        if self._previewing:
            self.app.theme = self._original
            self._previewing = False

    # -- following changes -----------------------------------------------------------------

    def _theme_set(self, name: str) -> None:
        # runs at once when App.theme is set, so the preview flag is still accurate here
        if not self._previewing:
            self._remember(name)

    def _remember(self, name: str) -> None:
        if name != self._remembered:
            remember_theme(name)
            self._remembered = name

    def _applied(self, theme: Theme) -> None:
        # the signal comes after the CSS refresh: theme_variables hold the new theme's values
        self.app.set_class(self.symbols, SYMBOLS_CLASS)
        if self.on_applied is not None:
            self.on_applied()


class ThemeChoices(Provider):
    """Every registered theme: the current one first, then by name; each hit's text is its name."""

    def _keeper(self) -> ThemeKeeper | None:
        screen = self.screen
        return screen.keeper if isinstance(screen, ThemePicker) else None

    def _themes(self) -> list[tuple[str, str]]:
        themes = self.app.available_themes
        current = self.app.theme
        names = sorted(themes, key=lambda name: (name != current, name))
        return [(name, "dark" if themes[name].dark else "light") for name in names]

    def _pick(self, name: str) -> None:
        keeper = self._keeper()
        if keeper is not None:
            keeper.choose(name)
        else:
            self.app.theme = name

    async def discover(self) -> Hits:
        for name, kind in self._themes():
            yield DiscoveryHit(Content(name), lambda n=name: self._pick(n), text=name,
                               help=escape(kind))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, kind in self._themes():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, Content(name), lambda n=name: self._pick(n), text=name,
                          help=escape(kind))


class ThemePicker(CommandPalette):
    """The theme palette, previewing the highlighted theme; escape restores the old one."""

    def __init__(self, keeper: ThemeKeeper) -> None:
        super().__init__(providers=[ThemeChoices], placeholder="Search for themes…")
        self.keeper = keeper

    def on_mount(self) -> None:
        self.keeper.begin_preview()

    @on(OptionList.OptionHighlighted)
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        hit = getattr(event.option, "hit", None)
        if hit is not None and hit.text:
            self.keeper.preview(hit.text)

    def on_unmount(self) -> None:
        self.keeper.end_preview()


__all__ = [
    "SYMBOLS_CLASS",
    "ThemeChoices",
    "ThemeKeeper",
    "ThemePicker",
    "starting_theme",
    "to_textual",
    "variable_defaults",
]
