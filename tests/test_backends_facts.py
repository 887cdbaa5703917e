"""Facts about httpx and aiohttp that the backends rely on (CLIENT_NOTES.md).

These talk to the libraries directly, not through httpdiff, so that a new
release that changes one of them fails here, naming the fact, instead of
showing up as a puzzling difference in a comparison. The server is a tiny
aiohttp.web app on 127.0.0.1, started once for the module.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import httpx
import pytest
import pytest_asyncio
from aiohttp import web

LARGE = 512 * 1024


async def _dup(request: web.Request) -> web.Response:
    response = web.Response(text="dup")
    response.headers.add("X-Dup", "1")
    response.headers.add("x-dup", "2")
    return response


async def _large(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    for _ in range(LARGE // 8192):
        await response.write(b"x" * 8192)
    await response.write_eof()
    return response


async def _redirect(request: web.Request) -> web.Response:
    n = int(request.match_info["n"])
    if n == 0:
        return web.Response(text="done")
    raise web.HTTPFound(f"/redirect/{n - 1}")


async def _bad_utf8(request: web.Request) -> web.Response:
    return web.Response(body=b"caf\xe9 \xff", content_type="text/plain", charset="utf-8")


async def _upload(request: web.Request) -> web.Response:
    return web.Response(text=str(len(await request.read())))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def base() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/dup", _dup)
    app.router.add_get("/large", _large)
    app.router.add_get("/redirect/{n}", _redirect)
    app.router.add_get("/bad-utf8", _bad_utf8)
    app.router.add_post("/upload", _upload)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_httpx_mapping_joins_duplicates_but_raw_keeps_them(base: str) -> None:
    async with httpx.AsyncClient(trust_env=False) as client:
        response = await client.get(f"{base}/dup")
    assert response.headers["x-dup"] == "1, 2"
    assert [(k, v) for k, v in response.headers.raw if k.lower() == b"x-dup"] == [
        (b"X-Dup", b"1"),
        (b"x-dup", b"2"),
    ]


async def test_aiohttp_mapping_gives_first_but_raw_keeps_both(base: str) -> None:
    async with aiohttp.ClientSession() as session, session.get(f"{base}/dup") as response:
        assert response.headers["x-dup"] == "1"
        assert [(k, v) for k, v in response.raw_headers if k.lower() == b"x-dup"] == [
            (b"X-Dup", b"1"),
            (b"x-dup", b"2"),
        ]


async def test_aiohttp_request_end_fires_before_the_body_and_chunks_only_from_read(
    base: str,
) -> None:
    seen: dict[str, Any] = {"chunks": 0}

    async def on_end(s: object, ctx: SimpleNamespace, params: Any) -> None:
        seen["eof_at_end"] = params.response.content.is_eof()

    async def on_chunk(s: object, ctx: SimpleNamespace, params: Any) -> None:
        seen["chunks"] += 1

    config = aiohttp.TraceConfig()
    config.on_request_end.append(on_end)
    config.on_response_chunk_received.append(on_chunk)
    async with aiohttp.ClientSession(trace_configs=[config]) as session:
        async with session.get(f"{base}/large") as response:
            size = 0
            async for chunk in response.content.iter_chunked(65536):
                size += len(chunk)
            # The connection is gone once the payload is read: capture transport facts early.
            assert response.connection is None
        assert size == LARGE
        assert seen == {"chunks": 0, "eof_at_end": False}
        async with session.get(f"{base}/dup") as response:
            await response.read()
        assert seen["chunks"] == 1


async def test_aiohttp_start_and_end_fire_once_per_redirect_chain(base: str) -> None:
    events: list[str] = []

    def record(name: str) -> Any:
        async def handler(s: object, ctx: SimpleNamespace, params: Any) -> None:
            events.append(name)

        return handler

    config = aiohttp.TraceConfig()
    config.on_request_start.append(record("start"))
    config.on_request_redirect.append(record("redirect"))
    config.on_request_headers_sent.append(record("headers"))
    config.on_request_end.append(record("end"))
    async with (
        aiohttp.ClientSession(trace_configs=[config]) as session,
        session.get(f"{base}/redirect/2") as response,
    ):
        await response.read()
    assert events == ["start", "headers", "redirect", "headers", "redirect", "headers", "end"]


async def test_aiohttp_hooks_the_backend_times_with(base: str) -> None:
    """The public classes aiohttp_trace subclasses are called once per hop, in this order."""
    events: list[str] = []
    eof: list[bool] = []

    class Request(aiohttp.ClientRequest):
        async def send(self, conn: Any) -> aiohttp.ClientResponse:
            events.append("send")
            response = await super().send(conn)
            events.append("sent")
            return response

        async def write_bytes(self, *args: Any, **kwargs: Any) -> None:
            await super().write_bytes(*args, **kwargs)
            events.append("body")

    class Response(aiohttp.ClientResponse):
        async def start(self, connection: Any) -> Response:
            await super().start(connection)
            events.append("headers")
            eof.append(self.content.is_eof())
            return self

    class Connector(aiohttp.TCPConnector):
        async def connect(self, req: Any, *args: Any, **kwargs: Any) -> Any:
            events.append("connect")
            return await super().connect(req, *args, **kwargs)

    async with aiohttp.ClientSession(
        connector=Connector(), request_class=Request, response_class=Response
    ) as session:
        async with session.get(f"{base}/redirect/1") as response:
            await response.read()
        assert events == ["connect", "send", "sent", "headers"] * 2
        events.clear()
        async with session.get(f"{base}/large") as response:
            # start() returns once the headers are parsed, before the body is in.
            assert eof[-1] is False
            await response.read()
        async with session.post(f"{base}/upload", data=b"x" * 100_000) as response:
            assert await response.text() == "100000"
        # The body is written by a task of its own, after send() returned.
        assert events[-5:] == ["connect", "send", "sent", "body", "headers"]


async def test_httpx_trace_extension_follows_redirect_hops(base: str) -> None:
    started: list[str] = []

    async def trace(name: str, info: dict[str, Any]) -> None:
        if name.endswith("send_request_headers.started"):
            started.append(name)

    async with httpx.AsyncClient(trust_env=False, follow_redirects=True) as client:
        response = await client.get(f"{base}/redirect/2", extensions={"trace": trace})
    assert len(response.history) == 2
    assert started == ["http11.send_request_headers.started"] * 3


async def test_aiohttp_text_raises_where_httpx_replaces(base: str) -> None:
    async with aiohttp.ClientSession() as session, session.get(f"{base}/bad-utf8") as response:
        with pytest.raises(UnicodeDecodeError):
            await response.text()
    async with httpx.AsyncClient(trust_env=False) as client:
        assert "\ufffd" in (await client.get(f"{base}/bad-utf8")).text


async def test_aiohttp_pools_per_ssl_context_object(base: str) -> None:
    reused: list[bool] = []

    async def on_reuse(s: object, ctx: SimpleNamespace, params: Any) -> None:
        reused.append(True)

    config = aiohttp.TraceConfig()
    config.on_connection_reuseconn.append(on_reuse)
    same = ssl.create_default_context()
    async with aiohttp.ClientSession(trace_configs=[config]) as session:
        for context in (same, same, ssl.create_default_context()):
            async with session.get(f"{base}/dup", ssl=context) as response:
                await response.read()
    assert reused == [True]


def test_the_defaults_httpdiff_overrides_still_differ() -> None:
    client = httpx.AsyncClient()
    assert (client.follow_redirects, client.max_redirects) == (False, 20)
    assert client.timeout.read == 5.0
    assert aiohttp.ClientTimeout().total is None  # the session default applies
    assert aiohttp.client.DEFAULT_TIMEOUT.total == 300
