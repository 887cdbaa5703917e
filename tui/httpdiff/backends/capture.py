"""What every backend does alike with what comes back: cap, decode, time, classify.

The two backends differ only in how they reach the library's facts; turning
those facts into model values is shared here, so that a difference between
two outcomes is always the libraries' and never the adapters'. Everything in
this module is library-free and never raises on server bytes: headers are
decoded as latin-1 (every byte maps to a character), bodies with the declared
charset and ``errors="replace"``.
"""

from __future__ import annotations

import codecs
import functools
import re
import socket
import ssl
import weakref
from collections.abc import Callable, Iterable
from email.message import Message
from typing import Any

from httpdiff.model import ConnectionInfo, FailureKind, Header

# One line for a person; long library messages (a whole certificate chain) are cut.
_MESSAGE_LIMIT = 300
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# Content-Type values up to this length have their charset remembered.
_CACHED_CONTENT_TYPE = 200


def header_list(raw: Iterable[tuple[bytes, bytes]]) -> tuple[Header, ...]:
    """Raw header pairs as text, in order, duplicates and case kept; never raises."""
    return tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in raw)


# Connection-specific headers that h2 strips from an outgoing HTTP/2 header block
# (RFC 9113 §8.2.2; h2's ``CONNECTION_HEADERS``); httpcore itself drops Transfer-Encoding.
H2_STRIPPED = frozenset({"connection", "proxy-connection", "keep-alive", "transfer-encoding",
                         "upgrade"})


def h2_wire_headers(headers: Iterable[Header]) -> tuple[Header, ...]:
    """Request headers as an HTTP/2 client puts them on the wire.

    Names go out lowercase and connection-specific headers not at all; Host stays
    in its place, standing for the ``:authority`` pseudo-header it becomes.
    """
    return tuple(
        (name.lower(), value) for name, value in headers if name.lower() not in H2_STRIPPED
    )


def charset_of(content_type: str) -> str:
    """The charset named in a Content-Type value if Python has it as a text codec, else utf-8.

    The server picks the name: "base64", "rot13" or "zlib" name codecs that are not
    text encodings (``bytes.decode`` refuses them), and a NUL in the name makes the
    lookup raise ValueError.
    """
    if not content_type:
        return "utf-8"
    # Servers repeat a handful of values, and parsing one costs more than decoding a
    # small body; long (odd) values are parsed each time rather than kept.
    if len(content_type) <= _CACHED_CONTENT_TYPE:
        return _cached_charset(content_type)
    return _parse_charset(content_type)


@functools.lru_cache(maxsize=256)
def _cached_charset(content_type: str) -> str:
    return _parse_charset(content_type)


def _parse_charset(content_type: str) -> str:
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    if not isinstance(charset, str) or not charset.strip():
        return "utf-8"
    try:
        info = codecs.lookup(charset.strip().strip('"'))
    except (LookupError, ValueError):
        return "utf-8"
    return info.name if getattr(info, "_is_text_encoding", True) else "utf-8"


def decode_text(body: bytes, content_type: str) -> str:
    """The body as text: declared charset (else utf-8), bad bytes replaced, never raising.

    Some text codecs raise whatever the error handler ("idna", "punycode",
    "undefined"): the body is then decoded as UTF-8.
    """
    try:
        return body.decode(charset_of(content_type), errors="replace")
    except (UnicodeError, LookupError, ValueError):
        return body.decode("utf-8", errors="replace")


def content_type_of(headers: Iterable[Header]) -> str:
    for name, value in headers:
        if name.lower() == "content-type":
            return value
    return ""


class BodyBuffer:
    """Collects decoded body chunks up to a cap; knows whether it had to cut.

    With ``keep=False`` it only counts: ``size`` and ``truncated`` are kept, the
    bytes are not (``body`` is empty).
    """

    def __init__(self, limit: int, keep: bool = True) -> None:
        self.limit = max(0, limit)
        self.keep = keep
        self._parts: list[bytes] = []
        self.size = 0
        self.truncated = False

    def add(self, chunk: bytes) -> bool:
        """Keep what fits of ``chunk``; False once the cap is reached and reading should stop."""
        room = self.limit - self.size
        if len(chunk) > room:
            if self.keep:
                self._parts.append(chunk[:room])
            self.size = self.limit
            self.truncated = True
            return False
        if self.keep:
            self._parts.append(chunk)
        self.size += len(chunk)
        return True

    @property
    def body(self) -> bytes:
        return b"".join(self._parts)


