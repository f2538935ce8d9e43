"""Closed intervals of exact decimals, with infinite ends for unknown values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

INF = Decimal("Infinity")
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Interval:
    lo: Decimal
    hi: Decimal

    @staticmethod
    def point(v: Decimal) -> Interval:
        return Interval(v, v)

    @property
    def empty(self) -> bool:
        return self.lo > self.hi

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scale(self, k: Decimal) -> Interval:
        if k == 0:  # 0 × ∞ would be NaN; a zero coefficient contributes nothing
            return EMPTY_SUM
        if k > 0:
            return Interval(self.lo * k, self.hi * k)
        return Interval(self.hi * k, self.lo * k)

    def intersect(self, other: Interval) -> Interval:
        return Interval(max(self.lo, other.lo), min(self.hi, other.hi))

    def contains(self, v: Decimal) -> bool:
        return self.lo <= v <= self.hi


ALL = Interval(-INF, INF)
NONNEG = Interval(ZERO, INF)
EMPTY_SUM = Interval(ZERO, ZERO)
