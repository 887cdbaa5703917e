"""``httpdiff bench`` as a user runs it: exit codes, JSON shape, text report, progress, Ctrl-C."""

from __future__ import annotations

import asyncio
import io
import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from typing import Any

import pytest

from httpdiff.backends import speed_notes
from httpdiff.cli import main
from httpdiff.commands.bench import Interrupts, ProgressBar, sparkline


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def url(demo: Any, path: str) -> str:
    return demo.http_url.rstrip("/") + path


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["bench"], "required"),
        (["bench", "ftp://127.0.0.1/"], "unsupported URL scheme 'ftp'"),
        (["bench", "http://127.0.0.1:1/", "-n", "0"], "at least 1"),
        (["bench", "http://127.0.0.1:1/", "--warmup", "-1"], "at least 0"),
        (["bench", "http://127.0.0.1:1/", "--concurrency", "0"], "at least 1"),
        (["bench", "http://127.0.0.1:1/", "-n", "many"], "invalid int"),
        (["bench", "http://127.0.0.1:1/", "--backend", "curl"], "unknown backend 'curl'"),
        (["bench", "http://127.0.0.1:1/", "--backend", "httpx"], "at least two"),
        (["bench", "http://127.0.0.1:1/", "--format", "xml"], "invalid choice"),
        (["bench", "http://127.0.0.1:1/", "--max-body", "0"], "--max-body"),
        (["bench", "http://127.0.0.1:1/", "-H", "NoColon"], "no ':'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(argv, capsys)
    assert status == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and out == ""


def test_json_document(demo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        ["bench", url(demo, "/echo"), "-n", "4", "--warmup", "0", "--format", "json",
         "-H", "X-Bench: 1"], capsys,
    )
    assert status == 0, err
    assert err == ""  # no progress bar when stderr is not a terminal
    doc = json.loads(out)
    assert doc["request"]["url"].endswith("/echo")
    assert doc["settings"] == {
        "backends": ["httpx", "aiohttp"], "runs": 4, "warmup": 0, "concurrency": 1,
        "mode": "warm", "max_body_bytes": 10 * 1024 * 1024, "fresh_connection": False,
        "phases": True,
    }
    assert {"httpx", "aiohttp"} <= set(doc["environment"]["libraries"])
    assert doc["environment"]["python"].count(".") == 2
    assert doc["environment"]["notes"] == list(speed_notes())
    assert doc["cancelled"] is False
    for name in ("httpx", "aiohttp"):
        backend = doc["backends"][name]
        assert (backend["samples"], backend["failures"]) == (4, 0)
        assert backend["reused_connections"] == 3
        assert backend["phases"]["total"]["count"] == 4
    assert doc["backends"]["httpx"]["phases"]["dns"] is None  # not observable in httpx
    (versus,) = doc["comparisons"]
    assert (versus["first"], versus["second"]) == ("httpx", "aiohttp")
    assert sum(versus["faster_runs"].values()) == 4
    total = versus["ratios"]["total"]
    assert total["ci_low"] <= total["ratio"] <= total["ci_high"]
    assert versus["verdict"]
    assert [(s["run"], s["backend"]) for s in doc["samples"][:4]] == [
        (0, "httpx"), (0, "aiohttp"), (1, "aiohttp"), (1, "httpx")
    ]


def test_text_report(demo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["bench", url(demo, "/echo"), "-n", "5", "--cold"], capsys)
    assert status == 0
    assert "cold: a new connection per request" in out
    assert "httpx: 5 samples, 0 failed, 0 on a reused connection" in out
    assert "aiohttp: 5 samples, 0 failed" in out
    assert "not observable" in out
    assert "verdict: " in out
    assert "httpx / aiohttp: ratio of medians" in out
    assert out.count("  total     |") == 2  # one histogram per backend
    phase_rows = [" ".join(cells) for _, cells in _sections([x.split() for x in out.splitlines()])]
    assert not any("reused connection" in row for row in phase_rows)  # cold: all connected


def test_warm_report_says_connection_phases_were_reused(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["bench", url(demo, "/echo"), "-n", "3", "--warmup", "1"], capsys)
    assert status == 0
    lines = [line.split() for line in out.splitlines()]
    rows = {(name, cells[0]): " ".join(cells[1:]) for name, cells in _sections(lines)}
    assert rows[("httpx", "connect")] == "reused connection"
    assert rows[("httpx", "dns")] == "not observable"  # never, whatever the connection
    assert rows[("aiohttp", "tls")] == "not observable"
    assert rows[("aiohttp", "dns")] == "reused connection"


def _sections(lines: list[list[str]]) -> list[tuple[str, list[str]]]:
    """(backend, cells of a phase row) for every row under a "name: N samples" header."""
    found, name = [], ""
    for cells in lines:
        if len(cells) > 1 and cells[0].endswith(":") and cells[1].isdigit():
            name = cells[0].rstrip(":")
        elif name and cells and cells[0] in ("dns", "connect", "tls", "send", "wait"):
            found.append((name, cells))
    return found


def test_no_phases_times_download_and_total_only(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["bench", url(demo, "/echo"), "-n", "4", "--warmup", "1",
                            "--no-phases", "--format", "json"], capsys)
    assert status == 0, err
    doc = json.loads(out)
    assert doc["settings"]["phases"] is False
    for name in ("httpx", "aiohttp"):
        phases = doc["backends"][name]["phases"]
        assert {p for p, stats in phases.items() if stats is not None} == {"download", "total"}
        # Reuse is still known without tracing: the warm-up opened the connection.
        assert doc["backends"][name]["reused_connections"] == 4
    status, out, _ = run(["bench", url(demo, "/echo"), "-n", "2", "--no-phases"], capsys)
    assert status == 0
    assert "phases off (--no-phases)" in out
    assert "not timed (phases off)" in out and "not observable" not in out


def test_failures_are_reported_safely(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["bench", "http://127.0.0.1:9/", "-n", "2", "--warmup", "0"], capsys)
    assert status == 0
    assert "2 failed" in out and "failures: connect x2" in out
    # one line per backend says why there are no timings, not a table of blanks
    assert out.count("  no timings: all 2 failed: connect") == 2
    assert "phase (ms)" not in out and "no successful sample" not in out
    assert ("verdict: not enough data to compare (httpx: all 2 failed: connect; "
            "aiohttp: all 2 failed: connect)") in out


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_only_on_a_terminal() -> None:
    from httpdiff.bench import BenchConfig, BenchProgress, BenchResult
    from httpdiff.model import RequestSpec

    result = BenchResult(RequestSpec(url="http://x/"), BenchConfig(("a", "b"), 4, 0, 1, False))
    terminal, pipe = FakeTerminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar(stream)
        bar(BenchProgress(result, None, 2, 8))
        bar(BenchProgress(result, None, 8, 8))
        bar.clear()
    drawn = terminal.getvalue()
    assert drawn.startswith("\rmeasuring [" + "#" * 7 + "." * 23 + "] 2/8")
    assert "] 8/8" in drawn and drawn.endswith("\r")
    assert pipe.getvalue() == ""


@pytest.mark.parametrize(("counts", "expected"), [
    ([0, 0], "  "), ([1, 0, 8], "▁ █"), ([4, 8], "▄█"), ([], ""),
])
def test_sparkline(counts: list[int], expected: str) -> None:
    assert sparkline(counts) == expected


def _interrupted(argv: list[str], total: int, gaps: list[float]) -> tuple[int, str, str]:
    """Run bench, wait until 3 samples are measured, then SIGINT, sleep, SIGINT... per gap."""
    # stderr on a pty: the progress bar shows, and tells us when measuring has begun
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "httpdiff", "bench", *argv],
        stdout=subprocess.PIPE, stderr=terminal, stdin=subprocess.DEVNULL, text=True,
    )
    os.close(terminal)
    seen = b""
    deadline = time.monotonic() + 30
    try:
        while b"measuring [" not in seen or f"] 3/{total}".encode() not in seen:
            assert time.monotonic() < deadline, seen
            ready, _, _ = select.select([controller], [], [], 0.5)
            if ready:
                seen += os.read(controller, 4096)
        process.send_signal(signal.SIGINT)
        for gap in gaps:
            time.sleep(gap)
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
        os.close(controller)
    return process.returncode, out, seen.decode(errors="replace")


