"""What httpdiff itself puts into a request, identical for every backend.

A backend hands each library the parts of a ``RequestSpec`` through the
library's own API (its ``json=``, ``data=``, multipart encoder, auth), so the
libraries' differences show. What httpdiff adds on its own is decided once,
here, so that it can never differ between backends:

- the URL: ``params`` are url-encoded and appended to the existing query
  (a fragment is kept last);
- headers: the user's, in order with duplicates, then ``Authorization: Bearer``
  for bearer auth, then a Content-Type when the user gave none: the body's
  ``content_type`` if set (except multipart, whose boundary belongs to the
  library), else ``text/plain; charset=utf-8`` for text and
  ``application/octet-stream`` for a file; json, form and multipart bodies get
  the library's own Content-Type;
- raw bytes for text (utf-8) and file bodies; files (a file body, multipart
  ``@path`` values) are read in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from typing import Any

from httpdiff.model import RequestSpec

# The parts every backend shares with the code exporter live in ``httpdiff.outgoing``.
from httpdiff.outgoing import full_url, headers_for

__all__ = ["Part", "full_url", "headers_for", "json_value", "multipart_parts", "raw_body"]


def json_value(spec: RequestSpec) -> Any:
    """The parsed JSON body (validated before), for the library's own ``json=``."""
    return json.loads(spec.body.text)


@dataclass(frozen=True, slots=True)
class Part:
    """One multipart field: a text value, or a file's name and bytes."""

    name: str
    value: str = ""
    filename: str | None = None
    data: bytes = b""

    @property
    def is_file(self) -> bool:
        return self.filename is not None


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


async def raw_body(spec: RequestSpec) -> bytes | None:
    """Bytes for text and file bodies; None for the kinds a library encodes itself."""
    if spec.body.kind == "text":
        return spec.body.text.encode("utf-8")
    if spec.body.kind == "file":
        return await asyncio.to_thread(_read, spec.body.path)
    return None


async def multipart_parts(spec: RequestSpec) -> list[Part]:
    """The multipart fields in order; a value starting with ``@`` names a file (as in curl)."""
    parts: list[Part] = []
    for name, value in spec.body.fields:
        if value.startswith("@"):
            path = value[1:]
            data = await asyncio.to_thread(_read, path)
            parts.append(Part(name=name, filename=os.path.basename(path), data=data))
        else:
            parts.append(Part(name=name, value=value))
    return parts
