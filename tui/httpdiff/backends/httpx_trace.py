"""The httpx recorder: httpcore trace events and httpx event hooks for one send.

One ``HttpxTrace`` is created per send and given to httpx as the request's
``trace`` extension (unless tracing is off) and under ``RECORDER``; httpx
carries extensions to every redirect hop, and the client's event hooks find the
recorder again through ``request.extensions[RECORDER]``, so the recorder also
collects each hop's request (after auth) and response (before its body is read).

Events become phases of a hop (all ``time.perf_counter()``):

=========  ===========================================================
dns        never: resolution happens inside ``connect_tcp``
connect    ``connection.connect_tcp.started`` → ``.complete`` (includes DNS)
tls        ``connection.start_tls.started`` → ``.complete``
send       ``send_request_headers.started`` → ``send_request_body.complete``
wait       ``send_request_body.complete`` → ``receive_response_headers.complete``
           (headers parsed, not the literal first byte)
download   ``receive_response_body.started`` → ``.complete`` (or the moment
           httpdiff stopped reading a capped body)
reused     a hop that sent headers without ``connect_tcp`` events
=========  ===========================================================

``http11.`` and ``http2.`` prefixes are dropped, so both versions read alike.
A new hop begins when a connect or a request-headers event arrives after the
current hop already has its response headers.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from httpdiff.backends.capture import span_ms
from httpdiff.model import Timings

_HOP_STARTS = ("connect_tcp.started", "send_request_headers.started")


# httpcore's event names, a few dozen, each shortened once: this runs ~10 times a send.
_STEPS: dict[str, str] = {}
_STEPS_KEPT = 256


def _step(name: str) -> str:
    """'http11.send_request_headers.started' -> 'send_request_headers.started'."""
    step = _STEPS.get(name)
    if step is None:
        prefix, _, rest = name.partition(".")
        step = rest if prefix in ("http11", "http2", "connection") else name
        if len(_STEPS) < _STEPS_KEPT:
            _STEPS[name] = step
    return step


class HttpxTrace:
    """Callable trace extension that also collects the hops' requests and responses."""

    def __init__(self) -> None:
        self.hops: list[dict[str, float]] = [{}]
        self.requests: list[httpx.Request] = []
        self.responses: list[httpx.Response] = []

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        now = time.perf_counter()
        step = _step(name)
        hop = self.hops[-1]
        if step in _HOP_STARTS and "receive_response_headers.complete" in hop:
            hop = {}
            self.hops.append(hop)
        hop.setdefault(step, now)

    @property
    def final(self) -> dict[str, float]:
        return self.hops[-1]

    def reused(self) -> bool | None:
        """Whether the final hop went over a pooled connection (None before any send)."""
        hop = self.final
        if "send_request_headers.started" not in hop:
            return None
        return "connect_tcp.started" not in hop

    def timings(self, total: float | None, body_end: float | None = None) -> Timings:
        """Phases of the final hop; ``body_end`` closes a download httpdiff cut short."""
        hop = self.final
        sent = hop.get("send_request_body.complete")
        download_end = hop.get("receive_response_body.complete") or body_end
        return Timings(
            dns=None,
            connect=span_ms(hop.get("connect_tcp.started"), hop.get("connect_tcp.complete")),
            tls=span_ms(hop.get("start_tls.started"), hop.get("start_tls.complete")),
            send=span_ms(hop.get("send_request_headers.started"), sent),
            wait=span_ms(sent, hop.get("receive_response_headers.complete")),
            download=span_ms(hop.get("receive_response_body.started"), download_end),
            total=total,
        )


# The request extension under which the client's event hooks find the recorder.
RECORDER = "httpdiff_recorder"


def recorder_of(request: httpx.Request) -> HttpxTrace | None:
    trace = request.extensions.get(RECORDER)
    return trace if isinstance(trace, HttpxTrace) else None


async def on_request(request: httpx.Request) -> None:
    """Client event hook: each hop's request, as sent (auth applied)."""
    recorder = recorder_of(request)
    if recorder is not None:
        recorder.requests.append(request)


async def on_response(response: httpx.Response) -> None:
    """Client event hook: each hop's response, headers only (the body is not read yet)."""
    recorder = recorder_of(response.request)
    if recorder is not None:
        recorder.responses.append(response)
