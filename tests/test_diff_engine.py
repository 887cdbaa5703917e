"""findings(): each category, verdicts, ordering, several backends, recompute()."""

from __future__ import annotations

from typing import Any

import pytest

from httpdiff.diff import NoiseRule, NoiseRules, findings, recompute
from httpdiff.model import (
    Category,
    Comparison,
    ConnectionInfo,
    FailureKind,
    Hop,
    RequestSpec,
    SentRequest,
    Timings,
    Verdict,
)
from test_diff_support import BASE, REQUEST, fail, one, pick, snap

D, N = Verdict.DIFFERENCE, Verdict.NOISE


def test_one_backend_or_identical_outcomes_have_no_findings() -> None:
    assert findings({"a": snap("a")}) == ()
    assert findings({"a": snap("a"), "b": snap("b")}) == ()


@pytest.mark.parametrize(
    ("changes", "category", "subject", "verdict", "right"),
    [
        ({"status": 404}, Category.STATUS, "status", D, 404),
        ({"reason": ""}, Category.STATUS, "reason", D, ""),  # both HTTP/1.1
        ({"reason": "", "http_version": "HTTP/2"}, Category.STATUS, "reason", N, ""),
        ({"http_version": "HTTP/2"}, Category.VERSION, "http_version", D, "HTTP/2"),
        ({"connection": ConnectionInfo(remote_address="[::1]:8080")}, Category.TLS,
         "remote_address", D, "[::1]:8080"),
        ({"request": SentRequest("POST", REQUEST.url, REQUEST.headers)},
         Category.REQUEST_HEADER, "method", D, "POST"),
        ({"request": SentRequest("GET", REQUEST.url + "/", REQUEST.headers)},
         Category.REQUEST_HEADER, "url", D, REQUEST.url + "/"),
        ({"request": SentRequest("GET", REQUEST.url, REQUEST.headers, b"x=1")},
         Category.REQUEST_HEADER, "body", D, "x=1"),
    ],
)
def test_scalar_categories(
    changes: dict[str, Any], category: Category, subject: str, verdict: Verdict, right: Any
) -> None:
    found = findings({"a": snap("a"), "b": snap("b", **changes)})
    f = one(found, category, subject)
    assert f.verdict is verdict
    assert f.values["b"] == right
    assert set(f.values) == {"a", "b"}


def test_reason_phrase_becomes_a_difference_without_defaults() -> None:
    outcomes = {"a": snap("a"), "b": snap("b", reason="", http_version="HTTP/2")}
    f = one(findings(outcomes, NoiseRules(use_defaults=False)), Category.STATUS, "reason")
    assert f.verdict is D
    assert "reason-phrase" in one(findings(outcomes), Category.STATUS, "reason").rule


@pytest.mark.parametrize(
    ("left", "right", "subject", "verdict", "values"),
    [
        # default Date rule
        ([("Date", "Mon")], [("Date", "Tue")], "date", N, ("Mon", "Tue")),
        # present on one side only
        ([("X-A", "1")], [], "x-a", D, ("1", None)),
        # duplicates compared as lists, in order
        ([("Vary", "a"), ("Vary", "b")], [("Vary", "b"), ("Vary", "a")], "vary", D,
         (["a", "b"], ["b", "a"])),
        ([("Vary", "a"), ("Vary", "b")], [("Vary", "a")], "vary", D, (["a", "b"], "a")),
        # hop-by-hop and framing headers: noise under named built-in rules
        ([("Transfer-Encoding", "chunked")], [], "transfer-encoding", N, ("chunked", None)),
        ([("Connection", "keep-alive")], [("Connection", "close")], "connection", N,
         ("keep-alive", "close")),
        ([("Content-Length", "5")], [], "content-length", N, ("5", None)),
        ([("Content-Length", "5")], [("Content-Length", "6")], "content-length", D, ("5", "6")),
    ],
)
def test_response_headers(
    left: list[tuple[str, str]], right: list[tuple[str, str]], subject: str,
    verdict: Verdict, values: tuple[Any, Any],
) -> None:
    found = findings({"a": snap("a", headers=tuple(left)), "b": snap("b", headers=tuple(right))})
    f = one(found, Category.HEADER, subject)
    assert (f.verdict, f.values["a"], f.values["b"]) == (verdict, *values)
    assert (f.rule != "") is (verdict is N)


