"""Environments, sending resolved requests, and history: the rest of the app's collection part.

``CollectionFiles`` and ``CollectionEdits`` keep the files; this adds what a
send needs from a collection: ``{{variables}}`` filled in from the chosen
environment and secrets just before a send (``resolve_for_send``, called by the
app's send path and the bench) or a copy as code (``export_for_copy``, secrets read
from the environment instead), every comparison recorded in ``History`` with the
request as written and its secrets redacted, the history screen, and a view of the
resolved request with secrets masked. Recording runs in a thread worker: a large
document takes a moment to shrink, and the screen must not wait for SQLite.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType

from httpdiff.errors import LoadError
from httpdiff.model import Comparison, RequestSpec
from httpdiff.report import comparison_document
from httpdiff.storage.exporters import ExportedRequest, export_as_written
from httpdiff.storage.history import History
from httpdiff.storage.request_file import request_to_yaml
from httpdiff.storage.variables import credential_values, redact
from httpdiff.ui import messages as msg
from httpdiff.ui.collection_edits import CollectionEdits
from httpdiff.ui.collection_files import STORAGE_ERRORS
from httpdiff.ui.collection_state import Resolved
from httpdiff.ui.screens.confirm import TextScreen
from httpdiff.ui.screens.history_screen import HistoryScreen
from httpdiff.ui.widgets.environment_select import NONE, EnvironmentSelect
from httpdiff.validate import check

COLLECTION_ACTIONS = frozenset({
    "save_request", "save_request_as", "rename_request", "duplicate_request", "move_request",
    "delete_request", "new_folder", "focus_collection",
})
"""Actions that need an open collection (the app disables them without one)."""


class CollectionActions(CollectionEdits):
    """Files (``CollectionFiles``, ``CollectionEdits``), plus environments, resolving, history."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "history", "History", id="history"),
        Binding("f10", "show_resolved", "Resolved", id="show-resolved", show=False),
    ]

    history: History | None = None
    comparison_secrets: tuple[str, ...] = ()
    """What would reveal a secret in the request of the comparison shown: masked in
    anything written from it (history, the f11 export)."""
    _outgoing: Resolved | None = None  # the request being sent, resolved
    _original: RequestSpec | None = None  # ... and as written, for history
    _sent: dict[int, tuple[RequestSpec, tuple[str, ...]]]

    def on_mount(self) -> None:
        self._sent = {}
        self.history = History()

    # -- environments and sending -----------------------------------------------------------

    @on(EnvironmentSelect.Chosen)
    def _environment_chosen(self, event: EnvironmentSelect.Chosen) -> None:
        state = self.collection_state
        # a change from setting the options at start may arrive late: the Select decides
        if state is None or event.name != self._environment_select.environment:
            return
        if event.name != state.env:
            state.set_env(event.name)
            self.env_name = event.name
            if state.env_error:
                self._error(Exception(state.env_error), "Environment")

    def choose_environment(self, name: str | None) -> None:
        """Switch environment as the Select would (the palette's "Use environment")."""
        self._environment_select.value = name if name is not None else NONE

    def resolve_for_send(self, spec: RequestSpec) -> RequestSpec:
        """``spec`` with its variables filled in, checked; ``InvalidRequest`` names an
        undefined variable or what cannot be sent, with secrets and credentials masked in
        the message (a value is masked before the message quotes and shortens it).

        The unresolved request and its secrets are kept for the history of this send.
        """
        state = self.collection_state
        outgoing = (state.resolve(spec) if state is not None
                    else Resolved(spec, credential_values(spec)))
        check(outgoing.spec, partial(redact, values=outgoing.secrets))
        self._outgoing, self._original = outgoing, spec
        return outgoing.spec

    def export_for_copy(self, spec: RequestSpec, exporter: str) -> ExportedRequest:
        """``spec`` as ``exporter`` code, resolved as ``resolve_for_send`` resolves it."""
        state = self.collection_state
        # no collection: nothing to resolve from, and a send takes the request as written
        return state.export(spec, exporter) if state is not None else export_as_written(
            spec, exporter)

    def on_send_started(self, message: msg.SendStarted) -> None:
        if (self._outgoing is not None and self._original is not None
                and self._outgoing.spec == message.spec):
            self._sent = {message.generation: (self._original, self._outgoing.secrets)}

    def send_secrets(self, generation: int) -> tuple[str, ...]:
        """What would reveal a secret that send ``generation`` used: masked on screen too."""
        sent = self._sent.get(generation)
        return sent[1] if sent is not None else ()

    def on_comparison_ready(self, message: msg.ComparisonReady) -> None:
        # get, not pop: the app masks what it shows with these (handlers run in any order)
        sent = self._sent.get(message.generation)
        if sent is not None:  # only the newest send is kept: this is the one shown
            self.comparison_secrets = sent[1]
        if sent is not None and self.history is not None:
            self.run_worker(partial(self._record, sent[0], message.comparison, sent[1]),
                            thread=True, group="history")

    def _record(self, spec: RequestSpec, comparison: Comparison, secrets: tuple[str, ...]) -> None:
        assert self.history is not None
        try:
            self.history.record(spec, comparison_document(comparison), secrets=secrets)
        except LoadError as exc:
            self.call_from_thread(self._error, exc, "History")

    def action_show_resolved(self) -> None:
        spec = self._editor_spec()
        if spec is None:
            self._editor.submit()
            return
        state = self.collection_state
        shown = state.masked(spec) if state is not None else spec
        env = state.env if state is not None else None
        text = Text(f"{shown.method} {shown.url}\n", style="bold")
        text.append(f"environment: {env or 'none'}; secrets shown as •••\n\n", style="dim")
        text.append(request_to_yaml(shown))
        self.push_screen(TextScreen("Request with variables resolved", text))

    @work(group="collection")
    async def action_history(self) -> None:
        if self.history is None:
            return
        chosen = await self.push_screen_wait(HistoryScreen(self.history))
        if chosen is None or not await self._may_leave():
            return
        try:
            spec = self.history.reopen(chosen)
        except STORAGE_ERRORS as exc:
            self._error(exc, "History")
            return
        self._load(spec, None)
        self.refresh_dirty()
        self._editor.url_bar.focus()

