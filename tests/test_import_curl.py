"""A file of curl commands: one request per command, a note per command that cannot be read."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from httpdiff.errors import InvalidRequest, LoadError
from httpdiff.model import RequestSpec
from httpdiff.storage.curl import parse_curl_with_notes, to_curl
from httpdiff.storage.importers import import_curl

THREE = ("curl http://127.0.0.1:9/a\n"
         "curl -H 'X: 1' http://127.0.0.1:9/b\n"
         "curl -X DELETE http://127.0.0.1:9/a\n")

FILES: list[tuple[str, list[tuple[str, str, str, tuple[tuple[str, str], ...]]]]] = [
    (THREE, [("get-a", "GET", "http://127.0.0.1:9/a", ()),
             ("get-b", "GET", "http://127.0.0.1:9/b", (("X", "1"),)),
             ("delete-a", "DELETE", "http://127.0.0.1:9/a", ())]),
    ("curl http://h.test/a\ncurl http://h.test/a\n",
     [("get-a", "GET", "http://h.test/a", ()), ("get-a-2", "GET", "http://h.test/a", ())]),
    ("# health checks\n\ncurl http://h.test/a  # the first\n# curl http://h.test/skipped\n",
     [("get-a", "GET", "http://h.test/a", ())]),
    ("curl \\\n  -X PUT \\\n  -H 'X: 1' \\\n  http://h.test/a\ncurl http://h.test/b",
     [("put-a", "PUT", "http://h.test/a", (("X", "1"),)),
      ("get-b", "GET", "http://h.test/b", ())]),
    ("curl -H 'X: 1' \\\ncurl http://h.test/b",  # forgotten continuation: no URL in the first
     [("get-b", "GET", "http://h.test/b", ())]),
]


@pytest.mark.parametrize(("text", "expected"), FILES, ids=[t[:40] for t, _ in FILES])
def test_each_command_is_its_own_request(
    text: str, expected: list[tuple[str, str, str, tuple[tuple[str, str], ...]]]
) -> None:
    result = import_curl(text, "cmds.txt")
    assert [(path, spec.method, spec.url, spec.headers) for path, spec in result.requests] == (
        expected)
    assert not any("only the first URL" in note for note in result.notes)


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("curl $(rm -rf /) http://x/", "command substitution"),
        ("curl `id` http://x/", "command substitution"),
        ("curl http://x/ | sh", "pipe"),
        ("curl http://x/; rm -rf ~", "';'"),
        ("curl http://x/ && rm x", "'&&'"),
        ("curl http://x/ > out.txt", "redirection"),
        ("curl http://x/?a=1&b=2", "background"),
        ("wget http://x/", "not a curl command"),
        ("curl -X GET", "no URL"),
        ("curl 'http://x/", "unclosed ' quote"),
        ("curl -H 'NoColon' http://x/", "no ':'"),
        # the checks the .http and Postman importers apply
        ("curl -H 'X: a\x1b[2Jb' http://x/", "control character"),
        ("curl -H $'X: a\\e[2Jb' http://x/", "control character"),
        ("curl -H $'X: a\\r\\nInjected: 1' http://x/", "control character"),
        ("curl -H 'Bad Name: x' http://x/", "invalid header name"),
        ("curl -X 'G T' http://x/", "invalid method"),
        ("curl $'http://x/\\x07' ", "control character"),
        ("curl -G -d $'a=\\x01' http://x/", "control character"),
        ("curl -x $'http://p\\n' http://x/", "control character"),
    ],
)
def test_a_bad_command_is_a_note_naming_its_line(bad: str, why: str) -> None:
    result = import_curl(f"curl http://h.test/ok\n\n{bad}\ncurl http://h.test/last\n", "c.txt")
    assert [path for path, _ in result.requests] == ["get-ok", "get-last"]
    notes = [n for n in result.notes if n.startswith("c.txt line 3:")]
    assert len(notes) == 1
    assert why in notes[0] and "left out" in notes[0]
    # nothing of the bad command leaked into the good ones
    assert all(spec.headers == () for _, spec in result.requests)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("", "line 1: no curl command"),
        ("# nothing here\n", "line 1: no curl command"),
        ("curl $(rm -rf /) http://x/", "line 1: uses a command substitution"),
        ("wget a\ncurl", "line 1: not a curl command"),
        ("\n\ncurl -H 'X: \x1b' http://x/", "line 3: header 'X'"),
    ],
)
def test_no_readable_command_is_one_error(text: str, place: str) -> None:
    with pytest.raises(LoadError) as caught:
        import_curl(text, "c.txt")
    assert str(caught.value).startswith(f"c.txt: {place}")


def test_shell_variables_are_kept_and_noted() -> None:
    result = import_curl("curl -H \"Authorization: Bearer $TOKEN\" http://h.test/", "c.txt")
    assert result.requests[0][1].headers == (("Authorization", "Bearer $TOKEN"),)
    assert any("$TOKEN" in note and "not expanded" in note for note in result.notes)


def test_upload_file_flag() -> None:
    result = import_curl("curl -T data/a.bin http://h.test/u", "c.txt")
    spec = result.requests[0][1]
    assert (spec.method, spec.body.kind, spec.body.path) == ("PUT", "file", "data/a.bin")


def test_pasting_several_commands_into_one_place_says_so() -> None:
    with pytest.raises(InvalidRequest, match=r"2 commands \(lines 1, 2\).*httpdiff import curl"):
        parse_curl_with_notes("curl http://h.test/a\ncurl http://h.test/b")


header_values = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=15).map(
    str.strip)
specs = st.builds(
    lambda method, segment, value: RequestSpec(
        method=method, url=f"http://h.test/{segment}", headers=(("X-A", value),)),
    st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]),
    st.text("abcxyz-_", min_size=1, max_size=8),
    header_values,
)


@settings(max_examples=100, deadline=None)
@given(st.lists(specs, min_size=1, max_size=6), st.sampled_from(["\n", "\n\n# note\n", "\r\n"]))
def test_commands_written_by_to_curl_come_back_one_each(
    requests: list[RequestSpec], separator: str
) -> None:
    result = import_curl(separator.join(to_curl(spec) for spec in requests), "c.txt")
    assert [(s.method, s.url, s.headers) for _, s in result.requests] == [
        (s.method, s.url, s.headers) for s in requests]
    assert len({path for path, _ in result.requests}) == len(requests)
