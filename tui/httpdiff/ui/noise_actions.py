"""The noise rules the app compares with: the collection's ``noise.yaml``, and marks since.

A mark or unmark from the diff view is applied for the session at once and written to
``noise.yaml`` (``CollectionState.set_noise_rule``: the file as it is on disk then,
never a broken one rewritten); when it cannot be written the user is told, and the
mark still holds until the app quits.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on

from httpdiff.diff import recompute
from httpdiff.errors import LoadError
from httpdiff.model import Comparison
from httpdiff.noise import NoiseRules
from httpdiff.ui.export_actions import ExportActions
from httpdiff.ui.widgets.diff_view import DiffView


class NoiseActions(ExportActions):
    """Owns the rules; the app shows a comparison again when they change (``_show``)."""

    comparison: Comparison | None
    _show: Callable[[Comparison], None]  # the app draws a comparison
    # Marks that could not be saved (noise.yaml broken); None: the collection's rules.
    _unsaved_rules: NoiseRules | None = None

    @property
    def rules(self) -> NoiseRules:
        if self._unsaved_rules is not None:
            return self._unsaved_rules
        state = self.collection_state
        return state.noise if state is not None else NoiseRules()

    @on(DiffView.NoiseMarked)
    @on(DiffView.NoiseUnmarked)
    def _noise_changed(self, event: DiffView.NoiseMarked | DiffView.NoiseUnmarked) -> None:
        marked = isinstance(event, DiffView.NoiseMarked)
        rules = self.rules
        self._unsaved_rules = (rules.with_rule if marked else rules.without_rule)(event.rule)
        state = self.collection_state
        if state is not None:
            try:
                state.set_noise_rule(event.rule, marked)
                self._unsaved_rules = None
            except (LoadError, OSError) as exc:
                self.notify(f"Applied but not saved: {exc}", title="Noise rule",
                            severity="warning", markup=False)
        if self.comparison is not None:  # the verdict follows the rules at once
            self._show(recompute(self.comparison, self.rules))


__all__ = ["NoiseActions"]
