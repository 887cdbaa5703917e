"""Request files: clean YAML out, exact requests back, and hostile text always a LoadError."""

from __future__ import annotations

import math
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from httpdiff.errors import LoadError
from httpdiff.model import Auth, Body, Options, RequestSpec
from httpdiff.storage.collection import request_from_yaml, request_to_yaml
from httpdiff.storage.environment import environment_from_yaml
from httpdiff.storage.noise_file import noise_rules_from_yaml

# Any text a person (or an importer) could put in a field: every printable and control
# character, YAML's own line breaks, quotes, leading/trailing spaces, `{{vars}}`.
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40
) | st.sampled_from([
    "", " ", "a\n", "\n", "a\nb\n\n", " lead", "trail ", "line \nnext", "\t", "yes", "null",
    "~", "0x1F", "1e3", "- x", "# not a comment", "{{TOKEN}}", "a: b", "'q'", '"q"', "\r\n",
    "\x85", "\u2028", "\ufeff", "@file", "*alias", "&anchor", "!tag", "%", "|", ">",
])
PAIRS = st.lists(st.tuples(TEXT, TEXT), max_size=4).map(tuple)

BODIES = st.builds(
    Body,
    kind=st.sampled_from(["none", "text", "json", "form", "multipart", "file"]),
    text=TEXT, fields=PAIRS, path=TEXT, content_type=TEXT,
)
AUTHS = st.builds(
    Auth, kind=st.sampled_from(["none", "basic", "bearer"]),
    username=TEXT, password=TEXT, token=TEXT,
)
OPTIONS = st.builds(
    Options,
    timeout=st.floats(min_value=0.001, max_value=1e6, allow_nan=False) | st.just(30.0),
    follow_redirects=st.booleans(),
    max_redirects=st.integers(min_value=-5, max_value=10**9),
    verify=st.booleans(), ca_bundle=TEXT, http2=st.booleans(), proxy=TEXT,
)
SPECS = st.builds(
    RequestSpec,
    method=st.text(string.ascii_letters, min_size=1, max_size=10) | TEXT.filter(bool),
    url=TEXT, headers=PAIRS, params=PAIRS, body=BODIES | st.just(Body()),
    auth=AUTHS | st.just(Auth()), options=OPTIONS | st.just(Options()),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SPECS)
def test_round_trip_is_exact(spec: RequestSpec) -> None:
    text = request_to_yaml(spec)
    back = request_from_yaml(text, "group/some-name.yaml")
    assert back == RequestSpec(**{**_fields(spec), "name": "some-name"})
    # and writing it again gives the same bytes: no churn in git
    assert request_to_yaml(back) == text


def _fields(spec: RequestSpec) -> dict[str, object]:
    return {name: getattr(spec, name) for name in spec.__slots__}


def test_only_non_default_fields_in_stable_order() -> None:
    spec = RequestSpec(
        method="POST",
        url="http://h.test/users",
        headers=(("Accept", "application/json"), ("X-A", "1"), ("X-A", "2")),
        params=(("page", "2"),),
        body=Body(kind="json", text='{\n  "name": "alice"\n}\n'),
        auth=Auth(kind="bearer", token="{{TOKEN}}"),
        options=Options(follow_redirects=True),
        name="ignored",
    )
    assert request_to_yaml(spec) == (
        "method: POST\n"
        "url: http://h.test/users\n"
        "params:\n"
        "- name: page\n"
        "  value: '2'\n"
        "headers:\n"
        "- name: Accept\n"
        "  value: application/json\n"
        "- name: X-A\n"
        "  value: '1'\n"
        "- name: X-A\n"
        "  value: '2'\n"
        "body:\n"
        "  kind: json\n"
        "  text: |\n"
        "    {\n"
        '      "name": "alice"\n'
        "    }\n"
        "auth:\n"
        "  kind: bearer\n"
        "  token: '{{TOKEN}}'\n"
        "options:\n"
        "  follow_redirects: true\n"
    )


def test_default_request_is_an_empty_mapping() -> None:
    assert request_to_yaml(RequestSpec()) == "{}\n"
    assert request_from_yaml("", "x.yaml") == RequestSpec(name="x")
    assert request_to_yaml(RequestSpec(url="http://a.test/")) == "url: http://a.test/\n"


def test_name_comes_from_the_file_stem_only() -> None:
    assert request_from_yaml("url: http://a.test/\n", "/c/users/list.yaml").name == "list"
    assert request_from_yaml("url: http://a.test/\n", "<pasted>").name == ""


