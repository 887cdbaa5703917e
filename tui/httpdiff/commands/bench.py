"""``httpdiff bench URL [curl flags] -n RUNS``: the timing lab from the command line.

The request flags are the same as ``httpdiff compare``'s (both come from
``storage.curl.add_curl_arguments``), so a command line moves between the two by
changing the sub-command. The figures come from ``httpdiff.bench``; this module
only parses, shows progress and renders text. The progress bar is plain text
redrawn with ``\\r`` on stderr, and only when stderr is a terminal, so piped or
captured output never carries it. Ctrl-C stops the runs and prints what was
measured (exit 130, as the shell expects of an interrupted command); further
interrupts while it winds down are ignored (see ``Interrupts``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
import threading
from collections.abc import Callable, Coroutine, Sequence
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from httpdiff.commands.common import EXIT_EQUIVALENT, Parser, fail
from httpdiff.errors import HttpdiffError

if TYPE_CHECKING:
    from httpdiff.backends import Settings
    from httpdiff.bench import BenchProgress, BenchResult, BenchSummary

EXIT_INTERRUPTED = 130
T = TypeVar("T")
SPARK = "▁▂▃▄▅▆▇█"
HISTOGRAM_BINS = 24
BAR_WIDTH = 30


def build_parser() -> argparse.ArgumentParser:
    from httpdiff.storage.curl import add_curl_arguments

    parser = Parser(
        prog="httpdiff bench",
        description="Send one request many times with every backend, interleaved and "
        "alternating who goes first, and compare their timings. Flags follow curl's.",
    )
    parser.add_argument("url", help="the URL (http:// is assumed when no scheme is given)")
    add_curl_arguments(parser)
    parser.add_argument("--backend", dest="backends", action="append", metavar="NAME",
                        help="a backend to use (repeatable; default: all)")
    parser.add_argument("--max-body", type=int, default=None, metavar="BYTES",
                        help="cap on the body each backend reads (default 10 MiB)")
    parser.add_argument("-n", "--runs", type=int, default=20, metavar="RUNS",
                        help="measured runs per backend (default 20)")
    parser.add_argument("--warmup", type=int, default=1, metavar="N",
                        help="runs per backend before measuring, not counted (default 1)")
    parser.add_argument("--concurrency", type=int, default=1, metavar="C",
                        help="requests in flight per backend (default 1)")
    parser.add_argument("--cold", action="store_true",
                        help="a new connection for every request (default: reuse one)")
    parser.add_argument("--no-phases", dest="phases", action="store_false",
                        help="time only download and total, with the libraries' tracing "
                        "off: throughput closest to the bare libraries")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser


class ProgressBar:
    """A one-line bar on a terminal, redrawn in place; silent when the stream is not a TTY."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.drawn = 0

    def __call__(self, progress: BenchProgress) -> None:
        if not self.enabled or progress.total == 0:
            return
        filled = BAR_WIDTH * progress.done // progress.total
        label = "warming up" if progress.warming else "measuring"
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        line = f"{label} [{bar}] {progress.done}/{progress.total}"
        latest = progress.latest
        if latest is not None and latest.timings.total is not None:
            line += f"  {latest.backend} {latest.timings.total:.1f} ms"
        self.stream.write("\r" + line.ljust(self.drawn))
        self.stream.flush()
        self.drawn = len(line)

    def clear(self) -> None:
        if self.enabled and self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
            self.drawn = 0