def test_ctrl_c_prints_what_was_measured(demo: Any) -> None:
    status, out, _ = _interrupted([url(demo, "/delay/0.1"), "-n", "50", "--warmup", "0"],
                                  100, [])
    assert status == 130
    assert "INTERRUPTED:" in out and "of 100 samples measured" in out
    assert "verdict:" in out


@pytest.mark.parametrize("gaps", [[0.02], [0.0, 0.005], [0.02, 0.05, 0.1]])
def test_more_interrupts_while_winding_down_keep_the_report(
    demo: Any, gaps: list[float]
) -> None:
    # A wrapper (timeout, a shell) often sends a second SIGINT milliseconds after the first;
    # asyncio.run would raise KeyboardInterrupt then and lose every measurement.
    status, out, _ = _interrupted(
        [url(demo, "/delay/0.05"), "-n", "1000", "--warmup", "0", "--format", "json"], 2000, gaps
    )
    # 130, or killed by a late SIGINT after the report, while Python shuts down (which a shell
    # shows as 130 too)
    assert status in (130, -signal.SIGINT), out
    doc = json.loads(out)  # exactly one document: printed once
    assert doc["cancelled"] is True
    assert 3 <= len(doc["samples"]) < 2000
def test_interrupts_restore_the_handler_and_skip_work_already_interrupted() -> None:
    before = signal.getsignal(signal.SIGINT)
    ran: list[bool] = []

    async def work() -> int:
        ran.append(True)
        return 1

    with Interrupts() as interrupts:
        assert signal.getsignal(signal.SIGINT) is not before
        assert asyncio.run(interrupts.guard(work())) == 1
        interrupts.count = 1  # as if Ctrl-C came before the loop started
        assert asyncio.run(interrupts.guard(work())) is None
    assert ran == [True]
    assert signal.getsignal(signal.SIGINT) is before


def test_bench_leaves_textual_and_rich_out() -> None:
    code = (
        "import sys\n"
        "import httpdiff.bench, httpdiff.stats, httpdiff.commands.bench\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_connect_ratio_over_different_spans_says_so(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # httpx times TCP and TLS apart; aiohttp's connect includes the handshake.
    target = demo.https_url.rstrip("/") + "/json"
    status, out, _ = run(["bench", target, "--cacert", str(demo.ca_path), "--cold", "-n", "3",
                          "--warmup", "0"], capsys)
    assert status == 0
    connect = next(line for line in out.splitlines() if line.strip().startswith("connect ")
                   and "pairs" in line)
    assert "aiohttp's connect includes TLS" in connect
