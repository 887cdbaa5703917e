"""The core must not drag Textual in: headless commands start fast and stay UI-free.

Only Textual is checked here: httpx imports rich itself (its optional command-line
module loads when click, rich and pygments are installed), which is not our import;
import-linter's contracts keep httpdiff's own core modules free of rich.
"""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "httpdiff.model", "httpdiff.errors", "httpdiff.validate", "httpdiff.report",
    "httpdiff.compare", "httpdiff.diff", "httpdiff.backends", "httpdiff.storage.curl",
    "httpdiff.demo", "httpdiff.cli",
]


def test_core_leaves_textual_out() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "from httpdiff import backends\n"
        + "[backends.create(n) for n in backends.available()]\n"
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        + "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
