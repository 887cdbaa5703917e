"""Noise rules: data that says which differences are expected and not worth a verdict.

Rules are plain data (stdlib only, beside ``model``) so users can edit them in the
app and storage can save them with a collection (``noise.yaml`` at its root); the
diff engine applies them. A finding that a rule matches keeps all
its values but gets the verdict "noise" and the rule's description.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

RuleKind = Literal["header", "request-header", "json-path"]


@dataclass(frozen=True, slots=True)
class NoiseRule:
    """One rule: ``pattern`` is a header name or a JSON path, with ``*`` wildcards.

    JSON paths are written like ``$.data[*].id`` (see ``diff.json_diff`` for the syntax):
    ``*`` matches within one path segment, ``**`` across segments, and a rule that matches
    a path also covers everything below it (``$.meta`` covers ``$.meta.generated_at``).
    Header names compare case-insensitively, with shell-style wildcards.
    """

    kind: RuleKind
    pattern: str
    reason: str = ""

    def matches(self, subject: str) -> bool:
        if self.kind == "json-path":
            return _json_path_pattern(self.pattern).match(subject) is not None
        return fnmatch.fnmatchcase(subject.lower(), self.pattern.lower())

    @property
    def label(self) -> str:
        return f"{self.kind} {self.pattern}" + (f" ({self.reason})" if self.reason else "")

    def as_dict(self) -> dict[str, str]:
        data = {"kind": self.kind, "pattern": self.pattern}
        if self.reason:
            data["reason"] = self.reason
        return data


@lru_cache(maxsize=512)
def _json_path_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a JSON-path rule. Not fnmatch: there ``[*]`` is a character class, which
    would make the documented ``$.data[*].id`` match only a literal ``[*]``."""
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        elif pattern[i] == "*":
            parts.append(r"[^.\[\]]*")
            i += 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    # Anchored at the start by ``match``; the end may be the path's end or a child segment.
    return re.compile("".join(parts) + r"(?=$|[.\[])")


# Response headers whose values change with every request or every server process.
DEFAULT_RESPONSE_HEADERS: tuple[str, ...] = (
    "date", "age", "expires", "last-modified", "etag", "server-timing", "x-request-id",
    "x-correlation-id", "x-amzn-requestid", "x-amz-request-id", "x-amz-id-2", "cf-ray",
    "x-runtime", "x-response-time", "request-id", "traceparent", "x-trace-id", "x-cache",
    "set-cookie-expires",
)


@dataclass(frozen=True, slots=True)
class NoiseRules:
    """Every rule applied to one comparison, plus the timing thresholds.

    A timing gap is noise when it is under ``timing_threshold_ms`` or under
    ``timing_ratio`` times the faster side: loopback jitter is about a millisecond.
    """

    rules: tuple[NoiseRule, ...] = field(default_factory=tuple)
    timing_threshold_ms: float = 50.0
    timing_ratio: float = 0.5
    use_defaults: bool = True

    def all_rules(self) -> tuple[NoiseRule, ...]:
        defaults = (
            tuple(
                NoiseRule("header", name, "varies per request")
                for name in DEFAULT_RESPONSE_HEADERS
            )
            if self.use_defaults
            else ()
        )
        return defaults + self.rules

    def match(self, kind: RuleKind, subject: str) -> NoiseRule | None:
        for rule in self.all_rules():
            if rule.kind == kind and rule.matches(subject):
                return rule
        return None

    def with_rule(self, rule: NoiseRule) -> NoiseRules:
        if rule in self.rules:
            return self
        return replace(self, rules=(*self.rules, rule))

    def without_rule(self, rule: NoiseRule) -> NoiseRules:
        return replace(self, rules=tuple(r for r in self.rules if r != rule))

    def as_dict(self) -> dict[str, Any]:
        return {
            "use_defaults": self.use_defaults,
            "timing_threshold_ms": self.timing_threshold_ms,
            "timing_ratio": self.timing_ratio,
            "rules": [r.as_dict() for r in self.rules],
        }
