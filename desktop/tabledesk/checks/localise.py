"""Error localisation for suggested corrections: the one or two cells, and their values, that
make a group of failing rules pass (``checks/suggest.py`` ranks and reports what this finds).

A single cell's value is solved exactly from each failing instance containing it (an interval
where missing cells leave a range: then the nearest value), and the solutions must agree; two
cells come from a 2×2 linear system over every instance touching them, or, where that leaves a
free parameter, the values the printed ones could be a slip of. Each candidate is re-checked with
the :class:`Checker`'s own evaluation on a copy of the values (:class:`Trial`), so "passes" means
what the checks panel means.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any

from tabledesk.checks.compile import CellKey, RuleInstance
from tabledesk.checks.engine import Checker, CheckStatus
from tabledesk.checks.interval import INF, Interval
from tabledesk.checks.slips import Change, amount_variants, change_kind, slip, variants
from tabledesk.core.document import Cell
from tabledesk.core.values import format_number

Uid = tuple[str, str, str]

PAIR = 0.2  # a second independent slip in the same group


class Trial(Checker):
    """The checker's instances evaluated over a copy of the values with some cells overridden."""

    def __init__(self, base: Checker) -> None:  # no super(): nothing is compiled again
        vars(self).update(vars(base))  # the compiled instances, the index and the results, shared
        self._bounds = {}  # but bounds of its own: they follow the overridden values
        self.overlay: dict[CellKey, Decimal] = {}

    def _value(self, key: CellKey) -> tuple[Decimal | None, Any]:
        cell = self._cells[key]
        return self.overlay.get(key, cell.value), cell.kind

    def passes(self, values: dict[CellKey, Decimal], group: set[Uid]) -> bool:
        """With ``values`` set: no instance of the group fails, and none fails that did not."""
        self.overlay = values
        self._bounds.clear()
        try:
            for inst in self.affected(values):
                if self.evaluate(inst).status is CheckStatus.FAILED:
                    before = self.results.get(inst.uid)
                    if inst.uid in group or before is None or before.status is not CheckStatus.FAILED:
                        return False
            return True
        finally:
            self.overlay = {}
            self._bounds.clear()


_ZERO = Decimal(0)


def _coefs(inst: RuleInstance) -> dict[CellKey, Decimal]:
    """Each cell's net coefficient (lhs − rhs); computed once per instance (a hot path)."""
    cached: dict[CellKey, Decimal] | None = getattr(inst, "_suggest_coefs", None)
    if cached is None:
        out: dict[CellKey, Decimal] = {}
        for c, k in inst.lhs:
            out[k] = out.get(k, _ZERO) + c
        for c, k in inst.rhs:
            out[k] = out.get(k, _ZERO) - c
        cached = {k: v for k, v in out.items() if v}
        object.__setattr__(inst, "_suggest_coefs", cached)
    return cached


def _rest(inst: RuleInstance, checker: Checker, skip: tuple[CellKey, ...]) -> Fraction | None:
    """lhs − rhs without the ``skip`` cells; None when another cell of the instance is missing.
    Sums of printed decimals are exact in Decimal; the solving divides in Fraction."""
    total = inst.lhs_const - inst.rhs_const
    cells = checker._cells
    for k, c in _coefs(inst).items():
        if k in skip:
            continue
        v = cells[k].value
        if v is None:
            return None
        total += c * v
    return Fraction(total)


