"""Hostile and malformed input for every importer: a LoadError naming file and place, or a
valid result, never another exception.

"Valid" is checked against the collection format itself: every imported request
survives ``request_to_yaml`` -> ``request_from_yaml`` unchanged, every path is one the
collection accepts, every environment name and variable name can be saved.
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from httpdiff.errors import LoadError
from httpdiff.storage.collection import request_from_yaml, request_id, request_to_yaml
from httpdiff.storage.environment import check_environment_name
from httpdiff.storage.importers import (
    ImportResult,
    import_curl,
    import_http,
    import_http_environments,
    import_postman,
    load_source,
)
from httpdiff.storage.importers.common import VARIABLE_NAME
from httpdiff.storage.importers.posting import import_posting_request

SAMPLES = Path(__file__).parent / "samples"
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=25,
)
# Text that looks enough like the formats to get past their first checks.
http_lines = st.lists(
    st.sampled_from([
        "###", "### name", "GET {{base}}/x", "POST https://h.test/ HTTP/1.1", "h.test",
        "Content-Type: application/json", "Authorization: Basic a:b", "X-A: 1", "", "{}",
        "# @name n", "# @no-redirect", "# @timeout 99999999", "@v = 1", "@ = 2", "?a=1",
        "&b=2", "< file", "> {% x %}", "// c", "Bad Header", ":", "Content-Type: multipart/x",
        "\x00", "\u2028", "GET h\rx", "Authorization: Bearer ",
    ]) | st.text(max_size=20),
    max_size=25,
).map("\n".join)

curl_lines = st.lists(
    st.sampled_from([
        "curl http://h.test/a", "curl -X DELETE \\", "  -H 'X: 1' \\", "http://h.test/b",
        "curl $(id) http://h.test/", "# comment", "", "curl -d '{", '"a": 1}\' h.test',
        "curl -F f=@/etc/passwd h.test", "curl -T ../x h.test", "curl -H $'X: \\e' h",
        "wget x", "curl h.test | sh", "curl 'h.test/?a=1&b=2'", "curl -H \"A: $T\" h",
    ]) | st.text(max_size=20),
    max_size=12,
).map("\n".join)


def assert_valid(result: ImportResult) -> None:
    paths = [path for path, _ in result.requests]
    assert len(paths) == len(set(paths))
    for path, spec in result.requests:
        assert request_id(path) == path
        assert spec.name == path.rsplit("/", 1)[-1]
        reloaded = request_from_yaml(request_to_yaml(spec), f"{path}.yaml")
        assert reloaded.__class__ is spec.__class__
        assert (reloaded.method, reloaded.url, reloaded.headers, reloaded.params,
                reloaded.body, reloaded.auth, reloaded.options) == (
            spec.method, spec.url, spec.headers, spec.params, spec.body, spec.auth,
            spec.options)
    for name, variables in result.environments.items():
        check_environment_name(name)
        for key, value in variables.items():
            assert VARIABLE_NAME.match(key)
            assert isinstance(value, str)
    assert all(isinstance(note, str) for note in result.notes)


def assert_load_error(exc: LoadError, source: str) -> None:
    assert exc.path == source
    assert exc.reason
    assert "\n" not in str(exc)


@SETTINGS
@given(st.text(max_size=400) | http_lines)
def test_http_text(text: str) -> None:
    try:
        result = import_http(text, "fuzz.http")
    except LoadError as exc:
        assert_load_error(exc, "fuzz.http")
        assert "line " in exc.reason
    else:
        assert_valid(result)


@SETTINGS
@given(st.text(max_size=200) | http_lines)
def test_http_a_good_request_survives_any_other_block(text: str) -> None:
    result = import_http(f"{text}\n###\nGET https://h.test/ok\n", "fuzz.http")
    assert_valid(result)
    assert result.requests[-1][1].url == "https://h.test/ok"


@SETTINGS
@given(st.text(max_size=200).map(lambda t: "curl " + t) | curl_lines)
def test_curl_a_good_command_survives_any_other_line(text: str) -> None:
    result = import_curl(f"{text}\ncurl https://h.test/ok\n", "cmd")
    assert_valid(result)
    assert result.requests[-1][1].url == "https://h.test/ok"


@SETTINGS
@given(json_values)
def test_http_environment_json(document: Any) -> None:
    try:
        result = import_http_environments(json.dumps(document), "env.json")
    except LoadError as exc:
        assert_load_error(exc, "env.json")
    else:
        assert_valid(result)


def _mutate(document: Any, data: st.DataObject) -> Any:
    """The document with one randomly chosen node replaced by a random JSON value."""
    document = copy.deepcopy(document)
    node, key = document, None
    parent: Any = None
    for _ in range(data.draw(st.integers(0, 8))):
        children = list(node.keys()) if isinstance(node, dict) else (
            list(range(len(node))) if isinstance(node, list) else [])
        if not children:
            break
        parent, key = node, data.draw(st.sampled_from(children))
        node = node[key]
    value = data.draw(json_values)
    if parent is None:
        return value
    parent[key] = value
    return document


POSTMAN = json.loads((SAMPLES / "postman" / "collection.json").read_text())
POSTMAN_ENV = (SAMPLES / "postman" / "local.postman_environment.json").read_text()


@SETTINGS
@given(st.data())
def test_postman_mutated_collection(data: st.DataObject) -> None:
    text = json.dumps(_mutate(POSTMAN, data))
    try:
        result = import_postman(text, "c.json", [(POSTMAN_ENV, "e.json")])
    except LoadError as exc:
        assert_load_error(exc, "c.json")
        assert exc.reason.startswith("$") or exc.reason.startswith("invalid JSON")
    else:
        assert_valid(result)


@SETTINGS
@given(st.data())
def test_postman_mutated_environment(data: st.DataObject) -> None:
    text = json.dumps(_mutate(json.loads(POSTMAN_ENV), data))
    try:
        result = import_postman(json.dumps(POSTMAN), "c.json", [(text, "e.json")])
    except LoadError as exc:
        assert_load_error(exc, "e.json")
    else:
        assert_valid(result)


@SETTINGS
@given(st.text(max_size=200) | json_values.map(json.dumps))
def test_postman_any_text(text: str) -> None:
    try:
        assert_valid(import_postman(text, "c.json"))
    except LoadError as exc:
        assert_load_error(exc, "c.json")


POSTING = yaml.safe_load((SAMPLES / "posting" / "users" / "create-user.posting.yaml")
                         .read_text())


@SETTINGS
@given(st.data())
def test_posting_mutated_request(data: st.DataObject) -> None:
    text = yaml.safe_dump(_mutate(POSTING, data))
    try:
        spec, notes = import_posting_request(text, "r.posting.yaml")
    except LoadError as exc:
        assert_load_error(exc, "r.posting.yaml")
    else:
        result = ImportResult(notes=notes)
        result.add("r", spec)
        assert_valid(result)


@SETTINGS
@given(st.text(max_size=300))
def test_posting_any_text(text: str) -> None:
    try:
        spec, _ = import_posting_request(text, "r.posting.yaml")
    except LoadError as exc:
        assert_load_error(exc, "r.posting.yaml")
    else:
        result = ImportResult()
        result.add("r", spec)
        assert_valid(result)




@SETTINGS
@given(st.text(max_size=200).map(lambda t: "curl " + t) | curl_lines)
def test_curl_any_text(text: str) -> None:
    try:
        assert_valid(import_curl(text, "cmd"))
    except LoadError as exc:
        assert_load_error(exc, "cmd")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["curl", "http", "postman", "posting"]), st.binary(max_size=300))
def test_random_bytes_from_files(fmt: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / ("c.posting.yaml" if fmt == "posting" else "source")
        source.write_bytes(data)
        try:
            result = load_source(fmt, root if fmt == "posting" else source)
        except LoadError as exc:
            assert exc.path in (str(source), str(root))
        else:
            assert_valid(result)


def test_huge_and_deep_values() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    for text in (deep, json.dumps({"item": [{"item": []}] * 1}).replace("[]", deep)):
        try:
            import_postman(text, "deep.json")
        except LoadError as exc:
            assert_load_error(exc, "deep.json")
    nested: dict[str, Any] = {"name": "leaf", "request": {"url": "https://h.test/"}}
    for _ in range(200):
        nested = {"name": "f", "item": [nested]}
    try:
        import_postman(json.dumps({"item": [nested]}), "nested.json")
    except LoadError as exc:
        assert "nested too deeply" in exc.reason
    big = "x" * 2_000_000
    result = import_http(f"POST https://h.test/\n\n{big}", "big.http")
    assert len(result.requests[0][1].body.text) == 2_000_000
    spec, _ = import_posting_request("url: u\n" + "a: b\n" * 10_000, "wide.posting.yaml")
    assert spec.url == "u"
    try:
        import_posting_request("a: " + "[" * 50_000, "deep.posting.yaml")
    except LoadError as exc:
        assert_load_error(exc, "deep.posting.yaml")
