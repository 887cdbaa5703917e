"""SSL contexts, one per backend and setting, built once and kept.

Two traps decide this (see CLIENT_NOTES): httpx with HTTP/2 writes ``h2`` into
the ALPN list of the context it is given, so a context shared with aiohttp
makes aiohttp negotiate h2 and fail; and aiohttp keys its connection pool on
the context object, so a new context per request would never reuse a
connection. Each backend therefore owns one ``ContextCache`` and asks it for
the context of a setting; the backend supplies how its library would build one.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Hashable


class ContextCache:
    """Builds a context the first time a setting is seen and returns the same object after."""

    def __init__(self, build: Callable[[bool, str], ssl.SSLContext]) -> None:
        self._build = build
        self._contexts: dict[Hashable, ssl.SSLContext] = {}

    def get(self, verify: bool, ca_bundle: str, *extra: Hashable) -> ssl.SSLContext:
        """The context for (verify, ca_bundle, *extra); ``extra`` only splits the cache."""
        key = (verify, ca_bundle if verify else "", *extra)
        context = self._contexts.get(key)
        if context is None:
            context = self._contexts[key] = self._build(verify, ca_bundle if verify else "")
        return context


def unverified_context() -> ssl.SSLContext:
    """A client context that checks neither the chain nor the host name (verify off)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
