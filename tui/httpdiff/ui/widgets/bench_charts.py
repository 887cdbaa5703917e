"""The bench's two pictures: per-backend distributions of the totals, and the median phases.

Both are drawn as text from pure functions (so the geometry is tested without a
terminal) and shown by two small widgets. Every backend shares one axis in each
picture: a histogram's bins span the lowest to the highest total of *all*
backends, and the stacked phase bars share one millisecond scale, so equal widths
mean equal times. A phase a library cannot observe has no median at all; it is
never drawn as a zero-width segment but listed under its bar, hatched and labelled
"n/o". A backend with no timings at all (no sample yet, or every one failed) gets
one line saying so (``bench.no_timings``) instead of a bar or a histogram. The
legend and notes wrap between items, never inside one, at any width.
Colours are the theme's ``backend-*`` and ``phase-*`` variables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widget import Widget

from httpdiff.bench import BenchResult, BenchSummary, failure_kinds, no_timings
from httpdiff.bench.summary import NO_SAMPLES_YET
from httpdiff.model import PHASES
from httpdiff.stats import histogram
from httpdiff.ui.render import color, format_ms, one_line
from httpdiff.ui.widgets.bench_tables import NOT_OBSERVED, absent_label

BLOCKS = " ▁▂▃▄▅▆▇█"
HATCH = "░"
REST = "╌"
LABEL_WIDTH = 10
VALUE_WIDTH = 10
HISTOGRAM_HEIGHT = 3
MAX_BINS = 24


def histogram_rows(values: Sequence[float], low: float, high: float, bins: int,
                   height: int = HISTOGRAM_HEIGHT) -> list[str]:
    """``height`` rows of block characters, top row first, one column per bin.

    The tallest bin fills every row; any non-empty bin shows at least the lowest
    block, so a single outlier never disappears.
    """
    bins, height = max(bins, 1), max(height, 1)
    counts = histogram(values, bins, low, high)
    peak = max(counts, default=0)
    levels = [0 if not c or not peak else max(1, round(c / peak * height * 8)) for c in counts]
    rows = []
    for row in range(height - 1, -1, -1):  # the top row holds the eighths above row * 8
        rows.append("".join(BLOCKS[min(max(level - row * 8, 0), 8)] for level in levels))
    return rows


def phase_segments(medians: Mapping[str, float | None], axis_ms: float,
                   width: int) -> list[tuple[str, int, int]]:
    """(phase, start column, length) of each observed phase, stacked in order.

    Phases whose median is ``None`` are left out (the caller lists them as "n/o"), and
    so are phases at 0 (seen in under half of the sends: listed as "seen k/n");
    an observed phase gets at least one cell, so a fast one stays visible.
    """
    width = max(width, 1)
    scale = width / axis_ms if axis_ms > 0 else 0.0
    segments: list[tuple[str, int, int]] = []
    elapsed = 0.0
    for phase in PHASES:
        value = medians.get(phase)
        if not value:  # None: not observable; 0: skipped by the typical send
            continue
        start = min(round(elapsed * scale), width - 1)
        end = min(max(round((elapsed + value) * scale), start + 1), width)
        segments.append((phase, start, end - start))
        elapsed += value
    return segments


def medians_of(summary: BenchSummary, name: str) -> dict[str, float | None]:
    """Each phase's median for ``name``; ``None`` where no successful sample observed it."""
    backend = summary.backends[name]
    return {p: (s.median if (s := backend.phases.get(p)) else None) for p in (*PHASES, "total")}


def axis_of(medians: Mapping[str, float | None]) -> float:
    """The room one backend's bar needs: its median total or its stacked phases if longer."""
    stacked = sum(v for p in PHASES if (v := medians.get(p)) is not None)
    return max(stacked, medians.get("total") or 0.0)


def _label(name: str) -> str:
    return f"{one_line(name, LABEL_WIDTH - 1):<{LABEL_WIDTH}}"


