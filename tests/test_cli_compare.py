"""``httpdiff compare`` as a user runs it: exit codes, one-line errors, both output formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from httpdiff.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", "http://exa mple.test/"], "space or control"),
        (["compare", "ftp://example.test/"], "unsupported URL scheme 'ftp'"),
        (["compare", "http://[::1/"], "malformed URL"),
        (["compare", "http://127.0.0.1:1/", "-H", "X-A: a\rb"], "CR, LF or NUL"),
        (["compare", "http://127.0.0.1:1/", "-H", "X-A: a\nb"], "CR, LF or NUL"),
        (["compare", "http://127.0.0.1:1/", "-H", "X-A: a\x00b"], "CR, LF or NUL"),
        (["compare", "http://127.0.0.1:1/", "-H", "X-A: café"], "non-ASCII"),
        (["compare", "http://127.0.0.1:1/", "-H", "NoColon"], "no ':'"),
        (["compare", "http://127.0.0.1:1/", "--cacert", "/nonexistent/ca.pem"], "CA bundle"),
        (["compare", "http://127.0.0.1:1/", "--json", "{not json"], "invalid JSON"),
        (["compare", "http://127.0.0.1:1/", "--json", "NaN"], "NaN is not a JSON value"),
        (["compare", "http://127.0.0.1:1/", "--json", "[1e999]"], "1e999 is out of range"),
        (["compare", "http://127.0.0.1:1/", "-m", "inf"], "finite number of seconds"),
        (["compare", "http://127.0.0.1:1/", "-m", "nan"], "finite number of seconds"),
        (["compare", "http://127.0.0.1:1/", "--cacert", "/dev/null"], "not a file"),
        (["compare", "http://127.0.0.1:1/", "--backend", "curl"], "unknown backend 'curl'"),
        (["compare", "http://127.0.0.1:1/", "--format", "xml"], "invalid choice"),
        (["compare", "http://127.0.0.1:1/", "--max-redirs", "many"], "invalid int"),
        (["compare"], "required"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        status, out, err = run(argv, capsys)
    except SystemExit as exc:  # argparse's own usage errors
        status = int(exc.code or 0)
        out, err = capsys.readouterr()
    assert status == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["-d", "\udcff\udcfe"], "the body has bytes that are not valid UTF-8: '\\xff\\xfe'"),
        (["-F", "a=\udcff"], "form field 'a' has bytes"),
        (["-u", "\udcff:\udcfe"], "the basic-auth user name has bytes"),
        (["-u", "u:\udcfe"], "the basic-auth password has bytes that are not valid UTF-8"),
        (["-x", "http://\udcff/"], "the proxy URL has bytes"),
        (["--json", '"\udcff"'], "the body has bytes"),
    ],
)
def test_undecodable_argument_bytes_are_refused(
    demo: Any, flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Python gives undecodable argv bytes as surrogate escapes; both clients would crash on them.
    status, out, err = run(["compare", f"{demo.http_url}/echo", *flags], capsys)
    assert (status, out) == (2, "")
    assert err.startswith("httpdiff: error: ") and message in err
    assert len(err.strip().splitlines()) == 1 and err.isascii(), err


def test_undecodable_url_bytes_are_refused_and_never_echoed_raw(demo: Any) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "httpdiff", "compare", f"{demo.http_url}/echo".encode() + b"\xff"],
        capture_output=True, timeout=60,
    )
    assert out.returncode == 2 and out.stdout == b""
    assert b"\xff" not in out.stderr
    assert out.stderr.decode().startswith("httpdiff: error: the URL has bytes that are not valid "
                                          "UTF-8: 'http://127.0.0.1:")
    assert out.stderr.decode().rstrip().endswith("/echo\\xff'")


@pytest.mark.parametrize("content", ["root:x:0:0:root:/root:/bin/bash\n", "",
                                     "-----BEGIN CERTIFICATE-----\nnot base64\n"
                                     "-----END CERTIFICATE-----\n"])
def test_a_cacert_without_a_certificate_is_refused_up_front(
    demo: Any, tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text(content)
    status, out, err = run(["compare", f"{demo.https_url}/echo", "--cacert", str(ca)], capsys)
    assert (status, out) == (2, "")
    assert err.startswith(f"httpdiff: error: the CA bundle '{ca}' is not a PEM CA bundle (")
    assert len(err.strip().splitlines()) == 1, err


def test_json_body_from_a_file_is_sent_as_is_by_both(
    demo: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "ok.json"
    body.write_text('{"a": [1, 2]}\n')
    status, out, err = run(["compare", f"{demo.http_url}/echo", "--json", f"@{body}",
                            "--format", "har"], capsys)
    assert status in (0, 1) and err == ""
    entries = json.loads(out)["log"]["entries"]
    assert len(entries) == 2
    for entry in entries:
        echo = json.loads(entry["response"]["content"]["text"])
        assert echo["method"] == "POST" and echo["body"] == '{"a": [1, 2]}\n'
        sent = {name.lower(): value for name, value in echo["headers"]}
        assert sent["content-type"] == "application/json"
        assert sent["accept"] == "application/json"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--json", "@-"], "--json @- (the body from standard input) is not supported"),
        (["-d", "@-"], "-d @- (the body from standard input) is not supported"),
        (["--json", "@/nonexistent/b.json"], "body file '/nonexistent/b.json' does not exist"),
        (["--json", "@b.json", "--json", "{}"], "cannot be combined with other --json data"),
        (["-d", "@b.txt", "-d", "x=1"], "cannot be combined with other -d data"),
        (["-F", "a=1", "-d", "x=1"], "-F/--form and -d/--data cannot be combined"),
        (["-F", "a=1", "--data-urlencode", "x=1"], "-F/--form and -d/--data cannot be combined"),
        (["--json", '{"a":1}', "-d", "x=1"], "--json and -d/--data cannot be combined"),
        (["--json", "{}", "-F", "a=1"], "--json and -F/--form cannot be combined"),
    ],
)
def test_bodies_that_cannot_be_sent_as_given_are_refused(
    demo: Any, flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["compare", f"{demo.http_url}/echo", *flags], capsys)
    assert (status, out) == (2, "")
    assert err.startswith("httpdiff: error: ") and message in err, err
    assert len(err.strip().splitlines()) == 1, err


def test_unreadable_cacert_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    ca.chmod(0)
    status, _, err = run(["compare", "https://127.0.0.1:1/", "--cacert", str(ca)], capsys)
    if status != 2:  # root can read a file with mode 0; then the bad content must fail the send
        assert status in (0, 1)
    else:
        assert "CA bundle" in err


def test_no_traceback_from_the_real_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "httpdiff", "compare", "gopher://example.test/"],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "httpdiff: error: unsupported URL scheme 'gopher' (use http or https)"
    )


def _json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    status, out, _ = run([*argv, "--format", "json"], capsys)
    return status, json.loads(out)


def test_http2_over_tls_reports_the_version_difference(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    status, doc = _json(
        ["compare", f"{demo.https_url}/echo", "--http2", "--cacert", str(demo.ca_path)], capsys
    )
    assert status == 1
    assert doc["results"]["httpx"]["http_version"] == "HTTP/2"
    assert doc["results"]["aiohttp"]["http_version"] == "HTTP/1.1"
    version = [f for f in doc["findings"] if f["category"] == "version"]
    assert version and version[0]["verdict"] == "difference"
    assert doc["equivalent"] is False
    for name in ("httpx", "aiohttp"):
        result = doc["results"][name]
        assert set(result) >= {"status", "http_version", "headers", "body_size", "body_sha256",
                               "timings", "connection", "redirects", "error"}
        assert result["connection"]["tls_version"].startswith("TLS")


def test_echo_shows_each_librarys_default_headers(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    status, doc = _json(["compare", f"{demo.http_url}/echo"], capsys)
    assert status == 1
    sent = {f["subject"].lower(): f for f in doc["findings"] if f["category"] == "request-header"}
    assert "user-agent" in sent
    ua = sent["user-agent"]["values"]
    assert "httpx" in str(ua["httpx"]) and "aiohttp" in str(ua["aiohttp"]).lower()
    assert sent["user-agent"]["verdict"] == "difference"


def test_text_output_puts_differences_first(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["compare", f"{demo.http_url}/echo"], capsys)
    assert status == 1
    assert out.index("Differences") < out.index("Results")
    assert "user-agent" in out.lower()


def test_ignore_header_and_one_backend(demo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    status, doc = _json(["compare", f"{demo.http_url}/status/204", "--backend", "httpx"], capsys)
    assert status == 0 and list(doc["results"]) == ["httpx"]
    assert doc["results"]["httpx"]["status"] == 204


def test_ignore_header_covers_the_header_as_sent_too(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    status, doc = _json(["compare", f"{demo.http_url}/status/200"], capsys)
    assert status == 1  # the clients' own User-Agent
    status, doc = _json(["compare", f"{demo.http_url}/status/200",
                         "--ignore-header", "User-Agent"], capsys)
    assert status == 0
    noise = {(f["category"], f["subject"]) for f in doc["findings"] if f["verdict"] == "noise"}
    assert ("request-header", "user-agent") in noise


def test_one_side_failing_still_prints_both(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    status, doc = _json(["compare", f"{demo.raw_url}/length-and-chunked", "-m", "5"], capsys)
    assert status == 1
    assert doc["results"]["httpx"]["status"] == 200
    assert doc["results"]["aiohttp"]["error"]["kind"] == "protocol"
    errors = [f for f in doc["findings"] if f["category"] == "error"]
    assert errors and errors[0]["verdict"] == "difference"


@pytest.mark.parametrize(
    ("path", "kinds"),
    [
        ("/never", {"timeout"}),
        ("/wrong-length", {"protocol"}),
        ("/truncated-chunked", {"protocol"}),
        ("/bad-gzip", {"decoding"}),
    ],
)
def test_lying_servers_give_failures_and_the_comparison_still_prints(
    demo: Any, path: str, kinds: set[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        ["compare", f"{demo.raw_url}{path}", "-m", "1.5", "--max-body", "1048576"], capsys
    )
    assert status in (0, 1) and "Traceback" not in err
    assert "Results" in out and out.count("FAILED") == 2
    status, doc = _json(
        ["compare", f"{demo.raw_url}{path}", "-m", "1.5", "--max-body", "1048576"], capsys
    )
    for result in doc["results"].values():
        assert result["error"] is not None, result
        assert result["error"]["kind"] in kinds


def test_an_endless_body_stops_at_the_cap_on_both_sides(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _, doc = _json(
        ["compare", f"{demo.raw_url}/endless", "-m", "20", "--max-body", "1048576"], capsys
    )
    for result in doc["results"].values():
        assert result["error"] is None
        assert result["body_truncated"] is True and result["body_size"] == 1048576


def test_both_unreachable_are_connect_failures(capsys: pytest.CaptureFixture[str]) -> None:
    status, doc = _json(["compare", "http://127.0.0.1:9/", "-m", "5"], capsys)
    assert status == 0  # the same failure on both sides is not a difference
    for result in doc["results"].values():
        assert result["error"]["kind"] == "connect"


def test_a_reader_that_leaves_early_gets_no_traceback(demo: Any) -> None:
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written: every write fails
    try:
        out = subprocess.run(
            [sys.executable, "-m", "httpdiff", "compare", f"{demo.http_url}/echo"],
            stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr, out.stderr
    assert out.returncode == 141


def test_har_output_escapes_what_a_terminal_would_act_on(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # A C1 CSI and a bidi override in the query: HAR lists query values decoded.
    status, out, _ = run(["compare", f"{demo.http_url}/echo?q=%C2%9B31m%E2%80%AE",
                          "--format", "har"], capsys)
    assert status == 1
    assert "\x9b" not in out and "\u202e" not in out and out.isascii()
    entry = json.loads(out)["log"]["entries"][0]
    assert entry["request"]["queryString"] == [{"name": "q", "value": "\x9b31m\u202e"}]


def test_har_output_has_one_entry_per_backend(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["compare", f"{demo.http_url}/echo", "--format", "har"], capsys)
    har = json.loads(out)
    assert status == 1 and har["log"]["version"] == "1.2"
    assert len(har["log"]["entries"]) == 2


@pytest.mark.parametrize("typo", ["comapre", "bnech", "improt"])
def test_a_misspelt_command_is_named_not_made_into_a_folder(
    typo: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([typo, "http://127.0.0.1:9/"]) == 2
    err = capsys.readouterr().err
    assert f"no folder {typo!r}" in err and "did you mean 'httpdiff " in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / typo).exists()
