"""The demo ASGI application: routing, method checks, the index, and the lifespan handshake.

One application object serves the plain and the TLS listener, so a route behaves the same over
HTTP/1.1, h2c and h2. It knows the host:port pairs of its own listeners (for /redirect-to) and
reports lifespan startup through a callback, which the server thread uses as "ready".
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from httpdiff.demo import liar, routes_content, routes_http
from httpdiff.demo.asgi import (
    Receive,
    Request,
    RequestTooLarge,
    Response,
    Router,
    Scope,
    Send,
    json_response,
    read_request,
    send_response,
    text_response,
    watch_disconnect,
)

ROUTER = Router(routes_http.router, routes_content.router)


def index(req: Request) -> Response:
    routes = [
        {"path": r.pattern, "methods": sorted(r.methods) if r.methods else "any",
         "summary": r.summary}
        for r in ROUTER.routes
    ]
    raw = [{"path": path, "summary": what} for path, what in liar.ROUTES.items()]
    return json_response({"name": "httpdiff demo server", "routes": routes, "raw_listener": raw})


async def dispatch(req: Request) -> Response:
    if req.path == "/":
        return index(req)
    found = ROUTER.match(req.path)
    if found is None:
        return text_response(f"no route for {req.path!r}; see / for the list\n", status=404)
    route, match = found
    if route.methods is not None and req.method not in route.methods:
        allow = ", ".join(sorted(route.methods))
        return text_response("method not allowed\n", status=405, headers=[("Allow", allow)])
    return await route.handler(req, match)


class DemoApp:
    """ASGI callable. ``own_hosts`` may be filled in after the sockets are bound."""

    def __init__(self, on_startup: Callable[[], None] | None = None) -> None:
        self.own_hosts: frozenset[str] = frozenset()
        self._on_startup = on_startup

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1000})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
                if self._on_startup is not None:
                    self._on_startup()
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            request = await read_request(scope, receive, self.own_hosts)
        except RequestTooLarge:
            body = b"request body too large\n"
            headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(body))]
            await send({"type": "http.response.start", "status": 413, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        if request is None:
            return  # the client left before the request was complete
        watcher = asyncio.create_task(watch_disconnect(receive, request))
        try:
            response = await dispatch(request)
            await send_response(request, response, send)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