def wrap_items(items: Sequence[Text], width: int, gap: int = 2) -> list[Text]:
    """``items`` packed into lines of at most ``width`` cells, ``gap`` spaces apart.

    A line breaks only between items, so "rest of total" never splits; an item
    wider than ``width`` gets a line of its own (and is cropped by the widget).
    """
    lines: list[Text] = []
    line = Text(end="")
    for item in items:
        if line.cell_len and line.cell_len + gap + item.cell_len > width:
            lines.append(line)
            line = Text(end="")
        if line.cell_len:
            line.append(" " * gap)
        line.append_text(item)
    if line.cell_len:
        lines.append(line)
    return lines


class BenchDistribution(Widget):
    """Per backend, a histogram of the sample totals (successful samples only)."""

    DEFAULT_CSS = """
    BenchDistribution { height: auto; width: 1fr; padding: 0 1; text-wrap: nowrap; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._result: BenchResult | None = None

    def show(self, result: BenchResult | None) -> None:
        self._result = result
        self.refresh(layout=True)

    def totals(self) -> dict[str, list[float]]:
        result = self._result
        if result is None:
            return {}
        return {
            name: [t for s in result.for_backend(name) if s.ok and (t := s.timings.total)
                   is not None]
            for name in result.config.backends
        }

    def missing(self) -> dict[str, str]:
        """Why a backend has no totals to draw: "no samples yet", "all 3 failed: connect"."""
        result = self._result
        if result is None:
            return {}
        reasons = {}
        for name in result.config.backends:
            samples = result.for_backend(name)
            reason = no_timings(len(samples), failure_kinds(samples))
            if reason:
                reasons[name] = reason
        return reasons

    def render(self) -> Text:
        totals = self.totals()
        missing = self.missing()
        out = Text(no_wrap=True, end="")
        out.append("Distribution of totals\n", style="bold")
        everything = [v for values in totals.values() for v in values]
        if self._result is None or not self._result.samples:
            out.append(NO_SAMPLES_YET, style="dim")
            return out
        if not everything:  # samples, but every one failed: say so per backend
            for index, (name, reason) in enumerate(missing.items()):
                out.append(("\n" if index else "") + _label(name), style="bold")
                out.append(one_line(reason), style="dim italic")
            return out
        low, high = min(everything), max(everything)
        width = max(self.size.width - LABEL_WIDTH - 2, 4)
        bins = min(width, MAX_BINS)
        cell = max(width // bins, 1)  # a bin drawn several columns wide reads as a bar
        palette = self.app.theme_variables
        for name, values in totals.items():
            if name in missing:
                out.append(_label(name), style="bold")
                out.append(one_line(missing[name]) + "\n", style="dim italic")
                continue
            tint = color(palette, f"backend-{name}") or color(palette, "primary")
            for index, row in enumerate(histogram_rows(values, low, high, bins)):
                top = index == 0
                out.append(_label(name) if top else " " * LABEL_WIDTH, style="bold" if top else "")
                out.append("".join(c * cell for c in row) + "\n", style=tint)
            out.append(" " * LABEL_WIDTH + f"n={len(values)}\n", style="dim")
        left, right = format_ms(low), format_ms(high)
        gap = max(bins * cell - len(left) - len(right), 1)
        out.append(" " * LABEL_WIDTH + left + " " * gap + right, style="dim")
        return out


class BenchPhases(Widget):
    """The median phases as one stacked horizontal bar per backend, on a shared axis."""

    DEFAULT_CSS = """
    BenchPhases { height: auto; width: 1fr; padding: 0 1; text-wrap: nowrap; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._names: list[str] = []
        self._medians: dict[str, dict[str, float | None]] = {}
        self._seen: dict[str, dict[str, tuple[int, int]]] = {}
        # Per backend, why phases have no median: "n/o", "reused", ... (bench_tables).
        self._absent: dict[str, dict[str, str]] = {}
        # Backends with no timings at all, and why ("no samples yet", "all 3 failed: ...").
        self._missing: dict[str, str] = {}
        self._phases = True

    def show(self, summary: BenchSummary | None, phases: bool = True) -> None:
        """Draw ``summary``; ``phases`` False: the bench ran without tracing."""
        self._names, self._medians, self._seen, self._absent, self._missing = [], {}, {}, {}, {}
        self._phases = phases
        if summary is not None:
            for name, backend in summary.backends.items():
                self._names.append(name)
                if backend.no_timings:
                    self._missing[name] = backend.no_timings
                    continue
                self._absent[name] = {p: absent_label(r) for p, r in backend.absent.items()}
                medians = medians_of(summary, name)
                good = backend.samples - backend.failures
                self._seen[name] = {p: (s.count, good) for p in PHASES
                                    if (s := backend.phases.get(p)) and s.count < good}
                for phase, (seen, _) in self._seen[name].items():
                    if seen * 2 < good:  # e.g. connect on a reused pool: the typical send skips it
                        medians[phase] = 0.0
                self._medians[name] = medians
        self.refresh(layout=True)

    def _notes(self, name: str, missing: list[str]) -> list[Text]:
        """"░░ n/o: tls", "reused: dns, connect", "connect seen 1/9": what has no bar, and why."""
        groups: dict[str, list[str]] = {}
        reasons = self._absent.get(name, {})
        for phase in missing:
            groups.setdefault(reasons.get(phase, "n/o"), []).append(phase)
        notes = [Text(f"{label}: {', '.join(phases)}", style="dim italic")
                 for label, phases in groups.items()]
        if notes:
            notes[0] = Text(HATCH * 2 + " ", style="dim") + notes[0]
        notes += [Text(f"{p} seen {k}/{n}", style="dim")
                  for p, (k, n) in self._seen.get(name, {}).items()]
        return notes

    def _bar(self, out: Text, medians: Mapping[str, float | None], axis: float,
             width: int) -> None:
        palette = self.app.theme_variables
        cursor = 0
        for phase, start, length in phase_segments(medians, axis, width):
            out.append(" " * (start - cursor))
            out.append("█" * length, style=color(palette, f"phase-{phase}"))
            cursor = start + length
        total = medians.get("total")
        # the median total is not the sum of the phase medians: show the gap, unattributed
        end = min(round(total * width / axis), width) if total and axis else cursor
        out.append(REST * max(end - cursor, 0), style="dim")
        out.append(" " * (width - max(end, cursor)))
        shown = NOT_OBSERVED if total is None else format_ms(total)
        out.append(f"{shown:>{VALUE_WIDTH}}\n")

    def _legend(self, full: int) -> list[Text]:
        palette = self.app.theme_variables
        keys = [Text.assemble(("█", color(palette, f"phase-{phase}")),
                              f" {'wait*' if phase == 'wait' else phase}") for phase in PHASES]
        keys.append(Text.assemble((REST, "dim"), " rest of total"))
        notes = (["n/o = not observable by that library;", "* wait ends at parsed headers"]
                 if self._phases else ["off = not timed: phases off", "(no library tracing)"])
        return [*wrap_items(keys, full), *wrap_items([Text(n, style="dim") for n in notes],
                                                     full, gap=1)]

    def render(self) -> Text:
        out = Text(no_wrap=True, end="")
        out.append("Median phases (successful samples)\n", style="bold")
        if not self._names:
            out.append(NO_SAMPLES_YET, style="dim")
            return out
        full = max(self.size.width, 1)
        width = max(full - LABEL_WIDTH - VALUE_WIDTH - 2, 4)
        axis = max((axis_of(m) for m in self._medians.values()), default=0.0)
        for name in self._names:
            out.append(_label(name), style="bold")
            if name in self._missing:  # no bar to draw: say why, once
                out.append(one_line(self._missing[name]) + "\n", style="dim italic")
                continue
            medians = self._medians[name]
            self._bar(out, medians, axis, width)
            notes = self._notes(name, [p for p in PHASES if medians.get(p) is None])
            for line in wrap_items(notes, full - LABEL_WIDTH):
                out.append(" " * LABEL_WIDTH)
                out.append_text(line)
                out.append("\n")
        if self._medians:
            out.append(" " * LABEL_WIDTH + "0" + f"{'axis ' + format_ms(axis):>{width - 1}}\n",
                       style="dim")
        out.append_text(Text("\n", end="").join(self._legend(full)))
        return out


__all__ = [
    "BenchDistribution", "BenchPhases", "axis_of", "histogram_rows", "medians_of",
    "phase_segments", "wrap_items",
]
