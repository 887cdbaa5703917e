"""Helpers for the demo server tests: raw requests with the stdlib, never the clients under test."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from typing import Any
from urllib.parse import urlsplit

from httpdiff.demo import DemoServer


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def raw_exchange(url: str, request: bytes, *, limit: int = 1 << 22) -> bytes:
    """Send bytes, read until the server closes (or ``limit`` bytes), bounded by a timeout."""
    with socket.create_connection(address(url), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while len(data) < limit:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def fetch(
    url: str, method: str = "GET", headers: dict[str, str] | None = None, body: bytes | None = None,
    context: ssl.SSLContext | None = None,
) -> tuple[http.client.HTTPResponse, bytes]:
    host, port = address(url)
    parts = urlsplit(url)
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(host, port, timeout=10, context=context)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=10)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    conn.request(method, target or "/", body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def get_json(url: str, **kwargs: Any) -> Any:
    response, data = fetch(url, **kwargs)
    assert response.status == 200, data
    return json.loads(data)


def ca_context(demo: DemoServer, alpn: list[str] | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(demo.ca_path))
    if alpn:
        context.set_alpn_protocols(alpn)
    return context


