"""Posting collections (``*.posting.yaml`` + ``*.env``) and curl commands to requests."""

from __future__ import annotations

from pathlib import Path

import pytest

from httpdiff.errors import LoadError
from httpdiff.model import Auth, Body
from httpdiff.storage.importers import import_curl, load_source
from httpdiff.storage.importers.posting import (
    convert_variables,
    import_posting,
    import_posting_request,
)

SAMPLES = Path(__file__).parent / "samples"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$base/x", "{{base}}/x"),
        ("${base}x", "{{base}}x"),
        ("a$$b", "a$b"),
        ("$$base", "$base"),
        ("price: $5", "price: $5"),
        ("${BASE_URL}/${a_1}", "{{BASE_URL}}/{{a_1}}"),
        ("{{kept}}", "{{kept}}"),
    ],
)
def test_variables(text: str, expected: str) -> None:
    assert convert_variables(text) == expected


REQUESTS: list[tuple[str, dict[str, object]]] = [
    ("url: https://h.test/", {"method": "GET", "url": "https://h.test/"}),
    ("method: put\nurl: $base/a", {"method": "PUT", "url": "{{base}}/a"}),
    ("url: u\nheaders:\n- name: A\n  value: '1'\n- name: B\n  value: x\n  enabled: false",
     {"headers": (("A", "1"),)}),
    ("url: u\nparams:\n- name: q\n  value: 2", {"params": (("q", "2"),)}),
    ("url: u\nbody: |-\n  old style\n  body", {"body": Body(kind="text", text="old style\nbody")}),
    ("url: u\nbody:\n  content: '{}'\n  content_type: application/json\n"
     "headers:\n- name: Content-Type\n  value: application/json",
     {"body": Body(kind="json", text="{}"), "headers": ()}),
    ("url: u\nbody:\n  content: a=1\n  content_type: application/x-www-form-urlencoded",
     {"body": Body(kind="text", text="a=1", content_type="application/x-www-form-urlencoded")}),
    ("url: u\nbody:\n  form_data:\n  - name: a\n    value: $x",
     {"body": Body(kind="form", fields=(("a", "{{x}}"),))}),
    ("url: u\nauth:\n  type: basic\n  basic:\n    username: u\n    password: ${P}",
     {"auth": Auth(kind="basic", username="u", password="{{P}}")}),
    ("url: u\nauth:\n  type: bearer_token\n  bearer_token:\n    token: $T",
     {"auth": Auth(kind="bearer", token="{{T}}")}),
]


@pytest.mark.parametrize(("text", "expected"), REQUESTS, ids=[t for t, _ in REQUESTS])
def test_request(text: str, expected: dict[str, object]) -> None:
    spec, _ = import_posting_request(text, "r.posting.yaml")
    for field, value in expected.items():
        assert getattr(spec, field) == value, field


def test_posting_defaults_and_options() -> None:
    spec, _ = import_posting_request("url: u", "r.posting.yaml")
    assert (spec.options.follow_redirects, spec.options.timeout) == (True, 5.0)
    spec, notes = import_posting_request(
        "url: u\noptions:\n  follow_redirects: false\n  verify_ssl: false\n  timeout: 2.5\n"
        "  proxy_url: http://proxy.test:3128\n  attach_cookies: false", "r.posting.yaml")
    options = spec.options
    assert (options.follow_redirects, options.verify, options.timeout, options.proxy) == (
        False, False, 2.5, "http://proxy.test:3128")
    assert any("attach_cookies" in note for note in notes)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("url: [", "line 1"),
        ("- a list", "top level: expected an object"),
        ("url: u\nmethod: G T", "method: invalid method"),
        ("url: u\nheaders: {}", "headers: expected a list"),
        ("url: u\nheaders:\n- name: A\n  value: [1]", "headers[0].value"),
        ("url: u\nheaders:\n- name: 'A:B'\n  value: x", "headers[0].name"),
        ("url: u\noptions:\n  timeout: -1", "options.timeout"),
        ("url: u\noptions:\n  follow_redirects: maybe", "options.follow_redirects"),
        ("url: \"a\\nb\"", "url: contains a line break"),
        ("url: u\nauth:\n  type: basic\n  basic: []", "auth.basic: expected an object"),
    ],
)
def test_bad_request_names_the_field(text: str, place: str) -> None:
    with pytest.raises(LoadError) as caught:
        import_posting_request(text, "bad.posting.yaml")
    assert str(caught.value).startswith("bad.posting.yaml: ")
    assert place in str(caught.value)


def test_sample_collection() -> None:
    result = load_source("posting", SAMPLES / "posting")
    specs = dict(result.requests)
    assert list(specs) == ["auth/basic", "auth/digest", "echo", "users/create-user",
                           "users/login"]
    assert specs["echo"].headers == (("Accept", "application/json"),
                                     ("X-Client", "posting-$-sample"))
    assert specs["users/create-user"].auth == Auth(kind="bearer", token="{{TOKEN}}")
    assert specs["users/create-user"].options.timeout == 10.0
    assert specs["users/login"].options.follow_redirects is False
    assert result.environments == {"local": {"BASE": "http://127.0.0.1:8000",
                                             "TOKEN": "dev-token-123", "PASSWORD": "hunter2"}}
    notes = "\n".join(result.notes)
    assert "'digest' is not supported" in notes
    assert "scripts.on_response" in notes
    assert "disabled query parameter 'debug'" in notes


def test_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"no \*\.posting\.yaml files"):
        import_posting(tmp_path)
    (tmp_path / "a.posting.yaml").write_bytes(b"url: \xff\n")
    with pytest.raises(LoadError, match=r"a\.posting\.yaml: byte 5: not UTF-8"):
        import_posting(tmp_path)
    (tmp_path / "a.posting.yaml").write_text("url: u\n")
    (tmp_path / "x.env").write_text("not a pair\n")
    with pytest.raises(LoadError, match=r"x\.env: line 1"):
        import_posting(tmp_path)
    (tmp_path / "x.env").write_text("A=1\n")
    (tmp_path / ".env").write_text("SECRET=1\n")
    result = import_posting(tmp_path)
    assert result.environments == {"x": {"A": "1"}}
    assert any(".env: left alone" in note for note in result.notes)
    with pytest.raises(LoadError, match="not a folder"):
        import_posting(tmp_path / "a.posting.yaml")


def test_curl_command() -> None:
    result = import_curl("curl -s -X POST https://h.test/users/new -d a=1", "cmd.txt")
    [(path, spec)] = result.requests
    assert (path, spec.method, spec.name) == ("post-users-new", "POST", "post-users-new")
    assert result.notes == ["cmd.txt line 1: ignored (no effect in httpdiff): -s"]
    with pytest.raises(LoadError, match=r"cmd\.txt: line 1: not a curl command"):
        import_curl("wget https://h.test/", "cmd.txt")
