"""The ``httpdiff`` command: the app by default, sub-commands for headless use.

``httpdiff`` (or ``httpdiff --demo``) opens the Textual app, imported only
then, so headless commands start fast and never load Textual. Exit status of
the headless commands: 0 equivalent, 1 differences found, 2 bad input or usage.
Every error the user can cause is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from typing import NoReturn

from httpdiff import __version__
from httpdiff.errors import HttpdiffError

EXIT_EQUIVALENT, EXIT_DIFFERENT, EXIT_USAGE = 0, 1, 2
SUBCOMMANDS = ("compare", "serve")


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _fail(message: str) -> int:
    print(f"httpdiff: error: {message}", file=sys.stderr)
    return EXIT_USAGE


# ---------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------


def _compare_parser() -> argparse.ArgumentParser:
    from httpdiff.storage.curl import add_curl_arguments

    parser = _Parser(
        prog="httpdiff compare",
        description="Send one request with every backend and print what differs. "
        "Flags follow curl's.",
    )
    parser.add_argument("url", help="the URL (http:// is assumed when no scheme is given)")
    add_curl_arguments(parser)
    parser.add_argument("--backend", dest="backends", action="append", metavar="NAME",
                        help="a backend to use (repeatable; default: all)")
    parser.add_argument("--ignore-header", dest="ignore_headers", action="append", default=[],
                        metavar="NAME", help="treat differences in this header as noise "
                        "(repeatable; * wildcards)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--mode", choices=("parallel", "sequential"), default="parallel",
                        help="send through the backends at once or one after another")
    parser.add_argument("--max-body", type=int, default=None, metavar="BYTES",
                        help="cap on the body each backend reads (default 10 MiB)")
    return parser


def _run_compare(argv: Sequence[str]) -> int:
    from httpdiff import backends
    from httpdiff.backends import Settings
    from httpdiff.compare import compare
    from httpdiff.diff.rules import NoiseRule, NoiseRules
    from httpdiff.report import comparison_document, comparison_text
    from httpdiff.storage.curl import spec_from_args

    args = _compare_parser().parse_args(argv)
    try:
        parsed = spec_from_args(args, args.url)
        names = args.backends or backends.available()
        for name in names:
            if name not in backends.available():
                return _fail(f"unknown backend {name!r} (known: {', '.join(backends.available())})")
        if args.max_body is not None and args.max_body <= 0:
            return _fail("--max-body must be a positive number of bytes")
        settings = Settings() if args.max_body is None else Settings(max_body_bytes=args.max_body)
        rules = NoiseRules(rules=tuple(
            NoiseRule("header", name, "--ignore-header") for name in args.ignore_headers
        ))
        comparison = asyncio.run(
            compare(parsed.spec, names=names, settings=settings, rules=rules, mode=args.mode)
        )
    except HttpdiffError as exc:
        return _fail(str(exc))
    for note in parsed.notes:
        print(f"httpdiff: note: {note}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(comparison_document(comparison), indent=2, default=str))
    else:
        print(comparison_text(comparison))
    return EXIT_EQUIVALENT if comparison.equivalent else EXIT_DIFFERENT


# ---------------------------------------------------------------------------
# serve
# ---------------------------------------------------------------------------


def _run_serve(argv: Sequence[str]) -> int:
    parser = _Parser(prog="httpdiff serve",
                     description="Run the demo server on 127.0.0.1 until Ctrl-C.")
    parser.add_argument("--port", type=int, default=0, help="plain HTTP port (0: any free one)")
    parser.add_argument("--tls-port", type=int, default=0, help="TLS port (0: any free one)")
    args = parser.parse_args(argv)
    from httpdiff.demo import serve

    try:
        serve(http_port=args.port, https_port=args.tls_port)
    except (OSError, RuntimeError) as exc:
        return _fail(f"cannot start the demo server: {exc}")
    return 0


# ---------------------------------------------------------------------------
# the app
# ---------------------------------------------------------------------------


def _app_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="httpdiff",
        description="Does this request behave the same with httpx and aiohttp? "
        "Opens the app; sub-commands: " + ", ".join(SUBCOMMANDS) + " (each has --help).",
    )
    parser.add_argument("--version", action="version", version=f"httpdiff {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="start the built-in demo server and open its sample requests")
    parser.add_argument("--backend", dest="backends", action="append", metavar="NAME",
                        help="backends to start with (repeatable; default: all)")
    return parser


def _run_app(argv: Sequence[str]) -> int:
    from httpdiff import backends

    args = _app_parser().parse_args(argv)
    names = args.backends or backends.available()
    for name in names:
        if name not in backends.available():
            return _fail(f"unknown backend {name!r} (known: {', '.join(backends.available())})")
    demo = None
    requests = []
    if args.demo:
        from httpdiff.demo import DemoServer
        from httpdiff.demo.samples import demo_requests

        try:
            demo = DemoServer().start()
        except (OSError, RuntimeError) as exc:
            return _fail(f"cannot start the demo server: {exc}")
        requests = demo_requests(demo)
    try:
        from httpdiff.ui import run  # lazily: headless commands never load Textual

        run(requests=requests, backends=names, demo=demo)
    finally:
        if demo is not None:
            demo.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "compare":
            return _run_compare(args[1:])
        if args and args[0] == "serve":
            return _run_serve(args[1:])
        return _run_app(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
