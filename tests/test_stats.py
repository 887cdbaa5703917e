"""Bench statistics: known samples give known figures; the bootstrap is honest and repeatable."""

from __future__ import annotations

import math
import random

import pytest

from httpdiff.stats import (
    NO_DIFFERENCE,
    RatioEstimate,
    Wins,
    describe,
    histogram,
    percentile,
    ratio_of_medians,
    verdict,
    wins,
)

# (samples, count, min, median, p95, max, stdev); p95 as numpy's default (linear) computes it.
DESCRIBE_CASES = [
    ([1.0, 2.0, 3.0, 4.0, 5.0], 5, 1.0, 3.0, 4.8, 5.0, math.sqrt(2.5)),
    ([4.0, 1.0, 3.0, 2.0], 4, 1.0, 2.5, 3.85, 4.0, math.sqrt(5 / 3)),
    ([10.0], 1, 10.0, 10.0, 10.0, 10.0, None),
    ([None, 2.0, None, 4.0], 2, 2.0, 3.0, 3.9, 4.0, math.sqrt(2)),
    ([7.0, 7.0, 7.0], 3, 7.0, 7.0, 7.0, 7.0, 0.0),
    ([float(v) for v in range(1, 101)], 100, 1.0, 50.5, 95.05, 100.0, math.sqrt(841.666666666)),
]


@pytest.mark.parametrize(("values", "count", "low", "median", "p95", "high", "stdev"),
                         DESCRIBE_CASES)
def test_describe_known_samples(
    values: list[float | None], count: int, low: float, median: float, p95: float, high: float,
    stdev: float | None,
) -> None:
    summary = describe(values)
    assert summary is not None
    assert summary.count == count
    assert (summary.min, summary.max) == (low, high)
    assert summary.median == pytest.approx(median)
    assert summary.p95 == pytest.approx(p95)
    if stdev is None:
        assert summary.stdev is None
    else:
        assert summary.stdev == pytest.approx(stdev)


@pytest.mark.parametrize("values", [[], [None], [None, None, None]])
def test_nothing_observed_is_not_observable_rather_than_zero(values: list[float | None]) -> None:
    assert describe(values) is None


@pytest.mark.parametrize(("q", "expected"), [(0, 1.0), (50, 2.5), (100, 4.0), (25, 1.75)])
def test_percentile_interpolates(q: float, expected: float) -> None:
    assert percentile([4.0, 3.0, 2.0, 1.0], q) == pytest.approx(expected)


