"""The responses, one pane per backend: side by side, or stacked on a narrow terminal.

The app drives it through five calls (``set_backends``, ``show_pending``, ``show_outcome``,
``show_comparison``, ``clear``) and never reaches into the panes. The view owns what
spans panes: the shared time axis of the waterfalls (the slowest total, so bars compare
across panes), synchronised body scrolling, and maximising one pane.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.events import Resize
from textual.reactive import reactive
from textual.widget import Widget

from httpdiff.model import Comparison, Outcome
from httpdiff.ui.widgets.body_view import BodyView
from httpdiff.ui.widgets.response_pane import ResponsePane

NARROW_COLUMNS = 100


def pane_class(name: str) -> str:
    """A CSS class for a backend's pane (letters, digits, ``-`` and ``_`` only)."""
    return "pane-" + re.sub(r"[^A-Za-z0-9_-]", "_", name)


class ResultsView(Widget):
    DEFAULT_CSS = """
    ResultsView { height: 1fr; }
    ResultsView > #panes { layout: horizontal; height: 1fr; }
    ResultsView.-narrow > #panes { layout: vertical; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "toggle_sync_scroll", "Sync scroll", id="sync-scroll"),
        Binding("z", "toggle_maximize_pane", "Maximise pane", id="maximize-pane"),
    ]

    sync_scroll: reactive[bool] = reactive(True)

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, name: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes, name=name)
        self._names: tuple[str, ...] = ()
        self._panes: dict[str, ResponsePane] = {}
        self._outcomes: dict[str, Outcome] = {}
        self._syncing = False

    def compose(self) -> ComposeResult:
        yield Container(id="panes")

    def on_mount(self) -> None:
        self._update_narrow()

    def on_resize(self, event: Resize) -> None:
        self._update_narrow()

    def _update_narrow(self) -> None:
        self.set_class(self.app.size.width < NARROW_COLUMNS, "-narrow")

    # -- the seam ------------------------------------------------------------------

    @property
    def backends(self) -> tuple[str, ...]:
        return self._names

    def pane(self, name: str) -> ResponsePane:
        return self._panes[name]

    def set_backends(self, names: Sequence[str]) -> None:
        """One pane per backend, in this order; unchanged names keep their panes."""
        names = tuple(dict.fromkeys(names))
        if names == self._names:
            return
        self._names = names
        old, self._panes = self._panes, {}
        for pane in old.values():
            pane.remove()
        self._outcomes = {k: v for k, v in self._outcomes.items() if k in names}
        # No DOM ids: an old pane is removed asynchronously and could still hold the id.
        for name in names:
            self._panes[name] = ResponsePane(name, classes=pane_class(name))
        if self._panes:
            self.query_one("#panes").mount_all(self._panes.values())

    def show_pending(self, names: Sequence[str]) -> None:
        self.set_backends(names)
        self._outcomes = {}
        for name in names:
            self._panes[name].show_pending()
        self._update_axis()

    def show_outcome(self, name: str, outcome: Outcome) -> None:
        if name not in self._panes:
            self.set_backends((*self._names, name))
        self._outcomes[name] = outcome
        self._panes[name].show_outcome(outcome)
        self._update_axis()

    def show_comparison(self, comparison: Comparison) -> None:
        self.set_backends(tuple(comparison.outcomes))
        self._outcomes = dict(comparison.outcomes)
        for name, outcome in comparison.outcomes.items():
            self._panes[name].show_outcome(outcome, comparison)
        self._update_axis()

    def redraw(self) -> None:
        """Every pane drawn again as it stands (pending, an outcome, or empty)."""
        for pane in self._panes.values():
            pane.redraw()

    def clear(self) -> None:
        self._outcomes = {}
        for pane in self._panes.values():
            pane.clear()
        self._update_axis()

    def _update_axis(self) -> None:
        totals = [o.timings.total for o in self._outcomes.values() if o.timings.total]
        axis = max(totals, default=0.0)
        for pane in self._panes.values():
            pane.set_axis(axis)

    # -- cross-pane behaviour -----------------------------------------------------

    def action_toggle_sync_scroll(self) -> None:
        self.sync_scroll = not self.sync_scroll
        self.notify(f"body scrolling {'together' if self.sync_scroll else 'independent'}")

    @on(BodyView.Scrolled)
    def _body_scrolled(self, event: BodyView.Scrolled) -> None:
        event.stop()
        if not self.sync_scroll or self._syncing:
            return
        self._syncing = True
        try:
            for pane in self._panes.values():
                view = pane.body_view
                if view is not event.view:
                    view.suppress_scroll_message = True
                    try:
                        view.scroll_to(y=event.y, animate=False, immediate=True)
                    finally:
                        view.suppress_scroll_message = False
        finally:
            self._syncing = False

    def _focused_pane(self) -> ResponsePane | None:
        focused = self.screen.focused
        for pane in self._panes.values():
            if focused is not None and (focused is pane or pane in focused.ancestors):
                return pane
        return next(iter(self._panes.values()), None)

    def action_toggle_maximize_pane(self) -> None:
        screen = self.screen
        if isinstance(screen.maximized, ResponsePane):
            screen.minimize()
            return
        pane = self._focused_pane()
        if pane is not None and screen.maximize(pane, container=False):
            # Keys must go to what is shown: focus moves into the pane if it was elsewhere.
            focused = screen.focused
            if focused is None or pane not in focused.ancestors_with_self:
                target = next((w for w in pane.query("*") if w.focusable), None)
                if target is not None:
                    target.focus()


__all__ = ["NARROW_COLUMNS", "ResultsView", "pane_class"]
