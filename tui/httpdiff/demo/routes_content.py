"""Demo routes about bodies: documents, content codings, sizes, streaming, slowness, the bomb.

Bodies come from ``payloads`` (deterministic, generated lazily). Codings are applied whatever the
request's Accept-Encoding says, like httpbin, so both clients face the same bytes. Waiting routes
stop early when the client disconnects, so an abandoned request does not hold the server.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import zlib
from collections.abc import AsyncGenerator, Callable, Iterator

import brotli
import zstandard

from httpdiff.demo import payloads
from httpdiff.demo.asgi import (
    Request,
    Response,
    Router,
    json_bytes,
    json_response,
    sleep_unless_gone,
    text_response,
)

router = Router()

MAX_DELAY = 30.0
MAX_STREAM_LINES = 100_000
_SLOW_PIECES = 10


def _bad(message: str) -> Response:
    return text_response(message + "\n", status=400)


def _stream(chunks: Callable[[], Iterator[bytes]]) -> Callable[[], AsyncGenerator[bytes, None]]:
    """Wrap a sync chunk generator; the factory runs it only when a body is really sent."""

    async def generate() -> AsyncGenerator[bytes, None]:
        for chunk in chunks():
            yield chunk

    return generate


def _size(match: re.Match[str]) -> int | None:
    text = match["n"]
    return payloads.clamp_size(int(text)) if text.isdigit() else None


def _document(kind: str, content_type: str, body: bytes) -> None:
    async def handler(req: Request, match: re.Match[str]) -> Response:
        return Response(200, [("Content-Type", content_type)], body)

    router.route(f"/{kind}", f"a sample {kind} document ({content_type})")(handler)


_document(
    "json", "application/json",  # UTF-8 as is (not \u escapes), so decoding is exercised
    (json.dumps(payloads.JSON_DOC, indent=2, ensure_ascii=False) + "\n").encode(),
)
_document("html", "text/html; charset=utf-8", payloads.HTML_DOC.encode())
_document("xml", "application/xml", payloads.XML_DOC.encode())
_document("text", "text/plain; charset=utf-8", payloads.TEXT_DOC.encode())
_document("latin1", "text/plain; charset=iso-8859-1", payloads.LATIN1_BODY)


@router.route("/hostile", "markup, ANSI escapes and invalid UTF-8 labelled charset=utf-8")
async def hostile(req: Request, match: re.Match[str]) -> Response:
    return Response(200, [("Content-Type", "text/plain; charset=utf-8")], payloads.HOSTILE_BODY)


def _coded(name: str, encode: Callable[[bytes], bytes]) -> None:
    body = encode(json_bytes({"encoding": name, "document": payloads.JSON_DOC}))

    async def handler(req: Request, match: re.Match[str]) -> Response:
        headers = [("Content-Type", "application/json"), ("Content-Encoding", name)]
        return Response(200, headers, body)

    path = "brotli" if name == "br" else name
    router.route(f"/{path}", f"a JSON body sent with Content-Encoding: {name}")(handler)


_coded("gzip", payloads.gzip_json)
_coded("deflate", zlib.compress)  # HTTP "deflate" is the zlib format (RFC 9110 8.4.1.2)
_coded("br", brotli.compress)
_coded("zstd", zstandard.ZstdCompressor().compress)


@router.route("/delay/{seconds}", f"waits that many seconds (max {MAX_DELAY:g}), then JSON")
async def delay(req: Request, match: re.Match[str]) -> Response:
    try:
        seconds = float(match["seconds"])
    except ValueError:
        return _bad("seconds must be a number")
    if not math.isfinite(seconds) or seconds < 0:
        return _bad("seconds must be a finite, non-negative number")
    seconds = min(seconds, MAX_DELAY)
    await sleep_unless_gone(req, seconds)
    return json_response({"delay": seconds})


@router.route("/stream/{n}", "n JSON lines, one chunk each (chunked on HTTP/1.1)")
async def stream(req: Request, match: re.Match[str]) -> Response:
    text = match["n"]
    if not text.isdigit():
        return _bad("n must be a number")
    count = min(int(text), MAX_STREAM_LINES)

    async def lines() -> AsyncGenerator[bytes, None]:
        for i in range(count):
            yield b'{"id": %d, "line": "line %d of %d"}\n' % (i, i + 1, count)
            await asyncio.sleep(0)  # one line per chunk: let each go out on its own

    return Response(200, [("Content-Type", "application/x-ndjson")], lines)


@router.route("/bytes/{n}", "n seeded pseudo-random bytes (?seed=0), max 100 MB")
async def random_bytes(req: Request, match: re.Match[str]) -> Response:
    n = _size(match)
    seed_text = req.arg("seed") or "0"
    if n is None or not seed_text.isdigit():
        return _bad("n and seed must be numbers")
    seed = int(seed_text)
    return Response(
        200, [("Content-Type", "application/octet-stream")],
        _stream(lambda: payloads.random_bytes(n, seed)), length=n,
    )


@router.route("/large/{n}", "n bytes of numbered text lines, max 100 MB")
async def large(req: Request, match: re.Match[str]) -> Response:
    n = _size(match)
    if n is None:
        return _bad("n must be a number")
    return Response(
        200, [("Content-Type", "text/plain; charset=utf-8")],
        _stream(lambda: payloads.large_text(n)), length=n,
    )


@router.route("/large-json/{n}", "a JSON array of objects, n bytes (at least 2), max 100 MB")
async def large_json(req: Request, match: re.Match[str]) -> Response:
    n = _size(match)
    if n is None:
        return _bad("n must be a number")
    return Response(
        200, [("Content-Type", "application/json")],
        _stream(lambda: payloads.large_json(n)), length=payloads.large_json_size(n),
    )


@router.route("/gzip-bomb", "~1 MB of gzip on the wire that inflates to 1 GiB of zeros")
async def gzip_bomb(req: Request, match: re.Match[str]) -> Response:
    body = await asyncio.to_thread(payloads.gzip_bomb)  # built once, off the event loop

    def chunks() -> Iterator[bytes]:
        view = memoryview(body)
        for start in range(0, len(body), payloads.CHUNK):
            yield bytes(view[start:start + payloads.CHUNK])

    headers = [("Content-Type", "application/octet-stream"), ("Content-Encoding", "gzip")]
    return Response(200, headers, _stream(chunks), length=len(body))


@router.route("/slow-body", f"headers at once, body dribbled over ?seconds= (max {MAX_DELAY:g})")
async def slow_body(req: Request, match: re.Match[str]) -> Response:
    try:
        seconds = float(req.arg("seconds") or "3")
    except ValueError:
        return _bad("seconds must be a number")
    if not math.isfinite(seconds) or seconds < 0:
        return _bad("seconds must be a finite, non-negative number")
    seconds = min(seconds, MAX_DELAY)
    pieces = [b"piece %02d of %02d\n" % (i + 1, _SLOW_PIECES) for i in range(_SLOW_PIECES)]

    async def dribble() -> AsyncGenerator[bytes, None]:
        for piece in pieces:
            if not await sleep_unless_gone(req, seconds / _SLOW_PIECES):
                return
            yield piece

    headers = [("Content-Type", "text/plain; charset=utf-8")]
    return Response(200, headers, dribble, length=sum(map(len, pieces)))
