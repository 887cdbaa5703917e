"""Startup: how long from launching ``httpdiff`` until its first frame is on the screen.

Run by hand: ``uv run python benchmarks/startup.py [--runs N]``. Each program is
started on a pseudo-terminal (as a user's terminal would host it) and timed from
``exec`` until its first full frame has been written: every row of the screen
has been painted (Textual positions the cursor at the start of each row it
draws). That is the moment a person sees the app, after imports, compose, mount
and the first render. The same method times:

- ``httpdiff``: the app (no arguments), config and data dirs in a temporary folder;
- a minimal Textual app (one ``Static``): the framework's own floor;
- ``httpdiff --version``: the headless import path, for contrast (no frame: time to exit);
- Posting (``posting``), when it is installed: it is not one of httpdiff's dependencies;
  the output says so when it cannot be found. ``--posting CMD`` names another command,
  e.g. the ``posting`` script in the environment that
  ``uvx --from posting --with tree-sitter==0.25.2 python -c "import sys; print(sys.prefix)"``
  prints (Posting exits silently with tree-sitter 0.26.1, see CLIENT_NOTES.md).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shlex
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

ROWS, COLUMNS = 40, 120
TIMEOUT_S = 30.0
MINIMAL_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Minimal(App):\n"
    "    def compose(self):\n"
    "        yield Static('hello')\n"
    "Minimal().run()\n"
)
ROW_START = re.compile(rb"\x1b\[(\d+);1H")
LAST_OUTPUT: list[bytes] = []


def first_frame(argv: list[str], env: dict[str, str]) -> tuple[float, bool] | None:
    """(seconds, painted): until every row was painted, or until the program exited.

    ``None`` when neither happened within ``TIMEOUT_S``. The tail of the output is
    kept so a failed start can be shown.
    """
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    started = time.perf_counter()
    # cwd: the temporary home, so nothing a program writes next to itself lands in the repo
    process = subprocess.Popen(argv, stdin=terminal, stdout=terminal, stderr=terminal, env=env,
                               cwd=env["XDG_CONFIG_HOME"], start_new_session=True)
    os.close(terminal)
    painted: set[int] = set()
    seen = b""
    try:
        while time.perf_counter() - started < TIMEOUT_S:
            ready, _, _ = select.select([controller], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the child closed the terminal: it exited
                    return time.perf_counter() - started, False
                seen = seen[-16:] + chunk
                LAST_OUTPUT[:] = [(LAST_OUTPUT[0] if LAST_OUTPUT else b"")[-2000:] + chunk]
                painted.update(int(m.group(1)) for m in ROW_START.finditer(seen))
                if len(painted) >= ROWS:
                    return time.perf_counter() - started, True
            elif process.poll() is not None:
                return time.perf_counter() - started, False
        return None
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        os.close(controller)


def measure(label: str, argv: list[str], env: dict[str, str], runs: int,
            frame: bool = True) -> None:
    """Print the figures; ``frame=False`` for a program expected to exit without drawing."""
    LAST_OUTPUT.clear()
    times = [first_frame(argv, env) for _ in range(runs)]
    done = [t for t, painted in filter(None, times) if painted or not frame]
    if not done:
        tail = (LAST_OUTPUT[0] if LAST_OUTPUT else b"").decode(errors="replace")
        last = [line for line in tail.splitlines() if line.strip()][-1:] or ["(no output)"]
        print(f"  {label:<28} no frame within {TIMEOUT_S:.0f} s; last output: {last[0][:200]!r}")
        return
    print(f"  {label:<28} median {statistics.median(done) * 1000:7.0f} ms   "
          f"min {min(done) * 1000:7.0f} ms   max {max(done) * 1000:7.0f} ms   "
          f"({len(done)}/{runs} runs)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--posting", default=None, help="command that starts Posting")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.makedirs(f"{home}/config")
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS),
                   XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
                   XDG_CACHE_HOME=f"{home}/cache", XDG_STATE_HOME=f"{home}/state",
                   HTTPDIFF_CONFIG_DIR=f"{home}/httpdiff-config",
                   HTTPDIFF_DATA_DIR=f"{home}/httpdiff-data")
        python = sys.executable
        print(f"startup: time to first full frame on a {COLUMNS}x{ROWS} pty, "
              f"{args.runs} runs each")
        measure("httpdiff", [python, "-m", "httpdiff"], env, args.runs)
        measure("minimal Textual app", [python, "-c", MINIMAL_APP], env, args.runs)
        measure("httpdiff --version (exit)", [python, "-m", "httpdiff", "--version"], env,
                args.runs, frame=False)
        posting = shlex.split(args.posting) if args.posting else None
        if posting is None and shutil.which("posting"):
            posting = ["posting"]
        if posting is None:
            print("  posting                      not available: not installed here "
                  "(not one of httpdiff's dependencies); pass --posting CMD to time it, "
                  "e.g. the posting in `uvx --from posting`'s environment")
        else:
            measure("posting", posting, env, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
