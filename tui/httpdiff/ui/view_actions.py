"""The app's parts, and moving between them: focus keys, the views' tabs, maximising.

Kept apart from the send path in ``app.py``; every key here only changes what is
shown or focused.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import TabbedContent

from httpdiff.ui.noise_actions import NoiseActions
from httpdiff.ui.widgets.backend_toggle import BackendToggle
from httpdiff.ui.widgets.bench_view import BenchView
from httpdiff.ui.widgets.diff_view import DiffView
from httpdiff.ui.widgets.request_editor import RequestEditor
from httpdiff.ui.widgets.results_view import ResultsView


class ViewActions(NoiseActions):
    """The main screen's widgets by role, and the actions that show or focus them."""

    @property
    def editor(self) -> RequestEditor:
        return self.query_one("#editor", RequestEditor)

    @property
    def backends(self) -> BackendToggle:
        return self.query_one("#backends", BackendToggle)

    @property
    def results(self) -> ResultsView:
        return self.query_one("#results", ResultsView)

    @property
    def diff(self) -> DiffView:
        return self.query_one("#diff", DiffView)

    @property
    def _views(self) -> TabbedContent:
        return self.query_one("#views", TabbedContent)

    def action_focus_url(self) -> None:
        self.editor.url_bar.focus()

    def action_focus_editor(self) -> None:
        self.editor.query_one("#editor-tabs Tabs").focus()

    def action_focus_responses(self) -> None:
        self._show_view("responses-tab", self.results)

    def action_focus_diff(self) -> None:
        self._show_view("diff-tab", self.diff)

    def action_show_bench(self) -> None:
        self._show_view("bench-tab", self.query_one("#bench-settings Input"))

    def _show_view(self, tab: str, view: Widget) -> None:
        self._views.active = tab
        # once the switch has made the view visible, focus the first thing in it that can be
        focusable = [view, *view.query("*")]
        self.call_after_refresh(lambda: next((w for w in focusable if w.focusable), view).focus())

    def action_cycle_backends(self) -> None:
        self.backends.cycle()

    def action_maximize_pane(self) -> None:
        """Maximise the view with focus (the diff, the bench), else a response pane; or restore."""
        screen = self.screen
        if screen.maximized is not None:
            screen.minimize()
            return
        focused = screen.focused
        for view in (self.diff, self.query_one(BenchView)):
            if focused is not None and view in focused.ancestors_with_self:
                screen.maximize(view, container=False)
                return
        self._views.active = "responses-tab"
        self.run_worker(self.results.run_action("toggle_maximize_pane"))


__all__ = ["ViewActions"]