def test_header_order_across_names_is_not_a_difference() -> None:
    left = (("A", "1"), ("B", "2"))
    found = findings({"a": snap("a", headers=left), "b": snap("b", headers=left[::-1])})
    assert pick(found, Category.HEADER) == []


def test_case_only_name_differences_are_one_noise_finding() -> None:
    left = (("Content-Type", "text/plain"), ("X-Id", "1"), ("Server", "s"))
    right = (("content-type", "text/plain"), ("x-id", "1"), ("Server", "s"))
    found = findings({"a": snap("a", headers=left), "b": snap("b", headers=right)})
    assert [f.subject for f in pick(found, Category.HEADER)] == ["header-name-case"]
    f = found[0]
    assert f.verdict is N
    assert f.values == {"a": "Content-Type, X-Id", "b": "content-type, x-id"}


def test_user_header_rule_and_request_header_rule() -> None:
    rules = NoiseRules(rules=(NoiseRule("header", "x-trace*"), NoiseRule("request-header",
                                                                         "user-agent", "lib")))
    sent_a = SentRequest("GET", REQUEST.url, (("User-Agent", "python-httpx/0.28.1"),))
    sent_b = SentRequest("GET", REQUEST.url, (("User-Agent", "aiohttp/3.14.5"),))
    outcomes = {
        "a": snap("a", request=sent_a, headers=(("X-Trace-Span", "1"),)),
        "b": snap("b", request=sent_b, headers=(("X-Trace-Span", "2"),)),
    }
    strict = findings(outcomes)
    assert one(strict, Category.HEADER, "x-trace-span").verdict is D
    assert one(strict, Category.REQUEST_HEADER, "user-agent").verdict is D
    relaxed = findings(outcomes, rules)
    assert one(relaxed, Category.HEADER, "x-trace-span").rule == "header x-trace*"
    ua = one(relaxed, Category.REQUEST_HEADER, "user-agent")
    assert (ua.verdict, ua.rule) == (N, "request-header user-agent (lib)")
    assert not [f for f in relaxed if f.is_difference]


def test_multipart_boundary_is_noise_in_header_and_body() -> None:
    def sent(boundary: str) -> SentRequest:
        body = f"--{boundary}\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--{boundary}--"
        ctype = f"multipart/form-data; boundary={boundary}"
        return SentRequest("POST", REQUEST.url, (("Content-Type", ctype),), body.encode())

    found = findings({"a": snap("a", request=sent("abc123")), "b": snap("b", request=sent("zz9"))})
    assert [(f.subject, f.verdict) for f in found] == [("content-type", N), ("body", N)]
    assert all("multipart-boundary" in f.rule for f in found)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (snap("a"), fail("b"), (D, "ok", "connect: refused")),
        (fail("a", FailureKind.DNS, "nx"), fail("b", FailureKind.TIMEOUT, "slow"),
         (D, "dns: nx", "timeout: slow")),
        (fail("a", message="refused (111)"), fail("b", message="Connect call failed"),
         (N, "connect: refused (111)", "connect: Connect call failed")),
    ],
)
def test_errors(a: Any, b: Any, expected: tuple[Verdict, str, str]) -> None:
    f = one(findings({"a": a, "b": b}), Category.ERROR, "outcome")
    assert (f.verdict, f.values["a"], f.values["b"]) == expected


def test_identical_failures_have_no_findings() -> None:
    assert findings({"a": fail("a"), "b": fail("b")}) == ()