def capped(data: bytes, limit: int) -> bytes:
    return data[: max(0, limit)]


def span_ms(start: float | None, end: float | None) -> float | None:
    """Milliseconds between two perf_counter readings, or None when either is unknown."""
    if start is None or end is None or end < start:
        return None
    return (end - start) * 1000.0


def version_text(major: int, minor: int) -> str:
    """HTTP/1.1, HTTP/1.0, or HTTP/2 (no minor, as the protocol names itself)."""
    return f"HTTP/{major}" if major >= 2 else f"HTTP/{major}.{minor}"


def address_text(address: Any) -> str | None:
    """A socket address as "host:port" (IPv6 hosts in brackets), or None."""
    if isinstance(address, tuple) and len(address) >= 2:
        host, port = str(address[0]), address[1]
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    if isinstance(address, str) and address:
        return address
    return None


def connection_info(
    remote: Any, local: Any, ssl_object: Any, reused: bool | None
) -> ConnectionInfo:
    """ConnectionInfo from socket addresses and an ``ssl.SSLObject``/``SSLSocket`` (or None)."""
    tls_version = cipher = alpn = None
    if ssl_object is not None:
        try:
            tls_version = ssl_object.version()
            cipher_tuple = ssl_object.cipher()
            cipher = cipher_tuple[0] if cipher_tuple else None
            alpn = ssl_object.selected_alpn_protocol()
        except (AttributeError, ValueError, OSError):
            pass
    return ConnectionInfo(
        remote_address=address_text(remote),
        local_address=address_text(local),
        tls_version=tls_version,
        cipher=cipher,
        alpn=alpn,
        reused=reused,
    )


class FactsCache:
    """Connection facts per live transport: fixed while it lives, and slow to read.

    Reading addresses and TLS facts costs tens of microseconds per send through
    anyio's extra attributes; a reused connection would pay it on every send.
    Entries go with their transport (weak keys).
    """

    def __init__(self) -> None:
        # (as a new connection, as a reused one): built once, so a send builds nothing.
        self._known: weakref.WeakKeyDictionary[Any, tuple[ConnectionInfo, ConnectionInfo]] = (
            weakref.WeakKeyDictionary()
        )

    def get(
        self, transport: Any, read: Callable[[], ConnectionInfo]
    ) -> tuple[ConnectionInfo, bool | None]:
        """The transport's facts, and whether it was seen before (a reused connection).

        A new connection is a new transport object, so "seen before" is "reused";
        the facts carry that as ``reused``. None when this kind of transport
        cannot be remembered.
        """
        try:
            known = self._known.get(transport)
        except TypeError:  # no weak references to this kind of object
            return read(), None
        if known is not None:
            return known[1], True
        facts = read()
        self._known[transport] = (with_reused(facts, False), with_reused(facts, True))
        return self._known[transport][0], False


def with_reused(facts: ConnectionInfo, reused: bool | None) -> ConnectionInfo:
    if facts.reused is reused:
        return facts
    return ConnectionInfo(facts.remote_address, facts.local_address, facts.tls_version,
                          facts.cipher, facts.alpn, reused)


# ---------------------------------------------------------------------------
# Failures
# ---------------------------------------------------------------------------


def qualified_name(exc: BaseException) -> str:
    cls = type(exc)
    return f"{cls.__module__}.{cls.__qualname__}"


def one_line(exc: BaseException) -> str:
    """The exception's message on one line (its class name when it has none)."""
    # Object reprs ("<ssl.SSLContext object at 0x7f...>") would differ on every run.
    text = _ADDRESS.sub("", " ".join(str(exc).split())) or type(exc).__name__
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 3] + "..."


def chain(exc: BaseException) -> list[BaseException]:
    """The exception and every cause/context behind it, outermost first, without cycles."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not s for s in seen) and len(seen) < 20:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def builtin_kind(exc: BaseException) -> FailureKind | None:
    """The kind implied by stdlib exceptions anywhere in the chain, most specific first.

    Both libraries wrap the same socket/ssl errors; looking through the chain for
    them classifies alike whatever wrapper each library puts on top.
    """
    links = chain(exc)
    if any(isinstance(e, socket.gaierror) for e in links):
        return FailureKind.DNS
    if any(isinstance(e, ssl.SSLError | ssl.CertificateError) for e in links):
        return FailureKind.TLS
    if any(isinstance(e, TimeoutError) for e in links):
        return FailureKind.TIMEOUT
    if any(isinstance(e, ConnectionRefusedError) for e in links):
        return FailureKind.CONNECT
    return None
