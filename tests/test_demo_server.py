"""The demo server's listeners and routes, checked with the stdlib and raw sockets only.

Covers the plain listener with h2c, TLS with ALPN, and the routes' exact answers; the liar
listener and the CA's lifecycle are in test_demo_lifecycle.py.
"""

from __future__ import annotations

import base64
import gzip
import json
import socket
import ssl
import struct
import time
import urllib.request
import zlib
from typing import Any
from urllib.parse import urlsplit

import brotli
import hpack
import pytest
import zstandard

from demo_support import address, ca_context, fetch, get_json, raw_exchange
from httpdiff.demo import DemoServer, liar, payloads

# --- listeners, TLS, HTTP/2 ------------------------------------------------------------------


def test_listeners_are_loopback_and_distinct(demo: DemoServer) -> None:
    urls = [demo.http_url, demo.https_url, demo.raw_url]
    assert [urlsplit(u).hostname for u in urls] == ["127.0.0.1"] * 3
    assert len({address(u)[1] for u in urls}) == 3
    assert demo.https_url.startswith("https://") and demo.ca_path.is_file()


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_tls_verifies_with_the_ca_for_both_names(demo: DemoServer, name: str) -> None:
    with socket.create_connection(address(demo.https_url), timeout=10) as raw, \
            ca_context(demo).wrap_socket(raw, server_hostname=name) as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
    answer = urllib.request.urlopen(demo.https_url + "/get", context=ca_context(demo), timeout=10)
    with answer:
        assert json.load(answer)["url"] == demo.https_url + "/get"


def test_tls_fails_without_the_ca(demo: DemoServer) -> None:
    context = ssl.create_default_context(cafile=None)
    context.load_verify_locations(cadata=stranger_ca())
    with socket.create_connection(address(demo.https_url), timeout=10) as raw, \
            pytest.raises(ssl.SSLCertVerificationError):
        context.wrap_socket(raw, server_hostname="127.0.0.1")


def stranger_ca() -> str:
    """A CA certificate that did not sign the demo certificate (from a throwaway trustme CA)."""
    import trustme

    return trustme.CA().cert_pem.bytes().decode()


@pytest.mark.parametrize(
    ("offered", "selected"), [(["h2", "http/1.1"], "h2"), (["http/1.1"], "http/1.1")]
)
def test_alpn(demo: DemoServer, offered: list[str], selected: str) -> None:
    with socket.create_connection(address(demo.https_url), timeout=10) as raw, \
            ca_context(demo, offered).wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        assert tls.selected_alpn_protocol() == selected


def frame(kind: int, flags: int, stream: int, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) \
        + payload


def h2_get(sock: socket.socket, scheme: str, authority: str, path: str) -> tuple[dict[str, str],
                                                                                  bytes]:
    """A minimal HTTP/2 GET on stream 1 over a connected socket: returns headers and body."""
    request = [(":method", "GET"), (":scheme", scheme), (":authority", authority),
               (":path", path), ("x-h2-test", "v")]
    sock.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(4, 0, 0, b"")
                 + frame(1, 0x5, 1, hpack.Encoder().encode(request)))
    decoder, headers, body, buffer = hpack.Decoder(), {}, b"", b""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        while len(buffer) < 9 or len(buffer) < 9 + int.from_bytes(buffer[:3], "big"):
            chunk = sock.recv(65536)
            assert chunk, "server closed the HTTP/2 connection"
            buffer += chunk
        size = int.from_bytes(buffer[:3], "big")
        kind, flags, stream = buffer[3], buffer[4], int.from_bytes(buffer[5:9], "big") & 0x7FFFFFFF
        payload, buffer = buffer[9:9 + size], buffer[9 + size:]
        assert kind != 7, f"GOAWAY {payload!r}"
        if kind == 4 and not flags & 0x1:
            sock.sendall(frame(4, 0x1, 0, b""))  # acknowledge the server's SETTINGS
        elif kind == 1 and stream == 1:
            headers.update(decoder.decode(payload))
        elif kind == 0 and stream == 1:
            body += payload
        if stream == 1 and kind in (0, 1) and flags & 0x1:
            return headers, body
    raise AssertionError("no complete HTTP/2 response in time")


