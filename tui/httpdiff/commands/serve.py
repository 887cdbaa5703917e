"""``httpdiff serve``: the demo server in the foreground until Ctrl-C."""

from __future__ import annotations

from collections.abc import Sequence

from httpdiff.commands.common import Parser, fail

# ---------------------------------------------------------------------------


def main(argv: Sequence[str]) -> int:
    parser = Parser(prog="httpdiff serve",
                     description="Run the demo server on 127.0.0.1 until Ctrl-C.")
    parser.add_argument("--port", type=int, default=0, help="plain HTTP port (0: any free one)")
    parser.add_argument("--tls-port", type=int, default=0, help="TLS port (0: any free one)")
    args = parser.parse_args(argv)
    from httpdiff.demo import serve

    try:
        serve(http_port=args.port, https_port=args.tls_port)
    except (OSError, RuntimeError) as exc:
        return fail(f"cannot start the demo server: {exc}")
    return 0