class Interrupts:
    """SIGINT during a bench: the first stops the runs, later ones cannot lose the report.

    ``asyncio.run`` cancels its task on the first SIGINT but raises KeyboardInterrupt
    on the second, wherever the loop happens to be; two interrupts milliseconds apart
    (as ``timeout`` or a shell wrapper often sends them) then threw away every
    measurement. While this is entered (the run and the printing of the report), the
    first SIGINT cancels the task running ``guard`` (``bench()`` then returns what it
    measured) and any later one is only counted. Outside the main thread, where
    signals cannot be handled, it does nothing.
    """

    def __init__(self) -> None:
        self.count = 0
        self._task: asyncio.Task[Any] | None = None
        self._previous: Callable[[int, FrameType | None], Any] | int | None = None
        self._installed = False

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
            self._installed = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._installed:
            previous = self._previous
            signal.signal(signal.SIGINT,
                          signal.default_int_handler if previous is None else previous)
            self._installed = False

    def _on_sigint(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
        task = self._task
        if self.count == 1 and task is not None and not task.done():
            # From the loop, not from inside whatever the handler interrupted.
            with contextlib.suppress(RuntimeError):  # the loop has just closed
                task.get_loop().call_soon_threadsafe(task.cancel)

    async def guard(self, work: Coroutine[Any, Any, T]) -> T | None:
        """Await ``work`` as the task the first SIGINT cancels; None if it left no result."""
        task = asyncio.current_task()
        self._task = task
        if self.count:  # interrupted before the loop started: nothing to measure
            work.close()
            return None
        try:
            return await work
        except asyncio.CancelledError:
            if not self.count or task is None:
                raise
            task.uncancel()  # ours, from the interrupt: stopped before a result existed
            return None


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _printable(text: str) -> str:
    # Failure messages can quote server bytes: keep them to one plain line.
    return "".join(ch if ch.isprintable() else "?" for ch in " ".join(text.split()))


def sparkline(counts: Sequence[int]) -> str:
    """A histogram as block characters, the tallest bin full height, empty bins blank."""
    top = max(counts, default=0)
    if top == 0:
        return " " * len(counts)
    return "".join(
        " " if c == 0 else SPARK[min(len(SPARK) - 1, (c * len(SPARK) - 1) // top)] for c in counts
    )


def _span_note(summary: BenchSummary, first: str, second: str) -> str:
    """A warning when one side's connect includes the TLS handshake and the other's does not.

    httpx times TLS as its own phase; aiohttp cannot, so its connect spans TCP and TLS.
    Their connect ratio then compares different things, which the reader must be told.
    """
    tls = {name: summary.backends[name].phases["tls"] for name in (first, second)}
    whole = [name for name, stats in tls.items() if stats is None]
    if len(whole) != 1:
        return ""
    return f"  (not the same span: {whole[0]}'s connect includes TLS)"


def render_text(result: BenchResult, summary: BenchSummary) -> str:
    """The report: settings, a table per backend and phase, histograms, ratios, verdict."""
    from httpdiff.backends import speed_notes
    from httpdiff.bench import ALL_PHASES
    from httpdiff.model import Failure
    from httpdiff.stats import histogram

    config = result.config
    mode = "cold: a new connection per request" if config.cold else "warm: connections reused"
    lines = [
        f"{result.spec.method} {result.spec.url}",
        f"{config.runs} runs x {len(config.backends)} backends, {config.warmup} warm-up, "
        f"concurrency {config.concurrency}, {mode}; {result.duration:.2f} s",
        "'wait' ends when the response headers are parsed (not the literal first byte)."
        if config.settings.phases else
        "phases off (--no-phases): only download and total are timed, without tracing.",
    ]
    if result.cancelled:
        lines.append(f"INTERRUPTED: {len(result.samples)} of {result.planned} samples measured")
    totals = {
        name: [s.timings.total for s in result.for_backend(name)
               if s.ok and s.timings.total is not None]
        for name in config.backends
    }
    everything = [v for values in totals.values() for v in values]
    low, high = (min(everything), max(everything)) if everything else (0.0, 0.0)
    for name, backend in summary.backends.items():
        lines += ["", f"{name}: {backend.samples} samples, {backend.failures} failed, "
                  f"{backend.reused} on a reused connection"]
        if backend.failure_kinds:
            kinds = ", ".join(f"{k} x{n}" for k, n in sorted(backend.failure_kinds.items()))
            first = next(s.outcome for s in result.for_backend(name)
                         if isinstance(s.outcome, Failure))
            assert isinstance(first, Failure)
            lines.append(f"  failures: {kinds}; first: {_printable(first.message)[:120]}")
        if backend.no_timings:  # no table of blanks: one line says why
            lines.append(f"  no timings: {backend.no_timings}")
            continue
        lines.append(f"  {'phase (ms)':<10} {'min':>9} {'median':>9} {'p95':>9} {'max':>9} "
                     f"{'stdev':>9} {'n':>5}")
        for phase in ALL_PHASES:
            stats = backend.phases[phase]
            if stats is None:
                lines.append(f"  {phase:<10} {backend.absent.get(phase, 'not observable'):>9}")
                continue
            lines.append(f"  {phase:<10} {_ms(stats.min):>9} {_ms(stats.median):>9} "
                         f"{_ms(stats.p95):>9} {_ms(stats.max):>9} {_ms(stats.stdev):>9} "
                         f"{stats.count:>5}")
        if totals[name]:
            bars = sparkline(histogram(totals[name], HISTOGRAM_BINS, low, high))
            lines.append(f"  total     |{bars}|  {low:.2f} – {high:.2f} ms")
    for pair in summary.pairs:
        lines += ["", f"{pair.first} / {pair.second}: ratio of medians "
                  f"(below 1: {pair.first} faster), 95% CI"]
        for phase in ALL_PHASES:
            ratio = pair.ratios[phase]
            if ratio is not None:
                note = _span_note(summary, pair.first, pair.second) if phase == "connect" else ""
                lines.append(f"  {phase:<10} {ratio.ratio:>6.3f}  {ratio.low:.3f}–{ratio.high:.3f}"
                             f"  ({ratio.pairs} pairs){note}")
        lines.append(f"  faster in paired runs: {pair.first} {pair.wins.first}, "
                     f"{pair.second} {pair.wins.second}, ties {pair.wins.ties}")
        missing = "; ".join(f"{name}: {reason}" for name in (pair.first, pair.second)
                            if (reason := summary.backends[name].no_timings))
        lines.append(f"verdict: {pair.verdict}" + (f" ({missing})" if missing else ""))
    lines.extend(f"note: {note}" for note in speed_notes())
    return "\n".join(lines)


def _settings(args: argparse.Namespace) -> tuple[list[str], Settings] | str:
    """(backend names, Settings) from the flags, or a message saying what is wrong."""
    from httpdiff import backends
    from httpdiff.backends import Settings

    names: list[str] = args.backends or backends.available()
    for name in names:
        if name not in backends.available():
            return f"unknown backend {name!r} (known: {', '.join(backends.available())})"
    if len(names) < 2:
        return "bench compares backends: give at least two (or none for all)"
    if args.max_body is not None and args.max_body <= 0:
        return "--max-body must be a positive number of bytes"
    if args.runs < 1 or args.warmup < 0 or args.concurrency < 1:
        return "-n and --concurrency must be at least 1, --warmup at least 0"
    settings = Settings(phases=args.phases)
    if args.max_body is not None:
        settings = Settings(max_body_bytes=args.max_body, phases=args.phases)
    return names, settings


def main(argv: Sequence[str]) -> int:
    from httpdiff.bench import bench, bench_document, summarise
    from httpdiff.storage.curl import spec_from_args

    args = build_parser().parse_args(argv)
    bar = ProgressBar(sys.stderr)
    with Interrupts() as interrupts:
        try:
            parsed = spec_from_args(args, args.url)
            chosen = _settings(args)
            if isinstance(chosen, str):
                return fail(chosen)
            names, settings = chosen
            for note in parsed.notes:
                print(f"httpdiff: note: {note}", file=sys.stderr)
            result = asyncio.run(interrupts.guard(bench(
                parsed.spec, names=names, runs=args.runs, warmup=args.warmup,
                concurrency=args.concurrency, cold=args.cold, settings=settings,
                on_progress=bar,
            )))
        except HttpdiffError as exc:
            return fail(str(exc))
        finally:
            bar.clear()
        if result is None:
            print("httpdiff: interrupted before anything was measured", file=sys.stderr)
            return EXIT_INTERRUPTED
        # Still inside: a late interrupt must not cut the report short either.
        summary = summarise(result)
        if args.format == "json":
            print(json.dumps(bench_document(result, summary), indent=2))
        else:
            print(render_text(result, summary))
        sys.stdout.flush()
    return EXIT_INTERRUPTED if result.cancelled else EXIT_EQUIVALENT
