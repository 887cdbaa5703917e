"""Requests that must be refused before anything is sent, each with a message naming why."""

from __future__ import annotations

import pytest

from httpdiff.errors import InvalidRequest
from httpdiff.model import Auth, Body, Options, RequestSpec
from httpdiff.validate import check

OK = RequestSpec(url="https://h.test/")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (RequestSpec(url=""), "empty"),
        (RequestSpec(url="ftp://h.test/"), "unsupported URL scheme 'ftp'"),
        (RequestSpec(url="h.test/path"), "no scheme"),
        (RequestSpec(url="http:///path"), "no host"),
        (RequestSpec(url="http://h.test:99999/"), "malformed URL"),
        (RequestSpec(url="http://h.test/a b"), "space or control"),
        (RequestSpec(url="http://[::1/"), "malformed URL"),
        (RequestSpec(method="GE T", url="http://h.test/"), "invalid method"),
        (RequestSpec(url="http://h.test/", headers=(("X-A", "a\r\nX-B: b"),)), "CR, LF or NUL"),
        (RequestSpec(url="http://h.test/", headers=(("X-A", "a\x00"),)), "CR, LF or NUL"),
        (RequestSpec(url="http://h.test/", headers=(("X A", "1"),)), "invalid header name"),
        (RequestSpec(url="http://h.test/", headers=(("", "1"),)), "empty name"),
        (RequestSpec(url="http://h.test/", headers=(("X-A", "café"),)), "non-ASCII"),
        (RequestSpec(url="http://h.test/", body=Body(kind="json", text="{")), "JSON body"),
        (RequestSpec(url="http://h.test/", body=Body(kind="file", path="/nonexistent/x")),
         "does not exist"),
        (RequestSpec(url="http://h.test/", auth=Auth(kind="bearer", token="a\nb")), "CR, LF"),
        (RequestSpec(url="http://h.test/", options=Options(timeout=0)), "timeout"),
        (RequestSpec(url="http://h.test/", options=Options(max_redirects=-1)), "negative"),
        (RequestSpec(url="http://h.test/", options=Options(ca_bundle="/nonexistent/ca.pem")),
         "CA bundle"),
    ],
)
def test_refused(spec: RequestSpec, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message) as info:
        check(spec)
    assert "\n" not in str(info.value)


def test_accepted() -> None:
    check(OK)
    check(RequestSpec(method="PATCH", url="http://127.0.0.1:8080/x?y=1#f",
                      headers=(("X-A", ""), ("X-A", "v; q=1"))))


@pytest.mark.parametrize(("spec", "message"), [
    (RequestSpec(url="http://h.test/", headers=(("X-Key", "Token " + "é" * 80),)),
     "header 'X-Key' has a non-ASCII value 'Token •••'"),
    (RequestSpec(url="http://h.test/a b" + "é" * 80), "the URL 'http://h.test/•••' contains"),
    (RequestSpec(url="http://h.test:" + "é" * 80 + "/"), "malformed URL 'http://h.test:•••/'"),
    (RequestSpec(url="http://h.test/", body=Body(kind="file", path="/no/" + "é" * 80)),
     "body file '/no/•••' does not exist"),
])
def test_hide_masks_a_value_before_it_is_quoted_and_shortened(
    spec: RequestSpec, message: str
) -> None:
    def hide(text: str) -> str:
        return text.replace("a b" + "é" * 80, "•••").replace("é" * 80, "•••")

    with pytest.raises(InvalidRequest) as caught:
        check(spec, hide)
    assert message in str(caught.value)
    assert "éé" not in str(caught.value)
