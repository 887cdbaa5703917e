"""Response bodies: identical bytes say nothing; otherwise JSON, text or binary.

JSON (when a side declares it or every body looks like it, and every body parses)
is diffed by path, one finding per changed path up to ``JSON_PATH_LIMIT`` plus one
summary finding with the count, each path subject to ``json-path`` noise rules:
when they all match, the body is noise. Text is a line diff with a capped unified
diff as the finding's detail; binary is size and sha256. With three or more
backends the first is the baseline every other body is diffed against.
"""

from __future__ import annotations

import codecs
import gc
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from httpdiff.diff.common import BOTH_TRUNCATED, JSON_FORMAT, Context, finding
from httpdiff.diff.jsondiff import Key, compact, format_path, iter_changes, lookup
from httpdiff.diff.text import changed_lines, opcodes, split_lines, unified
from httpdiff.model import Category, Finding, ResponseSnapshot

JSON_PATH_LIMIT = 200
DETAIL_LINES = 400
_SNIFF = 8192
_TEXT_TYPES = ("json", "xml", "javascript", "ecmascript", "yaml", "csv", "html", "urlencoded")


def _media_type(snapshot: ResponseSnapshot) -> str:
    return snapshot.content_type.split(";")[0].strip().lower()


def is_binary(snapshot: ResponseSnapshot) -> bool:
    """Declared text is text; otherwise NUL bytes or invalid UTF-8 early on mean binary."""
    media = _media_type(snapshot)
    if media.startswith("text/") or any(t in media for t in _TEXT_TYPES):
        return False
    if "charset=" in snapshot.content_type.lower():
        return False
    head = snapshot.body[:_SNIFF]
    if b"\x00" in head:
        return True
    try:
        # Incremental, not final: a multi-byte character cut at the sniff edge is fine.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return True
    return False


def body_text(snapshot: ResponseSnapshot) -> str:
    """The backend's decoded text; the raw bytes as UTF-8 if it decoded nothing."""
    if snapshot.text or not snapshot.body:
        return snapshot.text
    return snapshot.body.decode("utf-8", "replace")


def _summary(snapshot: ResponseSnapshot) -> str:
    digest = hashlib.sha256(snapshot.body).hexdigest()[:16]
    cut = ", truncated" if snapshot.truncated else ""
    return f"{len(snapshot.body)} bytes, sha256 {digest}{cut}"


def _parse_json(snapshots: dict[str, ResponseSnapshot]) -> dict[str, Any] | None:
    declared = any("json" in _media_type(s) for s in snapshots.values())
    looks = all(s.body.lstrip()[:1] in (b"{", b"[") for s in snapshots.values())
    if not (declared or looks):
        return None
    docs: dict[str, Any] = {}
    for name, snap in snapshots.items():
        try:
            docs[name] = json.loads(body_text(snap))
        except (ValueError, RecursionError):
            return None
    return docs


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic GC while millions of acyclic JSON objects are built and walked.

    Each allocation burst otherwise triggers full collections that rescan the growing
    heap: about 40% of the time on a 50 MB document. Nothing built here has cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compare_bodies(ctx: Context) -> list[Finding]:
    snaps = ctx.snapshots()
    if len(snaps) < 2:
        return []
    found = _truncation(ctx, snaps)
    first = next(iter(snaps.values())).body
    if all(s.body == first for s in snaps.values()):
        return found
    with _collector_paused():
        docs = _parse_json(snaps)
        if docs is not None:
            return found + _json_findings(ctx, snaps, docs)
    if any(is_binary(s) for s in snaps.values()):
        summary = {n: _summary(s) for n, s in snaps.items()}
        return [*found, finding(ctx, Category.BODY, "body", summary, detail="binary bodies differ")]
    return [*found, _text_finding(ctx, snaps)]


def _truncation(ctx: Context, snaps: dict[str, ResponseSnapshot]) -> list[Finding]:
    cut = {n: s.truncated for n, s in snaps.items()}
    if not any(cut.values()):
        return []
    rule = ctx.builtin(BOTH_TRUNCATED) if all(cut.values()) else ""
    return [finding(ctx, Category.BODY, "body-truncated", cut, rule)]


def _json_findings(
    ctx: Context, snaps: dict[str, ResponseSnapshot], docs: dict[str, Any]
) -> list[Finding]:
    names = list(docs)
    base = docs[names[0]]
    changed: dict[tuple[Key, ...], None] = {}
    for name in names[1:]:
        for keys, *_ in iter_changes(base, docs[name]):
            changed.setdefault(keys, None)
    summary = {n: _summary(s) for n, s in snaps.items()}
    if not changed:
        return [finding(ctx, Category.BODY, "body", summary, ctx.builtin(JSON_FORMAT))]
    rules = ctx.by_kind["json-path"]
    found: list[Finding] = []
    unlisted_differences = 0
    for index, keys in enumerate(changed):
        path = format_path(keys)
        rule = next((r.label for r in rules if r.matches(path)), "") if rules else ""
        if index < JSON_PATH_LIMIT:
            values = {n: compact(lookup(doc, keys)) for n, doc in docs.items()}
            found.append(finding(ctx, Category.BODY, path, values, rule))
        elif not rule:
            unlisted_differences += 1
    if len(changed) > JSON_PATH_LIMIT:
        hidden = len(changed) - JSON_PATH_LIMIT
        detail = (
            f"{len(changed)} changed JSON paths; the first {JSON_PATH_LIMIT} are listed, "
            f"{hidden} more are not ({unlisted_differences} of them not covered by a rule)"
        )
        rule = "" if unlisted_differences else f"json-path rules cover all {hidden} unlisted paths"
        found.append(finding(ctx, Category.BODY, "body", summary, rule, detail))
    return found


def _text_finding(ctx: Context, snaps: dict[str, ResponseSnapshot]) -> Finding:
    names = list(snaps)
    base_name = names[0]
    base = split_lines(body_text(snaps[base_name]))
    parts: list[str] = []
    for name in names[1:]:
        other = split_lines(body_text(snaps[name]))
        ops, aligned = opcodes(base, other)
        if changed_lines(ops) == 0:
            if snaps[name].body != snaps[base_name].body:
                parts.append(f"{base_name} vs {name}: same text after decoding; the bytes differ")
            continue
        note = "" if aligned else " (too many changed lines to align: one replaced block)"
        header = f"{base_name} vs {name}: {changed_lines(ops)} lines changed{note}"
        parts.append(header + "\n" + unified(
            base, other, ops, base_name, name, max_lines=DETAIL_LINES
        ))
    summary = {n: _summary(s) for n, s in snaps.items()}
    return finding(ctx, Category.BODY, "body", summary, detail="\n\n".join(parts))
