"""Statistics for the timing lab: order statistics, spread, and a bootstrap CI of a ratio.

Pure and stdlib only (no numpy): the bench core, the CLI and the UI all use it,
and the sample counts a person runs by hand (tens to a few thousand) are small
enough for plain Python. Timing samples are skewed and heavy-tailed, so the
headline figure is the ratio of two *medians*, not of means, and its uncertainty
comes from a percentile bootstrap rather than a normal approximation. Samples are
resampled in pairs (one value per backend from the same run), so slow drift that
hits both backends alike, such as a busy machine, cancels out instead of widening
the interval. The RNG is seeded, so the same samples always give the same interval.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_RESAMPLES = 2000
DEFAULT_CONFIDENCE = 0.95
DEFAULT_SEED = 0
NO_DIFFERENCE = "no measurable difference"
# Below this many pairs a bootstrap interval of a median is too coarse to go by: it can
# only be built from a handful of values, and looks far tighter than it is.
MIN_PAIRS = 10


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100), interpolating linearly between closest ranks.

    The same definition as numpy's default ("type 7"), so figures can be checked
    against it; ``values`` need not be sorted. Raises ``ValueError`` when empty.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0-100")
    ordered = sorted(values)
    return _sorted_percentile(ordered, q)


def _sorted_percentile(ordered: Sequence[float], q: float) -> float:
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    fraction = position - low
    return ordered[low] + (ordered[high] - ordered[low]) * fraction


@dataclass(frozen=True, slots=True)
class Summary:
    """Order statistics and spread of one phase's samples (milliseconds).

    ``stdev`` is the sample standard deviation (n - 1); it is ``None`` for a
    single sample, where spread cannot be estimated.
    """

    count: int
    min: float
    median: float
    p95: float
    max: float
    mean: float
    stdev: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "count": self.count, "min": self.min, "median": self.median, "p95": self.p95,
            "max": self.max, "mean": self.mean, "stdev": self.stdev,
        }


def describe(values: Sequence[float | None]) -> Summary | None:
    """Summary of the observed values; ``None`` entries are left out.

    Returns ``None`` when nothing was observed: the phase is "not observable",
    which is different from a phase that took zero time.
    """
    observed = sorted(v for v in values if v is not None)
    if not observed:
        return None
    count = len(observed)
    mean = math.fsum(observed) / count
    stdev = None
    if count > 1:
        stdev = math.sqrt(math.fsum((v - mean) ** 2 for v in observed) / (count - 1))
    return Summary(
        count=count,
        min=observed[0],
        median=_sorted_percentile(observed, 50),
        p95=_sorted_percentile(observed, 95),
        max=observed[-1],
        mean=mean,
        stdev=stdev,
    )


@dataclass(frozen=True, slots=True)
class RatioEstimate:
    """``median(first) / median(second)`` over paired samples, with a bootstrap interval.

    Below 1 the first is faster. ``low``/``high`` bound the ``confidence``
    interval; ``pairs`` is how many paired samples it rests on.
    """

    ratio: float
    low: float
    high: float
    pairs: int
    confidence: float = DEFAULT_CONFIDENCE
    resamples: int = DEFAULT_RESAMPLES

    @property
    def includes_one(self) -> bool:
        return self.low <= 1.0 <= self.high

    def as_dict(self) -> dict[str, float | int]:
        return {
            "ratio": self.ratio, "ci_low": self.low, "ci_high": self.high, "pairs": self.pairs,
            "confidence": self.confidence, "resamples": self.resamples,
        }


def _median(values: list[float]) -> float:
    values.sort()
    n = len(values)
    middle = n // 2
    return values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2


def _draw(rng: random.Random, n: int) -> list[int]:
    """``n`` indices below ``n``, uniformly with replacement.

    Twice as fast as ``rng.choices`` (the bootstrap's main cost): 32 random bits per
    index, whose modulo bias (under n / 2**32) is far below anything a bench can see.
    """
    return [bits % n for bits in memoryview(rng.randbytes(4 * n)).cast("I")]


def ratio_of_medians(
    pairs: Sequence[tuple[float, float]],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = DEFAULT_SEED,
) -> RatioEstimate | None:
    """Ratio of the medians of paired samples with a percentile-bootstrap interval.

    Each resample draws whole pairs with replacement, keeping each run's two
    values together. Returns ``None`` when there are fewer than two pairs or the
    second median is zero (no ratio exists). Resamples whose second median is
    zero are skipped, since they have no ratio either.
    """
    if len(pairs) < 2 or not 0 < confidence < 1 or resamples < 1:
        return None
    firsts = [a for a, _ in pairs]
    seconds = [b for _, b in pairs]
    denominator = _median(list(seconds))
    if denominator <= 0:
        return None
    ratio = _median(list(firsts)) / denominator
    rng = random.Random(seed)
    n = len(pairs)
    first_at, second_at = firsts.__getitem__, seconds.__getitem__
    ratios: list[float] = []
    for _ in range(resamples):
        drawn = _draw(rng, n)
        bottom = _median(list(map(second_at, drawn)))
        if bottom > 0:
            ratios.append(_median(list(map(first_at, drawn))) / bottom)
    if not ratios:
        return None
    ratios.sort()
    tail = (1 - confidence) / 2 * 100
    return RatioEstimate(
        ratio=ratio,
        low=_sorted_percentile(ratios, tail),
        high=_sorted_percentile(ratios, 100 - tail),
        pairs=n,
        confidence=confidence,
        resamples=resamples,
    )


def verdict(first: str, second: str, estimate: RatioEstimate | None) -> str:
    """One sentence: which one is faster and by how much, or that no difference shows.

    A factor is always >= 1 ("httpx is 1.23x faster"), so the interval is turned
    around with it when the second backend is the faster one.
    """
    if estimate is None:
        return "not enough data to compare"
    caution = (f" — only {estimate.pairs} runs: too few to go by"
               if estimate.pairs < MIN_PAIRS else "")
    if estimate.includes_one:
        return NO_DIFFERENCE + caution
    level = f"{estimate.confidence * 100:g}%"
    if estimate.ratio < 1:
        faster, factor, low, high = first, 1 / estimate.ratio, 1 / estimate.high, 1 / estimate.low
    else:
        faster, factor, low, high = second, estimate.ratio, estimate.low, estimate.high
    return f"{faster} is {factor:.2f}x faster ({level} CI {low:.2f}–{high:.2f}){caution}"


@dataclass(frozen=True, slots=True)
class Wins:
    """How often each side was faster across paired runs."""

    first: int = 0
    second: int = 0
    ties: int = 0

    @property
    def total(self) -> int:
        return self.first + self.second + self.ties


def wins(pairs: Sequence[tuple[float, float]]) -> Wins:
    """Count the runs in which the first value was lower, the second, or both equal."""
    first = sum(1 for a, b in pairs if a < b)
    second = sum(1 for a, b in pairs if b < a)
    return Wins(first=first, second=second, ties=len(pairs) - first - second)


def histogram(
    values: Sequence[float], bins: int, low: float | None = None, high: float | None = None
) -> list[int]:
    """Counts of ``values`` in ``bins`` equal-width bins from ``low`` to ``high``.

    The bounds default to the values' own range; values outside given bounds are
    clamped into the end bins so that nothing silently disappears. All values equal
    (zero width) puts everything in the first bin.
    """
    if bins < 1:
        raise ValueError("a histogram needs at least one bin")
    counts = [0] * bins
    if not values:
        return counts
    low = min(values) if low is None else low
    high = max(values) if high is None else high
    width = (high - low) / bins
    for value in values:
        index = 0 if width <= 0 else int((value - low) / width)
        counts[min(max(index, 0), bins - 1)] += 1
    return counts