def _pick(allowed: Interval, cell: Cell) -> Decimal | None:
    """The value in ``allowed`` nearest the cell's own (a rounded amount: the middle)."""
    if allowed.empty:
        return None
    lo, hi = allowed.lo, allowed.hi
    if not cell.kind.signed:
        lo = max(lo, Decimal(0))
    if cell.kind.fractional and lo.is_finite() and hi.is_finite():
        middle = _as_value(Fraction((lo + hi) / 2), cell)
        if cell.value is not None and middle is not None:
            # Rounding leaves a range of amounts that balance: the one the printed amount is a
            # slip of (2.80 for 2.00, 12345.60 for 1234.56) is the likelier correction.
            near = [v for v in amount_variants(cell.value) if lo <= v <= hi]
            if near:
                printed = format_number(cell.value)
                return min(near, key=lambda v: (-_slip_weight(printed, v), abs(v - middle), v))
        return middle
    if not cell.kind.fractional:
        lo = lo.to_integral_value(ROUND_CEILING) if lo.is_finite() else lo
        hi = hi.to_integral_value(ROUND_FLOOR) if hi.is_finite() else hi
    if lo > hi:
        return None
    current = cell.value if cell.value is not None else Decimal(0)
    v = min(max(current, lo), hi)
    return _as_value(Fraction(v), cell) if v.is_finite() else None


def _slip_weight(printed: str, value: Decimal) -> float:
    found = slip(printed, format_number(value), amount=True)
    return found[1] if found is not None else 0.0


def _as_value(x: Fraction, cell: Cell) -> Decimal | None:
    """The solved value in the cell's type, or None when the type cannot hold it."""
    if cell.kind.fractional:
        exp = cell.printed.as_tuple().exponent if cell.printed is not None else -2
        places = Decimal(1).scaleb(exp if isinstance(exp, int) and exp < 0 else 0)
        v = (Decimal(x.numerator) / Decimal(x.denominator)).quantize(places)
    elif x.denominator != 1:
        return None
    else:
        v = Decimal(x.numerator)
    if not cell.kind.signed and v < 0:
        return None
    return v


