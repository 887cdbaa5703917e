"""``httpdiff run`` end to end against the demo server: formats, exit codes, env, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from httpdiff.cli import main
from httpdiff.commands.run import select
from httpdiff.demo import DemoServer
from httpdiff.errors import UnknownName
from httpdiff.storage.collection import load_collection
from httpdiff.storage.history import History

SECRET = "tok-8c1f5e0d-not-for-logs"


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def collection(tmp_path: Path, demo: DemoServer) -> Path:
    root = tmp_path / "api"
    _write(root, "environments/local.yaml", f"base: {demo.http_url}\ncode: 404\n")
    _write(root, "environments/other.yaml", f"base: {demo.http_url}\ncode: 503\n")
    _write(root, ".env", f"TOKEN={SECRET}\n")
    # The clients' own User-Agent always differs and loopback timings jitter: both are noise
    # here, so a request that behaves the same is reported equivalent.
    _write(root, "noise.yaml", "timing_threshold_ms: 100000\nrules:\n"
                               "- kind: request-header\n  pattern: user-agent\n")
    _write(root, "basics/json.yaml", "url: '{{base}}/json'\n")
    _write(root, "basics/status.yaml", "url: '{{base}}/status/{{code}}'\n")
    # /echo reflects the request headers in the clients' own order: a real difference
    _write(root, "echo.yaml", "url: '{{base}}/echo'\nheaders:\n"
                              "- name: X-Token\n  value: '{{TOKEN}}'\n")
    return root


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["run", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_equivalent_requests_exit_0_with_json_lines(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run([str(collection), "basics", "--env", "local", "--format", "json",
                            "--no-history"], capsys)
    docs = _lines(out)
    assert [d["name"] for d in docs] == ["basics/json", "basics/status"], err
    assert status == 0, out
    assert all(d["equivalent"] is True for d in docs)
    assert {name: r["status"] for name, r in docs[1]["results"].items()} == {
        "httpx": 404, "aiohttp": 404,
    }
    assert set(docs[0]) >= {"name", "request", "results", "findings", "equivalent"}
    assert "2 equivalent, 0 different, 0 failed to load, 0 not sent" in err


def test_json_lines_escape_what_a_terminal_would_act_on(
    tmp_path: Path, demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "api"
    _write(root, "evil.yaml", f"url: '{demo.http_url}/json'\n"
                              "params:\n- name: q\n  value: \"\\x9b31m\\u202e\"\n")
    _, out, err = run([str(root), "--format", "json", "--no-history"], capsys)
    assert out.strip() and out.isascii(), err
    (doc,) = _lines(out)
    assert doc["request"]["params"] == [["q", "\x9b31m\u202e"]]


def test_environment_switch_changes_the_request(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run([str(collection), "basics/status", "--env", "other", "--format", "json",
                          "--no-history"], capsys)
    (doc,) = _lines(out)
    assert status == 0
    assert doc["request"]["url"].endswith("/status/503")
    assert doc["results"]["httpx"]["status"] == 503


def test_a_difference_exits_1_and_secrets_stay_masked(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run([str(collection), "--env", "local"], capsys)
    assert status == 1
    assert "=== echo" in out and "DIFFERENCE" in out
    assert out.rstrip().splitlines()[-1] == (
        "2 equivalent, 1 different, 0 failed to load, 0 not sent"
    )
    assert SECRET not in out and SECRET not in err
    assert "•••" in out
    # every comparison is in the history, without the secret
    history = History()
    assert {e.name for e in history.entries()} >= {"echo", "json", "status"}
    assert SECRET.encode() not in history.path.read_bytes()
    echo = next(e for e in history.entries() if e.name == "echo")
    assert history.reopen(echo.id).headers == (("X-Token", "{{TOKEN}}"),)


def test_missing_variable_exits_2_naming_it(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(collection, "basics/needs.yaml", "url: '{{base}}/json'\nheaders:\n"
                                            "- name: X-Key\n  value: '{{api_key}}'\n")
    status, out, err = run([str(collection), "basics", "--env", "local", "--format", "json",
                            "--no-history"], capsys)
    assert status == 2
    assert "basics/needs: undefined variable {{api_key}} in header X-Key" in err
    docs = {d["name"]: d for d in _lines(out)}
    assert docs["basics/needs"]["equivalent"] is None
    assert docs["basics/needs"]["error"]["kind"] == "not sent"
    assert docs["basics/json"]["equivalent"] is True  # the others still ran


@pytest.mark.parametrize(
    ("env_files", "argv", "hint"),
    [
        (["local", "other"], [], "(no --env given; this collection has environments local, "
                                 "other: try --env local)"),
        (["default"], [], "(no --env given; this collection has environment default: "
                          "try --env default)"),
        ([], [], ""),
        (["local"], ["--env", "local"], ""),
    ],
)
def test_undefined_variable_hints_at_env_when_none_was_chosen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], env_files: list[str], argv: list[str],
    hint: str
) -> None:
    root = tmp_path / "c"
    _write(root, "needs.yaml", "url: '{{nowhere}}/x'\n")
    for name in env_files:
        _write(root, f"environments/{name}.yaml", "base: http://127.0.0.1:9\n")
    status, _, err = run([str(root), "--no-history", *argv], capsys)
    assert status == 2
    line = next(ln for ln in err.splitlines() if "undefined variable {{nowhere}}" in ln)
    assert line.endswith("in URL" + (f" {hint}" if hint else "")), line


def test_broken_file_exits_2_naming_the_file(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(collection, "basics/broken.yaml", "url: [unclosed\n")
    before = (collection / "basics/broken.yaml").read_bytes()
    status, out, err = run([str(collection), "--env", "local", "--no-history"], capsys)
    assert status == 2
    assert f"{collection / 'basics' / 'broken.yaml'}: invalid YAML" in err
    assert "1 failed to load" in out
    assert (collection / "basics/broken.yaml").read_bytes() == before


def test_junit_report(collection: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(collection, "zz/broken.yaml", "headers: 3\n")
    status, out, err = run([str(collection), "--env", "local", "--format", "junit",
                            "--no-history"], capsys)
    assert status == 2
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "1")
    cases = {(c.get("classname"), c.get("name")): c for c in suite.iter("testcase")}
    assert set(cases) == {("api", "echo"), ("basics", "json"), ("basics", "status"),
                          ("zz", "broken")}
    failure = cases[("api", "echo")].find("failure")
    assert failure is not None and failure.get("type") == "different"
    error = cases[("zz", "broken")].find("error")
    assert error is not None and "field headers" in (error.get("message") or "")
    assert cases[("basics", "json")].find("failure") is None
    assert SECRET not in out
    assert "failed to load" in err


@pytest.mark.parametrize(("extra", "message"), [
    (["nope"], "no request or group matches 'nope'"),
    (["--env", "prod"], "unknown environment 'prod' (known: local, other)"),
    (["--backend", "curl"], "unknown backend 'curl'"),
])
def test_bad_run_input_is_one_line_and_sends_nothing(
    collection: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    status, out, err = run([str(collection), "--no-history", *extra], capsys)
    assert status == 2 and out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_missing_folder_and_bad_support_files(
    tmp_path: Path, collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run([str(tmp_path / "missing")], capsys)
    assert status == 2 and "is not a folder" in err
    _write(collection, ".env", "this is not a dotenv line\n")
    status, _, err = run([str(collection), "--env", "local"], capsys)
    assert status == 2 and ".env: line 1: expected KEY=VALUE" in err
    _write(collection, ".env", "")
    _write(collection, "noise.yaml", "rules: 5\n")
    status, _, err = run([str(collection), "--env", "local"], capsys)
    assert status == 2 and "noise.yaml: field rules: must be a list" in err


def test_select_by_id_group_and_glob(collection: Path) -> None:
    loaded = load_collection(collection)
    names = lambda *p: [e.relative for e in select(loaded, p)]  # noqa: E731
    assert names() == ["echo", "basics/json", "basics/status"]
    assert names("basics/json.yaml") == ["basics/json"]
    assert names("basics/") == ["basics/json", "basics/status"]
    assert names("*/s*", "echo") == ["echo", "basics/status"]
    with pytest.raises(UnknownName):
        select(loaded, ["basic"])
