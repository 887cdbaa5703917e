"""Requests that must be refused before anything is sent, each with a message naming why."""

from __future__ import annotations

from pathlib import Path

import pytest

from httpdiff.demo import DemoServer
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
        (RequestSpec(url="http://h.test/", options=Options(timeout=float("inf"))), "finite"),
        (RequestSpec(url="http://h.test/", options=Options(timeout=float("nan"))), "finite"),
        (RequestSpec(url="http://h.test/", body=Body(kind="json", text='{"a": NaN}')),
         "JSON body is invalid: NaN is not a JSON value"),
        (RequestSpec(url="http://h.test/", body=Body(kind="json", text="Infinity")),
         "Infinity is not a JSON value"),
        (RequestSpec(url="http://h.test/", body=Body(kind="json", text="-1e400")),
         "-1e400 is out of range"),
        (RequestSpec(url="http://h.test/", options=Options(ca_bundle="/dev/null")), "not a file"),
        (RequestSpec(url="http://h.test/", options=Options(max_redirects=-1)), "negative"),
        (RequestSpec(url="http://h.test/", options=Options(ca_bundle="/nonexistent/ca.pem")),
         "CA bundle"),
        # Undecodable command-line bytes arrive as surrogate escapes; shown as the bytes typed.
        (RequestSpec(url="http://h.test/\udcff"), r"the URL has bytes .* not valid UTF-8: "
         r"'http://h.test/\\xff'"),
        (RequestSpec(method="G\udcff", url="http://h.test/"), "the method has bytes"),
        (RequestSpec(url="http://h.test/", headers=(("X-A", "\udcff"),)),
         r"header 'X-A' has bytes"),
        (RequestSpec(url="http://h.test/", params=(("q", "\udcfe"),)),
         r"query parameter 'q' has bytes"),
        (RequestSpec(url="http://h.test/", body=Body(kind="text", text="\udcff\udcfe")),
         r"the body has bytes .*: '\\xff\\xfe'"),
        (RequestSpec(url="http://h.test/", body=Body(kind="json", text='"\ud800"')),
         r"the body has bytes .*\\ud800"),
        (RequestSpec(url="http://h.test/", body=Body(kind="multipart", fields=(("a", "\udcff"),))),
         "form field 'a' has bytes"),
        (RequestSpec(url="http://h.test/", auth=Auth(kind="basic", username="\udcff")),
         "basic-auth user name has bytes"),
        (RequestSpec(url="http://h.test/",
                     auth=Auth(kind="basic", username="u", password="\udcfe")),
         "basic-auth password has bytes that are not valid UTF-8$"),
        (RequestSpec(url="http://h.test/", options=Options(proxy="http://\udcff/")),
         "the proxy URL has bytes"),
    ],
)
def test_refused(spec: RequestSpec, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message) as info:
        check(spec)
    assert "\n" not in str(info.value)
    assert str(info.value).isprintable()


def test_a_ca_bundle_without_a_certificate_is_refused(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("# no certificate here\n")
    with pytest.raises(InvalidRequest, match="is not a PEM CA bundle"):
        check(RequestSpec(url="https://h.test/", options=Options(ca_bundle=str(ca))))


def test_accepted(demo: DemoServer) -> None:
    check(OK)
    check(RequestSpec(method="POST", url="http://h.test/", body=Body(kind="json", text="[1e308]"),
                      options=Options(ca_bundle=str(demo.ca_path), timeout=1e9)))
    check(RequestSpec(method="PATCH", url="http://127.0.0.1:8080/x?y=1#f",
                      headers=(("X-A", ""), ("X-A", "v; q=1"))))


def test_a_body_file_whose_name_is_not_utf8_is_accepted(tmp_path: Path) -> None:
    # A path is handed to the OS as the bytes it came from; only text sent on the wire must encode.
    odd = tmp_path / "body-\udcff.txt"
    odd.write_bytes(b"x")
    check(RequestSpec(method="POST", url="http://h.test/", body=Body(kind="file", path=str(odd))))


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
