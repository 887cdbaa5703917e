"""Phase timings as a waterfall on a time axis shared by every pane.

The axis is given from outside (the slowest total over all panes) so equal bars mean
equal times side by side. A phase the library cannot observe is drawn as the words
"not observable" and does not advance the waterfall: it is never a zero-width bar
pretending to be measured. "wait" ends when the response headers were parsed, which
is what both libraries can observe, not the literal first byte.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from httpdiff.model import PHASES, Timings
from httpdiff.ui.render import color, format_ms

LABELS = {
    "dns": "dns",
    "connect": "connect",
    "tls": "tls",
    "send": "send",
    "wait": "wait*",
    "download": "download",
    "total": "total",
}
LABEL_WIDTH = 9
VALUE_WIDTH = 16


def waterfall_rows(
    timings: Timings, axis_ms: float, width: int
) -> list[tuple[str, int, int, float | None]]:
    """(phase, bar start column, bar length, value) per phase and for the total.

    Pure so the geometry can be tested: observable phases follow one another; a phase
    with ``None`` gets no bar; any measured phase gets at least one cell.
    """
    width = max(width, 1)
    scale = width / axis_ms if axis_ms > 0 else 0.0
    rows: list[tuple[str, int, int, float | None]] = []
    elapsed = 0.0
    for phase in PHASES:
        value = timings.phase(phase)
        if value is None:
            rows.append((phase, 0, 0, None))
            continue
        start = min(int(elapsed * scale), width - 1)
        length = max(1, min(round(value * scale), width - start))
        rows.append((phase, start, length, value))
        elapsed += value
    total = timings.total
    length = 0 if total is None else max(1, min(round(total * scale), width))
    rows.append(("total", 0, length, total))
    return rows


class TimingView(Widget):
    DEFAULT_CSS = """
    TimingView { height: auto; padding: 0 1; }
    """

    axis_ms: reactive[float] = reactive(0.0)
    timings: reactive[Timings | None] = reactive(None)

    def render(self) -> Text:
        timings = self.timings
        if timings is None:
            return Text("no timings yet", style="dim")
        palette = self.app.theme_variables
        bar_width = max(self.size.width - LABEL_WIDTH - VALUE_WIDTH - 2, 4)
        axis = self.axis_ms or (timings.total or 0.0)
        out = Text(no_wrap=True)
        for phase, start, length, value in waterfall_rows(timings, axis, bar_width):
            out.append(f"{LABELS[phase]:<{LABEL_WIDTH}}", style="bold" if phase == "total" else "")
            if value is None:
                out.append(f"{'not observable':<{bar_width}}", style="dim italic")
            else:
                tint = color(palette, f"phase-{phase}") or color(palette, "primary")
                out.append(" " * start)
                out.append("█" * length, style=tint)
                out.append(" " * (bar_width - start - length))
            out.append(f"  {format_ms(value):>{VALUE_WIDTH}}\n")
        out.append(f"{'':<{LABEL_WIDTH}}0{'axis ' + format_ms(axis):>{bar_width - 1}}\n", "dim")
        out.append(
            "* wait ends when the response headers were parsed,\n"
            "  not at the literal first byte.\n"
            "The axis is shared by every pane. httpx's connect\n"
            "includes DNS; aiohttp's connect includes TLS.",
            style="dim",
        )
        return out


__all__ = ["TimingView", "waterfall_rows"]
