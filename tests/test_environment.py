"""Environments and ``.env`` files: the dialect people write, and failures naming the line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from httpdiff.errors import LoadError, UnknownName
from httpdiff.storage.environment import (
    environment_from_yaml,
    load_dotenv,
    load_environment,
    parse_dotenv,
    secrets_for,
)

DOTENV_CASES: list[tuple[str, dict[str, str]]] = [
    ("A=1", {"A": "1"}),
    ("A = spaced  ", {"A": "spaced"}),
    ("export TOKEN=abc", {"TOKEN": "abc"}),
    ("# comment\n\n  # indented comment\nB=2", {"B": "2"}),
    ("A=value # trailing comment", {"A": "value"}),
    ("A=pass#word", {"A": "pass#word"}),
    ("A='single # quoted $x \\n'", {"A": "single # quoted $x \\n"}),
    ('A="line\\nnext \\"q\\" \\\\ \\t"', {"A": 'line\nnext "q" \\ \t'}),
    ('A="x" # comment', {"A": "x"}),
    ("A=", {"A": ""}),
    ("A=1\nA=2", {"A": "2"}),
    ("A=a=b=c", {"A": "a=b=c"}),
    ("\ufeffA=1", {"A": "1"}),
    ("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}),
    ("dotted.name-x=1", {"dotted.name-x": "1"}),
]


@pytest.mark.parametrize(("text", "expected"), DOTENV_CASES, ids=[c for c, _ in DOTENV_CASES])
def test_dotenv_dialect(text: str, expected: dict[str, str]) -> None:
    assert parse_dotenv(text.lstrip("\ufeff"), ".env") == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("just words", "line 1: expected KEY=VALUE"),
    ("A=1\n1BAD=2", "line 2: expected KEY=VALUE"),
    ("A='open", "line 1: unterminated single quote"),
    ('A="open', "line 1: unterminated double quote"),
    ('A="x" y', "line 1: text after the closing quote"),
    ("=value", "line 1: expected KEY=VALUE"),
])
def test_bad_dotenv_names_the_line_not_the_value(text: str, reason: str) -> None:
    with pytest.raises(LoadError) as caught:
        parse_dotenv(text, "/c/.env")
    assert str(caught.value) == f"/c/.env: {reason}"


def test_load_dotenv_and_secrets_order(tmp_path: Path) -> None:
    assert load_dotenv(tmp_path / ".env") == {}
    (tmp_path / ".env").write_bytes(b"\xef\xbb\xbfTOKEN=from-dotenv\n")
    assert load_dotenv(tmp_path / ".env") == {"TOKEN": "from-dotenv"}
    secrets = secrets_for(tmp_path, {"TOKEN": "from-process", "HOME": "/home/x"})
    assert secrets == {"TOKEN": "from-dotenv", "HOME": "/home/x"}


def test_environment_files(tmp_path: Path) -> None:
    folder = tmp_path / "environments"
    folder.mkdir()
    (folder / "local.yaml").write_text("base: http://127.0.0.1\nport: 8080\ndebug: true\nx:\n")
    assert load_environment(tmp_path, "local") == {
        "base": "http://127.0.0.1", "port": "8080", "debug": "true", "x": "",
    }
    with pytest.raises(UnknownName, match=r"unknown environment 'prod' \(known: local\)"):
        load_environment(tmp_path, "prod")
    with pytest.raises(UnknownName, match="invalid environment name"):
        load_environment(tmp_path, "../local")
    (folder / "bad.yaml").write_text("base: [1, 2]\n")
    with pytest.raises(LoadError, match="variable base: must be text or a number"):
        load_environment(tmp_path, "bad")


@pytest.mark.parametrize(("text", "reason"), [
    ("- a\n", "must be a mapping"),
    ("1x: a\n", "variable names must be"),
    ("a: {b: c}\n", "variable a: must be text or a number, not a mapping"),
    ("a: 'x\n", "invalid YAML"),
])
def test_bad_environment_files(text: str, reason: str) -> None:
    with pytest.raises(LoadError) as caught:
        environment_from_yaml(text, "environments/e.yaml")
    assert caught.value.path == "environments/e.yaml"
    assert reason in caught.value.reason


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=200).map(
    lambda b: b.decode("utf-8", errors="replace")))
def test_hostile_dotenv_and_environment_text_only_raise_load_error(text: str) -> None:
    for parse in (parse_dotenv, environment_from_yaml):
        try:
            result = parse(text, "f")
        except LoadError as exc:
            assert exc.path == "f"
        else:
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in result.items())
