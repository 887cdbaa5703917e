"""A collection's noise rules as ``noise.yaml`` at its root, and back.

Noise rules are data a user edits and commits with the collection, so the file
follows the request files' habits: only values that differ from the defaults,
a fixed key order, strict loading with an error naming the file and field::

    use_defaults: true          # the built-in volatile headers (Date, request ids, ...)
    timing_threshold_ms: 50.0
    timing_ratio: 0.5
    rules:
    - kind: header              # header | request-header | json-path
      pattern: x-served-by
      reason: differs per node

The file reads into ``noise.NoiseRules``, the same object the diff engine applies.
"""

from __future__ import annotations

import math
from typing import Any, get_args

from httpdiff.errors import LoadError
from httpdiff.noise import NoiseRule, NoiseRules, RuleKind
from httpdiff.storage.request_file import dump_yaml, parse_yaml

RULE_KINDS: tuple[str, ...] = get_args(RuleKind)

_KEYS = ("use_defaults", "timing_threshold_ms", "timing_ratio", "rules")
_RULE_KEYS = ("kind", "pattern", "reason")


def noise_rules_to_yaml(rules: NoiseRules) -> str:
    """The text of ``noise.yaml``: settings that differ from the defaults, then the rules."""
    default = NoiseRules()
    doc: dict[str, Any] = {}
    for key in _KEYS[:3]:
        if getattr(rules, key) != getattr(default, key):
            doc[key] = getattr(rules, key)
    if rules.rules:
        doc["rules"] = [
            {"kind": r.kind, "pattern": r.pattern, **({"reason": r.reason} if r.reason else {})}
            for r in rules.rules
        ]
    return dump_yaml(doc) if doc else "{}\n"


def _number(source: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LoadError(source, f"field {key}: must be a number")
    if isinstance(value, int) and abs(value) > 2**53:
        raise LoadError(source, f"field {key}: is out of range")
    if not math.isfinite(value) or value < 0:
        raise LoadError(source, f"field {key}: must be a finite number, 0 or more")
    return float(value)


def _rule(source: str, index: int, item: Any) -> NoiseRule:
    where = f"field rules[{index}]"
    if not isinstance(item, dict):
        raise LoadError(source, f"{where}: must be a mapping with kind and pattern")
    for key in item:
        if key not in _RULE_KEYS:
            raise LoadError(source, f"{where}: unknown field (known: {', '.join(_RULE_KEYS)})")
    kind, pattern, reason = item.get("kind"), item.get("pattern"), item.get("reason", "")
    if kind not in RULE_KINDS:
        raise LoadError(source, f"{where}.kind: must be one of {', '.join(RULE_KINDS)}")
    if not isinstance(pattern, str) or not pattern:
        raise LoadError(source, f"{where}.pattern: must be non-empty text")
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        raise LoadError(source, f"{where}.reason: must be text")
    return NoiseRule(kind, pattern, reason)


def noise_rules_from_yaml(text: str, source: str) -> NoiseRules:
    """Parse ``noise.yaml``; raises ``LoadError`` naming ``source`` and the field."""
    doc = parse_yaml(text, source)
    if doc is None:
        return NoiseRules()
    if not isinstance(doc, dict):
        raise LoadError(source, "must be a mapping (use_defaults, timing_threshold_ms, "
                                "timing_ratio, rules)")
    for key in doc:
        if key not in _KEYS:
            raise LoadError(source, f"unknown field (known: {', '.join(_KEYS)})")
    default = NoiseRules()
    use_defaults = doc.get("use_defaults", default.use_defaults)
    if not isinstance(use_defaults, bool):
        raise LoadError(source, "field use_defaults: must be true or false")
    raw_rules = doc.get("rules") or []
    if not isinstance(raw_rules, list):
        raise LoadError(source, "field rules: must be a list")
    return NoiseRules(
        rules=tuple(_rule(source, i, item) for i, item in enumerate(raw_rules)),
        timing_threshold_ms=_number(
            source, "timing_threshold_ms", doc.get("timing_threshold_ms",
                                                   default.timing_threshold_ms)),
        timing_ratio=_number(source, "timing_ratio", doc.get("timing_ratio",
                                                             default.timing_ratio)),
        use_defaults=use_defaults,
    )
