"""Structural JSON diff by path: key order ignored, arrays compared index by index.

Paths read like ``$.data[3].id``; a key that is not a plain identifier is written
``$["odd key"]``. Noise rules of kind ``json-path`` use the same syntax with ``*``
wildcards. Arrays are compared by index (not aligned by content) so a path means
the same thing on both sides and a rule like ``$.items[*].updated_at`` stays simple.

Equality is strict about JSON types: ``true`` is not ``1`` and ``1`` is not ``1.0``
(Python's ``==`` says both are), and NaN equals NaN. The walk is iterative, so a
deeply nested document from a server cannot exhaust the stack.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

ChangeKind = Literal["added", "removed", "changed"]
Key = str | int
MISSING: Any = object()

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True, slots=True)
class JsonChange:
    """One changed path. ``left`` is None when added, ``right`` None when removed."""

    path: str
    kind: ChangeKind
    left: Any
    right: Any


def format_path(keys: tuple[Key, ...]) -> str:
    parts = ["$"]
    for key in keys:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif _IDENTIFIER.match(key):
            parts.append(f".{key}")
        else:
            parts.append(f"[{json.dumps(key, ensure_ascii=False)}]")
    return "".join(parts)


def _same_scalar(x: Any, y: Any) -> bool:
    if type(x) is not type(y):
        return False
    return bool(x == y) or (isinstance(x, float) and x != x and y != y)


def _lax_equal(x: Any, y: Any) -> bool:
    """``==`` on two containers of one type: C speed, but lax (``true == 1``, ``1 == 1.0``)."""
    if type(x) is not type(y) or not isinstance(x, dict | list):
        return False
    try:
        return bool(x == y)
    except RecursionError:
        return False


def _strictly_equal(lefts: list[Any], rights: list[Any]) -> bool:
    """Confirm a batch of lax-equal subtrees with one canonical (sorted-key) encoding each.

    One call for all siblings, not one per subtree: the encoder's per-call overhead
    would otherwise cost more than the walk it saves.
    """
    try:
        return _canonical(lefts) == _canonical(rights)
    except (RecursionError, ValueError):
        return False


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, check_circular=False)


def iter_changes(a: Any, b: Any) -> Iterator[tuple[tuple[Key, ...], ChangeKind, Any, Any]]:
    """Yield (keys, kind, left, right) depth-first in document order; MISSING marks absence.

    Equal subtrees are skipped without a Python-level walk: siblings that ``==`` calls
    equal are confirmed strictly in one batch, and walked only if that fails.
    """
    stack: list[tuple[tuple[Key, ...], Any, Any]] = [((), a, b)]
    while stack:
        keys, x, y = stack.pop()
        if isinstance(x, dict) and isinstance(y, dict):
            children = [(k, x[k], y.get(k, MISSING)) for k in x]
            children += [(k, MISSING, v) for k, v in y.items() if k not in x]
        elif isinstance(x, list) and isinstance(y, list):
            children = [
                (i, x[i] if i < len(x) else MISSING, y[i] if i < len(y) else MISSING)
                for i in range(max(len(x), len(y)))
            ]
        else:
            if not _same_scalar(x, y):
                yield keys, "changed", x, y
            continue
        walk: list[tuple[tuple[Key, ...], Any, Any, bool]] = []
        for key, left, right in children:
            if left is MISSING:
                yield (*keys, key), "added", MISSING, right
            elif right is MISSING:
                yield (*keys, key), "removed", left, MISSING
            elif left is not right:
                walk.append(((*keys, key), left, right, _lax_equal(left, right)))
        lax = [(left, right) for _, left, right, is_lax in walk if is_lax]
        confirmed = bool(lax) and _strictly_equal([p[0] for p in lax], [p[1] for p in lax])
        # Reversed so the stack pops children in document order.
        stack.extend(
            (path, left, right)
            for path, left, right, is_lax in reversed(walk)
            if not (is_lax and confirmed)
        )


def json_diff(a: Any, b: Any, limit: int | None = None) -> list[JsonChange]:
    """Every changed path between two parsed JSON values (the first ``limit`` if given)."""
    changes: list[JsonChange] = []
    for keys, kind, left, right in iter_changes(a, b):
        if limit is not None and len(changes) >= limit:
            break
        changes.append(JsonChange(
            format_path(keys), kind,
            None if left is MISSING else left, None if right is MISSING else right,
        ))
    return changes


def lookup(doc: Any, keys: tuple[Key, ...]) -> Any:
    """The value at ``keys`` in ``doc``, or MISSING."""
    for key in keys:
        if isinstance(key, int):
            if not isinstance(doc, list) or key >= len(doc):
                return MISSING
        elif not isinstance(doc, dict) or key not in doc:
            return MISSING
        doc = doc[key]
    return doc


def compact(value: Any, width: int = 200) -> str | None:
    """A one-line JSON rendering, cut at ``width`` characters; None for MISSING."""
    if value is MISSING:
        return None
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= width else text[: width - 1] + "…"
