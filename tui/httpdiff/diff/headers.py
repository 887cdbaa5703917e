"""Header comparison (sent and received) and the rest of the request as sent.

Headers are compared by lowercased name, each name's values as a list in received
order: never through a mapping view, which would join or drop duplicates. A name
spelled differently but valued the same is one "header-name-case" noise finding for
the whole list, since HTTP/2 lowercases every name and that is not behaviour.
Connection-level headers and framing (``content-length`` on one side only) are
reported as noise under named built-in rules; a multipart boundary, random per
library, is masked before the content type and the body are compared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from httpdiff.diff.common import (
    CONTENT_LENGTH,
    HEADER_NAME_CASE,
    HOP_BY_HOP,
    HOP_BY_HOP_HEADERS,
    MULTIPART_BOUNDARY,
    Context,
    compare_scalar,
    describe_bytes,
    finding,
)
from httpdiff.model import Category, Finding, Header, SentRequest
from httpdiff.noise import RuleKind

_BOUNDARY = re.compile(r'boundary="?([^";,\s]+)"?', re.IGNORECASE)


def header_lists(headers: tuple[Header, ...]) -> dict[str, list[str]]:
    """Lowercased name -> values in order (duplicates kept)."""
    grouped: dict[str, list[str]] = {}
    for name, value in headers:
        grouped.setdefault(name.lower(), []).append(value)
    return grouped


def _spellings(headers: tuple[Header, ...]) -> dict[str, str]:
    spelled: dict[str, str] = {}
    for name, _ in headers:
        spelled.setdefault(name.lower(), name)
    return spelled


def _render(values: list[str] | None) -> str | list[str] | None:
    if values is None:
        return None
    return values[0] if len(values) == 1 else list(values)


def boundary_of(headers: tuple[Header, ...]) -> str | None:
    for name, value in headers:
        if name.lower() == "content-type" and value.lower().startswith("multipart/"):
            found = _BOUNDARY.search(value)
            return found.group(1) if found else None
    return None


def _builtin_rule(
    ctx: Context, name: str, sides: dict[str, list[str] | None], boundaries: Mapping[str, str]
) -> str:
    if name in HOP_BY_HOP_HEADERS:
        return ctx.builtin(HOP_BY_HOP)
    present = [v for v in sides.values() if v is not None]
    # Only presence differs: framing. Two different lengths are a real difference.
    if (
        name == "content-length"
        and len(present) < len(sides)
        and all(v == present[0] for v in present)
    ):
        return ctx.builtin(CONTENT_LENGTH)
    if name == "content-type" and boundaries and len(present) == len(sides):
        masked = [
            [v.replace(boundaries[n], "BOUNDARY") if n in boundaries else v for v in values or []]
            for n, values in sides.items()
        ]
        if all(m == masked[0] for m in masked):
            return ctx.builtin(MULTIPART_BOUNDARY)
    return ""


def compare_headers(
    ctx: Context,
    category: Category,
    kind: RuleKind,
    sides: Mapping[str, tuple[Header, ...]],
) -> list[Finding]:
    """Findings for one header list per participating backend (at least two)."""
    if len(sides) < 2:
        return []
    grouped = {n: header_lists(h) for n, h in sides.items()}
    boundaries = {n: b for n, h in sides.items() if (b := boundary_of(h))}
    names = list(dict.fromkeys(name for g in grouped.values() for name in g))
    found: list[Finding] = []
    for name in names:
        values = {n: g.get(name) for n, g in grouped.items()}
        first = next(iter(values.values()))
        if all(v == first for v in values.values()):
            continue
        rule = ctx.user_rule(kind, name) or _builtin_rule(ctx, name, values, boundaries)
        found.append(
            finding(ctx, category, name, {n: _render(v) for n, v in values.items()}, rule)
        )
    found.extend(_case_finding(ctx, category, sides))
    return found


def _case_finding(
    ctx: Context, category: Category, sides: Mapping[str, tuple[Header, ...]]
) -> list[Finding]:
    spelled = {n: _spellings(h) for n, h in sides.items()}
    differing = [
        name
        for name in dict.fromkeys(k for s in spelled.values() for k in s)
        if len({s[name] for s in spelled.values() if name in s}) > 1
    ]
    if not differing:
        return []
    present = {
        n: ", ".join(s[name] for name in differing if name in s) or None
        for n, s in spelled.items()
    }
    return [finding(ctx, category, "header-name-case", present, ctx.builtin(HEADER_NAME_CASE))]


def compare_requests(ctx: Context) -> list[Finding]:
    """What each library put on the wire: method, url, headers, body."""
    sent: dict[str, SentRequest] = {
        n: o.request for n, o in ctx.outcomes.items() if o.request is not None
    }
    if len(sent) < 2:
        return []
    cat = Category.REQUEST_HEADER
    found = compare_scalar(ctx, cat, "method", {n: r.method for n, r in sent.items()})
    found += compare_scalar(ctx, cat, "url", {n: r.url for n, r in sent.items()})
    found += compare_headers(ctx, cat, "request-header", {n: r.headers for n, r in sent.items()})
    found += _compare_sent_bodies(ctx, sent)
    return found


def _compare_sent_bodies(ctx: Context, sent: Mapping[str, SentRequest]) -> list[Finding]:
    bodies = {n: r.body for n, r in sent.items()}
    first = next(iter(bodies.values()))
    if all(b == first for b in bodies.values()):
        return []
    shown = {n: describe_bytes(b) for n, b in bodies.items()}
    boundaries = {n: b for n, r in sent.items() if (b := boundary_of(r.headers))}
    rule = ""
    if len(boundaries) == len(bodies):
        masked = [bodies[n].replace(boundaries[n].encode(), b"BOUNDARY") for n in bodies]
        if all(m == masked[0] for m in masked):
            rule = ctx.builtin(MULTIPART_BOUNDARY)
    return [finding(ctx, Category.REQUEST_HEADER, "body", shown, rule)]


def compare_response_headers(ctx: Context) -> list[Finding]:
    sides = {n: s.headers for n, s in ctx.snapshots().items()}
    return compare_headers(ctx, Category.HEADER, "header", sides)
