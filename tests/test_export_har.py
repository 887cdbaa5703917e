"""Comparisons as HAR 1.2 (and as httpdiff's JSON document): shape, timings, bodies, failures."""

from __future__ import annotations

import base64
import json
import socket
from datetime import UTC, datetime
from typing import Any

import pytest

from httpdiff.compare import compare
from httpdiff.model import (
    Body,
    Comparison,
    ConnectionInfo,
    Failure,
    FailureKind,
    Options,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Timings,
)
from httpdiff.report import comparison_document
from httpdiff.storage.exporters import comparison_to_har, har_text
from httpdiff.storage.exporters.har import har_timings

WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
HAR_TIMING_KEYS = {"blocked", "dns", "connect", "ssl", "send", "wait", "receive"}


@pytest.mark.parametrize(
    ("timings", "expected"),
    [
        (Timings(), dict.fromkeys(HAR_TIMING_KEYS, -1)),
        (Timings(dns=None, connect=2.0, tls=3.0, send=0.5, wait=4.0, download=1.25, total=11),
         {"blocked": -1, "dns": -1, "connect": 5.0, "ssl": 3.0, "send": 0.5, "wait": 4.0,
          "receive": 1.25}),
        (Timings(dns=1.0, connect=6.0, tls=None, send=0.1, wait=2.0, download=None),
         {"blocked": -1, "dns": 1.0, "connect": 6.0, "ssl": -1, "send": 0.1, "wait": 2.0,
          "receive": -1}),
    ],
    ids=["nothing-observed", "httpx-like", "aiohttp-like"],
)
def test_timings(timings: Timings, expected: dict[str, float]) -> None:
    assert har_timings(timings) == expected


def made_up() -> Comparison:
    spec = RequestSpec(method="POST", url="https://h.test/up?x=1", body=Body(kind="text",
                                                                              text="hi"))
    sent = SentRequest("POST", "https://h.test/up?x=1", (("Content-Type", "image/png"),),
                       body=b"\x89PNG\x00")
    snapshot = ResponseSnapshot(
        backend="httpx", request=sent, status=200, reason="OK", http_version="HTTP/2",
        headers=(("Content-Type", "text/plain; charset=latin-1"), ("X-A", "1"), ("X-A", "2")),
        body="café".encode("latin-1"), text="café", truncated=True,
        timings=Timings(connect=1, tls=2, send=3, wait=4, download=5, total=15),
        connection=ConnectionInfo(remote_address="[::1]:8443", local_address="[::1]:50000",
                                  tls_version="TLSv1.3"),
    )
    failure = Failure(backend="aiohttp", kind=FailureKind.CONNECT,
                      exception_type="aiohttp.ClientConnectorError", message="refused",
                      timings=Timings(total=1.5))
    return Comparison(request=spec, outcomes={"httpx": snapshot, "aiohttp": failure},
                      findings=())


def test_made_up_comparison() -> None:
    har = comparison_to_har(made_up(), WHEN)["log"]
    assert har["version"] == "1.2"
    assert har["creator"]["name"] == "httpdiff"
    assert [p["id"] for p in har["pages"]] == ["httpx", "aiohttp"]
    ok, failed = har["entries"]
    assert (ok["pageref"], failed["pageref"]) == ("httpx", "aiohttp")
    assert ok["startedDateTime"] == "2025-01-02T03:04:05+00:00"
    assert "httpx" in ok["comment"] and "aiohttp" in failed["comment"]
    assert ok["time"] == 15
    assert ok["request"]["queryString"] == [{"name": "x", "value": "1"}]
    assert ok["request"]["postData"]["text"] == base64.b64encode(b"\x89PNG\x00").decode()
    response = ok["response"]
    assert response["headers"] == [
        {"name": "Content-Type", "value": "text/plain; charset=latin-1"},
        {"name": "X-A", "value": "1"}, {"name": "X-A", "value": "2"}]
    assert response["content"]["text"] == "café"
    assert response["content"]["size"] == 4  # bytes on the wire, latin-1
    assert "capped" in response["content"]["comment"]
    assert (ok["serverIPAddress"], ok["connection"]) == ("::1", "50000")
    assert ok["timings"]["ssl"] == 2 and ok["timings"]["connect"] == 3
    assert failed["response"]["status"] == 0
    assert failed["_error"] == {"kind": "connect", "type": "aiohttp.ClientConnectorError",
                                "message": "refused"}
    assert failed["request"]["method"] == "POST"  # from the spec: nothing was sent
    assert failed["timings"] == dict.fromkeys(HAR_TIMING_KEYS, -1)
    assert json.loads(har_text(made_up(), WHEN))["log"] == har


