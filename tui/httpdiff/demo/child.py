"""The child side of ``httpdiff.demo.process``: ``python -m httpdiff.demo.child [DATA_DIR]``.

Starts a ``DemoServer``, prints ``{"ports": [http, https, raw]}`` (or
``{"error": "..."}``) as one line, and serves until its stdin closes. It keeps to
the last CPU, apart from the Bench tab's worker (see ``httpdiff.affinity``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from httpdiff.affinity import keep_server_apart
from httpdiff.demo.server import DemoServer


def main(argv: list[str]) -> int:
    data_dir = Path(argv[0]) if argv else None
    keep_server_apart()
    server = DemoServer(data_dir)
    try:
        server.start()
    except RuntimeError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 1
    try:
        ports = [int(url.rsplit(":", 1)[1]) for url in
                 (server.http_url, server.https_url, server.raw_url)]
        print(json.dumps({"ports": ports}), flush=True)
        sys.stdin.read()  # until the parent closes it, or is gone
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