@pytest.mark.parametrize(("values", "q"), [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_rejects_bad_input(values: list[float], q: float) -> None:
    with pytest.raises(ValueError):
        percentile(values, q)


def _synthetic(rng: random.Random, n: int, first_ms: float, second_ms: float,
               spread: float = 0.2) -> list[tuple[float, float]]:
    # lognormal with the given medians: the true ratio of medians is first_ms / second_ms
    return [
        (rng.lognormvariate(math.log(first_ms), spread),
         rng.lognormvariate(math.log(second_ms), spread))
        for _ in range(n)
    ]


def test_bootstrap_interval_covers_the_true_ratio() -> None:
    estimate = ratio_of_medians(_synthetic(random.Random(7), 80, 10.0, 12.5))
    assert estimate is not None
    assert estimate.low < 0.8 < estimate.high
    assert estimate.low < estimate.ratio < estimate.high
    assert estimate.pairs == 80
    assert not estimate.includes_one


def test_bootstrap_coverage_is_near_nominal() -> None:
    rng = random.Random(11)
    covered = 0
    trials = 40
    for trial in range(trials):
        estimate = ratio_of_medians(_synthetic(rng, 40, 10.0, 12.5), resamples=400, seed=trial)
        assert estimate is not None
        covered += estimate.low <= 0.8 <= estimate.high
    # 95% nominal; 40 trials leave room for chance, not for a broken interval
    assert covered >= 33


def test_equal_backends_give_no_measurable_difference() -> None:
    estimate = ratio_of_medians(_synthetic(random.Random(3), 60, 10.0, 10.0))
    assert estimate is not None
    assert estimate.includes_one
    assert verdict("httpx", "aiohttp", estimate) == NO_DIFFERENCE


def test_identical_samples_give_a_ratio_of_exactly_one() -> None:
    estimate = ratio_of_medians([(5.0, 5.0)] * 10)
    assert estimate is not None
    assert (estimate.ratio, estimate.low, estimate.high) == (1.0, 1.0, 1.0)
    assert verdict("a", "b", estimate) == NO_DIFFERENCE


def test_bootstrap_is_deterministic_with_a_seed() -> None:
    pairs = _synthetic(random.Random(5), 30, 10.0, 11.0, spread=0.4)
    first = ratio_of_medians(pairs, seed=42)
    again = ratio_of_medians(pairs, seed=42)
    other = ratio_of_medians(pairs, seed=43)
    assert first == again
    assert first is not None and other is not None
    assert first.ratio == other.ratio
    assert (first.low, first.high) != (other.low, other.high)


def test_bootstrap_without_enough_data_gives_no_estimate() -> None:
    assert ratio_of_medians([]) is None
    assert ratio_of_medians([(1.0, 2.0)]) is None
    assert ratio_of_medians([(1.0, 0.0), (2.0, 0.0)]) is None
    assert verdict("a", "b", None) == "not enough data to compare"


@pytest.mark.parametrize(("estimate", "expected"), [
    (RatioEstimate(1 / 1.23, 1 / 1.35, 1 / 1.10, 20),
     "httpx is 1.23x faster (95% CI 1.10–1.35)"),
    (RatioEstimate(1.23, 1.10, 1.35, 20), "aiohttp is 1.23x faster (95% CI 1.10–1.35)"),
    (RatioEstimate(1.05, 0.98, 1.12, 20), NO_DIFFERENCE),
    (RatioEstimate(2.0, 1.5, 2.5, 20, confidence=0.9),
     "aiohttp is 2.00x faster (90% CI 1.50–2.50)"),
])
def test_verdict_wording(estimate: RatioEstimate, expected: str) -> None:
    assert verdict("httpx", "aiohttp", estimate) == expected


def test_a_verdict_from_few_runs_says_so() -> None:
    few = RatioEstimate(1.23, 1.10, 1.35, 3)
    assert verdict("httpx", "aiohttp", few) == (
        "aiohttp is 1.23x faster (95% CI 1.10–1.35) — only 3 runs: too few to go by")
    assert verdict("a", "b", RatioEstimate(1.0, 0.9, 1.1, 9)).startswith(NO_DIFFERENCE + " — ")
    assert "too few" not in verdict("a", "b", RatioEstimate(1.0, 0.9, 1.1, 10))


def test_clear_difference_reads_as_faster() -> None:
    estimate = ratio_of_medians(_synthetic(random.Random(9), 50, 10.0, 20.0, spread=0.1))
    assert verdict("httpx", "aiohttp", estimate).startswith("httpx is 1.99x faster (95% CI 1.9")


@pytest.mark.parametrize(("pairs", "expected"), [
    ([], Wins(0, 0, 0)),
    ([(1.0, 2.0), (3.0, 2.0), (2.0, 2.0), (0.5, 1.0)], Wins(2, 1, 1)),
])
def test_wins_counts_paired_runs(pairs: list[tuple[float, float]], expected: Wins) -> None:
    assert wins(pairs) == expected
    assert expected.total == len(pairs)


@pytest.mark.parametrize(("values", "bins", "bounds", "expected"), [
    ([1.0, 2.0, 3.0, 4.0], 2, (None, None), [2, 2]),
    ([1.0, 1.0, 1.0], 3, (None, None), [3, 0, 0]),
    ([], 4, (None, None), [0, 0, 0, 0]),
    ([0.0, 5.0, 10.0, 50.0], 2, (0.0, 10.0), [1, 3]),
    ([-5.0, 1.0], 2, (0.0, 10.0), [2, 0]),
])
def test_histogram(values: list[float], bins: int, bounds: tuple[float | None, float | None],
                   expected: list[int]) -> None:
    assert histogram(values, bins, *bounds) == expected


def test_histogram_needs_a_bin() -> None:
    with pytest.raises(ValueError):
        histogram([1.0], 0)
