"""The redirect chain of one send: every hop's request, status and Location, then the end.

Hops come from the snapshot (or failure) itself, so a failure after two redirects still
shows where it went.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from httpdiff.model import Failure, Outcome
from httpdiff.ui.render import color, safe_text, status_variable


def redirects_text(outcome: Outcome | None, palette: dict[str, str]) -> Text:
    if outcome is None:
        return Text("no response yet", style="dim")
    if not outcome.redirects:
        return Text("no redirects", style="dim")
    out = Text(no_wrap=True)
    for number, hop in enumerate(outcome.redirects, 1):
        location = next((v for n, v in hop.headers if n.lower() == "location"), None)
        out.append(f"{number:>2}. ")
        out.append(str(hop.status), style=f"bold {color(palette, status_variable(hop.status))}")
        out.append("  ")
        out.append_text(safe_text(hop.request.method, "bold", limit=20))
        out.append(" ")
        out.append_text(safe_text(hop.request.url, limit=500))
        out.append("\n    → ")
        if location is None:
            out.append("no Location header", style="dim")
        else:
            out.append_text(safe_text(location, limit=500))
        out.append("\n")
    if isinstance(outcome, Failure):
        out.append(f" end: failed ({outcome.kind.value})", style=color(palette, "status-error"))
    else:
        out.append(" end: ")
        tint = color(palette, status_variable(outcome.status))
        out.append(str(outcome.status), style=f"bold {tint}")
        out.append("  ")
        out.append_text(safe_text(outcome.request.url, limit=500))
    return out


class RedirectsView(Static):
    DEFAULT_CSS = "RedirectsView { padding: 0 1; height: auto; }"

    def show_outcome(self, outcome: Outcome | None) -> None:
        self.update(redirects_text(outcome, dict(self.app.theme_variables)))


__all__ = ["RedirectsView", "redirects_text"]
