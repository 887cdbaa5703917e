"""The timing lab in the app: settings, Start/Stop, live pictures and the statistics.

The bench runs the request the app would send, asked from a ``source`` callable
the app provides, so the bench and the send path resolve a request the same way.
It is measured in a child process (``httpdiff.bench.process``): in this one every
repaint holds the GIL, and the request in flight waits (medians came out 2-3
times too slow). An exclusive Textual worker thread (group "bench") drives the
child and turns its samples into messages. Stop cancels that driver, which asks
the child to stop; what was measured stays on screen.

Progress comes back as ``Progressed`` messages that replace each other in the
queue (``can_replace``, as toolong does), so however fast samples arrive the view
handles only the latest state. The statistics include a bootstrap (2,000
resamples per phase at the end, pure Python, seconds on large runs), so summaries
are computed in a thread, one at a time and at most every ``LIVE_INTERVAL`` while
running; live ones use fewer resamples. A generation number drops anything late
from an earlier run.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static
from textual.worker import Worker, WorkerState, get_current_worker

from httpdiff.backends import Settings
from httpdiff.bench import (
    BenchProgress,
    BenchResult,
    BenchSummary,
    summarise,
)
from httpdiff.bench.process import bench_in_subprocess
from httpdiff.errors import InvalidRequest
from httpdiff.model import RequestSpec
from httpdiff.stats import DEFAULT_RESAMPLES
from httpdiff.ui import messages as msg
from httpdiff.ui.render import one_line
from httpdiff.ui.widgets.bench_charts import BenchDistribution, BenchPhases
from httpdiff.ui.widgets.bench_settings import BenchPlan, BenchSettings
from httpdiff.ui.widgets.bench_tables import (
    RATIO_COLUMNS,
    STATS_COLUMNS,
    ratio_rows,
    stats_rows,
    verdict_text,
)

#: What the bench measures: the request to send and the backends to send it through.
#: Raises ``InvalidRequest`` when the request cannot be sent as written.
BenchSource = Callable[[], tuple[RequestSpec, tuple[str, ...]]]
# While a bench runs this process should stay nearly idle: its CPU competes with the
# bench's child process and a local server (two cores here). Live summaries used to
# bootstrap 200 resamples (250 ms of CPU at 1,000 runs, twice a second), and every
# sample was redrawn: 1,000 runs on /echo took ~48% of a core in this process, now
# ~10%. So ratios and the verdict, which need the interval, come when the bench ends.
LIVE_RESAMPLES = 0
LIVE_INTERVAL = 0.5  # seconds between live summaries
LIVE_REDRAW_S = 0.25  # seconds between redraws of the charts and the status


class BenchView(Widget):
    """Settings and controls on top; below, the distributions, phases, statistics, verdict."""

    ALLOW_MAXIMIZE = True  # f7 maximises the view that has focus

    DEFAULT_CSS = """
    BenchView { height: 1fr; }
    BenchView #bench-status { height: 1; padding: 0 1; color: $text-muted; }
    BenchView #bench-status.-error { color: $error; text-style: bold; }
    BenchView #bench-body { height: 1fr; }
    BenchView #bench-charts { height: auto; }
    BenchView DataTable { height: auto; max-height: 24; margin: 1 1 0 1; }
    BenchView #bench-verdict { padding: 1 1 0 1; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "start", "Start bench", id="bench-start"),
        Binding("escape", "stop", "Stop bench", id="bench-stop"),
    ]

    class Progressed(Message):
        """The bench moved on; carries the whole result so far, so older ones can go."""

        def __init__(self, generation: int, progress: BenchProgress) -> None:
            super().__init__()
            self.generation = generation
            self.progress = progress

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, BenchView.Progressed)

    class Summarised(Message):
        """Statistics for ``result`` are ready (``final``: with the full bootstrap)."""

        def __init__(self, generation: int, result: BenchResult, summary: BenchSummary,
                     final: bool) -> None:
            super().__init__()
            self.generation = generation
            self.result = result
            self.summary = summary
            self.final = final

    def __init__(self, source: BenchSource | None = None, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._source = source
        self._generation = 0
        self._measuring = False
        self.result: BenchResult | None = None
        self.summary: BenchSummary | None = None
        self.final = False  # the summary on screen covers the finished (or stopped) run
        self._summarising = False
        self._wanted: tuple[int, BenchResult, bool] | None = None
        # the latest report not drawn yet, and whether a redraw is due for it
        self._latest: BenchView.Progressed | None = None
        self._redraw_due = False
        # a thread's own loop drives the bench's child process: Stop cancels its task there
        self._lock = threading.Lock()
        self._handle: tuple[asyncio.AbstractEventLoop, asyncio.Task[None]] | None = None
        self._stop_below = 0  # generations below this were stopped

    def compose(self) -> ComposeResult:
        yield BenchSettings(id="bench-settings")
        yield Static("Start measures the editor's request N times per backend, interleaved.",
                     id="bench-status")
        with VerticalScroll(id="bench-body"):
            with Horizontal(id="bench-charts"):
                yield BenchDistribution(id="bench-distribution")
                yield BenchPhases(id="bench-phases")
            yield DataTable(id="bench-stats", zebra_stripes=True, cursor_type="row")
            yield DataTable(id="bench-ratios", cursor_type="row")
            yield Static(id="bench-verdict")

    def on_mount(self) -> None:
        self.query_one("#bench-stats", DataTable).add_columns(*STATS_COLUMNS)
        self.query_one("#bench-ratios", DataTable).add_columns(*RATIO_COLUMNS)

    @property
    def measuring(self) -> bool:
        return self._measuring

    @property
    def status_text(self) -> str:
        return str(self.query_one("#bench-status", Static).render())

    # -- starting and stopping ----------------------------------------------------------

    def settings(self) -> BenchPlan:
        """What the settings row asks for; ``ValueError`` names a bad value."""
        return self.query_one(BenchSettings).plan()

    def start(self) -> None:
        """Check the settings and the request, then run the bench (replacing any run)."""
        try:
            plan = self.settings()
        except ValueError as exc:
            self._status(str(exc), error=True)
            return
        if self._source is None:
            self._status("nothing to measure: no request source", error=True)
            return
        try:
            spec, names = self._source()
        except InvalidRequest as exc:
            self._status(f"not started: {exc}", error=True)
            self.post_message(msg.SendRejected(str(exc)))  # the editor shows it, as for a send
            return
        if not names:
            self._status("not started: no backend selected", error=True)
            return
        self.stop()  # a run in flight ends (its late reports carry an older generation)
        self._generation += 1
        self.result, self.summary, self.final = None, None, False
        self._wanted = None
        self._show()
        self._set_measuring(True)
        mode = "cold" if plan.cold else "warm"
        phases = "" if plan.phases else ", phases off"
        self._status(f"starting: {plan.runs} runs × {len(names)} backends, {plan.warmup} "
                     f"warm-up, concurrency {plan.concurrency}, {mode}{phases}")
        self._run(self._generation, spec, names, plan)

    def stop(self) -> None:
        """Cancel the bench in flight; it reports what it measured so far, which stays shown."""
        with self._lock:
            self._stop_below = self._generation + 1
            handle = self._handle
        if handle is not None:
            loop, task = handle
            loop.call_soon_threadsafe(task.cancel)

    @work(thread=True, exclusive=True, group="bench")
    def _run(self, generation: int, spec: RequestSpec, names: tuple[str, ...],
             plan: BenchPlan) -> None:
        asyncio.run(self._measure(generation, spec, names, plan))

    async def _measure(self, generation: int, spec: RequestSpec, names: tuple[str, ...],
                       plan: BenchPlan) -> None:
        """The bench on this thread's own loop; every report goes back as a message."""
        task = asyncio.current_task()
        assert task is not None
        with self._lock:  # a Stop that came before this point must still count
            if generation < self._stop_below:
                self.post_message(self.Progressed(generation, BenchProgress(
                    BenchResult(spec, plan.config(names), cancelled=True), None, 0,
                    plan.runs * len(names))))
                return
            self._handle = (asyncio.get_running_loop(), task)

        def report(progress: BenchProgress) -> None:
            self.post_message(self.Progressed(generation, progress))

        try:
            result = await bench_in_subprocess(
                spec, names, runs=plan.runs, warmup=plan.warmup, concurrency=plan.concurrency,
                cold=plan.cold, settings=Settings(phases=plan.phases), on_progress=report,
                report_every_s=LIVE_REDRAW_S,
            )
        except InvalidRequest as exc:
            self.post_message(msg.SendRejected(str(exc)))
            result = BenchResult(spec, plan.config(names), cancelled=True)
        finally:
            with self._lock:
                if self._handle is not None and self._handle[1] is task:
                    self._handle = None
        # the last progress report carries the same samples; this one says "finished"
        self.post_message(self.Progressed(generation, BenchProgress(
            result, None, len(result.samples), result.planned)))

    def on_unmount(self) -> None:
        self.stop()  # the bench thread must not outlive the view

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "bench" and event.state is WorkerState.ERROR:
            self._set_measuring(False)
            self._status(f"bench failed: {event.worker.error}", error=True)

    def _set_measuring(self, measuring: bool) -> None:
        self._measuring = measuring
        self.query_one(BenchSettings).set_measuring(measuring)
        self.refresh_bindings()

    # -- progress and summaries ---------------------------------------------------------

    @on(Progressed)
    def _progressed(self, event: Progressed) -> None:
        event.stop()
        if event.generation != self._generation:
            return
        self._latest = event
        if event.progress.latest is None:  # finished or stopped: show it now
            self._draw_latest()
        elif not self._redraw_due:
            self._redraw_due = True
            self.set_timer(LIVE_REDRAW_S, self._draw_latest)

    def _draw_latest(self) -> None:
        self._redraw_due = False
        event, self._latest = self._latest, None
        if event is None or event.generation != self._generation:
            return
        progress = event.progress
        result = progress.result
        finished = progress.latest is None
        if progress.warming:
            self._status(f"warming up {progress.done}/{progress.total}")
            return
        self.result = result
        self.query_one(BenchDistribution).show(result)
        if finished:
            self._set_measuring(False)
        if finished and result.cancelled:
            self._status(f"stopped: kept {len(result.samples)} of {result.planned} samples "
                         f"({result.duration:.2f} s)")
        elif finished:
            self._status(f"done: {len(result.samples)} samples in {result.duration:.2f} s")
        else:
            self._status(f"running {progress.done}/{progress.total} · {result.duration:.1f} s")
        if result.samples:
            self._want_summary(event.generation, result, final=finished)

    def _want_summary(self, generation: int, result: BenchResult, final: bool) -> None:
        self._wanted = (generation, result, final)
        if not self._summarising:
            self._next_summary()

    def _next_summary(self) -> None:
        if self._wanted is None:
            return
        generation, result, final = self._wanted
        self._wanted = None
        self._summarising = True
        self._summarise(generation, result, final)

    @work(thread=True, group="bench-summary")
    def _summarise(self, generation: int, result: BenchResult, final: bool) -> None:
        summary = summarise(result, resamples=DEFAULT_RESAMPLES if final else LIVE_RESAMPLES)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Summarised(generation, result, summary, final))

    @on(Summarised)
    def _summarised(self, event: Summarised) -> None:
        event.stop()
        if event.generation == self._generation and not self.final:
            self.show_result(event.result, event.summary, final=event.final)
        if self._wanted is not None and not self._wanted[2]:
            # a live summary competes with the bench thread for the GIL: pause between them
            self.set_timer(LIVE_INTERVAL, self._summary_slot_free)
        else:
            self._summary_slot_free()

    def _summary_slot_free(self) -> None:
        self._summarising = False
        self._next_summary()

    # -- showing -----------------------------------------------------------------------

    def show_result(self, result: BenchResult, summary: BenchSummary, final: bool = True) -> None:
        """Show ``result`` and its statistics (also used to show a saved or canned result)."""
        self.result, self.summary, self.final = result, summary, final
        self._show()

    def _show(self) -> None:
        self.query_one(BenchDistribution).show(self.result)
        self.query_one(BenchPhases).show(
            self.summary, phases=self.result is None or self.result.config.settings.phases
        )
        stats = self.query_one("#bench-stats", DataTable)
        ratios = self.query_one("#bench-ratios", DataTable)
        stats.clear()
        ratios.clear()
        verdict = self.query_one("#bench-verdict", Static)
        if self.summary is None:
            verdict.update("")
            return
        stats.add_rows(stats_rows(self.summary))
        if not self.final:
            # No interval was computed (LIVE_RESAMPLES): a ratio without one is no verdict.
            verdict.update(Text("ratios and verdict when the bench ends", style="dim"))
            return
        ratios.add_rows(ratio_rows(self.summary))
        verdict.update(verdict_text(self.summary))

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#bench-status", Static)
        status.update(Text(one_line(text), no_wrap=True, overflow="ellipsis"))
        status.set_class(error, "-error")

    # -- actions and buttons --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self._measuring
        if action == "start":
            return not self._measuring
        return True

    def action_start(self) -> None:
        self.start()

    def action_stop(self) -> None:
        self.stop()

    @on(Button.Pressed, "#bench-start")
    def _start_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.start()

    @on(Button.Pressed, "#bench-stop")
    def _stop_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.stop()


__all__ = ["BenchSource", "BenchView"]
