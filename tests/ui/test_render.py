"""Pure rendering helpers: safe text, highlighting, sizes, marks, waterfall geometry, body rows."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rich.text import Text

from httpdiff.model import Category, Timings
from httpdiff.ui.render import (
    Highlighter,
    find_all,
    format_ms,
    format_size,
    header_marks,
    hexdump,
    lexer_name,
    looks_binary,
    one_line,
    pretty_json,
    safe_text,
    status_variable,
    visible,
)
from httpdiff.ui.widgets.body_diff_view import body_rows
from httpdiff.ui.widgets.timing_view import waterfall_rows

from .test_results_data import (
    HOSTILE,
    aiohttp_snapshot,
    both_comparison,
    httpx_snapshot,
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain", "plain"),
        ("\x1b[31mred", "␛[31mred"),
        ("bell\x07", "bell␇"),
        ("nul\x00", "nul␀"),
        ("del\x7f", "del␡"),
        ("csi\x9b", "csi\\x9b"),
        ("bidi\u202eevil", "bidi\\u202eevil"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
    ],
)
def test_visible_shows_control_characters(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_one_line_folds_and_cuts() -> None:
    assert one_line("a\r\nb\tc") == "a↵b c"
    assert one_line("abcdef", limit=4) == "abc…"


def test_safe_text_is_never_markup() -> None:
    text = safe_text(HOSTILE)
    assert isinstance(text, Text)
    assert "[@click=app.quit]q[/]" in text.plain
    assert "[bold]x[/]" in text.plain
    assert "\x1b" not in text.plain
    assert not text.spans


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1_000_000, "976.6 KiB"),
     (10 * 1024 * 1024, "10.0 MiB"), (3 * 1024**3 // 2, "1.5 GiB")],
)
def test_format_size(size: int, shown: str) -> None:
    assert format_size(size) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "not observable"), (0.25, "250 µs"), (12.34, "12.3 ms"), (1500.0, "1.50 s")],
)
def test_format_ms(value: float | None, shown: str) -> None:
    assert format_ms(value) == shown


@pytest.mark.parametrize(
    ("status", "variable"),
    [(200, "status-2xx"), (302, "status-3xx"), (404, "status-4xx"), (503, "status-5xx")],
)
def test_status_variable(status: int, variable: str) -> None:
    assert status_variable(status) == variable


@pytest.mark.parametrize(
    ("content_type", "text", "lexer"),
    [
        ("application/json; charset=utf-8", "", "json"),
        ("application/problem+json", "", "json"),
        ("text/html", "", "html"),
        ("application/xml", "", "xml"),
        ("text/plain", "{", None),
        ("", '{"a": 1}', "json"),
    ],
)
def test_lexer_name(content_type: str, text: str, lexer: str | None) -> None:
    assert lexer_name(content_type, text) == lexer


def test_pretty_json_never_raises() -> None:
    assert pretty_json('{"a":[1,2]}') == '{\n  "a": [\n    1,\n    2\n  ]\n}'
    assert pretty_json("not json") is None
    assert pretty_json("3") is None
    assert pretty_json("[" * 100_000) is None


def test_highlighter_colours_json_and_keeps_text_literal() -> None:
    line = '  "name": "[bold]x[/] \x1b[2J", "n": 12, "ok": true'
    text = Highlighter("json", {}).line(line)
    assert text.plain == '  "name": "[bold]x[/] ␛[2J", "n": 12, "ok": true'
    assert text.spans, "tokens should be styled"
    plain = Highlighter(None, {}).line(line)
    assert plain.plain == text.plain and not plain.spans


def test_highlighter_skips_huge_lines() -> None:
    text = Highlighter("json", {}).line('"x"' * 5_000)
    assert not text.spans


def test_find_all_is_case_insensitive() -> None:
    assert find_all("abcABCabc", "bc") == [1, 4, 7]
    assert find_all("abc", "") == []


def test_binary_detection_and_hexdump() -> None:
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert looks_binary(b"GIF89a", "image/gif")
    assert not looks_binary("héllo wörld".encode())
    assert not looks_binary(b"text with one NUL \x00 and an ESC \x1b[2J, still text")
    dump = hexdump(b"AB\x00" * 10, limit=32)
    assert dump[0].startswith("00000000  41 42 00")
    assert dump[0].endswith("AB.AB.AB.AB.AB.A")
    assert len(dump) == 2


def test_header_marks_from_each_side() -> None:
    comparison = both_comparison()
    httpx_marks = header_marks(comparison.findings, Category.HEADER, "httpx")
    aiohttp_marks = header_marks(comparison.findings, Category.HEADER, "aiohttp")
    assert httpx_marks["server"] == "differs"
    assert httpx_marks["date"] == "noise"
    assert aiohttp_marks["x-only-aiohttp"] == "only here"
    assert "content-type" not in httpx_marks
    request = header_marks(comparison.findings, Category.REQUEST_HEADER, "httpx")
    assert request["user-agent"] == "differs"


def test_waterfall_rows_share_the_axis_and_skip_unobservable() -> None:
    timings = Timings(dns=None, connect=10.0, tls=None, send=5.0, wait=20.0, download=5.0,
                      total=40.0)
    rows = {phase: (start, length, value) for phase, start, length, value in
            waterfall_rows(timings, axis_ms=80.0, width=80)}
    assert rows["dns"] == (0, 0, None)
    assert rows["tls"] == (0, 0, None)
    assert rows["connect"] == (0, 10, 10.0)
    assert rows["send"] == (10, 5, 5.0)
    assert rows["wait"] == (15, 20, 20.0)
    assert rows["download"] == (35, 5, 5.0)
    assert rows["total"] == (0, 40, 40.0)  # half the axis: the other pane was twice as slow


def test_waterfall_tiny_phase_still_visible() -> None:
    rows = waterfall_rows(Timings(connect=0.001, total=100.0), axis_ms=100.0, width=50)
    assert rows[1][2] == 1


def test_body_rows_json_by_path() -> None:
    rows, description = body_rows(httpx_snapshot(), aiohttp_snapshot())
    assert "1 changed path" in description
    assert "paths" not in description
    assert [(r.tag, r.left, r.right) for r in rows] == [
        ("replace", "$.items[2] = 3", "$.items[2] = 4")
    ]


def test_body_rows_text_with_gaps() -> None:
    left_text = "\n".join(f"line {i}" for i in range(40))
    right_text = left_text.replace("line 5\n", "line five\n").replace("line 30\n", "")
    left = httpx_snapshot(left_text.encode())
    right = aiohttp_snapshot(right_text.encode())
    left, right = replace(left, headers=()), replace(right, headers=())
    rows, description = body_rows(left, right)
    tags = [r.tag for r in rows]
    assert "replace" in tags and "delete" in tags and "gap" in tags
    assert "rows differ" in description


def test_body_rows_identical_and_binary() -> None:
    same = httpx_snapshot()
    assert body_rows(same, same)[0] == []
    assert "identical" in body_rows(same, same)[1]
    binary = httpx_snapshot(b"\x00\x01\x02")
    assert "binary" in body_rows(binary, aiohttp_snapshot(b"\x00\x02"))[1]
