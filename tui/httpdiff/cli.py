"""The ``httpdiff`` command: the app by default, sub-commands for headless use.

``httpdiff`` (or ``httpdiff --demo``) opens the Textual app, imported only
then, so headless commands start fast and never load Textual. Sub-commands
live in ``httpdiff.commands``, one module each. Exit status of the headless
commands: 0 equivalent, 1 differences found, 2 bad input or usage. Every
error the user can cause is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from httpdiff import __version__
from httpdiff.commands import COMMANDS
from httpdiff.commands.common import Parser, fail


def _app_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="httpdiff",
        description="Does this request behave the same with httpx and aiohttp? "
        "Opens the app; sub-commands: " + ", ".join(COMMANDS) + " (each has --help).",
    )
    parser.add_argument("--version", action="version", version=f"httpdiff {__version__}")
    parser.add_argument("collection", nargs="?", metavar="DIR",
                        help="the collection folder to open (default: one in the user data dir)")
    parser.add_argument("--demo", action="store_true",
                        help="start the built-in demo server and open its sample requests")
    parser.add_argument("--env", metavar="NAME", help="the collection's environment to use")
    parser.add_argument("--theme", metavar="NAME",
                        help="a theme by name (see 'httpdiff themes'); remembered")
    parser.add_argument("--backend", dest="backends", action="append", metavar="NAME",
                        help="backends to start with (repeatable; default: all)")
    return parser


def _run_app(argv: Sequence[str]) -> int:
    from httpdiff import backends

    args = _app_parser().parse_args(argv)
    names = args.backends or backends.available()
    for name in names:
        if name not in backends.available():
            return fail(f"unknown backend {name!r} (known: {', '.join(backends.available())})")
    collection = Path(args.collection) if args.collection else None
    if collection is not None and collection.exists() and not collection.is_dir():
        return fail(f"{collection} is not a folder")
    demo = None
    env = args.env
    if args.demo:
        from httpdiff.demo.process import DemoProcess
        from httpdiff.demo.samples import DEMO_ENVIRONMENT
        from httpdiff.ui.demo_collection import write_demo_collection

        try:
            # Its own process: on a thread here it would wait for every repaint of the app.
            demo = DemoProcess().start()
            if collection is None:  # the samples as a collection, with a "demo" environment
                collection = write_demo_collection(demo)
                env = env or DEMO_ENVIRONMENT
        except (OSError, RuntimeError) as exc:
            if demo is not None:
                demo.stop()
            return fail(f"cannot start the demo: {exc}")
    if collection is None:
        from httpdiff.storage.collection import default_collection_dir

        collection = default_collection_dir()
    try:
        collection.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if demo is not None:
            demo.stop()
        return fail(f"cannot create {collection}: {exc.strerror or exc}")
    try:
        from httpdiff.ui import run  # lazily: headless commands never load Textual

        run(backends=names, demo=demo, collection=collection, env=env, theme=args.theme)
    finally:
        if demo is not None:
            demo.stop()
    return 0


def _mistyped_command(first: str) -> str | None:
    """Why ``first`` looks like a misspelt command rather than a collection folder, if it does.

    'httpdiff comapre URL' would otherwise make a folder 'comapre' and open the app.
    """
    if first.startswith("-") or Path(first).exists():
        return None
    guess = difflib.get_close_matches(first, COMMANDS, n=1, cutoff=0.6)
    if not guess:
        return None
    return (f"no folder {first!r} and no command of that name: did you mean "
            f"'httpdiff {guess[0]}'? (to start a new collection there, make the folder first)")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS:
            command = importlib.import_module(COMMANDS[args[0]])
            status: int = command.main(args[1:])
            return status
        if args and (mistyped := _mistyped_command(args[0])):
            return fail(mistyped)
        return _run_app(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (``| head``) left: stop quietly, and keep Python's exit-time flush of
        # stdout from failing with a traceback of its own.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