def test_har_text_masks_the_secrets_it_is_given() -> None:
    comparison = made_up()
    secret = "café"  # stands for a secret value echoed back by the server
    har = json.loads(har_text(comparison, WHEN, secrets=(secret, "h.test")))
    text = json.dumps(har, ensure_ascii=False)
    assert secret not in text and "h.test" not in text
    assert har["log"]["entries"][0]["response"]["content"]["text"] == "•••"
    assert har["log"]["entries"][0]["request"]["url"] == "https://•••/up?x=1"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_real_comparisons(demo: Any) -> None:
    cases = {
        "json": RequestSpec(method="POST", url=f"{demo.http_url}/echo",
                            body=Body(kind="json", text='{"a": 1}')),
        "binary": RequestSpec(url=f"{demo.http_url}/bytes/64"),
        "redirects": RequestSpec(url=f"{demo.http_url}/redirect/2",
                                 options=Options(follow_redirects=True)),
        "https": RequestSpec(url=f"{demo.https_url}/echo",
                             options=Options(ca_bundle=str(demo.ca_path))),
        "refused": RequestSpec(url=f"http://127.0.0.1:{_closed_port()}/",
                               options=Options(timeout=5)),
    }
    for name, spec in cases.items():
        comparison = await compare(spec)
        har = json.loads(har_text(comparison))["log"]
        json.dumps(comparison_document(comparison))  # the JSON export is plain JSON too
        assert [e["pageref"] for e in har["entries"]] == list(comparison.outcomes)
        for entry, outcome in zip(har["entries"], comparison.outcomes.values(), strict=True):
            assert set(entry["timings"]) == HAR_TIMING_KEYS
            assert all(v == -1 or v >= 0 for v in entry["timings"].values())
            content = entry["response"]["content"]
            if name == "refused":
                assert isinstance(outcome, Failure)
                assert entry["response"]["status"] == 0 and entry["_error"]["kind"]
                continue
            assert isinstance(outcome, ResponseSnapshot)
            assert entry["response"]["status"] == outcome.status == 200
            assert content["size"] == len(outcome.body)
            if name == "binary":
                assert content["encoding"] == "base64"
                assert base64.b64decode(content["text"]) == outcome.body
            else:
                assert "encoding" not in content
                assert json.loads(content["text"])["path"] == "/echo"
            if name == "json":
                assert json.loads(entry["request"]["postData"]["text"]) == {"a": 1}
            if name == "redirects":
                assert [hop["status"] for hop in entry["_redirects"]] == [302, 302]
            if name == "https":
                assert entry["serverIPAddress"] == "127.0.0.1"
                assert entry["_connection"]["tls_version"]


@pytest.mark.parametrize(
    "charset", ["base64", "rot13", "zlib", "idna", "undefined", "punycode", "ascii\x00"]
)
def test_a_server_charset_never_breaks_the_export(charset: str) -> None:
    from httpdiff.storage.exporters.har import decode_text

    text = decode_text(b'{"a": 1}', f"application/json; charset={charset}")
    assert text is None or isinstance(text, str)
    assert decode_text(b"\xff", f"text/plain; charset={charset}") in (None, "ÿ")
