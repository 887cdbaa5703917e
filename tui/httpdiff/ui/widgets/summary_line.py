"""One line that says how a backend's send ended: status, version, time, size, or the failure.

The status is coloured by class with the app's ``status-*`` theme variables and the
backend name with ``backend-<name>``; server text (the reason, an error message) goes
in through ``safe_text`` so it can never be markup or a terminal escape.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from httpdiff.model import Failure, Outcome
from httpdiff.ui.render import color, format_ms, format_size, safe_text, status_variable


class SummaryLine(Static):
    DEFAULT_CSS = """
    SummaryLine {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    """

    def _backend_label(self, backend: str) -> Text:
        palette = self.app.theme_variables
        tint = color(palette, f"backend-{backend}") or color(palette, "primary")
        return Text(backend, style=f"bold {tint}" if tint else "bold", end="")

    def show_empty(self, backend: str) -> None:
        self.update(Text.assemble(self._backend_label(backend), ("  no response yet", "dim")))

    def show_pending(self, backend: str) -> None:
        self.update(Text.assemble(self._backend_label(backend), ("  sending…", "italic")))

    def show_outcome(self, outcome: Outcome) -> None:
        palette = self.app.theme_variables
        line = self._backend_label(outcome.backend)
        line.append("  ")
        if isinstance(outcome, Failure):
            line.append(f"✗ {outcome.kind.value}", style=f"bold {color(palette, 'status-error')}")
            line.append("  ")
            line.append_text(safe_text(outcome.exception_type, "dim", limit=60))
            line.append(": ")
            line.append_text(safe_text(outcome.message, limit=300))
        else:
            tint = color(palette, status_variable(outcome.status))
            line.append(str(outcome.status), style=f"bold {tint}")
            if outcome.reason:
                line.append(" ")
                line.append_text(safe_text(outcome.reason, tint, limit=60))
            line.append("  ")
            line.append_text(safe_text(outcome.http_version or "?", limit=20))
            line.append("  ")
            line.append(format_size(len(outcome.body)))
            if outcome.truncated:
                line.append(" (capped)", style="bold")
        line.append("  ")
        line.append(format_ms(outcome.timings.total), style="dim")
        self.update(line)


__all__ = ["SummaryLine"]
