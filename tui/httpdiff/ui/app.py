"""The Textual app: composes the editor, the backend toggle and the two result views, and sends.

Thin by design: widgets own their parts, and the app only routes messages and
runs the one send worker. The worker (``exclusive`` in group "send", on the
app's loop) calls ``httpdiff.compare.compare``; its per-backend callback and
its result come back as messages (``ui.messages``) tagged with a generation
number, so a cancelled or replaced send can never overwrite a newer one.
A request is checked before the worker starts: a bad one shows one line in the
editor and nothing is sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, TabbedContent, TabPane

from httpdiff import backends as registry
from httpdiff.compare import Mode, compare
from httpdiff.errors import InvalidRequest
from httpdiff.model import Comparison, Failure, FailureKind, Outcome, RequestSpec
from httpdiff.storage.variables import redact_comparison, redact_outcome
from httpdiff.ui import messages as msg
from httpdiff.ui.collection_actions import COLLECTION_ACTIONS
from httpdiff.ui.commands import HttpdiffCommands
from httpdiff.ui.quiet import until_quiet
from httpdiff.ui.send_loop import SendLoop
from httpdiff.ui.themes import ThemeKeeper, ThemePicker, variable_defaults
from httpdiff.ui.view_actions import ViewActions
from httpdiff.ui.widgets.backend_toggle import BackendToggle
from httpdiff.ui.widgets.bench_view import BenchView
from httpdiff.ui.widgets.collection_tree import CollectionTree
from httpdiff.ui.widgets.diff_view import DiffView
from httpdiff.ui.widgets.environment_select import EnvironmentSelect
from httpdiff.ui.widgets.request_editor import RequestEditor
from httpdiff.ui.widgets.request_list import RequestList
from httpdiff.ui.widgets.results_view import ResultsView

if TYPE_CHECKING:
    from pathlib import Path

    from httpdiff.demo.samples import DemoURLs

Clock = Callable[[], float]
# How long an outcome waits to be drawn while another backend is still sending.
OUTCOME_HOLD_S = 0.3


class HttpdiffApp(ViewActions):  # collections, history, exports, noise, views
    """Send one request through several HTTP clients and show what differs."""

    TITLE = "httpdiff"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {HttpdiffCommands}
    # The sidebar (32) plus the toolbar (the backend toggle ~56, the environment 32) need
    # ~122 columns; below that the narrow layout hides the sidebar.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (122, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j,f5", "send", "Send", id="send", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+l", "focus_url", "URL", id="focus-url", priority=True),
        Binding("f2", "focus_editor", "Editor", id="focus-editor"),
        Binding("f3", "focus_responses", "Responses", id="focus-responses"),
        Binding("f4", "focus_diff", "Diff", id="focus-diff"),
        Binding("ctrl+b", "cycle_backends", "Backends", id="cycle-backends", priority=True),
        Binding("f6", "copy_curl", "Copy curl", id="copy-curl"),
        Binding("f7", "maximize_pane", "Maximise", id="maximize-response-pane"),
        Binding("f8", "show_bench", "Bench", id="bench"),
    ]

    def __init__(
        self,
        requests: list[RequestSpec] | None = None,
        backends: Sequence[str] = ("httpx", "aiohttp"),
        demo: DemoURLs | None = None,
        clock: Clock | None = None,
        *,
        collection: Path | None = None,
        env: str | None = None,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        self.collection_dir = collection
        self.env_name = env
        self.theme_name = theme
        self.themes = ThemeKeeper(self, theme, on_applied=self._theme_applied)
        self.requests: list[RequestSpec] = list(requests or [])
        chosen = tuple(backends) or tuple(registry.available())
        # every known backend can be toggled on; the ones asked for are selected at start
        self.backend_names = tuple(dict.fromkeys([*chosen, *registry.available()]))
        self.initial_backends = chosen
        # --demo's server keeps to the last CPU; the sends keep off it (ui/send_loop.py).
        self.sends = SendLoop(self.backend_names, apart_from_server=demo is not None)
        self.comparison: Comparison | None = None
        self.demo = demo
        self._clock: Clock = clock or time.monotonic
        self._generation = 0
        # Outcomes of the send in flight not drawn yet (see on_outcome_arrived).
        self._arrived: dict[str, Outcome] = {}
        self._pending: tuple[str, ...] = ()
        # What would reveal a secret of the send shown: masked wherever it is drawn.
        self._mask: tuple[str, ...] = ()
        if demo is not None:
            self.sub_title = f"demo server {demo.http_url}"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return variable_defaults(self.current_theme.dark)

    def search_themes(self) -> None:  # "Change theme": a picker that previews
        self.push_screen(ThemePicker(self.themes))

    def _theme_applied(self) -> None:  # Text styles were baked with the old theme's colours
        if self.comparison is not None and not self.sending:
            self._show(self.comparison)
        else:  # mid-send: the outcomes that arrived so far, and the pending panes
            self.results.redraw()

    def compose(self) -> ComposeResult:
        yield Header()
        sidebar = bool(self.requests) or self.collection_dir is not None
        with Horizontal(id="main", classes="" if sidebar else "-no-requests"):
            if self.collection_dir is None:
                yield RequestList(self.requests, id="requests")
            else:
                yield CollectionTree(self.collection_dir.name, id="requests")
            with Vertical(id="workspace"):
                yield RequestEditor(self.requests[0] if self.requests else None, id="editor")
                with Horizontal(id="toolbar"):
                    yield BackendToggle(self.backend_names, self.initial_backends, id="backends")
                    if self.collection_dir is not None:
                        yield EnvironmentSelect(id="environment")
                with TabbedContent(id="views"):
                    with TabPane("Responses", id="responses-tab"):
                        yield ResultsView(id="results")
                    with TabPane("Diff", id="diff-tab"):
                        yield DiffView(id="diff")
                    with TabPane("Bench", id="bench-tab"):
                        yield BenchView(self.request_to_send, id="bench")
        yield Footer()

    def on_mount(self) -> None:
        self.themes.start()
        self.results.set_backends(self.backends.selected)
        self.editor.url_bar.focus()

    async def on_unmount(self) -> None:  # pooled connections close with the app
        await self.sends.aclose()

    @property
    def sending(self) -> bool:
        return bool(self._pending)

    # -- sending ------------------------------------------------------------------------------

    def send(self, spec: RequestSpec, mode: Mode = "parallel") -> None:
        """Check ``spec`` and send it through the selected backends (cancelling any send)."""
        try:
            spec = self.resolve_for_send(spec)  # {{variables}} filled in, then checked
        except InvalidRequest as exc:
            self.post_message(msg.SendRejected(str(exc)))
            return
        self.editor.clear_error()
        self._generation += 1
        names = self.backends.selected
        self.post_message(msg.SendStarted(self._generation, spec, names))
        # Sent once the screen shows the pending panes: drawing them holds the GIL for
        # tens of ms, which would otherwise land inside the send's first phases.
        self.call_after_refresh(self._start_send, self._generation, spec, names, mode)

    def _start_send(self, generation: int, spec: RequestSpec, names: tuple[str, ...],
                    mode: Mode) -> None:
        if generation == self._generation:  # not cancelled or replaced in the meantime
            self._send_worker(generation, spec, names, mode)

    @work(exclusive=True, group="send")
    async def _send_worker(
        self, generation: int, spec: RequestSpec, names: tuple[str, ...], mode: Mode
    ) -> None:
        # The UI work a send sets off (pending panes, the Footer's keys) would land in
        # its timings: see ui/quiet.py.
        await until_quiet()
        started = self._clock()
        try:
            # On the send loop, not this one: see ui/send_loop.py.
            comparison = await self.sends.run(compare(
                spec, self.sends.session, names=names, rules=self.rules, mode=mode,
                on_outcome=lambda name, outcome: self._outcome(generation, name, outcome),
            ))
        except InvalidRequest as exc:
            self.post_message(msg.SendRejected(str(exc)))
            return
        elapsed_ms = (self._clock() - started) * 1000
        self.post_message(msg.ComparisonReady(generation, comparison, elapsed_ms))

    def _outcome(self, generation: int, name: str, outcome: Outcome) -> None:
        self.post_message(msg.OutcomeArrived(generation, name, outcome))

    def on_send_started(self, message: msg.SendStarted) -> None:
        self._pending = message.names
        self._arrived = {}
        self.diff.clear()
        self.comparison = None
        self.results.set_backends(message.names)
        self.results.show_pending(message.names)
        self._views.get_tab("diff-tab").label = "Diff"
        self.refresh_bindings()

    def on_outcome_arrived(self, message: msg.OutcomeArrived) -> None:
        if message.generation != self._generation:
            return
        self._pending = tuple(n for n in self._pending if n != message.name)
        # Drawing an outcome while another backend is still sending would slow that one
        # down (the GIL): a fast send shows all at once, a slow one shows each after a bit.
        # The panes show the request as sent: a secret in it is masked, as everywhere.
        self._mask = self.send_secrets(message.generation)
        self._arrived[message.name] = redact_outcome(message.outcome, self._mask)
        if self._pending:
            self.set_timer(OUTCOME_HOLD_S, partial(self._show_arrived, message.generation))
        else:
            self._show_arrived(message.generation)

    def _show_arrived(self, generation: int) -> None:
        if generation != self._generation:
            return
        arrived, self._arrived = self._arrived, {}
        for name, outcome in arrived.items():
            self.results.show_outcome(name, outcome)

    def on_comparison_ready(self, message: msg.ComparisonReady) -> None:
        if message.generation != self._generation:
            return
        self._pending = ()
        self._arrived = {}  # the comparison shows them all
        self._mask = self.send_secrets(message.generation)
        self._show(message.comparison)
        self.refresh_bindings()

    def on_send_rejected(self, message: msg.SendRejected) -> None:
        self.editor.show_error(message.reason)
        self.notify(message.reason, title="Not sent", severity="error", markup=False)

    def on_send_cancelled(self, message: msg.SendCancelled) -> None:
        for name in message.names:
            cancelled = Failure(name, FailureKind.CANCELLED, "asyncio.CancelledError",
                                "cancelled before it finished")
            self.results.show_outcome(name, cancelled)
        self.notify("Send cancelled", severity="warning")
        self.refresh_bindings()

    def _show(self, comparison: Comparison) -> None:
        # Kept as measured (a noise mark recomputes from it); drawn with secrets masked.
        self.comparison = comparison
        shown = redact_comparison(comparison, self._mask)
        self.results.show_comparison(shown)
        self.diff.show(shown, self.rules)
        count = "=" if comparison.equivalent else len(comparison.differences)
        compared = len(comparison.outcomes) > 1
        self._views.get_tab("diff-tab").label = f"Diff ({count})" if compared else "Diff"

    # -- messages from widgets ------------------------------------------------------------

    @on(RequestEditor.Submitted)
    def _submitted(self, event: RequestEditor.Submitted) -> None:
        self.send(event.spec, event.mode)

    @on(RequestEditor.Loaded)
    def _loaded(self, event: RequestEditor.Loaded) -> None:
        for note in event.notes:
            self.notify(note, title="curl import", markup=False)

    @on(RequestList.Picked)
    def _picked(self, event: RequestList.Picked) -> None:
        self.open_request(event.spec)

    @on(BackendToggle.Changed)
    def _backends_changed(self, event: BackendToggle.Changed) -> None:
        # the panes belong to a send in flight; otherwise show the last outcomes we have
        if not self.sending:
            self.results.set_backends(event.names)
            for name in event.names:
                if self.comparison is not None and name in self.comparison.outcomes:
                    outcome = self.comparison.outcomes[name]
                    self.results.show_outcome(name, redact_outcome(outcome, self._mask))

    def open_request(self, spec: RequestSpec) -> None:
        self._load(spec, None)
        self.editor.url_bar.focus()

    def _load(self, spec: RequestSpec, relative: str | None) -> None:
        """Open a request; another one's results would read as its own, so they go.

        They stay in the history (f9). The open request read again (changed on disk)
        keeps its results and its send.
        """
        state = self.collection_state
        if relative is None or state is None or relative != state.current:
            self._forget_results()
        super()._load(spec, relative)

    def _forget_results(self) -> None:
        if self.sending:  # its outcomes would arrive under the request opened now
            self.workers.cancel_group(self, "send")
            self._generation += 1
            self._pending, self._arrived = (), {}
            self.notify("Send cancelled: another request was opened", severity="warning")
        self.comparison = None
        self.results.clear()
        self.diff.clear()
        self._views.get_tab("diff-tab").label = "Diff"
        self.refresh_bindings()

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in COLLECTION_ACTIONS:  # no collection open: nothing to save into
            return self.collection_state is not None
        return self.sending if action == "cancel" else True  # else Esc keeps its usual meaning

    def action_send(self) -> None:
        self.editor.submit()

    def action_cancel(self) -> None:
        if not self.sending:
            return
        self.workers.cancel_group(self, "send")
        self._show_arrived(self._generation)  # what did arrive is shown, not dropped
        self.post_message(msg.SendCancelled(self._generation, self._pending))
        self._generation += 1  # anything still arriving from that send is stale
        self._pending = ()

    def request_to_send(self) -> tuple[RequestSpec, tuple[str, ...]]:
        """The editor's request as a send would take it, checked, and the chosen backends.

        The bench measures these; anything the send path adds (variables) belongs here too.
        """
        spec = self.resolve_for_send(self.editor.spec)  # checked too
        return spec, self.backends.selected
