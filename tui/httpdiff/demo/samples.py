"""Sample requests for ``httpdiff --demo``: each one shows a real difference, offline.

Pure data: ``demo_collection`` holds the requests with ``{{http}}``-style variables
(written as the demo collection, opened with the "demo" environment from
``demo_variables``), and ``demo_requests`` resolves them against a running
server, so nothing reaches beyond loopback. Every sample sets
its options explicitly (as the app would) and says in its name what to look for.
This module knows nothing of Textual; it only needs the server's URLs.
"""

from __future__ import annotations

import json
from dataclasses import replace
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


DEMO_ENVIRONMENT = "demo"
"""The environment the demo collection is opened with."""


def demo_variables(server: DemoURLs) -> dict[str, str]:
    """The demo environment: the server's URLs and its CA, as ``{{http}}`` and friends."""
    return {
        "http": server.http_url.rstrip("/"),
        "https": server.https_url.rstrip("/"),
        "raw": server.raw_url.rstrip("/"),
        "ca": str(server.ca_path),
    }


def demo_collection() -> list[tuple[str, RequestSpec]]:
    """The samples as a collection: ``(group/file-name, request)`` with ``{{variables}}`` URLs.

    Each request keeps its long name (what to look for); the file name is a short slug,
    since a request's identity in a collection is its file.
    """
    follow = Options(follow_redirects=True)
    short = Options(timeout=10.0)
    return [
        ("basics/echo", RequestSpec(name="Echo: default request headers", url="{{http}}/echo")),
        ("basics/http2-tls", RequestSpec(
            name="HTTP/2 over TLS (version differs)",
            url="{{https}}/echo",
            options=Options(http2=True, ca_bundle="{{ca}}"),
        )),
        ("basics/json-post", RequestSpec(
            name="JSON POST echo (serialisation)",
            method="POST",
            url="{{http}}/echo",
            body=Body(kind="json", text=_JSON_BODY),
        )),
        ("redirects/follow-3", RequestSpec(
            name="Redirects followed (3 hops)", url="{{http}}/redirect/3", options=follow,
        )),
        ("redirects/limit-3-of-4", RequestSpec(
            name="Redirect limit (4 hops, max 3)",
            url="{{http}}/redirect/4",
            options=Options(follow_redirects=True, max_redirects=3),
        )),
        ("encodings/gzip", RequestSpec(name="gzip body", url="{{http}}/gzip")),
        ("encodings/brotli", RequestSpec(name="brotli body", url="{{http}}/brotli")),
        ("encodings/zstd", RequestSpec(name="zstd body", url="{{http}}/zstd")),
        ("headers/duplicate", RequestSpec(name="Duplicate response headers",
                                          url="{{http}}/headers/duplicate")),
        ("basics/status-418", RequestSpec(name="Status 418", url="{{http}}/status/418")),
        ("basics/hostile-text", RequestSpec(name="Hostile text (markup, ANSI, bad UTF-8)",
                                            url="{{http}}/hostile")),
        ("liars/length-and-chunked", RequestSpec(
            name="One side fails: Content-Length + chunked",
            url="{{raw}}/length-and-chunked", options=short)),
        ("liars/gzip-transfer-coding", RequestSpec(
            name="Other side fails: Transfer-Encoding gzip",
            url="{{raw}}/gzip-transfer-coding", options=short)),
        ("liars/wrong-length", RequestSpec(name="Liar: wrong Content-Length",
                                           url="{{raw}}/wrong-length", options=short)),
        ("liars/truncated-chunked", RequestSpec(name="Liar: truncated chunked body",
                                                url="{{raw}}/truncated-chunked", options=short)),
        ("liars/bad-gzip", RequestSpec(name="Liar: bad gzip", url="{{raw}}/bad-gzip",
                                       options=short)),
        ("basics/slow-2s", RequestSpec(name="Slow: delay 2 s", url="{{http}}/delay/2")),
        ("auth/basic", RequestSpec(
            name="Basic auth (demo:secret)",
            url="{{http}}/basic-auth/demo/secret",
            auth=Auth(kind="basic", username="demo", password="secret"),
        )),
        ("basics/large-json", RequestSpec(name="Large JSON (~1 MB)",
                                          url="{{http}}/large-json/1000000")),
    ]


def _filled(spec: RequestSpec, variables: dict[str, str]) -> RequestSpec:
    """A sample with its variables put in: only the URL and the CA bundle use them.

    (``storage.variables`` does this for any request; ``demo`` sits beside ``storage``
    and may not import it, and the samples need no more than this.)
    """

    def fill(text: str) -> str:
        for name, value in variables.items():
            text = text.replace("{{" + name + "}}", value)
        return text

    return replace(spec, url=fill(spec.url),
                   options=replace(spec.options, ca_bundle=fill(spec.options.ca_bundle)))


def demo_requests(server: DemoURLs) -> list[RequestSpec]:
    """About a dozen named requests against ``server``, each showing one kind of difference."""
    variables = demo_variables(server)
    return [_filled(spec, variables) for _, spec in demo_collection()]


__all__ = ["DEMO_ENVIRONMENT", "DemoURLs", "demo_collection", "demo_requests", "demo_variables"]