def test_h2c_prior_knowledge_on_the_plain_listener(demo: DemoServer) -> None:
    host, port = address(demo.http_url)
    with socket.create_connection((host, port), timeout=10) as sock:
        headers, body = h2_get(sock, "http", f"{host}:{port}", "/echo?x=1")
    assert headers[":status"] == "200"
    echo = json.loads(body)
    assert echo["http_version"] == "2"
    assert echo["headers"][0] == ["host", f"{host}:{port}"]  # from :authority
    assert ["x-h2-test", "v"] in echo["headers"]
    assert echo["url"] == f"{demo.http_url}/echo?x=1"


def test_h2_over_tls(demo: DemoServer) -> None:
    host, port = address(demo.https_url)
    with socket.create_connection((host, port), timeout=10) as raw, \
            ca_context(demo, ["h2"]).wrap_socket(raw, server_hostname=host) as tls:
        headers, body = h2_get(tls, "https", f"{host}:{port}", "/headers/duplicate")
    assert headers[":status"] == "200"
    assert "x-mixed-case" in headers and json.loads(body)["sent"][0][0] == "Set-Cookie"


# --- echo and the request side ------------------------------------------------------------------


def test_echo_keeps_raw_header_order_case_and_duplicates(demo: DemoServer) -> None:
    host, port = address(demo.http_url)
    body = b"caf\xc3\xa9 \xff"
    request = (
        b"POST /anything/deep/path?b=2&a=1&a=&sp=%%20x HTTP/1.1\r\nHost: %s:%d\r\n"
        b"x-lower: 1\r\nX-UPPER: 2\r\nX-Dup: a\r\nX-MiXeD: \xe9\r\nX-Dup: b\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % (host.encode(), port, len(body))
    ) + body
    answer = raw_exchange(demo.http_url, request)
    echo = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert echo["headers"] == [
        ["Host", f"{host}:{port}"], ["x-lower", "1"], ["X-UPPER", "2"], ["X-Dup", "a"],
        ["X-MiXeD", "é"], ["X-Dup", "b"], ["Content-Length", str(len(body))],
        ["Connection", "close"],
    ]
    assert echo["method"] == "POST" and echo["path"] == "/anything/deep/path"
    assert echo["query"] == [["b", "2"], ["a", "1"], ["a", ""], ["sp", " x"]]
    assert echo["http_version"] == "1.1"
    assert echo["body"] == "café \ufffd"
    assert base64.b64decode(echo["body_base64"]) == body and echo["body_size"] == len(body)


def test_get_route_refuses_other_methods(demo: DemoServer) -> None:
    response, _ = fetch(demo.http_url + "/get", method="POST", body=b"x")
    assert response.status == 405 and response.getheader("Allow") == "GET, HEAD"
    response, data = fetch(demo.http_url + "/get", method="HEAD")
    assert response.status == 200 and data == b"" and int(response.getheader("Content-Length"))


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [("/status/418", 418, b"418 I'm a Teapot\n"), ("/status/599", 599, b"599 Unassigned\n"),
     ("/status/204", 204, b""), ("/status/100", 400, None), ("/status/600", 400, None),
     ("/status/abc", 400, None), ("/nowhere", 404, None)],
)
def test_status(demo: DemoServer, path: str, status: int, text: bytes | None) -> None:
    response, data = fetch(demo.http_url + path)
    assert response.status == status
    if text is not None:
        assert data == text


def test_index_lists_routes(demo: DemoServer) -> None:
    index = get_json(demo.http_url + "/")
    paths = {r["path"] for r in index["routes"]}
    assert {"/echo", "/status/{code}", "/gzip-bomb", "/anything/..."} <= paths
    assert {r["path"] for r in index["raw_listener"]} == set(liar.ROUTES)


# --- redirects, cookies, auth, response headers -----------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "location"),
    [("/redirect/3", 302, "/redirect/2"), ("/redirect/1", 302, "/echo"),
     ("/redirect/0", 200, None), ("/absolute-redirect/0", 200, None),
     ("/redirect-loop", 302, "/redirect-loop"),
     ("/redirect-to?url=/get%3Fa%3D1&status=307", 307, "/get?a=1"),
     ("/redirect-to?url=echo", 302, "echo"), ("/redirect/101", 400, None),
     ("/redirect-to?url=http://example.com/", 400, None),
     ("/redirect-to?url=//example.com/", 400, None),
     ("/redirect-to?url=/x%0d%0aSet-Cookie:%20a=b", 400, None),
     ("/redirect-to?url=/echo&status=200", 400, None)],
)
def test_redirects(demo: DemoServer, path: str, status: int, location: str | None) -> None:
    response, _ = fetch(demo.http_url + path)
    assert response.status == status
    assert response.getheader("Location") == location


