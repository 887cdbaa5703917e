"""Exporters: a request as code another tool runs, a comparison as a file others read.

Requests export as a curl command (``storage.curl.to_curl``), an httpx script or an
aiohttp script (``code``); a comparison exports as HAR 1.2 (``har``) or as httpdiff's
JSON document. The JSON document is ``httpdiff.report.comparison_document``, the same
one ``--format json`` prints: storage sits below ``report`` in the layers, so callers
above (the CLI, the UI) take it from there rather than this package repeating it.
Every exporter is a pure function returning text; writing it is the caller's business.
``resolved.export_request`` is the one to copy a request with: it fills in the
environment's variables as a send does and has the code read secrets from the
environment instead of holding them.
"""

from __future__ import annotations

from collections.abc import Callable

from httpdiff.model import RequestSpec
from httpdiff.storage.curl import to_curl
from httpdiff.storage.exporters.code import to_aiohttp, to_httpx
from httpdiff.storage.exporters.har import comparison_to_har, har_text
from httpdiff.storage.exporters.resolved import (
    ExportedRequest,
    export_as_written,
    export_request,
)

REQUEST_EXPORTERS: dict[str, Callable[[RequestSpec], str]] = {
    "curl": to_curl,
    "httpx": to_httpx,
    "aiohttp": to_aiohttp,
}
"""Request exporters by name, for menus and the command line."""

__all__ = [
    "REQUEST_EXPORTERS", "ExportedRequest", "comparison_to_har", "export_as_written",
    "export_request", "har_text", "to_aiohttp", "to_curl", "to_httpx",
]