def test_hand_written_numbers_for_options() -> None:
    spec = request_from_yaml("options:\n  timeout: 5\n  max_redirects: 3\n", "x.yaml")
    assert spec.options.timeout == 5.0 and isinstance(spec.options.timeout, float)
    assert spec.options.max_redirects == 3


BAD: list[tuple[str, str]] = [
    ("- a\n- b\n", "must be a mapping, not a list"),
    ("url: [1]\n", "field url: must be text, not a list"),
    ("colour: red\n", "unknown field 'colour'"),
    ("headers: {a: b}\n", "field headers: must be a list of name/value pairs"),
    ("headers:\n- name: A\n  value: 1\n", "field headers[0].value: must be text, not a number"),
    ("headers:\n- value: x\n", "field headers[0]: needs a name"),
    ("headers:\n- name: A\n  other: x\n", "field headers[0]: unknown field 'other'"),
    ("body: {kind: xml}\n", "field body.kind: must be one of"),
    ("body: text\n", "field body: must be a mapping"),
    ("auth: {kind: digest}\n", "field auth.kind: must be one of none, basic, bearer"),
    ("options: {timeout: fast}\n", "field options.timeout: must be a number, not text"),
    ("options: {timeout: .nan}\n", "field options.timeout: must be a finite number"),
    ("options: {timeout: .inf}\n", "field options.timeout: must be a finite number"),
    ("options: {verify: 'no'}\n", "field options.verify: must be true or false"),
    ("options: {max_redirects: 1.5}\n", "field options.max_redirects: must be a whole number"),
    ("options: {max_redirects: 99999999999999999999999}\n", "out of range"),
    ("method: ''\n", "field method: must not be empty"),
    ("url: 'unterminated\n", "invalid YAML: line"),
    ("a: *nowhere\n", "invalid YAML"),
    ("? [a, b]\n: c\n", "invalid YAML"),
    ("{1: 2}\n", "has a key that is a number"),
    ("!!python/object:os.system {}\n", "invalid YAML"),
    ("[" * 1500 + "]" * 1500, "invalid YAML"),
    ("url: 2024-01-01\n", "field url: must be text, not date"),
]


@pytest.mark.parametrize(("text", "reason"), BAD, ids=[r for _, r in BAD])
def test_bad_files_name_the_file_and_field(text: str, reason: str) -> None:
    with pytest.raises(LoadError) as caught:
        request_from_yaml(text, "coll/bad.yaml")
    assert caught.value.path == "coll/bad.yaml"
    assert reason in caught.value.reason
    assert str(caught.value).startswith("coll/bad.yaml: ")


def test_alias_bomb_is_rejected_without_blowing_up() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    lines.append("headers: *a8")
    with pytest.raises(LoadError) as caught:
        request_from_yaml("\n".join(lines), "bomb.yaml")
    assert len(str(caught.value)) < 200


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=10) | st.integers(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(
    st.sampled_from(["method", "url", "params", "headers", "body", "auth", "options", "x"]),
    YAML_VALUES | st.dictionaries(
        st.sampled_from(["kind", "text", "fields", "path", "timeout", "verify", "name", "value",
                         "max_redirects", "token"]),
        YAML_VALUES, max_size=4,
    ),
    max_size=5,
) | YAML_VALUES)
def test_random_structures_load_or_fail_cleanly(doc: object) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True)
    try:
        spec = request_from_yaml(text, "r.yaml")
    except LoadError as exc:
        assert exc.path == "r.yaml"
        assert len(str(exc)) < 400
    else:
        assert math.isfinite(spec.options.timeout)
        assert request_from_yaml(request_to_yaml(spec), "r.yaml") == spec
    # the collection's other documents go through the same gate
    for parse in (noise_rules_from_yaml, environment_from_yaml):
        try:
            parse(text, "other.yaml")
        except LoadError as exc:
            assert exc.path == "other.yaml"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise_anything_but_load_error(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        request_from_yaml(text, "junk.yaml")
    except LoadError as exc:
        assert exc.path == "junk.yaml"


def test_huge_values() -> None:
    big = "x" * 1_000_000
    assert request_from_yaml(request_to_yaml(RequestSpec(url=big)), "b.yaml").url == big
    with pytest.raises(LoadError, match="larger than"):
        request_from_yaml("url: " + "x" * 5_000_000, "huge.yaml")
