"""Exports from the app: the request as runnable httpx or aiohttp code, the comparison as files.

A request goes to the clipboard as a curl command or an httpx / aiohttp script that runs
as is: its variables filled in as for a send, its secrets read from the environment when it
runs (``storage.exporters.resolved``), never copied; the notification names the variables
to set. A comparison is saved beside where the app was started as a HAR 1.2 file (one
entry per backend, with its timings) and as the same JSON document ``httpdiff compare
--format json`` prints, so either can be opened elsewhere, with the secrets the request
used masked as the history masks them. The pair is named by the second and never
replaces a file: a second save within that second gets ``-2``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType

from httpdiff.errors import ConflictError, InvalidRequest
from httpdiff.model import Comparison
from httpdiff.report import comparison_document
from httpdiff.storage.exporters import ExportedRequest
from httpdiff.storage.exporters.har import har_text
from httpdiff.storage.files import write_new
from httpdiff.storage.variables import redact_document
from httpdiff.ui.collection_actions import CollectionActions
from httpdiff.ui.widgets.request_editor import RequestEditor


class ExportActions(CollectionActions):
    """Copy the request as library code; save the last comparison as HAR and JSON."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "copy_code('httpx')", "Copy httpx code", id="copy-httpx", show=False),
        Binding("ctrl+g", "copy_code('aiohttp')", "Copy aiohttp code", id="copy-aiohttp",
                show=False),
        Binding("f11", "export_comparison", "Save HAR + JSON", id="export-comparison",
                show=False),
    ]
    comparison: Comparison | None
    export_dir: Path = Path(".")

    def action_copy_curl(self) -> None:
        self._copy("curl", "Copied the request as a curl command", "Copy as curl")

    def action_copy_code(self, library: str) -> None:
        self._copy(library, f"Copied the request as a runnable {library} script",
                   f"Copy as {library} code")

    def _copy(self, exporter: str, done: str, title: str) -> None:
        """Copy the editor's request as ``exporter`` code, or say inline why not (a send's
        reasons: an undefined variable, a broken ``.env``) and copy nothing."""
        editor = self.query_one("#editor", RequestEditor)
        try:
            exported = self.export_for_copy(editor.spec, exporter)
        except InvalidRequest as exc:
            editor.show_error(str(exc))
            self.notify(str(exc), title="Not copied", severity="error", markup=False)
            return
        editor.clear_error()
        self.copy_to_clipboard(exported.text)
        self.notify(copied_message(done, exported), title=title, markup=False)

    def action_export_comparison(self) -> None:
        if self.comparison is None:
            self.notify("Send a request first: there is no comparison to save",
                        severity="warning", markup=False)
            return
        # absolute, so the message says where the files are whatever the working directory
        stem = self.export_dir.absolute() / time.strftime("httpdiff-%Y%m%d-%H%M%S")
        secrets = self.comparison_secrets
        document = redact_document(comparison_document(self.comparison), secrets)
        texts = {
            ".har": har_text(self.comparison, secrets=secrets),
            ".json": json.dumps(document, indent=2, default=str),
        }
        try:
            har, doc = write_new(stem, texts)
        except (OSError, ConflictError) as exc:
            self.notify(f"Could not save the comparison: {exc}", severity="error", markup=False)
            return
        self.notify(f"Saved {har} and {doc}", title="Comparison saved", markup=False)


def copied_message(done: str, exported: ExportedRequest) -> str:
    """What was copied and, when it reads secrets, the environment variables to set first."""
    names = exported.environment
    if not names:
        return done
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    them = "it" if len(names) == 1 else "them"
    lines = [f"{done}. It reads {listed} from the environment (secrets are never copied): "
             f"set {them} before running it.", *exported.notes]
    return "\n".join(lines)
