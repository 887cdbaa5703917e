"""A comparison as a HAR 1.2 log: one page and one entry per backend.

HAR is what browsers' developer tools and proxies read, so a comparison can be opened
next to a browser's own capture. Each backend gets a page (``pageref`` and the entry's
``comment`` name it) holding one entry for its final response; the redirect chain
before it is kept in the entry's ``_redirects`` (HAR allows custom fields starting with
an underscore), and a failed send is an entry with status 0 and an ``_error``, the way
browsers record a request that got no response.

Timings map httpdiff's phases to HAR's: dns→dns, connect(+tls)→connect, tls→ssl,
send→send, wait→wait, download→receive. HAR's ``connect`` includes its ``ssl`` time;
httpdiff's httpx connect does not (so tls is added) and aiohttp's already does (its tls
is not observable). A phase a library cannot observe is -1, never a guess, even for
send/wait/receive which HAR would like to be known. Bodies that are not text go in as
base64 (``content.encoding``). Only ``httpdiff.model`` is needed, so this sits in
storage; the JSON export of a comparison is ``httpdiff.report.comparison_document``.
"""

from __future__ import annotations

import base64
import codecs
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from httpdiff import __version__
from httpdiff.model import (
    Comparison,
    Failure,
    Header,
    Hop,
    Outcome,
    ResponseSnapshot,
    SentRequest,
    Timings,
)
from httpdiff.storage.variables import redact_document

HAR_VERSION = "1.2"
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"} | {"\x7f"}


def _ms(value: float | None) -> float:
    return -1 if value is None else round(value, 3)


def har_timings(timings: Timings) -> dict[str, float]:
    """HAR's timing object for one send; -1 marks a phase that could not be observed."""
    connect = timings.connect
    if connect is not None and timings.tls is not None:
        connect += timings.tls
    return {
        "blocked": -1,
        "dns": _ms(timings.dns),
        "connect": _ms(connect),
        "ssl": _ms(timings.tls),
        "send": _ms(timings.send),
        "wait": _ms(timings.wait),
        "receive": _ms(timings.download),
    }


def _headers(headers: tuple[Header, ...]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in headers]


def _header(headers: tuple[Header, ...], name: str) -> str:
    lowered = name.lower()
    return next((v for n, v in headers if n.lower() == lowered), "")