class Group:
    def __init__(self, checker: Checker, trial: Trial, failing: list[RuleInstance]) -> None:
        self.checker, self.trial, self.failing = checker, trial, failing
        self.uids = {f.uid for f in failing}
        self.coefs = {f.uid: _coefs(f) for f in failing}
        self.cells = list(dict.fromkeys(k for f in failing for k in f.cells()))
        self.mask = {
            k: sum(1 << i for i, f in enumerate(failing) if k in self.coefs[f.uid]) for k in self.cells
        }
        self.full = (1 << len(failing)) - 1

    def _candidate(self, values: dict[CellKey, Decimal]) -> tuple[tuple[Change, ...], float] | None:
        cells = {k: self.checker._cells[k] for k in values}
        if any(cells[k].value == v for k, v in values.items()) or not self.trial.passes(values, self.uids):
            return None
        changes, like = [], 1.0
        for k, v in values.items():
            kind, lk = change_kind(self.checker, k, cells[k].value, v)
            changes.append(Change(k, cells[k].value, v, kind))
            like *= lk
        return tuple(changes), like * (PAIR ** (len(values) - 1))

    def singles(self) -> list[tuple[tuple[Change, ...], float]]:
        out = []
        for k in self.cells:
            if self.mask[k] != self.full:
                continue
            allowed = Interval(-INF, INF)
            for f in self.failing:
                allowed = allowed.intersect(self._allowed(f, k))
            v = _pick(allowed, self.checker._cells[k])
            cand = self._candidate({k: v}) if v is not None else None
            if cand is not None:
                out.append(cand)
        return out

    def _nearest(self, a: CellKey, b: CellKey) -> Fraction | None:
        """The value nearest ``a``'s own that the failing rules with ``a`` but not ``b`` allow."""
        allowed = Interval(-INF, INF)
        for f in self.failing:
            if a in self.coefs[f.uid] and b not in self.coefs[f.uid]:
                allowed = allowed.intersect(self._allowed(f, a))
        v = _pick(allowed, self.checker._cells[a]) if allowed != Interval(-INF, INF) else None
        return Fraction(v) if v is not None and v != self.checker._cells[a].value else None

    def _allowed(self, inst: RuleInstance, k: CellKey) -> Interval:
        """The values of ``k`` that let ``inst`` hold, the other cells as they are (missing
        ones within their bounds): a point for an equality over known numbers."""
        c = self.coefs[inst.uid][k]
        rest = Interval.point(inst.lhs_const - inst.rhs_const)
        for key, ck in self.coefs[inst.uid].items():
            if key != k:
                rest = rest + self.trial._interval(key, inst).scale(ck)
        # c·x + rest OP 0
        if inst.op == "=":
            cx = Interval(-rest.hi, -rest.lo)
        elif inst.op in ("<=", "<"):
            cx = Interval(-INF, -rest.lo)
        else:
            cx = Interval(-rest.hi, INF)
        return cx.scale(1 / c)

    def search(self) -> list[tuple[tuple[Change, ...], float]]:
        """The smallest corrections: single cells, else pairs."""
        return self.singles() or self.pairs()

    def pairs(self) -> list[tuple[tuple[Change, ...], float]]:
        out = []
        for i, a in enumerate(self.cells):
            for b in self.cells[i + 1 :]:
                if self.mask[a] | self.mask[b] == self.full:
                    out.extend(self._pair(a, b))
        return out

    def _pair(self, a: CellKey, b: CellKey) -> list[tuple[tuple[Change, ...], float]]:
        rows: list[tuple[Fraction, Fraction, Fraction]] = []
        touching = {i.uid: i for k in (a, b) for i in self.checker.by_cell.get(k, ())}
        for inst in touching.values():
            if inst.op != "=":
                continue
            co = _coefs(inst)
            rest = _rest(inst, self.checker, (a, b))
            if rest is not None:
                rows.append((Fraction(co.get(a, _ZERO)), Fraction(co.get(b, _ZERO)), -rest))
        sols: list[tuple[Fraction, Fraction]] = []
        basis = next(((r, s) for r in rows for s in rows if r[0] * s[1] - s[0] * r[1]), None)
        if basis is not None:
            (p1, q1, r1), (p2, q2, r2) = basis
            det = p1 * q2 - p2 * q1
            sols.append(((r1 * q2 - r2 * q1) / det, (p1 * r2 - p2 * r1) / det))
        else:  # a one-parameter family
            va, vb = self.checker._cells[a].value, self.checker._cells[b].value
            pivot_b = next((r for r in rows if r[1]), None)
            pivot_a = next((r for r in rows if r[0]), None)
            # A rule only one of the two cells is in bounds that cell (missing numbers leave
            # a range): the nearest value there is the smallest correction.
            near_a, near_b = self._nearest(a, b), self._nearest(b, a)
            if near_a is not None and pivot_b is not None:
                sols.append((near_a, (pivot_b[2] - pivot_b[0] * near_a) / pivot_b[1]))
            if near_b is not None and pivot_a is not None:
                sols.append(((pivot_a[2] - pivot_a[1] * near_b) / pivot_a[0], near_b))
            if not sols:  # nothing bounds either: let each take a value it could plausibly be
                if va is not None and pivot_b is not None:
                    sols += [
                        (Fraction(x), (pivot_b[2] - pivot_b[0] * Fraction(x)) / pivot_b[1])
                        for x in variants(va)
                    ]
                if vb is not None and pivot_a is not None:
                    sols += [
                        ((pivot_a[2] - pivot_a[1] * Fraction(y)) / pivot_a[0], Fraction(y))
                        for y in variants(vb)
                    ]
        out = []
        for xa, xb in sols:
            if any(p * xa + q * xb != r for p, q, r in rows):
                continue
            na, nb = _as_value(xa, self.checker._cells[a]), _as_value(xb, self.checker._cells[b])
            if na is not None and nb is not None:
                cand = self._candidate({a: na, b: nb})
                if cand is not None:
                    out.append(cand)
        return out


def components(instances: list[RuleInstance]) -> list[list[RuleInstance]]:
    """Instances in connected groups: sharing a cell, directly or through a chain of others."""
    parent = list(range(len(instances)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[CellKey, int] = {}
    for i, inst in enumerate(instances):
        for k in inst.cells():
            if k in owner:
                parent[root(i)] = root(owner[k])
            else:
                owner[k] = i
    out: dict[int, list[RuleInstance]] = {}
    for i, inst in enumerate(instances):
        out.setdefault(root(i), []).append(inst)
    return list(out.values())
