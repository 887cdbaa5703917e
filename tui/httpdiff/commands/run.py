"""``httpdiff run DIR [REQUEST...]``: every selected request of a collection through every backend.

Made for CI. Each request is resolved (``--env`` variables, then ``.env``, then
the process environment), its relative file paths anchored at the collection,
and compared with the collection's noise rules, all through one ``Session`` so
connections are reused as a real program would. Output never shows a secret:
the request is displayed masked and every string built from the resolved
request is redacted.

A broken request file or an undefined variable does not stop the run: that
request is reported ("failed to load", "not sent") and the rest still run, so
one CI report shows everything; the exit status is then 2. Problems with the
run as a whole (no such folder, unknown environment, bad ``.env`` or
``noise.yaml``, a REQUEST that matches nothing) stop before anything is sent.

Formats: ``text`` prints ``comparison_text`` per request and a summary line;
``json`` prints JSON Lines (one compact document per request, flushed as each
finishes, the ``compare --format json`` shape plus ``"name"``; a request that
was not sent has ``"equivalent": null`` and ``"error"``); ``junit`` prints a
JUnit XML report. For json and junit the summary goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import fnmatch
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from httpdiff.commands.common import EXIT_DIFFERENT, EXIT_EQUIVALENT, EXIT_USAGE, Parser, fail
from httpdiff.errors import HttpdiffError, InvalidRequest, UnknownName
from httpdiff.model import Comparison, Failure
from httpdiff.storage.collection import Collection, Entry

if TYPE_CHECKING:  # imported lazily at run time: ``--help`` stays fast
    from httpdiff.backends import Settings
    from httpdiff.compare import Mode, Session
    from httpdiff.noise import NoiseRules

# ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="httpdiff run",
        description="Compare every request of a collection (or the ones named) with every "
        "backend. Exit 0 when all are equivalent, 1 when any differs, 2 on bad input "
        "(a broken file, an undefined variable, an unknown name).",
    )
    parser.add_argument("dir", metavar="DIR", help="the collection folder")
    parser.add_argument("requests", nargs="*", metavar="REQUEST",
                        help="a request (its path without .yaml, e.g. users/list), a group "
                        "folder, or a glob such as 'users/*' (default: every request)")
    parser.add_argument("--env", metavar="NAME", help="the environment (environments/NAME.yaml)")
    parser.add_argument("--format", choices=("text", "json", "junit"), default="text",
                        help="json is JSON Lines: one document per request")
    parser.add_argument("--backend", dest="backends", action="append", metavar="NAME",
                        help="a backend to use (repeatable; default: all)")
    parser.add_argument("--mode", choices=("parallel", "sequential"), default="parallel")
    parser.add_argument("--max-body", type=int, default=None, metavar="BYTES",
                        help="cap on the body each backend reads (default 10 MiB)")
    parser.add_argument("--no-history", action="store_true",
                        help="do not keep these comparisons in the history")
    return parser


@dataclass(frozen=True, slots=True)
class Result:
    """One selected request: its comparison, or why it was not sent; both already
    redacted (the comparison shows the request masked, with no secret anywhere in it)."""

    entry: Entry
    comparison: Comparison | None = None
    document: dict[str, Any] | None = None
    text: str = ""
    problem: str = ""
    problem_kind: str = ""  # "failed to load" | "not sent"
    seconds: float = 0.0

    @property
    def status(self) -> str:
        if self.problem:
            return self.problem_kind
        assert self.comparison is not None
        return "equivalent" if self.comparison.equivalent else "different"


def select(collection: Collection, patterns: Sequence[str]) -> list[Entry]:
    """The entries the REQUEST arguments name, in collection order.

    Each pattern is a request id, a group folder (everything under it) or a shell-style
    glob over request ids (``*`` also crosses ``/``). ``UnknownName`` if one matches nothing.
    """
    if not patterns:
        return list(collection.entries)
    chosen: set[str] = set()
    for pattern in patterns:
        wanted = pattern.strip().strip("/").removesuffix(".yaml")
        matches = [
            e.relative for e in collection.entries
            if e.relative == wanted or e.relative.startswith(wanted + "/")
            or fnmatch.fnmatchcase(e.relative, wanted)
        ]
        if not wanted or not matches:
            raise UnknownName(f"no request or group matches {pattern!r} in {collection.root}")
        chosen.update(matches)
    return [e for e in collection.entries if e.relative in chosen]


# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    collection: Collection
    entries: list[Entry]
    variables: dict[str, str]
    secrets: dict[str, str]
    names: list[str]
    rules: NoiseRules
    settings: Settings
    # Said after an undefined variable when no --env was chosen but the collection has some.
    env_hint: str = ""


def _plan(args: argparse.Namespace) -> Plan:
    """Everything checked before the first send; raises ``HttpdiffError`` for bad input."""
    from httpdiff import backends
    from httpdiff.backends import Settings
    from httpdiff.errors import LoadError
    from httpdiff.storage.collection import NOISE_FILE, load_collection
    from httpdiff.storage.environment import environment_names, load_environment, secrets_for

    root = Path(args.dir)
    collection = load_collection(root)
    if collection.rules_error:
        raise LoadError(str(root / NOISE_FILE), collection.rules_error)
    if not collection.entries:
        raise UnknownName(f"no requests (*.yaml files) in {root}")
    variables = load_environment(root, args.env) if args.env else {}
    names_of_envs = () if args.env else environment_names(root)
    env_hint = (f" (no --env given; this collection has environment"
                f"{'s' if len(names_of_envs) > 1 else ''} {', '.join(names_of_envs)}: "
                f"try --env {names_of_envs[0]})") if names_of_envs else ""
    secrets = secrets_for(root)
    names = args.backends or backends.available()
    known = backends.available()
    for name in names:
        if name not in known:
            raise UnknownName(f"unknown backend {name!r} (known: {', '.join(known)})")
    if args.max_body is not None and args.max_body <= 0:
        raise InvalidRequest("--max-body must be a positive number of bytes")
    rules = collection.rules
    settings = Settings() if args.max_body is None else Settings(max_body_bytes=args.max_body)
    return Plan(collection, select(collection, args.requests), variables, secrets, names,
                rules, settings, env_hint)


async def _run_one(plan: Plan, entry: Entry, session: Session, mode: Mode) -> Result:
    """One request sent and rendered. Every secret form is taken out of the comparison
    (and out of a "not sent" message) *before* it is rendered: text and JUnit shorten
    values with "…", and a shortened secret no longer matches a redaction of the output."""
    from functools import partial

    from httpdiff.compare import compare
    from httpdiff.report import comparison_document, comparison_text
    from httpdiff.storage.collection import anchor_paths
    from httpdiff.storage.variables import (
        credential_values,
        masked,
        redact,
        redact_comparison,
        resolve,
        secret_values,
    )
    from httpdiff.validate import check

    if entry.spec is None:
        return Result(entry, problem=f"{entry.path}: {entry.error}", problem_kind="failed to load")
    started = time.perf_counter()
    spec = entry.spec
    forms = secret_values(spec, plan.variables, plan.secrets)
    try:
        resolved = resolve(spec, plan.variables, plan.secrets)
    except InvalidRequest as exc:  # an undefined variable: no secret is in its message
        return Result(entry, problem=f"{entry.relative}: {exc}{plan.env_hint}",
                      problem_kind="not sent")
    try:
        resolved = anchor_paths(plan.collection.root, resolved)
        forms = _union(forms, credential_values(resolved))
        check(resolved, partial(redact, values=forms))  # compare checks again, unredacted
        comparison = await compare(resolved, session, names=plan.names, settings=plan.settings,
                                   rules=plan.rules, mode=mode)
    except InvalidRequest as exc:
        problem = redact(f"{entry.relative}: {exc}", forms)
        return Result(entry, problem=problem, problem_kind="not sent")
    shown = redact_comparison(
        replace(comparison, request=masked(spec, plan.variables, plan.secrets)), forms)
    document = comparison_document(shown)
    text = comparison_text(shown)
    return Result(entry, shown, document, text, seconds=time.perf_counter() - started)


def _union(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(form for group in groups for form in group))


def _json_line(result: Result) -> str:
    if result.document is not None:
        doc = {"name": result.entry.relative, **result.document}
    else:
        doc = {
            "name": result.entry.relative, "request": None, "results": {}, "findings": [],
            "equivalent": None, "error": {"kind": result.problem_kind, "message": result.problem},
        }
    # ASCII with \u escapes: raw C1 controls or bidi overrides from a server (or a user's
    # own request) would otherwise reach the terminal.
    return json.dumps(doc, ensure_ascii=True, default=str)


def _emit(result: Result, fmt: str) -> None:
    if result.problem:
        print(f"httpdiff: error: {result.problem}", file=sys.stderr, flush=True)
    if fmt == "json":
        print(_json_line(result), flush=True)
    elif fmt == "text":
        body = result.text if not result.problem else f"{result.status.upper()}: {result.problem}"
        print(f"=== {result.entry.relative}\n{body}\n", flush=True)


def _record(plan: Plan, results: list[Result]) -> None:
    from httpdiff.storage.history import History
    from httpdiff.storage.variables import secret_values

    history = History()
    try:
        for result in results:
            if result.entry.spec is not None and result.document is not None:
                spec = result.entry.spec
                history.record(spec, result.document,
                               secrets=secret_values(spec, plan.variables, plan.secrets))
    except HttpdiffError as exc:  # a history problem must not fail a CI run
        print(f"httpdiff: note: history not saved: {exc}", file=sys.stderr)


async def _run_all(plan: Plan, args: argparse.Namespace) -> list[Result]:
    from httpdiff.compare import Session

    results: list[Result] = []
    async with Session(plan.names) as session:
        for entry in plan.entries:
            result = await _run_one(plan, entry, session, args.mode)
            results.append(result)
            _emit(result, args.format)
    return results


def summary(results: list[Result]) -> str:
    counts = {k: 0 for k in ("equivalent", "different", "failed to load", "not sent")}
    for result in results:
        counts[result.status] += 1
    return ", ".join(f"{n} {label}" for label, n in counts.items())


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_intermixed_args(argv)
    try:
        plan = _plan(args)
    except HttpdiffError as exc:
        return fail(str(exc))
    results = asyncio.run(_run_all(plan, args))
    if not args.no_history:
        _record(plan, results)
    line = summary(results)
    if args.format == "junit":
        print(junit_report(plan.collection.root.resolve().name or "collection", results))
    print(line, file=sys.stdout if args.format == "text" else sys.stderr)
    if any(r.problem for r in results):
        return EXIT_USAGE
    if all(r.comparison is not None and r.comparison.equivalent for r in results):
        return EXIT_EQUIVALENT
    return EXIT_DIFFERENT


# ---------------------------------------------------------------------------
# JUnit XML
# ---------------------------------------------------------------------------

# Characters XML 1.0 cannot hold even escaped; server text may contain any of them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _no_response(comparison: Comparison) -> bool:
    """Whether no backend got a response at all: the request could not be sent."""
    return all(isinstance(o, Failure) for o in comparison.outcomes.values())


def junit_report(suite_name: str, results: list[Result]) -> str:
    """One testcase per request: failure when different, error when it could not be sent."""
    from xml.etree import ElementTree as ET

    failures = errors = 0
    suite = ET.Element("testsuite", name=_xml_text(suite_name))
    for result in results:
        group, _, name = result.entry.relative.rpartition("/")
        case = ET.SubElement(suite, "testcase", name=_xml_text(name),
                             classname=_xml_text(group.replace("/", ".") or suite_name),
                             time=f"{result.seconds:.3f}")
        comparison = result.comparison
        if comparison is None:
            errors += 1
            error = ET.SubElement(case, "error", type=result.problem_kind,
                                  message=_xml_text(result.problem))
            error.text = _xml_text(result.problem)
        elif _no_response(comparison):
            errors += 1
            reasons = "; ".join(
                f"{n}: {o.kind.value}: {o.message}"
                for n, o in comparison.outcomes.items() if isinstance(o, Failure)
            )
            error = ET.SubElement(case, "error", type="no response", message=_xml_text(reasons))
            error.text = _xml_text(result.text)
        elif not comparison.equivalent:
            failures += 1
            count = len(comparison.differences)
            failure = ET.SubElement(case, "failure", type="different",
                                    message=f"{count} difference{'s' if count != 1 else ''}")
            failure.text = _xml_text(result.text)
        else:
            ET.SubElement(case, "system-out").text = _xml_text(result.text)
    suite.set("tests", str(len(results)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", f"{sum(r.seconds for r in results):.3f}")
    root = ET.Element("testsuites", name="httpdiff", tests=str(len(results)),
                      failures=str(failures), errors=str(errors))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")

