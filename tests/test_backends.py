"""Both real backends against the demo server: what was sent, what came back, redirects.

Every behaviour test runs once per backend. The demo server (``demo`` fixture,
started once per session on 127.0.0.1) echoes requests exactly as received, so
the request httpdiff says it sent can be checked against what arrived.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backend_support import SMALL, at, ok
from httpdiff.backends import Backend, Settings
from httpdiff.model import (
    Auth,
    Body,
    Failure,
    FailureKind,
    Options,
    Outcome,
    RequestSpec,
)


def echoed(outcome: Outcome) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(ok(outcome).body)
    return document


def lowered(headers: Any) -> list[tuple[str, str]]:
    return [(str(k).lower(), str(v)) for k, v in headers]


async def test_status_and_reason(backend: Backend, demo: Any) -> None:
    snap = ok(await backend.send(RequestSpec(url=at(demo.http_url, "/status/418")), SMALL))
    assert snap.backend == backend.name
    assert snap.status == 418
    assert snap.reason.lower() in ("", "i'm a teapot")  # as received: hypercorn sends none
    assert snap.http_version == "HTTP/1.1"


async def test_sent_request_is_what_the_server_received(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(
        method="PUT",
        url=at(demo.http_url, "/echo?keep=1"),
        params=(("a", "1"), ("a", "2")),
        headers=(("X-Twice", "one"), ("X-Twice", "two"), ("X-Case", "v")),
        body=Body(kind="text", text="héllo"),
    )
    snap = ok(await backend.send(spec, SMALL))
    doc = echoed(snap)
    sent = snap.request
    assert sent.method == "PUT"
    assert sent.url.endswith("/echo?keep=1&a=1&a=2")
    assert doc["query"] == [["keep", "1"], ["a", "1"], ["a", "2"]]
    # Every header the server got, library defaults included, is in the captured request.
    assert lowered(sent.headers) == lowered(doc["headers"])
    names = [name.lower() for name, _ in sent.headers]
    assert {"host", "user-agent", "accept-encoding", "content-length"} <= set(names)
    twice = [v for k, v in sent.headers if k.lower() == "x-twice"]
    assert twice == ["one", "two"]
    assert ("Content-Type", "text/plain; charset=utf-8") in sent.headers
    assert sent.body == "héllo".encode() == bytes(doc["body"], "utf-8")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (Body(kind="json", text='{"a": [1, 2]}'), {"a": [1, 2]}),
        (Body(kind="form", fields=(("a", "1"), ("b", "x y"), ("a", "2"))), None),
    ],
)
async def test_json_and_form_bodies_use_the_library_encoder(
    backend: Backend, demo: Any, body: Body, expected: Any
) -> None:
    spec = RequestSpec(method="POST", url=at(demo.http_url, "/echo"), body=body)
    snap = ok(await backend.send(spec, SMALL))
    doc = echoed(snap)
    assert snap.request.body.decode() == doc["body"]
    if expected is not None:
        assert json.loads(doc["body"]) == expected
        assert snap.request.headers and ("content-type", "application/json") in lowered(
            snap.request.headers
        )
    else:
        assert sorted(doc["body"].split("&")) == ["a=1", "a=2", "b=x+y"]


async def test_multipart_and_file_bodies(backend: Backend, demo: Any, tmp_path: Path) -> None:
    upload = tmp_path / "up.bin"
    upload.write_bytes(b"\x00payload\xff")
    multipart = RequestSpec(
        method="POST",
        url=at(demo.http_url, "/echo"),
        body=Body(kind="multipart", fields=(("name", "value"), ("file", f"@{upload}"))),
    )
    snap = ok(await backend.send(multipart, SMALL))
    doc = echoed(snap)
    assert doc["body_size"] == len(snap.request.body) > 0
    assert b'filename="up.bin"' in snap.request.body
    assert b"\x00payload\xff" in snap.request.body
    assert any(v.startswith("multipart/form-data; boundary=") for _, v in snap.request.headers)

    raw = RequestSpec(method="POST", url=at(demo.http_url, "/echo"),
                      body=Body(kind="file", path=str(upload)))
    snap = ok(await backend.send(raw, SMALL))
    assert snap.request.body == b"\x00payload\xff"
    assert echoed(snap)["body_size"] == len(b"\x00payload\xff")


async def test_basic_and_bearer_auth(backend: Backend, demo: Any) -> None:
    basic = RequestSpec(url=at(demo.http_url, "/basic-auth/ann/s3cret"),
                        auth=Auth(kind="basic", username="ann", password="s3cret"))
    assert ok(await backend.send(basic, SMALL)).status == 200
    wrong = RequestSpec(url=basic.url, auth=Auth(kind="basic", username="ann", password="no"))
    assert ok(await backend.send(wrong, SMALL)).status == 401
    bearer = RequestSpec(url=at(demo.http_url, "/bearer"), auth=Auth(kind="bearer", token="tok"))
    snap = ok(await backend.send(bearer, SMALL))
    assert snap.status == 200
    assert ("Authorization", "Bearer tok") in snap.request.headers


async def test_duplicate_response_headers_keep_order_and_case(backend: Backend, demo: Any) -> None:
    snap = ok(await backend.send(RequestSpec(url=at(demo.http_url, "/headers/duplicate")), SMALL))
    assert snap.header_values("x-dup") == ["one", "two"]
    assert len(snap.header_values("set-cookie")) == 2
    names = [name for name, _ in snap.headers]
    assert "X-MiXeD-Case" in names or "x-mixed-case" in names


@pytest.mark.parametrize("coding", ["gzip", "deflate", "brotli", "zstd"])
async def test_content_encodings_are_decoded(backend: Backend, demo: Any, coding: str) -> None:
    snap = ok(await backend.send(RequestSpec(url=at(demo.http_url, f"/{coding}")), SMALL))
    assert snap.status == 200
    assert snap.header_values("content-encoding")
    assert not snap.truncated
    assert snap.text.strip()
    json.loads(snap.body)  # decoded: the demo's encoded routes serve JSON


async def test_body_cap_counts_decoded_bytes(backend: Backend, demo: Any) -> None:
    capped = Settings(max_body_bytes=1000)
    snap = ok(await backend.send(RequestSpec(url=at(demo.http_url, "/bytes/5000")), capped))
    assert (len(snap.body), snap.truncated) == (1000, True)
    whole = ok(await backend.send(RequestSpec(url=at(demo.http_url, "/bytes/1000")), capped))
    assert (len(whole.body), whole.truncated) == (1000, False)


async def test_gzip_bomb_stops_at_the_cap(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/gzip-bomb"), options=Options(timeout=10))
    snap = ok(await backend.send(spec, Settings(max_body_bytes=256 * 1024)))
    assert snap.truncated
    assert len(snap.body) == 256 * 1024
    # The connection is dropped, not drained: the next send opens a new one.
    after = ok(await backend.send(RequestSpec(url=at(demo.http_url, "/status/200")), SMALL))
    assert after.connection.reused is False


async def test_hostile_body_is_decoded_without_raising(backend: Backend, demo: Any) -> None:
    snap = ok(await backend.send(RequestSpec(url=at(demo.http_url, "/hostile")), SMALL))
    assert "\ufffd" in snap.text
    assert "[bold red]" in snap.text
    latin = ok(await backend.send(RequestSpec(url=at(demo.http_url, "/latin1")), SMALL))
    assert "Köln" in latin.text


async def test_redirect_not_followed(backend: Backend, demo: Any) -> None:
    snap = ok(await backend.send(RequestSpec(url=at(demo.http_url, "/redirect/2")), SMALL))
    assert snap.status == 302
    assert snap.header_values("location") == ["/redirect/1"]
    assert snap.redirects == ()


async def test_redirects_followed_record_each_hop(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/redirect/3"),
                       options=Options(follow_redirects=True))
    snap = ok(await backend.send(spec, SMALL))
    assert snap.status == 200
    assert snap.request.url.endswith("/echo")
    assert [hop.status for hop in snap.redirects] == [302, 302, 302]
    assert [hop.request.url.rsplit("/", 2)[-2:] for hop in snap.redirects] == [
        ["redirect", "3"], ["redirect", "2"], ["redirect", "1"],
    ]
    for hop in snap.redirects:
        assert hop.http_version == "HTTP/1.1"
        assert any(k.lower() == "location" for k, _ in hop.headers)
        assert any(k.lower() == "host" for k, _ in hop.request.headers)


async def test_redirect_limit_is_a_failure_with_the_hops_seen(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/redirect-loop"),
                       options=Options(follow_redirects=True, max_redirects=3))
    failure = await backend.send(spec, SMALL)
    assert isinstance(failure, Failure)
    assert failure.kind is FailureKind.TOO_MANY_REDIRECTS
    # Both follow max_redirects and fail on the next (aiohttp is given the limit plus one).
    assert len(failure.redirects) == 4
    assert all(hop.status == 302 for hop in failure.redirects)
    assert failure.request is not None
