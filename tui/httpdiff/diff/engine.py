"""``findings()``: every way two or more outcomes differ, differences first.

Each category has one comparator (see ``meta``, ``headers``, ``body``); this module
runs them all and orders the result: differences before noise, and within each by
category in the order ``model.Category`` declares, keeping each comparator's own
order (header order, document order of JSON paths, phase order) inside a category.
Pure: no I/O, so the TUI, the CLI and ``recompute`` after a rule edit all share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from httpdiff.diff.body import compare_bodies
from httpdiff.diff.common import Comparator, Context
from httpdiff.diff.headers import compare_requests, compare_response_headers
from httpdiff.diff.meta import (
    compare_outcomes,
    compare_redirects,
    compare_status,
    compare_timings,
    compare_tls,
    compare_version,
)
from httpdiff.model import Category, Comparison, Finding, Outcome, Verdict
from httpdiff.noise import NoiseRules

COMPARATORS: tuple[Comparator, ...] = (
    compare_outcomes,
    compare_status,
    compare_version,
    compare_requests,
    compare_response_headers,
    compare_bodies,
    compare_redirects,
    compare_tls,
    compare_timings,
)

_CATEGORY_ORDER = {category: index for index, category in enumerate(Category)}


def findings(
    outcomes: Mapping[str, Outcome], rules: NoiseRules | None = None
) -> tuple[Finding, ...]:
    """Every finding between the outcomes (backend name -> outcome); () for fewer than two."""
    if len(outcomes) < 2:
        return ()
    ctx = Context(outcomes, rules if rules is not None else NoiseRules())
    found = [f for comparator in COMPARATORS for f in comparator(ctx)]
    # sorted() is stable: the comparators' own order survives inside each group.
    return tuple(sorted(found, key=lambda f: (
        f.verdict is not Verdict.DIFFERENCE, _CATEGORY_ORDER[f.category]
    )))


def recompute(comparison: Comparison, rules: NoiseRules) -> Comparison:
    """The same outcomes judged under new rules (after the user edits them)."""
    return replace(comparison, findings=findings(comparison.outcomes, rules))