def test_a_failed_side_is_compared_only_on_what_it_has() -> None:
    sent = SentRequest("GET", REQUEST.url, (("Host", "127.0.0.1:8080"),))
    found = findings({"a": snap("a"), "b": fail("b", FailureKind.TIMEOUT, "t", request=sent)})
    subjects = {(f.category, f.subject) for f in found if f.category is not Category.TIMING}
    assert subjects == {(Category.ERROR, "outcome"), (Category.REQUEST_HEADER, "accept")}
    accept = one(found, Category.REQUEST_HEADER, "accept")
    assert accept.values == {"a": "*/*", "b": None}


def _hop(url: str, status: int, location: str) -> Hop:
    return Hop(SentRequest("GET", url, ()), status, "", "HTTP/1.1", (("Location", location),))


def test_redirect_chains_hop_by_hop() -> None:
    chain_a = (_hop("http://h/1", 302, "/2"), _hop("http://h/2", 301, "/3"))
    chain_b = (_hop("http://h/1", 307, "/2"),)
    found = findings({"a": snap("a", redirects=chain_a), "b": snap("b", redirects=chain_b)})
    got = {f.subject: (f.values["a"], f.values["b"]) for f in pick(found, Category.REDIRECT)}
    assert got == {
        "hops": (2, 1),
        "hop 1 status": (302, 307),
        "hop 2 method": ("GET", None),
        "hop 2 url": ("http://h/2", None),
        "hop 2 status": (301, None),
        "hop 2 location": ("/3", None),
    }
    assert all(f.is_difference for f in pick(found, Category.REDIRECT))


@pytest.mark.parametrize(
    ("a", "b", "verdict", "rule_part"),
    [
        (10.0, 30.0, N, "timing-jitter"),  # 20 ms gap < 50 ms threshold
        (10.0, 70.0, D, ""),  # 60 ms gap > max(50, 0.5 * 10)
        (200.0, 290.0, N, "timing-jitter"),  # 90 ms < 0.5 * 200
        (200.0, 310.0, D, ""),  # 110 ms > 100
        (None, 5.0, N, "not observable by a"),
    ],
)
def test_timing_thresholds(a: float | None, b: float | None, verdict: Verdict,
                           rule_part: str) -> None:
    found = findings({"a": snap("a", timings=Timings(wait=a)),
                      "b": snap("b", timings=Timings(wait=b))})
    f = one(found, Category.TIMING, "wait")
    assert (f.verdict, f.values) == (verdict, {"a": a, "b": b})
    assert rule_part in f.rule
    assert pick(found, Category.TIMING, "dns") == []  # None on both sides: nothing to say


@pytest.mark.parametrize(
    ("left", "right", "verdict"),
    [
        # a times TCP and TLS apart; b's connect includes its handshake (aiohttp's does).
        (Timings(connect=10.0, tls=80.0), Timings(connect=95.0), N),
        (Timings(connect=10.0, tls=20.0), Timings(connect=200.0), D),
        (Timings(connect=10.0, tls=80.0), Timings(connect=15.0), D),  # b's TLS can't be free
    ],
)
def test_connect_is_judged_over_the_same_span(
    left: Timings, right: Timings, verdict: Verdict
) -> None:
    found = findings({"a": snap("a", timings=left), "b": snap("b", timings=right)})
    f = one(found, Category.TIMING, "connect")
    assert f.verdict is verdict
    assert f.values == {"a": left.connect, "b": right.connect}  # shown as measured
    assert "connect + tls" in f.detail


def test_connect_of_a_looked_up_host_is_judged_with_its_lookup() -> None:
    # httpx's connect includes DNS; aiohttp times the lookup apart and its connect has TLS.
    httpx_side = Timings(connect=60.0, tls=20.0)  # lookup of 50 ms inside connect
    aiohttp_side = Timings(dns=50.0, connect=30.0)
    found = findings({"a": snap("a", timings=httpx_side), "b": snap("b", timings=aiohttp_side)})
    f = one(found, Category.TIMING, "connect")
    assert f.verdict is N  # 60 + 20 against 30 + 50
    assert "connect + tls for a" in f.detail and "connect + dns for b" in f.detail