def _charset(content_type: str) -> str:
    """The declared charset if it is a text codec Python has, else UTF-8 (never raising)."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value.strip('"'):
            try:
                info = codecs.lookup(value.strip('"'))
            except (LookupError, ValueError):  # unknown, or a NUL in the name
                return "utf-8"
            # "base64", "zlib"... are codecs but not text encodings: bytes.decode refuses them.
            return info.name if getattr(info, "_is_text_encoding", True) else "utf-8"
    return "utf-8"


def decode_text(data: bytes, content_type: str) -> str | None:
    """The body as text if it is text in its charset (default UTF-8), else None."""
    try:
        text = data.decode(_charset(content_type))
    except (UnicodeError, LookupError, ValueError):  # "idna", "undefined"... raise UnicodeError
        return None
    return None if any(ch in _CONTROL for ch in text) else text


def _content(body: bytes, content_type: str) -> dict[str, Any]:
    text = decode_text(body, content_type)
    content: dict[str, Any] = {"size": len(body), "mimeType": content_type}
    if text is None:
        content.update(text=base64.b64encode(body).decode("ascii"), encoding="base64")
    else:
        content["text"] = text
    return content


def _request(sent: SentRequest | None, comparison: Comparison) -> dict[str, Any]:
    if sent is None:  # the send failed before the library built a request
        spec = comparison.request
        sent = SentRequest(method=spec.method, url=spec.url, headers=spec.headers)
    try:
        query = parse_qsl(urlsplit(sent.url).query, keep_blank_values=True)
    except ValueError:
        query = []
    request: dict[str, Any] = {
        "method": sent.method,
        "url": sent.url,
        "httpVersion": "",
        "cookies": [],
        "headers": _headers(sent.headers),
        "queryString": [{"name": n, "value": v} for n, v in query],
        "headersSize": -1,
        "bodySize": len(sent.body),
    }
    if sent.body:
        mime = _header(sent.headers, "content-type")
        text = decode_text(sent.body, mime)
        post: dict[str, Any] = {"mimeType": mime, "params": []}
        if text is None:
            post.update(text=base64.b64encode(sent.body).decode("ascii"),
                        comment="base64-encoded: the body is not text")
        else:
            post["text"] = text
        request["postData"] = post
    return request


def _hop(hop: Hop) -> dict[str, Any]:
    return {
        "method": hop.request.method,
        "url": hop.request.url,
        "status": hop.status,
        "statusText": hop.reason,
        "httpVersion": hop.http_version,
        "headers": _headers(hop.headers),
        "redirectURL": _header(hop.headers, "location"),
    }


def _entry(name: str, outcome: Outcome, comparison: Comparison, started: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "pageref": name,
        "startedDateTime": started,
        "time": _ms(outcome.timings.total),
        "request": _request(outcome.request, comparison),
        "cache": {},
        "timings": har_timings(outcome.timings),
        "comment": f"sent by the {name} backend",
        "_backend": name,
        "_redirects": [_hop(h) for h in outcome.redirects],
    }
    if isinstance(outcome, Failure):
        entry["response"] = {
            "status": 0, "statusText": "", "httpVersion": "", "cookies": [], "headers": [],
            "content": {"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1,
            "bodySize": -1, "_error": outcome.kind.value,
        }
        entry["_error"] = {"kind": outcome.kind.value, "type": outcome.exception_type,
                           "message": outcome.message}
        entry["comment"] += f"; failed ({outcome.kind.value}): {outcome.message}"
        return entry
    assert isinstance(outcome, ResponseSnapshot)
    entry["request"]["httpVersion"] = outcome.http_version
    content = _content(outcome.body, outcome.content_type)
    if outcome.truncated:
        content["comment"] = "body capped by httpdiff: only the first bytes were read"
    entry["response"] = {
        "status": outcome.status,
        "statusText": outcome.reason,
        "httpVersion": outcome.http_version,
        "cookies": [],
        "headers": _headers(outcome.headers),
        "content": content,
        "redirectURL": _header(outcome.headers, "location"),
        "headersSize": -1,
        "bodySize": len(outcome.body),
    }
    conn = outcome.connection
    if conn.remote_address:
        # HAR wants the bare IP; httpdiff keeps "host:port" (or "[v6]:port").
        address = conn.remote_address.rsplit(":", 1)[0] if ":" in conn.remote_address else (
            conn.remote_address)
        entry["serverIPAddress"] = address.strip("[]")
    if conn.local_address:
        entry["connection"] = conn.local_address.rsplit(":", 1)[-1]
    entry["_connection"] = conn.as_dict()
    return entry


def comparison_to_har(comparison: Comparison, started: datetime | None = None) -> dict[str, Any]:
    """The HAR 1.2 document for one comparison (``started`` defaults to now, UTC)."""
    when = (started or datetime.now(UTC)).isoformat()
    pages = [
        {"startedDateTime": when, "id": name, "title": f"{comparison.request.method} "
         f"{comparison.request.url} ({name})", "pageTimings": {}}
        for name in comparison.outcomes
    ]
    return {
        "log": {
            "version": HAR_VERSION,
            "creator": {"name": "httpdiff", "version": __version__},
            "pages": pages,
            "entries": [_entry(name, outcome, comparison, when)
                        for name, outcome in comparison.outcomes.items()],
            "comment": "equivalent" if comparison.equivalent else
            f"{len(comparison.differences)} difference(s)",
        }
    }


def har_text(comparison: Comparison, started: datetime | None = None, *,
             secrets: tuple[str, ...] = ()) -> str:
    """The HAR document as JSON text, ready to write to a ``.har`` file, with every string
    that would reveal a secret (``variables.secret_values``) masked."""
    document = redact_document(comparison_to_har(comparison, started), secrets)
    # ASCII with \u escapes: the text is printed to terminals too, and server or user text
    # may hold C1 controls or bidi overrides that a terminal would act on.
    return json.dumps(document, indent=2, ensure_ascii=True)
