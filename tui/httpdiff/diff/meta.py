"""The small comparators: outcome (error), status, version, redirects, TLS, timing.

Each compares only the backends that have the thing (a failed send has no status,
but may have a sent request, redirects and timings) and reports every backend's
value, None for the ones that lack it. Timing on a single send is jitter unless the
gap is large both absolutely and relative to the faster side, and a phase one library
cannot observe is said as such, never read as zero.
"""

from __future__ import annotations

from typing import Any

from httpdiff.diff.common import (
    ERROR_WORDING,
    REASON_PHRASE,
    TIMING_JITTER,
    Context,
    compare_scalar,
    finding,
    not_observable,
)
from httpdiff.model import PHASES, Category, Failure, Finding, Hop, Outcome


def _describe(outcome: Outcome) -> str:
    if isinstance(outcome, Failure):
        return f"{outcome.kind.value}: {outcome.message}"
    return "ok"


def compare_outcomes(ctx: Context) -> list[Finding]:
    """ERROR: one side failed and another did not, or the kinds of failure differ."""
    kinds = {n: (o.kind.value if isinstance(o, Failure) else "ok") for n, o in ctx.outcomes.items()}
    described = {n: _describe(o) for n, o in ctx.outcomes.items()}
    if len(set(kinds.values())) > 1:
        return [finding(ctx, Category.ERROR, "outcome", described)]
    if len(set(described.values())) > 1:
        return [finding(ctx, Category.ERROR, "outcome", described, ctx.builtin(ERROR_WORDING))]
    return []


def compare_status(ctx: Context) -> list[Finding]:
    snaps = ctx.snapshots()
    found = compare_scalar(ctx, Category.STATUS, "status", {n: s.status for n, s in snaps.items()})
    # Only HTTP/1 carries a reason phrase: between two HTTP/1 responses a different one is
    # a difference in how the libraries read the status line.
    versions = {s.http_version for s in snaps.values()}
    without_phrase = any(not v.startswith("HTTP/1") for v in versions)
    found += compare_scalar(
        ctx, Category.STATUS, "reason", {n: s.reason for n, s in snaps.items()},
        ctx.builtin(REASON_PHRASE) if without_phrase else "",
    )
    return found


def compare_version(ctx: Context) -> list[Finding]:
    versions = {n: s.http_version for n, s in ctx.snapshots().items()}
    return compare_scalar(ctx, Category.VERSION, "http_version", versions)


def _location(hop: Hop) -> str | None:
    return next((v for k, v in hop.headers if k.lower() == "location"), None)


def compare_redirects(ctx: Context) -> list[Finding]:
    """Hop by hop: the count, then each hop's method, URL, status and Location."""
    chains = {n: o.redirects for n, o in ctx.outcomes.items()}
    found = compare_scalar(ctx, Category.REDIRECT, "hops", {n: len(c) for n, c in chains.items()})
    for i in range(max((len(c) for c in chains.values()), default=0)):
        hops = {n: (c[i] if i < len(c) else None) for n, c in chains.items()}
        parts = {
            "method": lambda h: h.request.method,
            "url": lambda h: h.request.url,
            "status": lambda h: h.status,
            "location": _location,
        }
        for part, get in parts.items():
            values = {n: (None if h is None else get(h)) for n, h in hops.items()}
            found += compare_scalar(ctx, Category.REDIRECT, f"hop {i + 1} {part}", values)
    return found


def compare_tls(ctx: Context) -> list[Finding]:
    """TLS facts and the remote address; a fact one backend did not capture is noise."""
    conns = {n: s.connection for n, s in ctx.snapshots().items()}
    found: list[Finding] = []
    for subject in ("tls_version", "cipher", "alpn", "remote_address"):
        values = {n: getattr(c, subject) for n, c in conns.items()}
        if len(values) < 2 or len(set(values.values())) < 2:
            continue
        missing = [n for n, v in values.items() if v is None]
        seen = {v for v in values.values() if v is not None}
        rule = not_observable(missing) if missing and len(seen) == 1 else ""
        found.append(finding(ctx, Category.TLS, subject, values, rule))
    return found


def _connect_spans(ctx: Context, values: dict[str, float | None]) -> tuple[dict[str, Any], str]:
    """Connect times that cover the same span on every side, and a note when they had to.

    httpx times TLS apart but its connect includes the DNS lookup; aiohttp times the
    lookup apart but its connect includes the handshake. Judging one connect against
    the other would call a handshake or a lookup a difference, so for each of tls and
    dns, where some sides time it apart and others cannot, the sides that do are
    judged on connect plus that phase. The values shown stay the measured ones.
    """
    judged = dict(values)
    notes = []
    for phase, inside in (("tls", "the TLS handshake"), ("dns", "the DNS lookup")):
        apart = {n: o.timings.phase(phase) for n, o in ctx.outcomes.items()}
        split = [n for n, v in values.items() if v is not None and apart[n] is not None]
        whole = [n for n, v in values.items() if v is not None and apart[n] is None]
        if not split or not whole:
            continue
        for n in split:
            judged[n] = (judged[n] or 0.0) + (apart[n] or 0.0)
        notes.append(f"judged as connect + {phase} for {', '.join(split)}: the connect of "
                     f"{', '.join(whole)} includes {inside}")
    return judged, "; ".join(notes)


def compare_timings(ctx: Context) -> list[Finding]:
    """Per phase: DIFFERENCE only when the gap beats both thresholds, else NOISE."""
    rules = ctx.rules
    jitter = (
        f"{TIMING_JITTER.label[:-1]}: gap under {rules.timing_threshold_ms:g} ms or "
        f"{rules.timing_ratio:.0%} of the faster side)"
    )
    found: list[Finding] = []
    for phase in (*PHASES, "total"):
        values = {n: o.timings.phase(phase) for n, o in ctx.outcomes.items()}
        judged, note = _connect_spans(ctx, values) if phase == "connect" else (values, "")
        measured = [v for v in judged.values() if v is not None]
        missing = [n for n, v in values.items() if v is None]
        if not measured or len(set(values.values())) < 2:
            continue
        if missing:
            failed = [n for n in missing if isinstance(ctx.outcomes[n], Failure)]
            rule = (
                f"built-in not-reached (the send failed first: {', '.join(failed)})"
                if failed == missing
                else not_observable(missing)
            )
            found.append(finding(ctx, Category.TIMING, phase, values, rule))
            continue
        faster, slower = min(measured), max(measured)
        limit = max(rules.timing_threshold_ms, rules.timing_ratio * faster)
        rule = "" if slower - faster > limit else jitter
        found.append(finding(ctx, Category.TIMING, phase, values, rule, detail=note))
    return found
