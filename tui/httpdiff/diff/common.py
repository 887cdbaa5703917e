"""What every comparator shares: the built-in noise rules, the context, finding helpers.

Built-in rules are named, described facts about HTTP (HTTP/2 has no reason phrase,
hop-by-hop headers follow the connection, multipart boundaries are random) rather
than silent skips: a finding they cover is still reported, as noise with the rule's
label, so the user sees why it does not count. The ones that are judgement calls
honour ``NoiseRules.use_defaults``; the ones that are simply true (header-name case,
"not observable", same-kind error wording) always apply.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from httpdiff.model import Category, Failure, Finding, Outcome, ResponseSnapshot, Verdict
from httpdiff.noise import NoiseRule, NoiseRules, RuleKind


@dataclass(frozen=True, slots=True)
class Builtin:
    """A noise rule that ships with the engine: a stable name and the reason it exists."""

    name: str
    reason: str
    optional: bool = True  # switched off with NoiseRules(use_defaults=False)

    @property
    def label(self) -> str:
        return f"built-in {self.name} ({self.reason})"


REASON_PHRASE = Builtin(
    "reason-phrase", "HTTP/2 and HTTP/3 carry no reason phrase; the status code decides"
)
HOP_BY_HOP = Builtin(
    "hop-by-hop", "connection-level header: it follows the protocol and pooling, not the content"
)
CONTENT_LENGTH = Builtin(
    "content-length-framing",
    "sent on one side only: chunked or HTTP/2 framing carries the length instead",
)
HEADER_NAME_CASE = Builtin(
    "header-name-case", "header names are case-insensitive; HTTP/2 sends them lowercase", False
)
MULTIPART_BOUNDARY = Builtin("multipart-boundary", "each library picks its own random boundary")
ERROR_WORDING = Builtin(
    "error-wording", "same kind of failure, worded by each library its own way", False
)
JSON_FORMAT = Builtin(
    "json-format", "the same JSON value; only whitespace, key order or escapes differ", False
)
BOTH_TRUNCATED = Builtin(
    "both-truncated", "every body was cut at the size cap; compared up to the cap", False
)
TIMING_JITTER = Builtin(
    "timing-jitter", "a single send's timing gap under the thresholds is jitter", False
)

# Connection-level headers (RFC 9110 §7.6.1): their presence says how the bytes were
# framed and whether the connection stays open, which depends on protocol and pool.
HOP_BY_HOP_HEADERS = frozenset(
    {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te"}
)


def not_observable(names: list[str]) -> str:
    return f"built-in not-observable (not observable by {', '.join(names)})"


@dataclass(slots=True)
class Context:
    """One comparison's inputs, with the user's rules sorted by kind once (not per subject)."""

    outcomes: Mapping[str, Outcome]
    rules: NoiseRules
    by_kind: dict[str, tuple[NoiseRule, ...]] = field(default_factory=dict)
    _cache: dict[tuple[str, str], NoiseRule | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        everything = self.rules.all_rules()
        for kind in ("header", "request-header", "json-path"):
            self.by_kind[kind] = tuple(r for r in everything if r.kind == kind)

    @property
    def names(self) -> list[str]:
        return list(self.outcomes)

    def snapshots(self) -> dict[str, ResponseSnapshot]:
        return {n: o for n, o in self.outcomes.items() if isinstance(o, ResponseSnapshot)}

    def failures(self) -> dict[str, Failure]:
        return {n: o for n, o in self.outcomes.items() if isinstance(o, Failure)}

    def builtin(self, rule: Builtin) -> str:
        """The rule's label, or "" when the user switched the defaults off."""
        return rule.label if self.rules.use_defaults or not rule.optional else ""

    def user_rule(self, kind: RuleKind, subject: str) -> str:
        """The label of the first rule of ``kind`` matching ``subject``, or ""."""
        key = (kind, subject)
        if key not in self._cache:
            self._cache[key] = next((r for r in self.by_kind[kind] if r.matches(subject)), None)
        found = self._cache[key]
        return found.label if found else ""

    def values(self, present: Mapping[str, Any]) -> dict[str, Any]:
        """Every backend's value: the ones given, None for the rest, in outcome order."""
        return {name: present.get(name) for name in self.outcomes}


def finding(
    ctx: Context, category: Category, subject: str, present: Mapping[str, Any], rule: str = "",
    detail: str = "",
) -> Finding:
    """A finding whose verdict follows from whether a rule covered it."""
    verdict = Verdict.NOISE if rule else Verdict.DIFFERENCE
    return Finding(category, subject, verdict, ctx.values(present), rule, detail)


def all_equal(values: Mapping[str, Any]) -> bool:
    items = list(values.values())
    return all(v == items[0] for v in items[1:])


def compare_scalar(
    ctx: Context, category: Category, subject: str, present: Mapping[str, Any],
    rule: str = "",
) -> list[Finding]:
    """One finding when the participating sides disagree, none otherwise."""
    if len(present) < 2 or all_equal(present):
        return []
    return [finding(ctx, category, subject, present, rule)]


Comparator = Callable[[Context], list[Finding]]


def describe_bytes(data: bytes, *, inline: int = 120) -> str:
    """A short, stable description of bytes: the text itself when short, else size and hash."""
    if not data:
        return "(empty)"
    if len(data) <= inline:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if text.isprintable():
                return text
    return f"{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}"
