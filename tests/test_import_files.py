"""Files an imported request would send: kept inside the source folder, dropped with a note
outside it (absolute, ``..`` that climbs out, ``~``, ``{{variable}}``), in every importer."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from httpdiff.model import Body
from httpdiff.storage.importers import ImportResult, import_curl, import_http, import_postman
from httpdiff.storage.importers.common import file_reference_problem
from httpdiff.storage.importers.posting import import_posting

OUTSIDE = ["/etc/passwd", "/root/.ssh/id_rsa", "../secret", "../../x", "a/../../b",
           "./../x", "~/.ssh/id_rsa", "~root/x", "C:\\Windows\\win.ini", "c:/x",
           "\\\\server\\share\\x", "..\\..\\x", "{{dir}}/x", "data/{{name}}"]
INSIDE = ["a.txt", "./a.txt", "data/a.bin", "a/../b.txt", "data/./x/../y", "..a", "a..b"]


@pytest.mark.parametrize("path", OUTSIDE)
def test_outside_paths_have_a_problem(path: str) -> None:
    assert file_reference_problem(path)


@pytest.mark.parametrize("path", INSIDE)
def test_inside_paths_are_fine(path: str) -> None:
    assert file_reference_problem(path) == ""


def _postman_file(src: str) -> ImportResult:
    item = {"name": "up", "request": {"url": "http://h.test/", "method": "POST",
                                      "body": {"mode": "file", "file": {"src": src}}}}
    return import_postman(json.dumps({"item": [item]}), "c.json")


def _postman_form(src: str) -> ImportResult:
    item = {"name": "up", "request": {"url": "http://h.test/", "method": "POST", "body": {
        "mode": "formdata", "formdata": [{"key": "t", "value": "x"},
                                         {"key": "f", "type": "file", "src": src}]}}}
    return import_postman(json.dumps({"item": [item]}), "c.json")


def _postman_text_field(src: str) -> ImportResult:
    item = {"name": "up", "request": {"url": "http://h.test/", "method": "POST", "body": {
        "mode": "formdata", "formdata": [{"key": "t", "value": "x"},
                                         {"key": "f", "value": "@" + src}]}}}
    return import_postman(json.dumps({"item": [item]}), "c.json")


def _http(src: str) -> ImportResult:
    return import_http(f"### up\nPOST http://h.test/\nContent-Type: text/plain\n\n< {src}\n",
                       "a.http")


def _curl(flag: str) -> Callable[[str], ImportResult]:
    return lambda src: import_curl(f"curl {flag}'{src}' http://h.test/", "c.txt")


FILE_BODY = [("postman file", _postman_file), ("http <", _http),
             ("curl -d @", _curl("-d @")), ("curl --data-binary @", _curl("--data-binary @")),
             ("curl -T", _curl("-T "))]
FORM_FIELD = [("postman formdata file", _postman_form),
              ("postman formdata @text", _postman_text_field), ("curl -F", _curl("-F t=x -F f=@"))]


@pytest.mark.parametrize("path", OUTSIDE)
@pytest.mark.parametrize(("importer", "run"), FILE_BODY, ids=[n for n, _ in FILE_BODY])
def test_a_body_file_outside_is_dropped_and_noted(
    importer: str, run: Callable[[str], ImportResult], path: str
) -> None:
    result = run(path)
    [(name, spec)] = result.requests
    assert spec.body == Body()
    notes = [n for n in result.notes if repr(path) in n and "left out" in n]
    assert len(notes) == 1, result.notes
    assert f"request {name}" in notes[0] and "no body" in notes[0]


@pytest.mark.parametrize("path", OUTSIDE)
@pytest.mark.parametrize(("importer", "run"), FORM_FIELD, ids=[n for n, _ in FORM_FIELD])
def test_a_form_file_outside_leaves_the_field_empty(
    importer: str, run: Callable[[str], ImportResult], path: str
) -> None:
    result = run(path)
    [(name, spec)] = result.requests
    assert spec.body == Body(kind="multipart", fields=(("t", "x"), ("f", "")))
    notes = [n for n in result.notes if repr(path) in n and "left out" in n]
    assert len(notes) == 1, result.notes
    assert f"request {name}" in notes[0] and "'f'" in notes[0]


@pytest.mark.parametrize("path", INSIDE)
@pytest.mark.parametrize(("importer", "run"), FILE_BODY + FORM_FIELD,
                         ids=[n for n, _ in FILE_BODY + FORM_FIELD])
def test_a_file_inside_is_kept(
    importer: str, run: Callable[[str], ImportResult], path: str
) -> None:
    result = run(path)
    [(_, spec)] = result.requests
    assert spec.body.path == path or ("f", "@" + path) in spec.body.fields
    assert not any("left out" in n and repr(path) in n for n in result.notes)


def test_posting_form_values_are_never_files(tmp_path: Path) -> None:
    # Posting's form_data is url-encoded: an '@' value is text, never read as a file.
    (tmp_path / "r.posting.yaml").write_text(
        "url: http://h.test/\nmethod: POST\nbody:\n  form_data:\n"
        "    - name: f\n      value: '@/etc/passwd'\n")
    [(_, spec)] = import_posting(tmp_path).requests
    assert spec.body == Body(kind="form", fields=(("f", "@/etc/passwd"),))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "..", ".", "", "b.txt", "~", "/", "\\", "C:", "{{v}}"]),
                max_size=6).map("/".join) | st.text(max_size=20))
def test_a_kept_path_stays_inside_the_folder(path: str) -> None:
    if file_reference_problem(path):
        return
    normal = posixpath.normpath("/base/" + path.replace("\\", "/"))
    assert normal == "/base" or normal.startswith("/base/")
    assert not path.startswith(("~", "/", "\\"))
