"""Shell text to commands and words, as a POSIX shell splits it, never running anything."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from httpdiff.storage.shell_words import split_commands

SPLITS: list[tuple[str, list[tuple[int, list[str]]]]] = [
    ("", []),
    ("# only a comment\n\n", []),
    ("curl a", [(1, ["curl", "a"])]),
    ("curl a\ncurl b", [(1, ["curl", "a"]), (2, ["curl", "b"])]),
    ("curl a\r\ncurl b\r\n", [(1, ["curl", "a"]), (2, ["curl", "b"])]),
    ("curl \\\n  -X POST \\\n  a", [(1, ["curl", "-X", "POST", "a"])]),
    ("curl \\\r\n  a", [(1, ["curl", "a"])]),
    ("curl ab\\\ncd", [(1, ["curl", "abcd"])]),
    # a forgotten continuation does not swallow the next command
    ("curl a \\\ncurl b", [(1, ["curl", "a"]), (2, ["curl", "b"])]),
    ("curl -d '{\n  \"a\": 1\n}' u", [(1, ["curl", "-d", '{\n  "a": 1\n}', "u"])]),
    ("# first\ncurl a # trailing\n  # indented\ncurl b",
     [(2, ["curl", "a"]), (4, ["curl", "b"])]),
    ("curl 'http://h/#frag' http://h/#x", [(1, ["curl", "http://h/#frag", "http://h/#x"])]),
    ("curl '' \"\" x", [(1, ["curl", "", "", "x"])]),
    ("curl \"a \\\"b\\\" \\$c \\d\"", [(1, ["curl", 'a "b" $c \\d'])]),
    ("curl a\\ b", [(1, ["curl", "a b"])]),
    ("curl $'a\\nb\\t\\x41\\u00e9\\'q'", [(1, ["curl", "a\nb\tA\u00e9'q"])]),
    ("curl 'it'\\''s'", [(1, ["curl", "it's"])]),
    ("curl \"$TOKEN\" ${HOME} $", [(1, ["curl", "$TOKEN", "${HOME}", "$"])]),
    ("  \n\ncurl a", [(3, ["curl", "a"])]),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS, ids=[t for t, _ in SPLITS])
def test_split(text: str, expected: list[tuple[int, list[str]]]) -> None:
    commands = split_commands(text)
    assert [(c.line, list(c.words)) for c in commands] == expected
    assert all(not c.problem for c in commands)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("curl $(rm -rf /) http://x/", "command substitution $(...)"),
        ("curl \"$(id)\" http://x/", "command substitution $(...)"),
        ("curl `id` http://x/", "command substitution `...`"),
        ("curl \"`id`\" http://x/", "command substitution `...`"),
        ("curl http://x/ | sh", "a pipe '|'"),
        ("curl http://x/; rm -rf /", "';'"),
        ("curl http://x/ && rm x", "'&&'"),
        ("curl http://x/ || rm x", "'||'"),
        ("curl http://x/?a=1&b=2", "a background '&'"),
        ("curl http://x/ > out", "a redirection '>'"),
        ("curl -d @- http://x/ < /etc/passwd", "a redirection '<'"),
        ("curl -d <(cat f) http://x/", "a redirection '<'"),
        ("curl (x)", "a sub-shell"),
        ("curl 'unclosed http://x/", "an unclosed ' quote (opened on line 1)"),
        ("curl \"a\nb", "an unclosed \" quote (opened on line 1)"),
        ("curl $'unclosed", "an unclosed $'...' quote"),
    ],
)
def test_what_a_shell_would_run_is_refused(text: str, problem: str) -> None:
    [command] = split_commands(text)
    assert problem in command.problem
    assert command.line == 1


@pytest.mark.parametrize(
    "text", ["curl 'a|b;c&d>e<f(g)`h`$(i)'", "curl \"a|b;c&d>e<f(g)\"", "curl a\\|b\\;c"]
)
def test_quoted_or_escaped_operators_are_plain_text(text: str) -> None:
    [command] = split_commands(text)
    assert command.problem == ""


def test_unclosed_quote_spoils_only_its_command() -> None:
    commands = split_commands("curl 'a\ncurl b\n")
    assert [c.line for c in commands] == [1, 2]
    assert "unclosed" in commands[0].problem
    assert commands[1].words == ("curl", "b") and not commands[1].problem


def test_variables_are_listed_not_expanded() -> None:
    [command] = split_commands("curl -H \"Authorization: Bearer $TOKEN\" ${BASE}/x '$NOT'")
    assert command.variables == ("$TOKEN", "${BASE}")
    assert command.words[2] == "Authorization: Bearer $TOKEN"
    assert command.words[4] == "$NOT"


words = st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
                         max_size=12), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(words)
def test_shlex_quoted_words_come_back_unchanged(items: list[str]) -> None:
    [command] = split_commands(" ".join(["curl", *map(shlex.quote, items)]))
    assert command.words == ("curl", *items)
    assert command.problem == ""


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_splits_without_error(text: str) -> None:
    for command in split_commands(text):
        assert command.line >= 1
        assert command.words or command.problem
