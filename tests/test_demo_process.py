"""The demo server in a child process (what ``httpdiff --demo`` runs): serve, stop, orphaning."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from httpdiff.demo.process import DemoProcess


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_serves_plain_and_tls_then_stops(tmp_path: Path) -> None:
    demo = DemoProcess(tmp_path).start()
    try:
        assert demo.running
        with urllib.request.urlopen(demo.http_url + "/status/201", timeout=10) as response:
            assert response.status == 201
        context = ssl.create_default_context(cafile=str(demo.ca_path))
        with urllib.request.urlopen(demo.https_url + "/echo", context=context,
                                    timeout=10) as response:
            assert response.status == 200
        assert demo.ca_path.is_relative_to(tmp_path)
        assert demo.raw_url.startswith("http://127.0.0.1:")
        child = demo._child
        assert child is not None
    finally:
        demo.stop()
    assert not demo.running and gone_within(child.pid, 5)
    demo.stop()  # twice is fine


def test_the_child_ends_when_the_app_dies_without_stopping_it(tmp_path: Path) -> None:
    script = (
        "import json, os, sys\n"
        "from pathlib import Path\n"
        "from httpdiff.demo.process import DemoProcess\n"
        "demo = DemoProcess(Path(sys.argv[1])).start()\n"
        "print(json.dumps({'pid': demo._child.pid}), flush=True)\n"
        "os._exit(0)  # no stop(), no cleanup: as a crash or a kill would\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                          text=True, timeout=60, check=True)
    pid = json.loads(done.stdout)["pid"]
    assert gone_within(pid, 15)


def test_a_child_that_cannot_start_says_why(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(RuntimeError, match="Not a directory"):
        DemoProcess(not_a_folder).start()
