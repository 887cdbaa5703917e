"""The library-free parts every backend shares: URL and header building, capping, decoding."""

from __future__ import annotations

import socket
import ssl

import pytest

from httpdiff import outgoing
from httpdiff.backends import capture, request_parts
from httpdiff.backends.tls import ContextCache, unverified_context
from httpdiff.model import Auth, Body, FailureKind, RequestSpec


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        ("http://h.test/p", (), "http://h.test/p"),
        ("http://h.test/p", (("a", "1"),), "http://h.test/p?a=1"),
        ("http://h.test/p?x=0", (("a", "1"), ("a", "2")), "http://h.test/p?x=0&a=1&a=2"),
        ("http://h.test/p?x=0#frag", (("q", "a b&c"),), "http://h.test/p?x=0&q=a+b%26c#frag"),
    ],
)
def test_full_url_appends_params(
    url: str, params: tuple[tuple[str, str], ...], expected: str
) -> None:
    assert request_parts.full_url(RequestSpec(url=url, params=params)) == expected


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (RequestSpec(headers=(("X-A", "1"), ("x-a", "2"))), [("X-A", "1"), ("x-a", "2")]),
        (RequestSpec(auth=Auth(kind="bearer", token="t")), [("Authorization", "Bearer t")]),
        (RequestSpec(body=Body(kind="text", text="hi")),
         [("Content-Type", outgoing.TEXT_CONTENT_TYPE)]),
        (RequestSpec(body=Body(kind="file", path="/x")),
         [("Content-Type", outgoing.FILE_CONTENT_TYPE)]),
        (RequestSpec(body=Body(kind="json", text="{}")), []),
        (RequestSpec(body=Body(kind="json", text="{}", content_type="application/vnd.x+json")),
         [("Content-Type", "application/vnd.x+json")]),
        (RequestSpec(body=Body(kind="multipart", content_type="text/plain")), []),
        (RequestSpec(headers=(("content-type", "a/b"),), body=Body(kind="text", text="x")),
         [("content-type", "a/b")]),
    ],
)
def test_headers_for(spec: RequestSpec, expected: list[tuple[str, str]]) -> None:
    assert request_parts.headers_for(spec) == expected


async def test_multipart_parts_read_files(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "up.bin"
    path.write_bytes(b"\x00\x01")
    spec = RequestSpec(body=Body(kind="multipart", fields=(("a", "1"), ("f", f"@{path}"))))
    parts = await request_parts.multipart_parts(spec)
    assert parts == [
        request_parts.Part(name="a", value="1"),
        request_parts.Part(name="f", filename="up.bin", data=b"\x00\x01"),
    ]


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        ("", "utf-8"),
        ("text/html", "utf-8"),
        ("text/html; charset=ISO-8859-1", "iso8859-1"),
        ('text/html; charset="latin-1"', "iso8859-1"),
        ("text/html; charset=no-such-codec", "utf-8"),
        ("text/html; charset=", "utf-8"),
        ("\x00\xff;;;charset", "utf-8"),
        ("text/plain; charset=base64", "utf-8"),
        ("text/plain; charset=rot13", "utf-8"),
        ("text/plain; charset=zlib", "utf-8"),
        ("text/plain; charset=ascii\x00", "utf-8"),
    ],
)
def test_charset_of(content_type: str, charset: str) -> None:
    assert capture.charset_of(content_type) == charset


def test_decode_text_never_raises() -> None:
    assert capture.decode_text(b"caf\xe9", "text/plain; charset=latin-1") == "café"
    assert capture.decode_text(b"caf\xe9", "") == "caf\ufffd"
    assert capture.decode_text(b"\xff\xfe\x00", "text/plain; charset=utf-16") != ""
    # Codecs that raise whatever the error handler: the body is read as UTF-8 instead.
    for charset in ("idna", "punycode", "undefined", "base64", "hex", "uu"):
        assert capture.decode_text(b"\xffab", f"text/plain; charset={charset}") == "\ufffdab"


def test_body_buffer_caps() -> None:
    buffer = capture.BodyBuffer(5)
    assert buffer.add(b"abc")
    assert not buffer.add(b"defg")
    assert (buffer.body, buffer.truncated) == (b"abcde", True)
    exact = capture.BodyBuffer(3)
    assert exact.add(b"abc")
    assert (exact.body, exact.truncated) == (b"abc", False)


def test_header_list_keeps_order_case_and_bad_bytes() -> None:
    raw = [(b"X-A", b"1"), (b"x-a", b"\xff"), (b"Set-Cookie", b"a=1")]
    assert capture.header_list(raw) == (("X-A", "1"), ("x-a", "ÿ"), ("Set-Cookie", "a=1"))


def test_messages_are_one_stable_line() -> None:
    exc = ValueError("bad\nthing at 0x7f00deadbeef\t here")
    assert capture.one_line(exc) == "bad thing here"
    assert capture.one_line(ValueError()) == "ValueError"
    assert capture.qualified_name(socket.gaierror()) == "socket.gaierror"


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (socket.gaierror(-2, "Name or service not known"), FailureKind.DNS),
        (ssl.SSLCertVerificationError("bad cert"), FailureKind.TLS),
        (TimeoutError(), FailureKind.TIMEOUT),
        (ConnectionRefusedError(), FailureKind.CONNECT),
        (ValueError(), None),
    ],
)
def test_builtin_kind_looks_through_the_chain(exc: Exception, kind: FailureKind | None) -> None:
    try:
        try:
            raise exc
        except Exception as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as outer:
        assert capture.builtin_kind(outer) == kind


def test_addresses_and_versions() -> None:
    assert capture.address_text(("127.0.0.1", 80)) == "127.0.0.1:80"
    assert capture.address_text(("::1", 443, 0, 0)) == "[::1]:443"
    assert capture.address_text(None) is None
    assert capture.version_text(1, 1) == "HTTP/1.1"
    assert capture.version_text(2, 0) == "HTTP/2"
    assert capture.span_ms(1.0, 1.5) == 500.0
    assert capture.span_ms(None, 1.0) is None


def test_context_cache_builds_once_per_setting() -> None:
    built: list[tuple[bool, str]] = []

    def build(verify: bool, ca: str) -> ssl.SSLContext:
        built.append((verify, ca))
        return unverified_context()

    cache = ContextCache(build)
    first = cache.get(True, "")
    assert cache.get(True, "") is first
    assert cache.get(False, "/ignored/when/not/verifying") is cache.get(False, "")
    assert cache.get(True, "", "h2") is not first
    assert built == [(True, ""), (False, ""), (True, "")]


def test_speed_notes_name_a_missing_sniffio(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from httpdiff import backends

    real = importlib.util.find_spec

    def without_sniffio(name: str, *args: object) -> object:
        return None if name == "sniffio" else real(name)

    backends.speed_notes.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", without_sniffio)
    try:
        (note,) = backends.speed_notes()
        assert note.startswith("sniffio is not installed") and "httpx" in note
        monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: real("httpx"))
        backends.speed_notes.cache_clear()
        assert backends.speed_notes() == ()
    finally:
        backends.speed_notes.cache_clear()
