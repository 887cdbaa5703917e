""".http / .rest files (JetBrains, VS Code REST Client) to requests: table-driven."""

from __future__ import annotations

from pathlib import Path

import pytest

from httpdiff.errors import LoadError
from httpdiff.model import Auth, Body
from httpdiff.storage.importers import import_http, import_http_environments, load_source

SAMPLES = Path(__file__).parent / "samples"

ONE_REQUEST: list[tuple[str, dict[str, object]]] = [
    ("GET https://h.test/a", {"method": "GET", "url": "https://h.test/a"}),
    ("https://h.test/a", {"method": "GET", "url": "https://h.test/a"}),
    ("delete https://h.test/a HTTP/1.1", {"method": "DELETE", "url": "https://h.test/a"}),
    ("GET {{base}}/users\n    ?page=2\n    &size=10",
     {"url": "{{base}}/users?page=2&size=10"}),
    ("GET https://h.test/\nAccept: text/plain\nX-A: 1\nX-A: 2",
     {"headers": (("Accept", "text/plain"), ("X-A", "1"), ("X-A", "2"))}),
    ("GET https://h.test/\n# a comment\nX-A: 1\n// another\nX-B: 2",
     {"headers": (("X-A", "1"), ("X-B", "2"))}),
    ("POST https://h.test/\nContent-Type: application/json\n\n{\"a\": 1}\n\n",
     {"method": "POST", "headers": (), "body": Body(kind="json", text='{"a": 1}')}),
    ("POST https://h.test/\nContent-Type: application/vnd.api+json\n\n{}",
     {"body": Body(kind="json", text="{}", content_type="application/vnd.api+json")}),
    ("POST https://h.test/\nContent-Type: text/csv\n\na,b\n1,2",
     {"body": Body(kind="text", text="a,b\n1,2", content_type="text/csv")}),
    ("POST https://h.test/\n\nraw body without a type",
     {"body": Body(kind="text", text="raw body without a type")}),
    ("POST https://h.test/\nContent-Type: image/png\n\n< ./logo.png",
     {"body": Body(kind="file", path="./logo.png", content_type="image/png")}),
    ("GET https://h.test/\nAuthorization: Basic alice:s3cret",
     {"auth": Auth(kind="basic", username="alice", password="s3cret"), "headers": ()}),
    ("GET https://h.test/\nAuthorization: Basic {{user}} {{password}}",
     {"auth": Auth(kind="basic", username="{{user}}", password="{{password}}")}),
    ("GET https://h.test/\nAuthorization: Basic YWxpY2U6czNjcmV0",
     {"auth": Auth(), "headers": (("Authorization", "Basic YWxpY2U6czNjcmV0"),)}),
    ("GET https://h.test/\nAuthorization: Bearer {{token}}",
     {"auth": Auth(kind="bearer", token="{{token}}"), "headers": ()}),
    ("GET https://h.test/ HTTP/2", {"url": "https://h.test/"}),
]


@pytest.mark.parametrize(("text", "expected"), ONE_REQUEST, ids=[t for t, _ in ONE_REQUEST])
def test_one_request(text: str, expected: dict[str, object]) -> None:
    result = import_http(text, "a.http")
    assert len(result.requests) == 1
    _, spec = result.requests[0]
    for field, value in expected.items():
        assert getattr(spec, field) == value, field


@pytest.mark.parametrize(
    ("text", "option", "value"),
    [
        ("GET https://h.test/", "follow_redirects", True),
        ("# @no-redirect\nGET https://h.test/", "follow_redirects", False),
        ("// @no-redirect\nGET https://h.test/", "follow_redirects", False),
        ("GET https://h.test/ HTTP/2", "http2", True),
        ("# @timeout 7\nGET https://h.test/", "timeout", 7.0),
    ],
)
def test_options(text: str, option: str, value: object) -> None:
    _, spec = import_http(text, "a.http").requests[0]
    assert getattr(spec.options, option) == value


def test_names_separators_and_variables() -> None:
    text = (
        "@base = https://h.test\n@token = abc\n\n"
        "### List users\nGET {{base}}/users\n\n"
        "###\n# @name create\nPOST {{base}}/users\n\n{}\n\n"
        "###\nGET {{base}}/items/42\n"
        "### List users\nGET {{base}}/again\n"
    )
    result = import_http(text, "a.http")
    assert [path for path, _ in result.requests] == [
        "list-users", "create", "get-items-42", "list-users-2",
    ]
    assert [spec.name for _, spec in result.requests] == [
        "list-users", "create", "get-items-42", "list-users-2",
    ]
    assert result.environments == {"default": {"base": "https://h.test", "token": "abc"}}


