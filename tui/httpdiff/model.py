"""Plain data shared by every layer: the request, what each client did, and the verdict.

Runtime results are frozen, slotted dataclasses so they can be passed between the
event loop, workers and the UI without anyone mutating them. This module is stdlib
only: the backends translate library objects into these, and everything above the
backends (diff, compare, CLI, UI) sees nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, TypeAlias

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_REDIRECTS = 10

Header: TypeAlias = tuple[str, str]
"""One header line as a (name, value) pair; lists of them keep order and duplicates."""


# ---------------------------------------------------------------------------
# The request, as the user wrote it
# ---------------------------------------------------------------------------

BodyKind = Literal["none", "text", "json", "form", "multipart", "file"]


@dataclass(frozen=True, slots=True)
class Body:
    """A request body.

    ``text`` carries the raw text for ``text`` and ``json`` kinds; ``fields`` carries
    name/value pairs for ``form`` and ``multipart``; ``path`` names a file for ``file``
    (and, for multipart, a field whose value starts with ``@`` is a file path, as in curl).
    ``content_type`` overrides the default Content-Type of the kind when set.
    """

    kind: BodyKind = "none"
    text: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    path: str = ""
    content_type: str = ""


AuthKind = Literal["none", "basic", "bearer"]


@dataclass(frozen=True, slots=True)
class Auth:
    kind: AuthKind = "none"
    username: str = ""
    password: str = ""
    token: str = ""


@dataclass(frozen=True, slots=True)
class Options:
    """Transport options, passed explicitly to every backend.

    The two libraries' own defaults differ (redirects, limits, timeouts), so
    httpdiff never relies on them: every field here is handed to each library.
    """

    timeout: float = DEFAULT_TIMEOUT_S
    follow_redirects: bool = False
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    verify: bool = True
    ca_bundle: str = ""
    http2: bool = False
    proxy: str = ""


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """One request as the user wrote it (before variables are resolved)."""

    method: str = "GET"
    url: str = ""
    headers: tuple[Header, ...] = ()
    params: tuple[tuple[str, str], ...] = ()
    body: Body = field(default_factory=Body)
    auth: Auth = field(default_factory=Auth)
    options: Options = field(default_factory=Options)
    name: str = ""


# ---------------------------------------------------------------------------
# What one client did
# ---------------------------------------------------------------------------

PHASES: tuple[str, ...] = ("dns", "connect", "tls", "send", "wait", "download")


@dataclass(frozen=True, slots=True)
class Timings:
    """Phase durations in milliseconds from a monotonic clock.

    ``None`` means the library gives no way to observe that phase: it is shown as
    "not observable", never as zero. ``total`` is measured around the whole send.
    """

    dns: float | None = None
    connect: float | None = None
    tls: float | None = None
    send: float | None = None
    wait: float | None = None
    download: float | None = None
    total: float | None = None

    def phase(self, name: str) -> float | None:
        value: float | None = getattr(self, name)
        return value

    def as_dict(self) -> dict[str, float | None]:
        return {name: self.phase(name) for name in (*PHASES, "total")}


@dataclass(frozen=True, slots=True)
class ConnectionInfo:
    remote_address: str | None = None
    local_address: str | None = None
    tls_version: str | None = None
    cipher: str | None = None
    alpn: str | None = None
    reused: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "remote_address": self.remote_address,
            "local_address": self.local_address,
            "tls_version": self.tls_version,
            "cipher": self.cipher,
            "alpn": self.alpn,
            "reused": self.reused,
        }


@dataclass(frozen=True, slots=True)
class SentRequest:
    """The request as the library actually put it on the wire, defaults included."""

    method: str
    url: str
    headers: tuple[Header, ...]
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class Hop:
    """One response in a redirect chain (every response before the final one)."""

    request: SentRequest
    status: int
    reason: str
    http_version: str
    headers: tuple[Header, ...]


@dataclass(frozen=True, slots=True)
class ResponseSnapshot:
    """Everything one backend saw for one request that got a final response."""

    backend: str
    request: SentRequest
    status: int
    reason: str
    http_version: str
    headers: tuple[Header, ...]
    body: bytes
    text: str
    truncated: bool = False
    redirects: tuple[Hop, ...] = ()
    timings: Timings = field(default_factory=Timings)
    connection: ConnectionInfo = field(default_factory=ConnectionInfo)

    @property
    def ok(self) -> bool:
        return True

    def header_values(self, name: str) -> list[str]:
        """Every value of one header, in received order (names are case-insensitive)."""
        lowered = name.lower()
        return [value for key, value in self.headers if key.lower() == lowered]

    @property
    def content_type(self) -> str:
        values = self.header_values("content-type")
        return values[0] if values else ""


class FailureKind(StrEnum):
    DNS = "dns"
    CONNECT = "connect"
    TLS = "tls"
    TIMEOUT = "timeout"
    PROTOCOL = "protocol"
    TOO_LARGE = "too_large"
    INVALID_REQUEST = "invalid_request"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    DECODING = "decoding"
    CANCELLED = "cancelled"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Failure:
    """A send that ended without a final response: data to show and diff, never raised."""

    backend: str
    kind: FailureKind
    exception_type: str
    message: str
    request: SentRequest | None = None
    timings: Timings = field(default_factory=Timings)
    redirects: tuple[Hop, ...] = ()

    @property
    def ok(self) -> bool:
        return False


Outcome: TypeAlias = ResponseSnapshot | Failure


# ---------------------------------------------------------------------------
# The verdict
# ---------------------------------------------------------------------------


class Category(StrEnum):
    STATUS = "status"
    VERSION = "version"
    REQUEST_HEADER = "request-header"
    HEADER = "header"
    BODY = "body"
    REDIRECT = "redirect"
    ERROR = "error"
    TLS = "tls"
    TIMING = "timing"


class Verdict(StrEnum):
    DIFFERENCE = "difference"
    NOISE = "noise"


@dataclass(frozen=True, slots=True)
class Finding:
    """One way two outcomes differ.

    ``subject`` names what differs inside the category (a header name, a JSON path,
    a timing phase, a hop index); ``values`` maps backend name to that side's value
    (``None`` when absent on that side); ``rule`` names the noise rule that made it
    noise, if any; ``detail`` carries an optional longer rendering (a text diff).
    """

    category: Category
    subject: str
    verdict: Verdict
    values: dict[str, Any]
    rule: str = ""
    detail: str = ""

    @property
    def is_difference(self) -> bool:
        return self.verdict is Verdict.DIFFERENCE


@dataclass(frozen=True, slots=True)
class Comparison:
    """One request through several backends, and every finding between them."""

    request: RequestSpec
    outcomes: dict[str, Outcome]
    findings: tuple[Finding, ...]

    @property
    def differences(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_difference)

    @property
    def noise(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_difference)

    @property
    def equivalent(self) -> bool:
        return not self.differences
