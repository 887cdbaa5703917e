"""httpdiff's own server and bench worker keep to different CPUs (``httpdiff.affinity``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from httpdiff.demo.process import DemoProcess

CPUS = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
pytestmark = pytest.mark.skipif(len(CPUS) < 2, reason="needs two CPUs and sched_setaffinity")


def _affinity_after(call: str) -> list[int]:
    """The CPUs a fresh interpreter keeps to after ``call`` (this one is left alone)."""
    code = (f"import json, os; from httpdiff.affinity import {call}; {call}(); "
            "print(json.dumps(sorted(os.sched_getaffinity(0))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    cpus: list[int] = json.loads(done.stdout)
    return cpus


def test_server_and_client_never_share_a_cpu() -> None:
    server = _affinity_after("keep_server_apart")
    client = _affinity_after("keep_client_apart")
    assert server == CPUS[-1:]
    assert client == CPUS[:-1]


def test_the_demo_child_keeps_to_the_last_cpu() -> None:
    with DemoProcess() as demo:
        child = demo._child
        assert child is not None
        assert sorted(os.sched_getaffinity(child.pid)) == CPUS[-1:]