def test_notes_what_is_not_carried_over() -> None:
    text = (
        "GET https://h.test/\nX-Id: {{$uuid}}\nX-T: {{login.response.body.$.token}}\n\n"
        "> {% client.global.set('t', response.body.token) %}\n"
        "###\n# @prompt password\nGET https://h.test/b"
    )
    notes = "\n".join(import_http(text, "a.http").notes)
    assert "response handler" in notes
    assert "{{$uuid}}" in notes
    assert "login.response.body" in notes
    assert "@prompt" in notes


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("", "line 1"),
        ("# only a comment\n@x = 1\n", "line 1"),
        ("GET https://h.test/\nno colon here", "line 2"),
        ("GET https://h.test/\nBad Name: x", "line 2"),
        ("\n\nGET https://h.test/ has spaces", "line 3"),
        ("###\nG(T https://h.test/", "line 2"),
    ],
)
def test_bad_input_names_the_line(text: str, place: str) -> None:
    with pytest.raises(LoadError) as caught:
        import_http(text, "bad.http")
    assert str(caught.value).startswith(f"bad.http: {place}:")


@pytest.mark.parametrize(
    ("bad", "place"),
    [
        ("GET https://h.test/bad\nno colon here", "line 6: expected a 'Name: value'"),
        ("GET https://h.test/bad\nBad Name: x", "line 6: invalid header name"),
        ("GET https://h.test/bad\nX-A: a\x1b[2Jb", "line 6: contains a line break"),
        ("GET https://h.test/ has spaces", "line 5: the URL contains a space"),
        ("G(T https://h.test/", "line 5: invalid method"),
    ],
)
def test_one_bad_request_is_a_note_and_the_rest_are_imported(bad: str, place: str) -> None:
    text = f"### first\nGET https://h.test/1\n\n### broken\n{bad}\n\n###\nGET https://h.test/3\n"
    result = import_http(text, "a.http")
    assert [path for path, _ in result.requests] == ["first", "get-3"]
    [note] = [n for n in result.notes if "left out" in n]
    assert note.startswith(f"a.http {place}") and "request 'broken' was left out" in note


def test_jetbrains_environment_file() -> None:
    result = import_http_environments('{"dev": {"base": "http://x", "n": 1, "ssl": {}}}',
                                      "http-client.env.json")
    assert result.environments == {"dev": {"base": "http://x", "n": "1"}}
    assert any("ssl" in note for note in result.notes)
    with pytest.raises(LoadError, match=r"http-client.env.json: \$.dev: expected an object"):
        import_http_environments('{"dev": []}', "http-client.env.json")


def test_sample_file() -> None:
    result = load_source("http", SAMPLES / "api.http")
    specs = dict(result.requests)
    assert list(specs) == [
        "list-users", "create-user", "get-redirect-2", "login-form", "basic-auth",
        "upload-a-file", "plain-text",
    ]
    assert specs["create-user"].body.kind == "json"
    assert specs["get-redirect-2"].options.follow_redirects is False
    assert specs["list-users"].options.follow_redirects is True
    assert specs["basic-auth"].auth == Auth(kind="basic", username="{{user}}",
                                            password="{{password}}")
    assert specs["upload-a-file"].body == Body(kind="file", path="data/hello.txt",
                                               content_type="text/plain")
    # http-client.env.json beside the file: its environments, over the file's @variables
    assert result.environments["local"]["base"] == "http://127.0.0.1:8000"
    assert result.environments["staging"]["user"] == "bob"
    assert result.environments["staging"]["password"] == "s3cret"
    assert any("response handler" in note for note in result.notes)


@pytest.mark.parametrize(("text", "path"), [(".YAML", "get--yaml"),
                                            ("### users.yaml\nGET https://h.test/", "users-yaml"),
                                            ("GET https://h.test/a/b.yaml", "get-a-b-yaml")])
def test_a_name_ending_in_yaml_reads_back_as_itself(text: str, path: str) -> None:
    from httpdiff.storage.collection import request_id

    [(imported, _)] = import_http(text, "a.http").requests
    assert imported == path and request_id(imported) == imported
