"""curl command lines to requests and back: table-driven, as users paste them."""

from __future__ import annotations

import pytest

from httpdiff.errors import InvalidRequest
from httpdiff.model import Auth, Body, RequestSpec
from httpdiff.storage.curl import parse_curl, parse_curl_with_notes, to_curl

CASES: list[tuple[str, dict[str, object]]] = [
    ("curl https://example.test/a", {"method": "GET", "url": "https://example.test/a"}),
    ("curl example.test/a", {"url": "http://example.test/a"}),
    ("curl -X put https://h.test/", {"method": "PUT"}),
    ("curl -I https://h.test/", {"method": "HEAD"}),
    ("curl -H 'Accept: text/plain' -H 'X-A: 1' -H 'X-A: 2' https://h.test/",
     {"headers": (("Accept", "text/plain"), ("X-A", "1"), ("X-A", "2"))}),
    ("curl -H 'X-Empty;' https://h.test/", {"headers": (("X-Empty", ""),)}),
    ("curl -d a=1 -d b=2 https://h.test/",
     {"method": "POST",
      "body": Body(kind="text", text="a=1&b=2", content_type="application/x-www-form-urlencoded")}),
    ("curl -G -d a=1 -d b=2 https://h.test/",
     {"method": "GET", "params": (("a", "1"), ("b", "2"))}),
    ("curl --json '{\"a\": 1}' https://h.test/",
     {"method": "POST", "body": Body(kind="json", text='{"a": 1}'),
      "headers": (("Accept", "application/json"),)}),
    ("curl -H 'Content-Type: text/csv' --data-binary @data.csv https://h.test/",
     {"body": Body(kind="file", path="data.csv", content_type="text/csv"), "headers": ()}),
    ("curl --json @body.json https://h.test/",
     {"method": "POST", "headers": (("Accept", "application/json"),),
      "body": Body(kind="file", path="body.json", content_type="application/json")}),
    ("curl --json @body.json -H 'Content-Type: application/ld+json' https://h.test/",
     {"body": Body(kind="file", path="body.json", content_type="application/ld+json")}),
    ("curl --json '[1,' --json '2]' https://h.test/", {"body": Body(kind="json", text="[1,2]")}),
    ("curl -F name=x -F file=@a.txt https://h.test/",
     {"body": Body(kind="multipart", fields=(("name", "x"), ("file", "@a.txt")))}),
    ("curl -u alice:s3cret https://h.test/",
     {"auth": Auth(kind="basic", username="alice", password="s3cret")}),
    ("curl --oauth2-bearer tok https://h.test/", {"auth": Auth(kind="bearer", token="tok")}),
    ("curl -A agent/1 -b 'a=1' https://h.test/",
     {"headers": (("User-Agent", "agent/1"), ("Cookie", "a=1"))}),
    ("curl \\\n  -X POST \\\n  https://h.test/", {"method": "POST", "url": "https://h.test/"}),
]


@pytest.mark.parametrize(("command", "expected"), CASES, ids=[c for c, _ in CASES])
def test_parse(command: str, expected: dict[str, object]) -> None:
    spec = parse_curl(command)
    for field, value in expected.items():
        assert getattr(spec, field) == value, field


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [
        ("curl -L https://h.test/", "follow_redirects", True),
        ("curl --max-redirs 3 https://h.test/", "max_redirects", 3),
        ("curl -m 2.5 https://h.test/", "timeout", 2.5),
        ("curl -k https://h.test/", "verify", False),
        ("curl --cacert ca.pem https://h.test/", "ca_bundle", "ca.pem"),
        ("curl --http2 https://h.test/", "http2", True),
        ("curl -x http://proxy.test:3128 https://h.test/", "proxy", "http://proxy.test:3128"),
    ],
)
def test_options(command: str, option: str, value: object) -> None:
    assert getattr(parse_curl(command).options, option) == value


def test_unknown_and_ignored_flags_are_reported_not_dropped() -> None:
    parsed = parse_curl_with_notes("curl -s --compressed --frobnicate https://h.test/ https://b.test/")
    notes = " | ".join(parsed.notes)
    assert "--compressed" in notes and "-s" in notes
    assert "--frobnicate" in notes
    assert "https://b.test/" in notes


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("wget https://h.test/", "not a curl command"),
        ("curl -X GET", "no URL"),
        ("curl 'https://h.test/", "cannot split"),
        ("curl -H 'NoColon' https://h.test/", "no ':'"),
        ("curl --json '{bad' https://h.test/", "invalid JSON"),
        ("curl -F a=1 -d b=2 https://h.test/", "-F/--form and -d/--data cannot be combined"),
        ("curl --json 1 --data-raw b https://h.test/", "--json and -d/--data cannot be combined"),
        ("curl --json @- https://h.test/", "standard input"),
        ("curl --max-redirs lots https://h.test/", "invalid int value"),
    ],
)
def test_bad_commands_say_what_is_wrong(command: str, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        parse_curl(command)


@pytest.mark.parametrize(
    "command",
    [
        "curl https://h.test/a?x=1",
        "curl -X DELETE -H 'X-A: 1' -H 'X-A: 2' https://h.test/",
        "curl --json '{\"a\": [1, 2]}' -L --max-redirs 3 -m 4 https://h.test/",
        "curl -u 'al ice:p w' -k --http2 https://h.test/",
        "curl -F f=@x.bin -F n=1 --cacert /tmp/ca.pem https://h.test/",
        "curl --oauth2-bearer 't o k' -x http://p.test:1 https://h.test/",
        "curl --data-raw 'a=1&b=2' https://h.test/",
        "curl --json @b.json https://h.test/",
    ],
)
def test_to_curl_round_trips(command: str) -> None:
    spec = parse_curl(command)
    assert parse_curl(to_curl(spec)) == spec


def test_to_curl_quotes_hostile_values() -> None:
    spec = RequestSpec(url="https://h.test/", headers=(("X-A", "$(rm -rf /); `x` 'q'"),))
    command = to_curl(spec)
    assert parse_curl(command).headers == spec.headers


@pytest.mark.parametrize(("command", "text", "params"), [
    ("curl http://h.test/ --data-urlencode 'name=a b&c'", "name=a+b%26c", ()),
    ("curl http://h.test/ --data-urlencode '=x y'", "x+y", ()),
    ("curl http://h.test/ --data-urlencode 'plain text'", "plain+text", ()),
    # the items keep their command-line order
    ("curl http://h.test/ -d a=1 --data-urlencode 'b=2 3' -d c=4", "a=1&b=2+3&c=4", ()),
    ("curl http://h.test/ --url-query 'q=a b' --url-query '+r=c+d'", None,
     (("q", "a b"), ("r", "c d"))),
])
def test_urlencoded_data_and_url_query_as_curl_encodes_them(
    command: str, text: str | None, params: tuple[tuple[str, str], ...]
) -> None:
    spec = parse_curl(command)
    if text is not None:
        assert spec.body.text == text
    assert spec.params == params


def test_urlencoded_content_from_a_file_is_refused() -> None:
    with pytest.raises(InvalidRequest, match="content from a file"):
        parse_curl("curl http://h.test/ --data-urlencode name@secret.txt")
