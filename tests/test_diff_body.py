"""Bodies (JSON, text, binary, truncated), text_diff, json_diff and JSON-path rules."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from httpdiff.diff import (
    DiffLine,
    JsonChange,
    NoiseRule,
    NoiseRules,
    findings,
    json_diff,
    text_diff,
)
from httpdiff.diff import text as text_module
from httpdiff.diff.body import JSON_PATH_LIMIT
from httpdiff.model import Category, Verdict
from test_diff_support import one, pick, snap

D, N = Verdict.DIFFERENCE, Verdict.NOISE
JSON_TYPE = (("Content-Type", "application/json"),)


def _json_outcomes(left: Any, right: Any) -> dict[str, Any]:
    return {
        "a": snap("a", headers=JSON_TYPE, body=json.dumps(left).encode()),
        "b": snap("b", headers=JSON_TYPE, body=json.dumps(right).encode()),
    }


def _bodies(found: tuple[Any, ...]) -> list[tuple[str, Verdict, Any, Any]]:
    return [(f.subject, f.verdict, f.values["a"], f.values["b"])
            for f in pick(found, Category.BODY)]


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, [("body", N)]),  # key order only
        ({"data": [{"id": 1}, {"id": 2}]}, {"data": [{"id": 1}, {"id": 3}]},
         [("$.data[1].id", D)]),
        ({"a": 1}, {"a": 1, "b": None}, [("$.b", D)]),
        ({"a": True}, {"a": 1}, [("$.a", D)]),  # JSON types are strict
        ({"a": 1}, {"a": 1.0}, [("$.a", D)]),
        ({"odd key": 1}, {"odd key": 2}, [('$["odd key"]', D)]),
        ([1, 2, 3], [1, 2], [("$[2]", D)]),
    ],
)
def test_json_bodies(left: Any, right: Any, expected: list[tuple[str, Verdict]]) -> None:
    found = findings(_json_outcomes(left, right))
    assert [(s, v) for s, v, *_ in _bodies(found)] == expected


def test_json_values_are_compact_and_absent_is_none() -> None:
    found = findings(_json_outcomes({"a": {"x": [1, 2]}}, {"b": "s"}))
    assert _bodies(found) == [("$.a", D, '{"x":[1,2]}', None), ("$.b", D, None, '"s"')]


@pytest.mark.parametrize(
    ("pattern", "noisy"),
    [
        ("$.data[*].updated", True),
        ("$.data[1].updated", False),  # only index 1: index 0 still differs
        ("$.data", True),  # a rule on a path covers everything below it
        ("$.*", True),
        ("$.dat", False),  # not a prefix of a segment
        ("$.data[*]", True),
    ],
)
def test_json_path_rules(pattern: str, noisy: bool) -> None:
    left = {"data": [{"id": 1, "updated": "t1"}, {"id": 2, "updated": "t1"}]}
    right = {"data": [{"id": 1, "updated": "t2"}, {"id": 2, "updated": "t3"}]}
    rules = NoiseRules(rules=(NoiseRule("json-path", pattern),))
    found = findings(_json_outcomes(left, right), rules)
    assert len(pick(found, Category.BODY)) == 2
    assert (not any(f.is_difference for f in found)) is noisy


def test_json_paths_are_capped_with_a_summary() -> None:
    count = JSON_PATH_LIMIT + 50
    left = [{"v": i} for i in range(count)]
    right = [{"v": -i - 1} for i in range(count)]
    found = findings(_json_outcomes(left, right))
    body = pick(found, Category.BODY)
    assert len(body) == JSON_PATH_LIMIT + 1
    summary = body[-1]
    assert summary.subject == "body" and summary.is_difference
    assert f"{count} changed JSON paths" in summary.detail
    noisy = findings(_json_outcomes(left, right),
                     NoiseRules(rules=(NoiseRule("json-path", "$[*].v"),)))
    assert not any(f.is_difference for f in noisy)


def test_text_body_has_a_unified_diff_detail() -> None:
    left = "".join(f"line {i}\n" for i in range(100)).encode()
    right = left.replace(b"line 50\n", b"line fifty\n")
    found = findings({"a": snap("a", body=left), "b": snap("b", body=right)})
    f = one(found, Category.BODY, "body")
    assert f.is_difference
    assert f.values["a"].startswith(f"{len(left)} bytes, sha256 ")
    assert "-line 50\n+line fifty" in f.detail
    assert "@@ -48,7 +48,7 @@" in f.detail
    assert "1 lines changed" in f.detail


def test_text_detail_is_capped() -> None:
    left = "".join(f"a{i}\n" for i in range(2000)).encode()
    right = "".join(f"b{i}\n" for i in range(2000)).encode()
    f = one(findings({"a": snap("a", body=left), "b": snap("b", body=right)}), Category.BODY,
            "body")
    lines = f.detail.splitlines()
    assert len(lines) < 410
    assert lines[-1].startswith("…") and "more diff lines not shown" in lines[-1]


@pytest.mark.parametrize(
    ("left", "right", "ctype"),
    [
        (b"\x89PNG\x00\x01", b"\x89PNG\x00\x02", "image/png"),
        (b"\x00\x01\x02", b"\x00\x01\x03", ""),
        (b"\xff\xfe\xfa", b"\xff\xfe\xfb", "application/octet-stream"),
    ],
)
def test_binary_bodies_are_size_and_hash(left: bytes, right: bytes, ctype: str) -> None:
    headers = (("Content-Type", ctype),) if ctype else ()
    found = findings({"a": snap("a", headers=headers, body=left, text=""),
                      "b": snap("b", headers=headers, body=right, text="")})
    f = one(found, Category.BODY, "body")
    assert f.detail == "binary bodies differ"
    assert f.values["a"].startswith("3 bytes, sha256") or f.values["a"].startswith("6 bytes")


@pytest.mark.parametrize(
    ("cut_a", "cut_b", "expected"),
    [(True, False, D), (True, True, N), (False, False, None)],
)
def test_truncated_bodies_are_said(cut_a: bool, cut_b: bool, expected: Verdict | None) -> None:
    found = findings({"a": snap("a", truncated=cut_a), "b": snap("b", truncated=cut_b)})
    got = pick(found, Category.BODY, "body-truncated")
    assert [f.verdict for f in got] == ([] if expected is None else [expected])


def test_undecodable_server_text_never_raises() -> None:
    found = findings({"a": snap("a", body=b"ok \xff\xfe", text=""),
                      "b": snap("b", body=b"\x1b[31m{[bad", text="",
                                headers=JSON_TYPE)})
    assert one(found, Category.BODY, "body").is_difference


@pytest.mark.parametrize(
    ("a", "b", "context", "expected"),
    [
        ("x\ny\n", "x\ny\n", 3, []),
        ("x\ny\nz", "x\nY\nz", 0, [DiffLine("replace", 2, "y", 2, "Y")]),
        ("x\ny\nz", "x\nz", 1, [DiffLine("equal", 1, "x", 1, "x"),
                                DiffLine("delete", 2, "y", None, None),
                                DiffLine("equal", 3, "z", 2, "z")]),
        ("a", "a\nb", -1, [DiffLine("equal", 1, "a", 1, "a"),
                            DiffLine("insert", None, None, 2, "b")]),
        ("a\nb", "c", 0, [DiffLine("replace", 1, "a", 1, "c"),
                           DiffLine("delete", 2, "b", None, None)]),
    ],
)
def test_text_diff_rows(a: str, b: str, context: int, expected: list[DiffLine]) -> None:
    assert text_diff(a, b, context) == expected


def test_text_diff_hunks_skip_unchanged_lines() -> None:
    a = "\n".join(str(i) for i in range(100))
    b = a.replace("\n10\n", "\nten\n").replace("\n90\n", "\nninety\n")
    rows = text_diff(a, b, context=2)
    assert len(rows) == 10
    assert [r.left_no for r in rows[:5]] == [9, 10, 11, 12, 13]
    assert rows[5].left_no == 89  # the jump marks the skipped lines


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({"a": 1}, {"a": 1}, []),
        ({"a": 1}, {}, [JsonChange("$.a", "removed", 1, None)]),
        ({}, {"a": [1]}, [JsonChange("$.a", "added", None, [1])]),
        ({"a": {"b": 1}}, {"a": [1]}, [JsonChange("$.a", "changed", {"b": 1}, [1])]),
        ([float("nan")], [float("nan")], []),
        ({"x": 1, "y": {"z": 2}}, {"y": {"z": 3}, "x": 2},
         [JsonChange("$.x", "changed", 1, 2), JsonChange("$.y.z", "changed", 2, 3)]),
    ],
)
def test_json_diff(a: Any, b: Any, expected: list[JsonChange]) -> None:
    assert json_diff(a, b) == expected


def test_json_diff_survives_deep_nesting() -> None:
    deep_a: Any = 1
    deep_b: Any = 2
    for _ in range(5000):
        deep_a, deep_b = [deep_a], [deep_b]
    (change,) = json_diff(deep_a, deep_b)
    assert change.path == "$" + "[0]" * 5000


def test_ten_megabyte_bodies_diff_correctly() -> None:
    # Speed is measured in benchmarks/diff_bench.py, not asserted here.
    lines = [f"{i:08d} some ordinary line of text in a large body" for i in range(200_000)]
    other = list(lines)
    for i in range(5, 200_000, 20_011):
        other[i] += " changed"
    text_a, text_b = "\n".join(lines).encode(), "\n".join(other).encode()
    items = [{"id": i, "name": f"n{i}", "tags": ["a", "b"], "v": i % 7} for i in range(50_000)]
    json_a = json.dumps(items).encode()
    items[123]["v"] = 99
    items[45_678]["name"] = "changed"
    json_b = json.dumps(items).encode()
    text = findings({"a": snap("a", body=text_a), "b": snap("b", body=text_b)})
    data = findings({"a": snap("a", headers=JSON_TYPE, body=json_a),
                     "b": snap("b", headers=JSON_TYPE, body=json_b)})
    assert "10 lines changed" in one(text, Category.BODY, "body").detail
    assert [f.subject for f in pick(data, Category.BODY)] == ["$[123].v", "$[45678].name"]


def _check_opcodes(a: list[str], b: list[str], ops: list[tuple[str, int, int, int, int]]) -> None:
    """Opcodes tile both sides in order, equal means equal, and they rebuild ``b``."""
    i = j = 0
    rebuilt: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        rebuilt += b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    assert rebuilt == b


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from("abcdefghij"), max_size=300),
    st.lists(st.tuples(st.integers(0, 299), st.sampled_from(["edit", "insert", "delete"]))),
)
def test_chunked_opcodes_are_a_valid_diff(a: list[str], edits: list[tuple[int, str]]) -> None:
    b = list(a)
    for at, action in edits:
        at = min(at, len(b))
        if action == "insert":
            b.insert(at, "new")
        elif at < len(b):
            b[at:at + 1] = [] if action == "delete" else ["edited"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text_module, "DIRECT_LINES", 8)  # force the chunked path on small inputs
        patch.setattr(text_module, "REFINE_LINES", 40)
        ops, _ = text_module.opcodes(a, b)
    _check_opcodes(a, b, ops)


def test_repeated_lines_do_not_make_the_diff_quadratic() -> None:
    rng = random.Random(7)
    a = [f"value {rng.randrange(1000)}" for _ in range(100_000)]
    b = list(a)
    for _ in range(10):
        b[rng.randrange(len(b))] = "changed"
    # Plain SequenceMatcher takes ~10 s here, the chunked match ~0.3 s: pytest-timeout
    # catches a return to quadratic time; benchmarks/diff_bench.py measures the speed.
    ops, aligned = text_module.opcodes(a, b)
    assert aligned and text_module.changed_lines(ops) == 10
    _check_opcodes(a, b, ops)
