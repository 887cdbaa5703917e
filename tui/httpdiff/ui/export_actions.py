"""Exports from the app: the request as runnable httpx or aiohttp code, the comparison as files.

Code goes to the clipboard, like "copy as curl"; a comparison is saved beside where the
app was started as a HAR 1.2 file (one entry per backend, with its timings) and as the same
JSON document ``httpdiff compare --format json`` prints, so either can be opened elsewhere.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType

from httpdiff.errors import InvalidRequest
from httpdiff.model import Comparison, RequestSpec
from httpdiff.report import comparison_document
from httpdiff.storage.exporters.code import to_aiohttp, to_httpx
from httpdiff.storage.exporters.har import har_text
from httpdiff.storage.files import atomic_write
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

    def action_copy_code(self, library: str) -> None:
        writers: dict[str, Callable[[RequestSpec], str]] = {"httpx": to_httpx,
                                                            "aiohttp": to_aiohttp}
        editor = self.query_one("#editor", RequestEditor)
        try:
            code = writers[library](editor.spec)
        except (InvalidRequest, KeyError) as exc:
            editor.show_error(str(exc))
            return
        self.copy_to_clipboard(code)
        self.notify(f"Copied the request as a runnable {library} script",
                    title=f"Copy as {library} code", markup=False)

    def action_export_comparison(self) -> None:
        if self.comparison is None:
            self.notify("Send a request first: there is no comparison to save",
                        severity="warning", markup=False)
            return
        stem = self.export_dir / time.strftime("httpdiff-%Y%m%d-%H%M%S")
        har, doc = stem.with_suffix(".har"), stem.with_suffix(".json")
        try:
            atomic_write(har, har_text(self.comparison))
            atomic_write(doc, json.dumps(comparison_document(self.comparison), indent=2,
                                         default=str))
        except OSError as exc:
            self.notify(f"Could not save the comparison: {exc}", severity="error", markup=False)
            return
        self.notify(f"Saved {har} and {doc}", title="Comparison saved", markup=False)
