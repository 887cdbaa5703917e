"""The embedded demo server: local listeners whose every answer is known in advance.

Used by ``httpdiff --demo``, ``httpdiff serve`` and the test suite. Three listeners on 127.0.0.1:
plain HTTP (HTTP/1.1 and h2c), TLS (ALPN h2 and http/1.1, with a private CA kept in the data
dir) and a raw "liar" that writes malformed responses no real server would send. Only this
package may import hypercorn; it never imports httpx or aiohttp, so it can judge both.
"""

from __future__ import annotations

from httpdiff.demo.server import DemoServer, serve

__all__ = ["DemoServer", "serve"]
