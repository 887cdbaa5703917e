"""A comparison as a JSON document and as a plain-text summary for the terminal.

Both are pure functions of a ``Comparison`` so ``httpdiff compare`` and
``httpdiff run`` print exactly the same shapes. Server text is untrusted: the
text summary makes control characters visible (an ESC never reaches the
terminal), and no markup language is involved at all.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from httpdiff.model import (
    PHASES,
    Comparison,
    Failure,
    Finding,
    Hop,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
)

# C0 and C1 controls (ESC, CSI...), and the Unicode line separators and bidi
# overrides that would let server text break lines or reorder what is displayed.
_UNPRINTABLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape (tab and newline kept)."""
    return _UNPRINTABLE.sub(lambda m: _escape(m.group()), text)


def shown_url(url: str) -> str:
    """The URL with the password of its user info masked, as the auth password is."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url
    if not password:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{hostport}"))


def _one_line(value: Any, width: int) -> str:
    if isinstance(value, float):
        value = f"{value:.1f}"
    text = "—" if value is None else printable(str(value)).replace("\n", "\\n").replace("\t", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def request_document(spec: RequestSpec) -> dict[str, Any]:
    doc = asdict(spec)
    doc["url"] = shown_url(spec.url)
    doc["options"]["proxy"] = shown_url(spec.options.proxy)
    doc["headers"] = [list(h) for h in spec.headers]
    doc["params"] = [list(p) for p in spec.params]
    doc["body"]["fields"] = [list(f) for f in spec.body.fields]
    if spec.auth.password:
        doc["auth"]["password"] = "***"
    if spec.auth.token:
        doc["auth"]["token"] = "***"
    return doc


def _hop_document(hop: Hop) -> dict[str, Any]:
    return {
        "url": hop.request.url,
        "method": hop.request.method,
        "status": hop.status,
        "http_version": hop.http_version,
        "location": next((v for n, v in hop.headers if n.lower() == "location"), None),
    }


def result_document(outcome: Outcome) -> dict[str, Any]:
    sent = outcome.request
    doc: dict[str, Any] = {
        "status": None,
        "reason": None,
        "http_version": None,
        "headers": [],
        "body_size": None,
        "body_sha256": None,
        "body_truncated": False,
        "request": None if sent is None else {
            "method": sent.method, "url": sent.url, "headers": [list(h) for h in sent.headers],
        },
        "timings": outcome.timings.as_dict(),
        "connection": None,
        "redirects": [_hop_document(h) for h in outcome.redirects],
        "error": None,
    }
    if isinstance(outcome, Failure):
        doc["error"] = {
            "kind": outcome.kind.value, "type": outcome.exception_type, "message": outcome.message,
        }
        return doc
    doc.update(
        status=outcome.status,
        reason=outcome.reason,
        http_version=outcome.http_version,
        headers=[list(h) for h in outcome.headers],
        body_size=len(outcome.body),
        body_sha256=hashlib.sha256(outcome.body).hexdigest(),
        body_truncated=outcome.truncated,
        connection=outcome.connection.as_dict(),
    )
    return doc


def finding_document(finding: Finding) -> dict[str, Any]:
    return {
        "category": finding.category.value,
        "subject": finding.subject,
        "verdict": finding.verdict.value,
        "values": finding.values,
        "rule": finding.rule or None,
    }


def comparison_document(comparison: Comparison) -> dict[str, Any]:
    """The ``--format json`` document, as ARCHITECTURE.md's headless CLI contract gives it."""
    return {
        "request": request_document(comparison.request),
        "results": {name: result_document(o) for name, o in comparison.outcomes.items()},
        "findings": [finding_document(f) for f in comparison.findings],
        "equivalent": comparison.equivalent,
    }


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if n < 1024 or unit == "MiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def _ms(value: float | None) -> str:
    return "not observable" if value is None else f"{value:.1f} ms"