def test_timing_thresholds_come_from_the_rules() -> None:
    outcomes = {"a": snap("a", timings=Timings(total=10.0)),
                "b": snap("b", timings=Timings(total=30.0))}
    strict = NoiseRules(timing_threshold_ms=5.0, timing_ratio=0.1)
    assert one(findings(outcomes, strict), Category.TIMING, "total").verdict is D


@pytest.mark.parametrize(
    ("left", "right", "subject", "verdict"),
    [
        (ConnectionInfo(tls_version="TLSv1.3"), ConnectionInfo(tls_version="TLSv1.2"),
         "tls_version", D),
        (ConnectionInfo(alpn="h2"), ConnectionInfo(alpn="http/1.1"), "alpn", D),
        (ConnectionInfo(cipher="TLS_AES_256_GCM_SHA384"), ConnectionInfo(), "cipher", N),
    ],
)
def test_tls(left: ConnectionInfo, right: ConnectionInfo, subject: str, verdict: Verdict) -> None:
    f = one(findings({"a": snap("a", connection=left), "b": snap("b", connection=right)}),
            Category.TLS, subject)
    assert f.verdict is verdict


def test_ordering_differences_first_then_noise_by_category() -> None:
    found = findings({
        "a": snap("a", timings=Timings(total=1.0)),
        "b": snap("b", status=500, reason="", http_version="HTTP/2", body=b"other",
                  headers=(("Content-Type", "text/plain"), ("date", "x")),
                  timings=Timings(total=900.0)),
    })
    order = list(Category)
    keys = [(not f.is_difference, order.index(f.category)) for f in found]
    assert keys == sorted(keys)
    assert found[0].category is Category.STATUS and found[0].is_difference
    assert [f.category for f in found if f.is_difference][-1] is Category.TIMING
    assert not found[-1].is_difference


def test_three_backends_name_every_side() -> None:
    found = findings({"a": snap("a"), "b": snap("b"), "c": snap("c", status=201)})
    f = one(found, Category.STATUS, "status")
    assert f.values == {"a": 200, "b": 200, "c": 201}
    found = findings({"a": snap("a"), "b": fail("b"), "c": snap("c", http_version="HTTP/2")})
    assert one(found, Category.VERSION, "http_version").values == {
        "a": "HTTP/1.1", "b": None, "c": "HTTP/2"}
    assert one(found, Category.ERROR, "outcome").values["c"] == "ok"


def test_recompute_keeps_outcomes_and_applies_new_rules() -> None:
    outcomes = {"a": snap("a", headers=(("X-Id", "1"),)), "b": snap("b", headers=(("X-Id", "2"),))}
    comparison = Comparison(RequestSpec(url=REQUEST.url), dict(outcomes), findings(outcomes))
    assert not comparison.equivalent
    quiet = recompute(comparison, NoiseRules(rules=(NoiseRule("header", "x-id"),)))
    assert quiet.equivalent and quiet.outcomes == comparison.outcomes
    assert quiet.request is comparison.request
    assert recompute(quiet, NoiseRules()).findings == comparison.findings


def test_values_are_json_serialisable() -> None:
    import json

    found = findings({"a": BASE, "b": fail("b", request=REQUEST)})
    json.dumps([f.values for f in found])


def test_phases_a_failed_send_never_reached_are_said_so() -> None:
    found = findings({"a": snap("a"), "b": fail("b", timings=Timings(connect=1.5))})
    assert one(found, Category.TIMING, "connect").verdict is N  # 1.0 vs 1.5: jitter
    wait = one(found, Category.TIMING, "wait")
    assert (wait.verdict, wait.values) == (N, {"a": 2.0, "b": None})
    assert "not-reached" in wait.rule


def test_header_name_case_with_a_header_on_one_side_only() -> None:
    found = findings({
        "a": snap("a", headers=(("X-A", "1"),)),
        "b": snap("b", headers=(("x-a", "1"),)),
        "c": snap("c", headers=()),
    })
    case = one(found, Category.HEADER, "header-name-case")
    assert case.values == {"a": "X-A", "b": "x-a", "c": None}
    assert one(found, Category.HEADER, "x-a").values == {"a": "1", "b": "1", "c": None}
