"""Small statistics for timings: medians and percentiles."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100), interpolating linearly between ranks; NaN for no values."""
    data = sorted(values)
    if not data:
        return float("nan")
    rank = (len(data) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The median, NaN for no values."""
    return statistics.median(values) if values else float("nan")


def ratio(value: float, base: float) -> float:
    """value / base, NaN when either is missing or the base is zero."""
    if not base or base != base or value != value:
        return float("nan")
    return value / base