def test_absolute_redirects_and_same_server_targets(demo: DemoServer) -> None:
    response, _ = fetch(demo.http_url + "/absolute-redirect/2")
    assert response.getheader("Location") == demo.http_url + "/absolute-redirect/1"
    target = demo.https_url + "/echo"
    response, _ = fetch(demo.http_url + f"/redirect-to?url={target}&status=308")
    assert response.status == 308 and response.getheader("Location") == target
    with urllib.request.urlopen(demo.http_url + "/redirect/3", timeout=10) as followed:
        assert json.load(followed)["path"] == "/echo"


def test_cookies(demo: DemoServer) -> None:
    response, _ = fetch(demo.http_url + "/cookies/set?a=1&b=two")
    assert response.status == 302 and response.getheader("Location") == "/cookies"
    assert response.headers.get_all("Set-Cookie") == ["a=1; Path=/", "b=two; Path=/"]
    assert get_json(demo.http_url + "/cookies", headers={"Cookie": "a=1; b=two"}) == {
        "cookies": {"a": "1", "b": "two"}}
    response, _ = fetch(demo.http_url + "/cookies/set?a=x%3By")
    assert response.status == 400


def test_basic_and_bearer_auth(demo: DemoServer) -> None:
    good = "Basic " + base64.b64encode(b"ann:s3cret").decode()
    assert get_json(demo.http_url + "/basic-auth/ann/s3cret", headers={"Authorization": good}) \
        == {"authenticated": True, "user": "ann"}
    for headers in ({}, {"Authorization": "Basic " + base64.b64encode(b"ann:no").decode()},
                    {"Authorization": "Basic !!!"}):
        response, _ = fetch(demo.http_url + "/basic-auth/ann/s3cret", headers=headers)
        assert response.status == 401
        assert response.getheader("WWW-Authenticate") == 'Basic realm="httpdiff demo"'
    assert get_json(demo.http_url + "/bearer", headers={"Authorization": "Bearer t0k"})[
        "token"] == "t0k"
    response, _ = fetch(demo.http_url + "/bearer", headers={"Authorization": "Bearer "})
    assert response.status == 401 and response.getheader("WWW-Authenticate").startswith("Bearer")