def _summary_rows(outcome: Outcome) -> dict[str, str]:
    rows: dict[str, str] = {}
    if isinstance(outcome, Failure):
        rows["result"] = f"FAILED {outcome.kind.value}: {outcome.message}"
        rows["error type"] = outcome.exception_type
    else:
        assert isinstance(outcome, ResponseSnapshot)
        rows["status"] = f"{outcome.status} {outcome.reason}".strip()
        rows["version"] = outcome.http_version
        size = _size(len(outcome.body)) + (" (capped)" if outcome.truncated else "")
        rows["body"] = f"{size}  {outcome.content_type or 'no content type'}"
        conn = outcome.connection
        if conn.tls_version:
            rows["tls"] = f"{conn.tls_version} {conn.cipher or ''} alpn={conn.alpn or '—'}"
        if conn.reused is not None:
            rows["connection"] = "reused" if conn.reused else "new"
    if outcome.redirects:
        rows["redirects"] = " → ".join(f"{h.status}" for h in outcome.redirects)
    for phase in (*PHASES, "total"):
        rows[phase] = _ms(outcome.timings.phase(phase))
    return rows


def _finding_line(finding: Finding, names: list[str], width: int) -> str:
    label = f"{finding.category.value}: {finding.subject}"
    if finding.category.value == "timing":
        label += " (ms)"
    values = "   ".join(f"{name}={_one_line(finding.values.get(name), width)}" for name in names)
    rule = f"   [{finding.rule}]" if finding.rule and not finding.is_difference else ""
    return f"  {_one_line(label, 36):<36} {values}{rule}"


def comparison_text(
    comparison: Comparison, *, detail_lines: int = 40, width: int | None = None
) -> str:
    """A readable side-by-side summary, differences first.

    ``width``: the terminal's columns, to give the result columns what room there is
    (an error message is often the longest value); without it they stay narrow.
    """
    names = list(comparison.outcomes)
    spec = comparison.request
    lines = [f"{spec.method} {printable(shown_url(spec.url))}   ({' vs '.join(names)})"]
    diffs, noise = comparison.differences, comparison.noise
    if len(names) < 2:
        lines.append("one backend: nothing to compare")
    elif comparison.equivalent:
        lines.append(f"EQUIVALENT  ({len(noise)} noise)")
    else:
        plural = "S" if len(diffs) != 1 else ""
        lines.append(f"{len(diffs)} DIFFERENCE{plural}  ({len(noise)} noise)")
    failed = {o.kind.value for o in comparison.outcomes.values() if isinstance(o, Failure)}
    if len(names) > 1 and not any(o.ok for o in comparison.outcomes.values()):
        # "equivalent" then means they failed alike: a server that is down must not pass
        # for a comparison that held.
        lines.append(f"note: every backend failed ({', '.join(sorted(failed))}): "
                     "no response was compared")
    if diffs:
        lines += ["", "Differences"]
        for finding in diffs:
            lines.append(_finding_line(finding, names, 40))
            if finding.detail:
                detail = printable(finding.detail).splitlines()
                lines += [f"      {row}" for row in detail[:detail_lines]]
                if len(detail) > detail_lines:
                    lines.append(f"      … {len(detail) - detail_lines} more lines")
    lines += ["", "Results"]
    rows = {name: _summary_rows(o) for name, o in comparison.outcomes.items()}
    keys = list(dict.fromkeys(k for r in rows.values() for k in r))
    widest = max(48, (width - 14) // len(names)) if width and names else 48
    col = max(24, min(widest, max((len(v) for r in rows.values() for v in r.values()),
                                  default=0) + 2))
    lines.append(f"  {'':<12}" + "".join(f"{name:<{col}}" for name in names))
    for key in keys:
        cells = "".join(f"{_one_line(rows[n].get(key, ''), col - 2):<{col}}" for n in names)
        lines.append(f"  {key:<12}{cells}".rstrip())
    if noise:
        lines += ["", f"Noise ({len(noise)})"]
        lines += [_finding_line(f, names, 28) for f in noise]
    return "\n".join(lines)
