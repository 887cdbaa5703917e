"""The two backends must configure their libraries alike and report what really happened.

Found in review: options whose meaning differs between the libraries (the redirect
limit), adapters that recorded something other than what went on the wire (a 3xx
without Location taken for a hop, a 307's re-sent body, headers HTTP/2 strips), and
a server charset that turned a good response into a failure. Each test runs against
the demo server, whose ``/echo`` reports the request exactly as it arrived.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from backend_support import SMALL, at, ok
from httpdiff.backends import Backend
from httpdiff.compare import compare
from httpdiff.model import (
    Body,
    Failure,
    FailureKind,
    Options,
    RequestSpec,
)


def lowered(headers: Any) -> list[tuple[str, str]]:
    return [(str(k).lower(), str(v)) for k, v in headers]


# ---------------------------------------------------------------------------
# The redirect limit means the same for every backend
# ---------------------------------------------------------------------------


def chain(n: int) -> str:
    """A path that answers after exactly ``n`` redirects."""
    return f"/redirect/{n}"


@pytest.mark.parametrize("limit", [0, 1, 3])
async def test_redirect_limit_allows_exactly_that_many_redirects(
    backend: Backend, demo: Any, limit: int
) -> None:
    follow = Options(follow_redirects=True, max_redirects=limit, timeout=5)
    exactly = ok(await backend.send(RequestSpec(url=at(demo.http_url, chain(limit)),
                                                options=follow), SMALL))
    assert exactly.status == 200
    assert len(exactly.redirects) == limit
    one_more = await backend.send(
        RequestSpec(url=at(demo.http_url, chain(limit + 1)), options=follow), SMALL
    )
    assert isinstance(one_more, Failure), one_more
    assert one_more.kind is FailureKind.TOO_MANY_REDIRECTS
    # Every redirect response seen, the refused one included.
    assert len(one_more.redirects) == limit + 1


async def test_redirect_loop_fails_alike_on_both_sides(demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/redirect-loop"),
                       options=Options(follow_redirects=True, max_redirects=3, timeout=5))
    comparison = await compare(spec)
    assert [f for f in comparison.differences if f.category.value == "redirect"] == []
    assert {len(o.redirects) for o in comparison.outcomes.values()} == {4}


# ---------------------------------------------------------------------------
# What was sent is what arrived
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_status_without_location_is_the_final_response(
    backend: Backend, demo: Any, status: int
) -> None:
    spec = RequestSpec(url=at(demo.http_url, f"/status/{status}"),
                       options=Options(follow_redirects=True))
    snap = ok(await backend.send(spec, SMALL))
    assert snap.status == status
    assert snap.redirects == ()
    assert snap.request.url.endswith(f"/status/{status}")
    assert "host" in [name for name, _ in lowered(snap.request.headers)]
    assert snap.connection.reused is not None
    assert snap.timings.wait is not None


async def test_three_xx_without_location_is_equivalent(demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/status/302"),
                       options=Options(follow_redirects=True))
    comparison = await compare(spec)
    subjects = {(f.category.value, f.subject) for f in comparison.differences}
    assert subjects <= {("request-header", "user-agent")}, subjects


async def test_body_re_sent_after_a_307_is_recorded(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(
        method="POST",
        url=at(demo.http_url, "/redirect-to?url=/echo&status=307"),
        body=Body(kind="text", text="keep me"),
        options=Options(follow_redirects=True),
    )
    snap = ok(await backend.send(spec, SMALL))
    received = json.loads(snap.body)
    assert received["body"] == "keep me"
    assert snap.request.body == b"keep me"
    assert [hop.request.body for hop in snap.redirects] == [b"keep me"]


@pytest.mark.parametrize("scheme", ["https", "h2c"])
async def test_http2_request_headers_are_the_ones_on_the_wire(
    backend: Backend, demo: Any, scheme: str
) -> None:
    base = demo.https_url if scheme == "https" else demo.http_url
    spec = RequestSpec(
        url=at(base, "/echo"),
        headers=(("X-Keep", "1"), ("Connection", "keep-alive"), ("Keep-Alive", "timeout=5")),
        options=Options(http2=True, ca_bundle=str(demo.ca_path)),
    )
    snap = ok(await backend.send(spec, SMALL))
    received = json.loads(snap.body)
    assert lowered(snap.request.headers) == lowered(received["headers"])
    if snap.http_version == "HTTP/2":
        # Over HTTP/2 names go out lowercase and connection-level headers not at all.
        assert snap.request.headers == tuple((k.lower(), v) for k, v in received["headers"])
        assert "connection" not in [name for name, _ in snap.request.headers]


# ---------------------------------------------------------------------------
# A charset the server names can never make a good response a failure
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["base64", "idna", "rot13", "undefined", "punycode"])
async def test_a_strange_charset_still_gives_a_response(
    backend: Backend, demo: Any, charset: str
) -> None:
    url = at(demo.http_url, f"/response-headers?Content-Type=text/plain;%20charset={charset}")
    snap = ok(await backend.send(RequestSpec(url=url), SMALL))
    assert snap.status == 200
    assert snap.text  # punycode does decode ASCII, into nonsense: still the server's word
    if charset != "punycode":  # the others are not text codecs, or refuse these bytes
        assert "Content-Type" in snap.text


# ---------------------------------------------------------------------------
# The URL as sent: no fragment, no user info (neither goes on the wire)
# ---------------------------------------------------------------------------


async def test_sent_url_has_neither_fragment_nor_user_info(backend: Backend, demo: Any) -> None:
    host = demo.http_url.split("://", 1)[1].rstrip("/")
    spec = RequestSpec(url=f"http://ann:s3cret@{host}/echo?q=1#part")
    snap = ok(await backend.send(spec, SMALL))
    assert snap.request.url == f"http://{host}/echo?q=1"
    assert json.loads(snap.body)["url"] == snap.request.url
    assert "s3cret" not in snap.request.url


async def test_fragment_and_user_info_are_no_difference(demo: Any) -> None:
    host = demo.http_url.split("://", 1)[1].rstrip("/")
    comparison = await compare(RequestSpec(url=f"http://ann:pw@{host}/status/204#top"))
    assert [f for f in comparison.findings if f.subject == "url"] == []
