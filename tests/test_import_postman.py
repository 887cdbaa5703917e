"""Postman v2.x collections and environments to requests: table-driven, plus the sample."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from httpdiff.errors import LoadError
from httpdiff.model import Auth, Body
from httpdiff.storage.importers import load_source
from httpdiff.storage.importers.postman import import_postman

SAMPLES = Path(__file__).parent / "samples" / "postman"


def collection(*items: dict[str, Any], **top: Any) -> str:
    return json.dumps({"info": {"name": "c", "schema": "https://schema.getpostman.com/json/"
                                "collection/v2.1.0/collection.json"}, "item": list(items), **top})


def request(**fields: Any) -> dict[str, Any]:
    return {"name": fields.pop("name", "R"), "request": {"url": "https://h.test/x", **fields}}


CASES: list[tuple[dict[str, Any], dict[str, object]]] = [
    (request(), {"method": "GET", "url": "https://h.test/x"}),
    (request(method="patch"), {"method": "PATCH"}),
    (request(url={"raw": "https://h.test/a?x=1&y=2", "query": [
        {"key": "x", "value": "1"}, {"key": "y", "value": "2", "disabled": True}]}),
     {"url": "https://h.test/a", "params": (("x", "1"),)}),
    (request(url={"host": ["{{host}}"], "path": ["v1", "users"], "protocol": "https"}),
     {"url": "https://{{host}}/v1/users"}),
    (request(url={"raw": "https://h.test/users/:id/:tab", "variable": [
        {"key": "id", "value": "7"}]}),
     {"url": "https://h.test/users/7/{{tab}}"}),
    (request(header=[{"key": "A", "value": "1"}, {"key": "B", "value": "2", "disabled": True},
                     {"key": "", "value": ""}]),
     {"headers": (("A", "1"),)}),
    (request(header="A: 1\nB: 2"), {"headers": (("A", "1"), ("B", "2"))}),
    (request(body={"mode": "raw", "raw": "{\"a\": 1}", "options": {"raw": {"language": "json"}}}),
     {"body": Body(kind="json", text='{"a": 1}')}),
    (request(body={"mode": "raw", "raw": "hello"}),
     {"body": Body(kind="text", text="hello", content_type="text/plain")}),
    (request(header=[{"key": "Content-Type", "value": "text/csv"}],
             body={"mode": "raw", "raw": "a,b"}),
     {"body": Body(kind="text", text="a,b", content_type="text/csv"), "headers": ()}),
    (request(body={"mode": "urlencoded", "urlencoded": [{"key": "a", "value": "1"}]}),
     {"body": Body(kind="form", fields=(("a", "1"),))}),
    (request(body={"mode": "formdata", "formdata": [
        {"key": "t", "value": "x", "type": "text"},
        {"key": "f", "type": "file", "src": ["a.txt", "data/b.txt"]}]}),
     {"body": Body(kind="multipart", fields=(("t", "x"), ("f", "@a.txt"), ("f", "@data/b.txt")))}),
    (request(body={"mode": "file", "file": {"src": "data.bin"}}),
     {"body": Body(kind="file", path="data.bin")}),
    (request(body={"mode": "graphql", "graphql": {"query": "{ me { id } }",
                                                  "variables": "{\"a\": 1}"}}),
     {"body": Body(kind="json", text='{"query": "{ me { id } }", "variables": {"a": 1}}')}),
    (request(auth={"type": "basic", "basic": [{"key": "username", "value": "u"},
                                              {"key": "password", "value": "p"}]}),
     {"auth": Auth(kind="basic", username="u", password="p")}),
    (request(auth={"type": "basic", "basic": {"username": "u", "password": "p"}}),
     {"auth": Auth(kind="basic", username="u", password="p")}),
    (request(auth={"type": "bearer", "bearer": [{"key": "token", "value": "{{t}}"}]}),
     {"auth": Auth(kind="bearer", token="{{t}}")}),
    ({"name": "S", "request": "https://h.test/plain"}, {"url": "https://h.test/plain"}),
]


@pytest.mark.parametrize(("item", "expected"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_request(item: dict[str, Any], expected: dict[str, object]) -> None:
    result = import_postman(collection(item), "c.json")
    _, spec = result.requests[0]
    for field, value in expected.items():
        assert getattr(spec, field) == value, field


def test_folders_auth_inheritance_and_options() -> None:
    text = collection(
        {"name": "Top Folder", "auth": {"type": "bearer", "bearer": [
            {"key": "token", "value": "folder"}]}, "item": [
            {"name": "Inner", "item": [request(name="Deep One")]},
            request(name="Own auth", auth={"type": "noauth"}),
            {**request(name="No redirects"), "protocolProfileBehavior": {
                "followRedirects": False, "maxRedirects": 3, "strictSSL": False}},
        ]},
        request(name="Root"),
        auth={"type": "basic", "basic": [{"key": "username", "value": "root"}]},
    )
    specs = dict(import_postman(text, "c.json").requests)
    assert list(specs) == ["top-folder/inner/deep-one", "top-folder/own-auth",
                           "top-folder/no-redirects", "root"]
    assert specs["top-folder/inner/deep-one"].auth == Auth(kind="bearer", token="folder")
    assert specs["top-folder/own-auth"].auth == Auth()
    assert specs["root"].auth == Auth(kind="basic", username="root")
    assert specs["root"].options.follow_redirects is True
    options = specs["top-folder/no-redirects"].options
    assert (options.follow_redirects, options.max_redirects, options.verify) == (False, 3, False)


def test_notes() -> None:
    text = collection(
        {**request(name="S", auth={"type": "oauth2", "oauth2": []},
                   header=[{"key": "X", "value": "1", "disabled": True}],
                   body={"mode": "formdata", "formdata": [
                       {"key": "f", "value": "v", "contentType": "text/x"}]}),
         "event": [{"listen": "prerequest", "script": {"exec": ["pm.x()"]}},
                   {"listen": "test", "script": {"exec": [""]}}]},
        event=[{"listen": "test", "script": {"exec": ["pm.test()"]}}],
    )
    notes = "\n".join(import_postman(text, "c.json").notes)
    assert "c.json $.item[0].request.auth: auth type 'oauth2' is not supported" in notes
    assert "disabled header 'X'" in notes
    assert "pre-request script" in notes
    assert "c.json $.event[0]: test script" in notes
    assert notes.count("script") == 2  # the empty test script is not worth a note
    assert "content type of form field 'f'" in notes


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("{", "invalid JSON"),
        ("[]", "$: expected an object, found a list"),
        ('{"info": {}}', "$.item: missing"),
        ('{"info": {}, "requests": []}', "v1"),
        ('{"item": {}}', "$.item: expected a list"),
        ('{"item": [1]}', "$.item[0]: expected an object"),
        ('{"item": [{"name": "x"}]}', "$.item[0]: neither a request nor a folder"),
        ('{"item": [{"request": {"url": {"raw": ""}}}]}', "$.item[0].request.url"),
        ('{"item": [{"request": {"url": "h", "method": "G T"}}]}', "$.item[0].request.method"),
        ('{"item": [{"request": {"url": "h", "header": [{"key": "A B", "value": ""}]}}]}',
         "$.item[0].request.header[0]"),
        ('{"item": [{"request": {"url": "h", "header": [{"key": "A", "value": "x\\ny"}]}}]}',
         "$.item[0].request.header[0]"),
        ('{"item": [{"item": [{"request": {"url": "h", "body": {"mode": "raw", "raw": []}}}]}]}',
         "$.item[0].item[0].request.body.raw: expected a string, found a list"),
    ],
)
def test_bad_input_names_the_json_path(text: str, place: str) -> None:
    with pytest.raises(LoadError) as caught:
        import_postman(text, "bad.json")
    assert str(caught.value).startswith("bad.json: ")
    assert place in str(caught.value)


def test_sample_collection_with_environment() -> None:
    result = load_source("postman", SAMPLES / "collection.json",
                         [SAMPLES / "local.postman_environment.json"])
    specs = dict(result.requests)
    assert list(specs) == [
        "users/list-users", "users/create-user", "users/admin/delete-user",
        "auth/basic-inherited", "auth/bearer", "auth/digest", "forms/urlencoded",
        "forms/multipart-upload", "forms/xml-note",
    ]
    assert specs["users/admin/delete-user"].url == "{{base}}/status/204"
    assert specs["auth/basic-inherited"].auth == Auth(kind="basic", username="ada",
                                                      password="{{password}}")
    assert specs["forms/multipart-upload"].headers == ()
    assert specs["forms/xml-note"].body.content_type == "application/xml"
    # collection variables under the environment's own values, secrets left out
    assert result.environments["default"] == {"base": "https://api.example.test",
                                              "password": "s3cret"}
    assert result.environments["local"] == {"base": "http://127.0.0.1:8000",
                                            "password": "s3cret", "token": "dev-token-123"}
    notes = "\n".join(result.notes)
    for expected in ("test script", "pre-request script", "'digest' is not supported",
                     "secret variable 'api_key'", "disabled variable 'legacy'",
                     "disabled query parameter 'draft'", "multipart/form-data"):
        assert expected in notes


def test_environment_alone() -> None:
    result = load_source("postman", SAMPLES / "local.postman_environment.json")
    assert result.requests == []
    assert list(result.environments) == ["local"]
