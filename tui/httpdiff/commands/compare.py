"""``httpdiff compare URL [curl flags]``: one request through every backend, printed.

Credentials given on the command line (``-u user:password``, a password in the
URL's user info, a bearer token) never show: the libraries turn them into an
``Authorization`` header and a server may echo it, so every form of them is
taken out of the comparison before any format renders it, and out of errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
from collections.abc import Sequence
from functools import partial

from httpdiff.commands.common import EXIT_DIFFERENT, EXIT_EQUIVALENT, Parser, fail
from httpdiff.errors import HttpdiffError

# ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from httpdiff.storage.curl import add_curl_arguments

    parser = Parser(
        prog="httpdiff compare",
        description="Send one request with every backend and print what differs. "
        "Flags follow curl's.",
    )
    parser.add_argument("url", help="the URL (http:// is assumed when no scheme is given)")
    add_curl_arguments(parser)
    parser.add_argument("--backend", dest="backends", action="append", metavar="NAME",
                        help="a backend to use (repeatable; default: all)")
    parser.add_argument("--ignore-header", dest="ignore_headers", action="append", default=[],
                        metavar="NAME", help="treat differences in this header, sent or "
                        "received, as noise (repeatable; * wildcards)")
    parser.add_argument("--format", choices=("text", "json", "har"), default="text",
                        help="text (differences first), json, or a HAR 1.2 file's content")
    parser.add_argument("--mode", choices=("parallel", "sequential"), default="parallel",
                        help="send through the backends at once or one after another")
    parser.add_argument("--max-body", type=int, default=None, metavar="BYTES",
                        help="cap on the body each backend reads (default 10 MiB)")
    return parser


def main(argv: Sequence[str]) -> int:
    from httpdiff import backends
    from httpdiff.backends import Settings
    from httpdiff.compare import compare
    from httpdiff.noise import NoiseRule, NoiseRules
    from httpdiff.report import comparison_document, comparison_text
    from httpdiff.storage.curl import spec_from_args
    from httpdiff.storage.variables import credential_values, redact, redact_comparison
    from httpdiff.validate import check

    args = build_parser().parse_args(argv)
    forms: tuple[str, ...] = ()
    try:
        parsed = spec_from_args(args, args.url)
        forms = credential_values(parsed.spec)
        check(parsed.spec, partial(redact, values=forms))  # compare checks again, unmasked
        names = args.backends or backends.available()
        for name in names:
            if name not in backends.available():
                return fail(f"unknown backend {name!r} (known: {', '.join(backends.available())})")
        if args.max_body is not None and args.max_body <= 0:
            return fail("--max-body must be a positive number of bytes")
        settings = Settings() if args.max_body is None else Settings(max_body_bytes=args.max_body)
        # Both directions: the header a user names (User-Agent, say) differs as sent.
        rules = NoiseRules(rules=tuple(
            NoiseRule(kind, name, "--ignore-header")
            for name in args.ignore_headers for kind in ("header", "request-header")
        ))
        comparison = asyncio.run(
            compare(parsed.spec, names=names, settings=settings, rules=rules, mode=args.mode)
        )
    except HttpdiffError as exc:
        return fail(redact(str(exc), forms))
    for note in parsed.notes:
        print(f"httpdiff: note: {redact(note, forms)}", file=sys.stderr)
    comparison = redact_comparison(comparison, forms)
    if args.format == "har":
        from httpdiff.storage.exporters.har import har_text

        print(har_text(comparison))
    elif args.format == "json":
        print(json.dumps(comparison_document(comparison), indent=2, default=str))
    else:
        print(comparison_text(comparison, width=shutil.get_terminal_size((120, 24)).columns))
    return EXIT_EQUIVALENT if comparison.equivalent else EXIT_DIFFERENT