def test_duplicate_and_mixed_case_response_headers(demo: DemoServer) -> None:
    answer = raw_exchange(
        demo.http_url, b"GET /headers/duplicate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head = answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]
    assert head[1:6] == [b"Set-Cookie: first=1; Path=/", b"Set-Cookie: second=2; Path=/",
                        b"X-Dup: one", b"X-Dup: two", b"X-MiXeD-Case: kept as written on HTTP/1.1"]


def test_response_headers(demo: DemoServer) -> None:
    response, data = fetch(demo.http_url + "/response-headers?X-A=1&X-A=2&Content-Type=text/csv")
    assert response.headers.get_all("X-A") == ["1", "2"]
    assert response.headers.get_all("Content-Type") == ["text/csv"]
    assert json.loads(data)["headers"][0] == ["X-A", "1"]
    for bad in ("Content-Length=5", "Bad%20Name=1", "X-A=a%0db"):
        assert fetch(demo.http_url + "/response-headers?" + bad)[0].status == 400


# --- bodies ---------------------------------------------------------------------------------------

DECODERS = {
    "gzip": gzip.decompress, "deflate": zlib.decompress, "br": brotli.decompress,
    "zstd": lambda data: zstandard.ZstdDecompressor().decompress(data),
}


@pytest.mark.parametrize(("path", "coding"),
                         [("/gzip", "gzip"), ("/deflate", "deflate"), ("/brotli", "br"),
                          ("/zstd", "zstd")])
def test_content_codings(demo: DemoServer, path: str, coding: str) -> None:
    response, data = fetch(demo.http_url + path)
    assert response.getheader("Content-Encoding") == coding
    assert json.loads(DECODERS[coding](data))["encoding"] == coding
    assert fetch(demo.http_url + path)[1] == data  # deterministic bytes


@pytest.mark.parametrize(
    ("path", "content_type", "check"),
    [("/json", "application/json", lambda b: json.loads(b)["unicode"] == "café ☕ 日本"),
     ("/html", "text/html; charset=utf-8", lambda b: b.startswith(b"<!DOCTYPE html>")),
     ("/xml", "application/xml", lambda b: b.startswith(b"<?xml")),
     ("/text", "text/plain; charset=utf-8", lambda b: "café" in b.decode()),
     ("/latin1", "text/plain; charset=iso-8859-1", lambda b: "Grüße" in b.decode("latin-1")),
     ("/hostile", "text/plain; charset=utf-8",
      lambda b: all(x in b for x in (b"[@click=app.quit]", b"\x1b[31m", b"\x1b]0;", b"\xff")))],
)
def test_documents(demo: DemoServer, path: str, content_type: str, check: Any) -> None:
    response, data = fetch(demo.http_url + path)
    assert response.getheader("Content-Type") == content_type and check(data)


def test_hostile_body_is_not_utf8(demo: DemoServer) -> None:
    with pytest.raises(UnicodeDecodeError):
        fetch(demo.http_url + "/hostile")[1].decode("utf-8")


def test_delay(demo: DemoServer) -> None:
    started = time.monotonic()
    assert get_json(demo.http_url + "/delay/0.3") == {"delay": 0.3}
    assert time.monotonic() - started >= 0.3
    for bad in ("abc", "-1", "nan", "inf"):
        assert fetch(demo.http_url + f"/delay/{bad}")[0].status == 400


def test_stream_is_chunked_json_lines(demo: DemoServer) -> None:
    response, data = fetch(demo.http_url + "/stream/5")
    assert response.getheader("Transfer-Encoding") == "chunked"
    lines = data.decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [0, 1, 2, 3, 4]


def test_bytes_are_seeded_and_capped(demo: DemoServer) -> None:
    first = fetch(demo.http_url + "/bytes/100000")[1]
    assert len(first) == 100000 and fetch(demo.http_url + "/bytes/100000")[1] == first
    assert fetch(demo.http_url + "/bytes/100000?seed=1")[1] != first
    response, data = fetch(demo.http_url + "/bytes/999999999999", method="HEAD")
    assert response.getheader("Content-Length") == str(payloads.MAX_SIZE) and data == b""


@pytest.mark.parametrize("n", [0, 1, 2, 3, 45, 46, 47, 1000, 3 * 65536 + 7])
def test_large_json_is_valid_and_exact(demo: DemoServer, n: int) -> None:
    data = fetch(demo.http_url + f"/large-json/{n}")[1]
    assert len(data) == max(2, n) and isinstance(json.loads(data), list)


def test_large_text(demo: DemoServer) -> None:
    data = fetch(demo.http_url + "/large/200000")[1]
    assert len(data) == 200000 and data.startswith(b"line 0000000000: ")
    assert all(len(line) == 63 for line in data.split(b"\n")[:-1])


def test_gzip_bomb_is_small_on_the_wire(demo: DemoServer) -> None:
    response, data = fetch(demo.http_url + "/gzip-bomb")
    assert response.getheader("Content-Encoding") == "gzip" and len(data) < 2 * 1024 * 1024
    assert struct.unpack("<I", data[-4:])[0] == payloads.BOMB_INFLATED  # ISIZE in the trailer
    inflate = zlib.decompressobj(31)
    head = inflate.decompress(data, 8 << 20)  # inflate a bounded prefix only
    assert len(head) == 8 << 20 and head.count(0) == len(head)


def test_gzip_bomb_is_one_block_repeated_with_a_valid_trailer() -> None:
    # Inflating the whole GiB takes seconds; check the construction instead: one self-contained
    # deflate block of 1 MiB of zeros, 1024 times, the final empty block, CRC-32 and size.
    bomb = payloads.gzip_bomb()
    stream, (crc, size) = bomb[10:-8], struct.unpack("<II", bomb[-8:])
    block = stream[: (len(stream) - 2) // 1024]
    assert stream == block * 1024 + b"\x03\x00" and bomb[:3] == b"\x1f\x8b\x08"
    assert zlib.decompress(block + b"\x03\x00", -15) == bytes(1 << 20)
    expected_crc = 0
    for _ in range(1024):
        expected_crc = zlib.crc32(bytes(1 << 20), expected_crc)
    assert (crc, size) == (expected_crc, payloads.BOMB_INFLATED)


def test_slow_body_sends_headers_first(demo: DemoServer) -> None:
    host, port = address(demo.http_url)
    with socket.create_connection((host, port), timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /slow-body?seconds=0.6 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        first = sock.recv(65536)
        headers_after = time.monotonic() - started
        data = first
        while chunk := sock.recv(65536):
            data += chunk
        total = time.monotonic() - started
    assert first.startswith(b"HTTP/1.1 200") and headers_after < 0.3 < 0.5 < total
    assert data.endswith(b"piece 10 of 10\n")
