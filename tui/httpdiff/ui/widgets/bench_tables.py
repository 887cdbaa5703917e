"""The bench's figures as table rows: statistics per backend and phase, ratios per pair.

Pure: a ``BenchSummary`` in, rows of ``rich.text.Text`` out, so the bench view only
fills two ``DataTable``s and tests can read the rows without a screen. A phase with
no observation shows why in every cell ("n/o": not observable; "reused": no new
connection, so no connect; "off": phases off), never a zero; failures are
counted on each backend's "total" row, since a failed send has no phase timings.
A backend with no timings at all (no sample yet, or every one failed) gets one
row saying so, not seven rows of blanks.
"""

from __future__ import annotations

from rich.text import Text

from httpdiff.backends import speed_notes
from httpdiff.bench import ALL_PHASES, BenchSummary, PairSummary
from httpdiff.bench.summary import NO_SAMPLE, NOT_TIMED, REUSED
from httpdiff.stats import NO_DIFFERENCE
from httpdiff.ui.render import format_ms, one_line

STATS_COLUMNS = ("backend", "phase", "count", "failures", "min", "median", "p95", "max", "std")
RATIO_COLUMNS = ("pair", "phase", "ratio", "95% CI", "pairs", "")
NOT_OBSERVED = "n/o"
# The short form of each reason a phase has no figures (bench.summary.absent_reason).
ABSENT_LABELS = {REUSED: "reused", NOT_TIMED: "off", NO_SAMPLE: "–"}


def absent_label(reason: str | None) -> str:
    return ABSENT_LABELS.get(reason or "", NOT_OBSERVED)


def _ms(value: float | None) -> str:
    return NOT_OBSERVED if value is None else format_ms(value)


def _failures(count: int, kinds: dict[str, int]) -> str:
    """"3 (connect 2, timeout 1)", or "0"."""
    if not count:
        return "0"
    return f"{count} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"


def without_timings(summary: BenchSummary, pair: PairSummary) -> str:
    """"aiohttp: no samples yet" for each side of ``pair`` with no timings, or ""."""
    return "; ".join(f"{name}: {reason}" for name in (pair.first, pair.second)
                     if (reason := summary.backends[name].no_timings))


def stats_rows(summary: BenchSummary) -> list[tuple[Text, ...]]:
    """One row per backend and phase (the total last), in the columns of ``STATS_COLUMNS``."""
    rows: list[tuple[Text, ...]] = []
    for name, backend in summary.backends.items():
        if backend.no_timings:
            failures = _failures(backend.failures, backend.failure_kinds)
            rows.append((Text(one_line(name)), Text(backend.no_timings, style="dim italic"),
                         Text("0"), Text(failures, style="bold" if backend.failures else ""),
                         *(Text("") for _ in range(5))))
            continue
        for phase in ALL_PHASES:
            stats = backend.phases.get(phase)
            total = phase == "total"
            style = "bold" if total else ""
            failures = _failures(backend.failures, backend.failure_kinds) if total else ""
            if stats is None:
                label = absent_label(backend.absent.get(phase))
                rows.append((Text(one_line(name)), Text(phase, style=style), Text("0"),
                             Text(failures),
                             *(Text(label, style="dim italic") for _ in range(5))))
                continue
            values = (stats.min, stats.median, stats.p95, stats.max, stats.stdev)
            rows.append((
                Text(one_line(name)), Text(phase, style=style), Text(str(stats.count)),
                Text(failures, style="bold" if backend.failures else ""),
                *(Text(_ms(v) if v is not None else "–", style=style, justify="right")
                  for v in values),
            ))
    return rows


def ratio_rows(summary: BenchSummary) -> list[tuple[Text, ...]]:
    """Per pair and phase: median(first) / median(second), its 95% CI, the pairs it rests on."""
    rows: list[tuple[Text, ...]] = []
    for pair in summary.pairs:
        label = one_line(f"{pair.first} / {pair.second}")
        missing = without_timings(summary, pair)
        if missing:  # nothing to pair up: say why once
            rows.append((Text(label), Text("–", style="dim"), Text("–", style="dim"),
                         Text(one_line(missing), style="dim italic"), Text("0"), Text("")))
            continue
        for phase in ALL_PHASES:
            estimate = pair.ratios.get(phase)
            style = "bold" if phase == "total" else ""
            if estimate is None:
                rows.append((Text(label), Text(phase, style=style),
                             Text("–", style="dim"), Text("not enough data", style="dim"),
                             Text("0"), Text("")))
                continue
            mark = "≈ 1" if estimate.includes_one else ""
            rows.append((
                Text(label), Text(phase, style=style),
                Text(f"{estimate.ratio:.3f}", style=style, justify="right"),
                Text(f"{estimate.low:.3f} – {estimate.high:.3f}", justify="right"),
                Text(str(estimate.pairs), justify="right"),
                Text(mark, style="dim"),
            ))
    return rows


def verdict_text(summary: BenchSummary) -> Text:
    """One line per pair: the verdict on the totals and how often each side was faster."""
    out = Text(end="")
    if not summary.pairs:
        out.append("verdict: one backend only, nothing to compare", style="dim")
        return out
    for index, pair in enumerate(summary.pairs):
        if index:
            out.append("\n")
        style = "bold dim" if pair.verdict.startswith(NO_DIFFERENCE) else "bold"
        out.append(one_line(f"{pair.first} vs {pair.second}: "), style="bold")
        out.append(one_line(pair.verdict), style=style)
        missing = without_timings(summary, pair)
        if missing:
            out.append(one_line(f" ({missing})"), style="dim")
        won = pair.wins
        if won.total:
            out.append(one_line(f"   {pair.first} faster in {won.first} of {won.total} runs, "
                                f"{pair.second} in {won.second}"), style="dim")
    out.append("\nratio = median(first) / median(second); below 1 the first is faster",
               style="dim")
    for note in speed_notes():
        out.append(f"\nnote: {note}", style="dim italic")
    return out


__all__ = [
    "RATIO_COLUMNS", "STATS_COLUMNS", "ratio_rows", "stats_rows", "verdict_text",
    "without_timings",
]
