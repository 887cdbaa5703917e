"""``httpdiff import FORMAT SOURCE --into DIR``: other tools' requests into a collection.

Everything is read and checked before anything is written: a bad source is one line
naming the file and the place (line number or JSON path), exit 2, and the collection is
untouched. Existing files are never overwritten without ``--force``, and the refusal
lists every file that would have been replaced, so nothing is half-imported. What could
not be carried over is printed as notes, one per line, and the summary says which
environment holds the imported variables (they apply only with ``run --env NAME``).
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Sequence
from pathlib import Path

from httpdiff.commands.common import EXIT_EQUIVALENT, Parser, fail
from httpdiff.errors import HttpdiffError
from httpdiff.model import RequestSpec


def build_parser() -> argparse.ArgumentParser:
    from httpdiff.storage.importers import FORMATS

    parser = Parser(
        prog="httpdiff import",
        description="Import requests from curl, .http/.rest files, Postman or Posting into a "
        "collection folder.",
    )
    parser.add_argument("format", choices=FORMATS, help="the source's format")
    parser.add_argument("source", type=Path,
                        help="the file to import (for posting: the collection folder)")
    parser.add_argument("--into", required=True, type=Path, metavar="DIR",
                        help="the collection folder to write into (created if missing)")
    parser.add_argument("--env", dest="environments", action="append", default=[], type=Path,
                        metavar="FILE", help="an environment file to import too: Postman "
                        "environment JSON, or http-client.env.json (repeatable)")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    return parser


def targets(root: Path, relatives: Sequence[str], environments: Sequence[str]) -> list[Path]:
    """The files an import writes, in the collection layout ``storage.collection`` uses."""
    return ([root / f"{relative}.yaml" for relative in relatives]
            + [root / "environments" / f"{name}.yaml" for name in environments])


def referenced_files(specs: Sequence[RequestSpec]) -> list[str]:
    """Relative paths of files the requests send (body files, multipart ``@file`` fields)."""
    found: list[str] = []
    for spec in specs:
        body = spec.body
        paths = [body.path] if body.kind == "file" else []
        if body.kind == "multipart":
            paths += [value[1:] for _, value in body.fields if value.startswith("@")]
        found += [p for p in paths if p and not Path(p).is_absolute()]
    return list(dict.fromkeys(found))


def copy_referenced(source: Path, root: Path, relatives: Sequence[str]) -> list[str]:
    """Copy each file the requests reference from beside the source into the collection, so
    the imported requests run; returns a note for each that could not be brought along."""
    base = (source if source.is_dir() else source.parent).resolve()
    notes = []
    for relative in relatives:
        origin, target = (base / relative).resolve(), (root / relative).resolve()
        if not origin.is_relative_to(base) or not target.is_relative_to(root.resolve()):
            # The importers keep only paths that stay inside; this catches symbolic links.
            notes.append(f"file {relative!r} leads outside the source folder or the "
                         "collection (a symbolic link?): not copied")
        elif not origin.is_file():
            notes.append(f"file {relative!r} is not beside the source: put it in {root}")
        elif not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, target)
            print(f"copied file {relative} -> {target}")
    return notes


def main(argv: Sequence[str]) -> int:
    from httpdiff.report import printable
    from httpdiff.storage.collection import save_environment, save_request
    from httpdiff.storage.importers import load_source

    args = build_parser().parse_args(argv)
    root: Path = args.into
    try:
        result = load_source(args.format, args.source, args.environments)
    except HttpdiffError as exc:
        # Messages can quote the source; control characters never reach the terminal.
        return fail(printable(str(exc)))
    if root.exists() and not root.is_dir():
        return fail(f"{root}: not a folder")
    relatives = [relative for relative, _ in result.requests]
    existing = [p for p in targets(root, relatives, list(result.environments)) if p.exists()]
    if existing and not args.force:
        shown = ", ".join(str(p) for p in existing[:5])
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        return fail(f"would overwrite {shown}{more}; nothing written (use --force)")
    try:
        for relative, spec in result.requests:
            path = save_request(root, relative, spec)
            print(f"imported {spec.method} {relative} -> {path}")
        for name, variables in result.environments.items():
            path = save_environment(root, name, variables)
            print(f"environment {name} ({len(variables)} variables) -> {path}")
        notes = [*result.notes, *copy_referenced(
            args.source, root, referenced_files([spec for _, spec in result.requests])
        )]
    except (HttpdiffError, OSError) as exc:
        return fail(printable(f"writing into {root}: {exc}"))
    for note in notes:
        print(f"note: {printable(note)}")
    count = len(result.requests)
    print(f"{count} request{'s' if count != 1 else ''}, {len(result.environments)} "
          f"environment{'s' if len(result.environments) != 1 else ''}, "
          f"{len(notes)} note{'s' if len(notes) != 1 else ''}")
    if result.environments:
        # Variables apply only with --env; without this line 'run' fails on {{base}}.
        names = list(result.environments)
        chosen = "default" if "default" in names else names[0]
        print(f"variables are in environment{'s' if len(names) != 1 else ''} "
              f"{', '.join(names)}: choose one with --env, e.g. "
              f"httpdiff run {root} --env {chosen}")
    return EXIT_EQUIVALENT
