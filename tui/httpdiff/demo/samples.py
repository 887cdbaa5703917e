"""Sample requests for ``httpdiff --demo``: each one shows a real difference, offline.

Pure data built from a running demo server's URLs, so the app opens with a list
of requests worth sending and nothing reaches beyond loopback. Every sample sets
its options explicitly (as the app would) and says in its name what to look for.
This module knows nothing of Textual; it only needs the server's URLs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from httpdiff.model import Auth, Body, Options, RequestSpec


class DemoURLs(Protocol):
    """What the samples need from a demo server (``httpdiff.demo.DemoServer`` has it)."""

    @property
    def http_url(self) -> str: ...

    @property
    def https_url(self) -> str: ...

    @property
    def raw_url(self) -> str: ...

    @property
    def ca_path(self) -> Path: ...


# A JSON body whose serialisation is worth comparing: non-ASCII, a float, nesting.
_JSON_BODY = json.dumps(
    {"name": "httpdiff", "unicode": "naïve café ✓", "ratio": 1.0, "tags": ["a", "b"]},
    ensure_ascii=False,
    indent=2,
)


def demo_requests(server: DemoURLs) -> list[RequestSpec]:
    """About a dozen named requests against ``server``, each showing one kind of difference."""
    http = server.http_url.rstrip("/")
    https = server.https_url.rstrip("/")
    raw = server.raw_url.rstrip("/")
    ca = str(server.ca_path)
    follow = Options(follow_redirects=True)
    short = Options(timeout=10.0)
    return [
        RequestSpec(name="Echo: default request headers", url=f"{http}/echo"),
        RequestSpec(
            name="HTTP/2 over TLS (version differs)",
            url=f"{https}/echo",
            options=Options(http2=True, ca_bundle=ca),
        ),
        RequestSpec(
            name="JSON POST echo (serialisation)",
            method="POST",
            url=f"{http}/echo",
            body=Body(kind="json", text=_JSON_BODY),
        ),
        RequestSpec(
            name="Redirects followed (3 hops)",
            url=f"{http}/redirect/3",
            options=follow,
        ),
        RequestSpec(
            name="Redirect limit (4 hops, max 3)",
            url=f"{http}/redirect/4",
            options=Options(follow_redirects=True, max_redirects=3),
        ),
        RequestSpec(name="gzip body", url=f"{http}/gzip"),
        RequestSpec(name="brotli body", url=f"{http}/brotli"),
        RequestSpec(name="zstd body", url=f"{http}/zstd"),
        RequestSpec(name="Duplicate response headers", url=f"{http}/headers/duplicate"),
        RequestSpec(name="Status 418", url=f"{http}/status/418"),
        RequestSpec(name="Hostile text (markup, ANSI, bad UTF-8)", url=f"{http}/hostile"),
        RequestSpec(name="Liar: wrong Content-Length", url=f"{raw}/wrong-length", options=short),
        RequestSpec(name="Liar: truncated chunked body", url=f"{raw}/truncated-chunked",
                    options=short),
        RequestSpec(name="Liar: bad gzip", url=f"{raw}/bad-gzip", options=short),
        RequestSpec(name="Slow: delay 2 s", url=f"{http}/delay/2"),
        RequestSpec(
            name="Basic auth (demo:secret)",
            url=f"{http}/basic-auth/demo/secret",
            auth=Auth(kind="basic", username="demo", password="secret"),
        ),
        RequestSpec(name="Large JSON (~1 MB)", url=f"{http}/large-json/1000000"),
    ]


__all__ = ["DemoURLs", "demo_requests"]
