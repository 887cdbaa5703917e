"""``httpdiff serve``: the demo server in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from httpdiff.commands.common import Parser, fail

MAX_PORT = 65535

# ---------------------------------------------------------------------------


def port(text: str) -> int:
    """An argparse type: a TCP port 0-65535, so a bad one is a usage error, not a traceback."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: not a number") from None
    if not 0 <= value <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"invalid port {value}: must be 0-{MAX_PORT}")
    return value


def main(argv: Sequence[str]) -> int:
    parser = Parser(prog="httpdiff serve",
                     description="Run the demo server on 127.0.0.1 until Ctrl-C.")
    parser.add_argument("--port", type=port, default=0, help="plain HTTP port (0: any free one)")
    parser.add_argument("--tls-port", type=port, default=0, help="TLS port (0: any free one)")
    args = parser.parse_args(argv)
    from httpdiff.demo import serve

    try:
        serve(http_port=args.port, https_port=args.tls_port)
    except RuntimeError as exc:  # the server's own message already says what failed
        return fail(str(exc))
    except OSError as exc:
        return fail(f"cannot start the demo server: {exc}")
    return 0
