"""The demo server's raw liar listener, its CA's reuse and repair, and ``serve``'s clean Ctrl-C."""

from __future__ import annotations

import gzip
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from demo_support import address, ca_context, raw_exchange
from httpdiff.demo import DemoServer, liar

# --- the liar ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(liar.CANNED))
def test_liar_canned_bytes(demo: DemoServer, path: str) -> None:
    request = b"GET %s HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n" % path.encode()
    assert raw_exchange(demo.raw_url, request) == liar.CANNED[path]


def test_liar_lies_as_documented() -> None:
    def body(path: str) -> bytes:
        return liar.CANNED[path].split(b"\r\n\r\n", 1)[1]

    assert b"Content-Length: 100" in liar.CANNED["/wrong-length"]
    assert len(body("/wrong-length")) == 10
    assert b"Content-Length: 27" in liar.CANNED["/bad-gzip"] and len(body("/bad-gzip")) == 27
    with pytest.raises(OSError):
        gzip.decompress(body("/bad-gzip"))
    assert not body("/truncated-chunked").endswith(b"0\r\n\r\n")
    assert not liar.CANNED["/bad-status"].startswith(b"HTTP/1.1 200")


def test_liar_endless_and_never(demo: DemoServer) -> None:
    data = raw_exchange(demo.raw_url, b"GET /endless HTTP/1.1\r\nHost: x\r\n\r\n", limit=1 << 21)
    assert data.startswith(liar.ENDLESS_HEAD) and len(data) >= 1 << 21
    with socket.create_connection(address(demo.raw_url), timeout=0.5) as sock:
        sock.sendall(b"GET /never HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(TimeoutError):
            sock.recv(1)


def test_liar_unknown_path_and_index(demo: DemoServer) -> None:
    assert raw_exchange(demo.raw_url, b"GET /x HTTP/1.1\r\n\r\n") == liar.NOT_FOUND
    assert b"/wrong-length\t" in raw_exchange(demo.raw_url, b"GET / HTTP/1.1\r\n\r\n")


# --- certificates and lifecycle -------------------------------------------------------------


def test_ca_is_reused_across_instances(tmp_path: Path) -> None:
    with DemoServer(data_dir=tmp_path) as first:
        ca = first.ca_path.read_bytes()
    second = DemoServer(data_dir=tmp_path)
    assert second.ca_path == tmp_path / "demo-ca" / "ca.pem" and second.ca_path.read_bytes() == ca
    with second:
        answer = urllib.request.urlopen(
            second.https_url + "/get", context=ca_context(second), timeout=10)
        answer.close()


def test_corrupt_files_are_regenerated(tmp_path: Path) -> None:
    folder = tmp_path / "demo-ca"
    ca = DemoServer(data_dir=tmp_path).ca_path.read_bytes()
    (folder / "server.pem").write_text("garbage")
    assert DemoServer(data_dir=tmp_path).ca_path.read_bytes() == ca  # leaf re-issued, CA kept
    (folder / "ca.pem").write_bytes(b"\x00not a pem")
    assert DemoServer(data_dir=tmp_path).ca_path.read_bytes() not in (ca, b"\x00not a pem")
    assert (folder / "server-key.pem").stat().st_mode & 0o077 == 0


def test_default_data_dir_comes_from_the_environment() -> None:
    assert DemoServer().ca_path == Path(os.environ["HTTPDIFF_DATA_DIR"]) / "demo-ca" / "ca.pem"


def test_start_failures_and_stop(tmp_path: Path, demo: DemoServer) -> None:
    with pytest.raises(RuntimeError, match="not started"):
        _ = DemoServer(data_dir=tmp_path).http_url
    with pytest.raises(RuntimeError, match="cannot start"):
        DemoServer(data_dir=tmp_path, http_port=address(demo.http_url)[1]).start()
    server = DemoServer(data_dir=tmp_path).start()
    with pytest.raises(RuntimeError, match="already started"):
        server.start()
    hanging = [socket.create_connection(address(url), timeout=5)
               for url in (server.http_url, server.raw_url, server.raw_url)]
    for sock, request in zip(hanging, (b"GET /delay/30", b"GET /never", b"GET /endless"),
                             strict=True):
        sock.sendall(request + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.2)  # let the server take them in
    started = time.monotonic()
    server.stop()  # in-flight requests must not hold it up
    assert time.monotonic() - started < 3 and not server.running
    for sock in hanging:
        sock.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(address(server.http_url), timeout=2)
    server.stop()  # idempotent


def test_serve_prints_urls_and_exits_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    code = ("from pathlib import Path; from httpdiff.demo import serve; "
            f"serve(data_dir=Path({str(tmp_path)!r}))")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(4)]
        urls = [line.split()[-1] for line in lines]
        assert urls[0].startswith("http://127.0.0.1:") and urls[1].startswith("https://")
        assert urls[3] == str(tmp_path / "demo-ca" / "ca.pem")
        with urllib.request.urlopen(urls[0] + "/get", timeout=10) as answer:
            assert answer.status == 200
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 0 and "Traceback" not in err


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_serve_refuses_a_port_out_of_range(port: str) -> None:
    out = subprocess.run([sys.executable, "-m", "httpdiff", "serve", "--port", port],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("httpdiff serve: error: argument --port: invalid port")
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_serve_on_a_busy_port_says_so_once(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = str(taken.getsockname()[1])
        out = subprocess.run([sys.executable, "-m", "httpdiff", "serve", "--tls-port", port],
                             capture_output=True, text=True, timeout=60,
                             env={**os.environ, "HTTPDIFF_DATA_DIR": str(tmp_path)})
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.startswith("httpdiff: error: cannot start the demo server: [Errno")
    assert out.stderr.count("cannot start") == 1
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_a_port_out_of_range_fails_start_with_a_runtime_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"cannot start the demo server: .*0-65535"):
        DemoServer(data_dir=tmp_path, http_port=70000).start()
