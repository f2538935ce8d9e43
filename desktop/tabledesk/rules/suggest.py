"""Suggested corrections: the one or two cells whose change makes a table's failing rules pass.

When a table fails, usually one number was misread or mistyped. This is Fellegi–Holt error
localisation over the linear rules: the failing instances of a table split into connected
groups (instances sharing cells, directly or through other failing instances; groups nothing
explains alone are tried together when passing rules connect them); for each group we look
for the smallest sets of cells — one, then two — and values that make every rule touching
them pass. A single cell's value is solved exactly from each failing instance containing it
(an interval where missing cells leave a range: then the nearest value), and the solutions
must agree; two cells come from a 2×2 linear system over every instance touching them, or,
where that leaves a free parameter, the values the printed ones could be a slip of. Each
candidate is then re-checked with the
:class:`Checker`'s own evaluation on a copy of the values, so "passes" means what the checks
panel means.

Candidates are ranked by how plausibly the number on the page is a slip of the suggested one
(one digit changed, adjacent digits swapped, a digit dropped or doubled, look-alike digits for
OCR), by totals that should simply be the sum of their parts, and by how uncertain the cell's
extraction was. A group that no one- or two-cell change explains is reported as
:class:`Unexplained` instead of guessed at. Nothing here changes the document: a suggestion
becomes an ordinary :class:`Edit` only when the clerk accepts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any

from tabledesk.core.document import Cell, CellStatus, Document, Table
from tabledesk.core.edits import CellChange, Edit, EditReason
from tabledesk.core.values import clean_number_text, format_number
from tabledesk.rules.compile import CellKey, RuleInstance
from tabledesk.rules.engine import Checker, CheckResult, CheckStatus
from tabledesk.rules.interval import INF, Interval
from tabledesk.rules.narrative import is_narrative

Uid = tuple[str, str, str]

# Likelihood that a printed number is this particular slip of the true one. A slip is a changed
# digit, a swap or a dropped digit about equally often; within a kind every position (and every
# other digit) is equally likely, so a specific slip of a long number is less likely than one
# of a short number — which is what makes "3 → 8" weaker evidence than "1203 → 1230".
W_DIGIT = W_SWAP = W_DROP = 1 / 3
W_INSERT = 1 / 30  # a stray digit that doubles no neighbour
OCR_BOOST = 2.0  # 0/6/8/9, 1/7, 3/8, 5/6 look alike in print
W_SUM = 0.01  # a total that is not the sum of its parts, no digit relation
W_SUM_BLANK = 1.0  # a total printed 0 or blank while its parts are not: never filled in
W_BLANK = 0.2  # a cell printed blank (read as 0) that should hold a number
W_VALUE = 0.001  # no recognisable relation at all
PAIR = 0.2  # a second independent slip in the same group
NONE = 0.002  # "none of these": keeps a lone implausible candidate's score modest
VALUE_PRIOR = 0.5  # counts in these tables are small more often than large: P(n) ∝ (n + 1)^-½
TOP = 3  # candidates kept per group
OCR_GROUPS = (frozenset("0689"), frozenset("17"), frozenset("38"), frozenset("56"))
_PLAIN = re.compile(r"-?[0-9]*\.?[0-9]*")


@dataclass(frozen=True, slots=True)
class Change:
    key: CellKey
    old: Decimal | None
    new: Decimal
    kind: str  # how the printed value relates to the new one: a key of KIND_LABELS


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One correction for one group of failing rules of a table, with its plausibility."""

    group: int  # the group's number within its table
    table_id: str
    changes: tuple[Change, ...]
    kind: str  # the changes' kinds, joined with "+" when they differ
    score: float  # 0–1: the candidate's share of the group's plausibility
    rules: tuple[Uid, ...]  # the failing instances it makes pass

    def cells(self) -> list[CellKey]:
        return [c.key for c in self.changes]

    def edit(self, note: str = "") -> Edit:
        """The correction as an ordinary edit, reason "suggested correction"."""
        changes = tuple(CellChange(*c.key, c.old, c.new) for c in self.changes)
        return Edit(changes, reason=EditReason.SUGGESTED, note=note)

    def message(self, document: Document, lang: str) -> str:
        """'行政复议/总计 0 → 11？（各项之和）' or 'Review/Total 0 → 11? (sum of the parts)'."""
        zh = lang == "zh"
        table = document.table(self.table_id)
        parts = [
            f"{cell_label(table, c.key, lang)} {format_number(c.old) or '—'} → {format_number(c.new)}"
            for c in self.changes
        ]
        reasons = list(dict.fromkeys(KIND_LABELS[c.kind][0 if zh else 1] for c in self.changes))
        if zh:
            return "，".join(parts) + f"？（{'，'.join(reasons)}）"
        return "; ".join(parts) + f"? ({', '.join(reasons)})"


@dataclass(frozen=True, slots=True)
class Unexplained:
    """A group of failing rules that no change of one or two cells makes pass: several
    independent errors, missing numbers, or a source that is itself inconsistent."""

    group: int
    table_id: str
    cells: tuple[CellKey, ...]
    rules: tuple[Uid, ...]

    def message(self, lang: str) -> str:
        if lang == "zh":
            return "没有一两处更正能使这些校验通过：可能有多处错误，或原文本身不一致"
        return "No change of one or two numbers makes these checks pass: several may be wrong, or the source itself is inconsistent"


KIND_LABELS: dict[str, tuple[str, str]] = {
    "digit": ("一位数字有误", "one digit"),
    "ocr": ("形近数字误认", "look-alike digit"),
    "swap": ("相邻数字颠倒", "swapped digits"),
    "drop": ("漏了一位数字", "dropped digit"),
    "double": ("多了一位重复数字", "doubled digit"),
    "insert": ("多了一位数字", "extra digit"),
    "sum": ("各项之和", "sum of the parts"),
    "blank": ("空白处应有数字", "blank read wrongly"),
    "value": ("使校验平衡", "balances the checks"),
}


@dataclass(frozen=True, slots=True)
class Analysis:
    """Every table's suggestions, best first (each group's best, then the alternatives), and
    the groups nothing simple explains."""

    suggestions: tuple[Suggestion, ...]
    unexplained: tuple[Unexplained, ...]

    def for_table(self, table_id: str) -> list[Suggestion]:
        return [s for s in self.suggestions if s.table_id == table_id]

    def best(self) -> list[Suggestion]:
        """The top suggestion of every group."""
        seen: set[tuple[str, int]] = set()
        out = []
        for s in self.suggestions:
            if (s.table_id, s.group) not in seen:
                seen.add((s.table_id, s.group))
                out.append(s)
        return out


def cell_label(table: Table, key: CellKey, lang: str) -> str:
    """A cell as the clerk names it: row and column, or the column's groups in a one-row table."""
    _, row_id, col_id = key
    row = table.rows[table.row_index(row_id)]
    col = table.columns[table.col_index(col_id)]
    if len(table.rows) == 1:
        if lang == "en":  # the group's English name is not kept: say which group in Chinese
            return f"{col.en} ({col.path[-2]})" if col.en and len(col.path) > 1 else col.en or col.leaf_label
        return "/".join(col.path[-2:])
    if lang == "en":
        return f"{row.en or row.leaf_label}/{col.en or col.leaf_label}"
    return f"{row.leaf_label}/{col.leaf_label}"


# -- plausibility --------------------------------------------------------------------------
def slip(printed: str, true: str) -> tuple[str, float] | None:
    """How the printed digits could be a slip of the true ones: (kind, likelihood)."""
    if printed.startswith("-") != true.startswith("-"):
        return None
    p, t = printed.lstrip("-"), true.lstrip("-")
    n, m = len(p), len(t)
    if n == m:
        diff = [i for i in range(n) if p[i] != t[i]]
        if len(diff) == 1:
            i = diff[0]
            base = W_DIGIT / (9 * n)
            if any({p[i], t[i]} <= g for g in OCR_GROUPS):
                return "ocr", base * OCR_BOOST
            return "digit", base
        if (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and p[diff[0]] == t[diff[1]]
            and p[diff[1]] == t[diff[0]]
        ):
            return "swap", W_SWAP / max(1, n - 1)
        return None
    if n == m - 1 and any(t[:j] + t[j + 1 :] == p for j in range(m)):
        return "drop", W_DROP / m
    if n == m + 1:
        for j in range(n):
            if p[:j] + p[j + 1 :] == t:
                doubled = (j > 0 and p[j - 1] == p[j]) or (j + 1 < n and p[j + 1] == p[j])
                return ("double", W_DROP / n) if doubled else ("insert", W_INSERT / n)
    return None


def variants(value: Decimal) -> set[Decimal]:
    """Every integer the printed ``value`` could be a single slip of (for two-cell families)."""
    s = format_number(value)
    if not s.lstrip("-").isdigit():
        return set()
    sign, d = ("-", s[1:]) if s.startswith("-") else ("", s)
    out: set[str] = set()
    for i in range(len(d)):
        out.update(d[:i] + x + d[i + 1 :] for x in "0123456789")
        out.add(d[:i] + d[i + 1 :])
        if i + 1 < len(d):
            out.add(d[:i] + d[i + 1] + d[i] + d[i + 2 :])
    for i in range(len(d) + 1):
        out.update(d[:i] + x + d[i:] for x in "0123456789")
    return {Decimal(sign + x) for x in out if x and not (len(x) > 1 and x[0] == "0")} - {value}


def _uncertainty(cell: Cell) -> float:
    """Extraction that was unsure of itself makes a misread there more likely."""
    prior = 1.0 + 4.0 * max(0.0, 1.0 - cell.confidence)
    if cell.status is CellStatus.NOT_A_NUMBER or (
        cell.raw and not _PLAIN.fullmatch(clean_number_text(cell.raw).replace(",", ""))
    ):
        prior *= 3.0
    if cell.uncertain:
        # OCR was unsure of this very cell: the likeliest place for a misread digit.
        prior *= 2.0 + 8.0 * (1.0 - (cell.ocr_confidence or 0.0))
    return prior


def _change_kind(checker: Checker, key: CellKey, old: Decimal | None, new: Decimal) -> tuple[str, float]:
    cell = checker.document.cell(*key)
    options: list[tuple[str, float]] = []
    blank = old is None or (old == 0 and cell.status in (CellStatus.BLANK, CellStatus.MISSING))
    if old is not None:
        s = slip(format_number(old), format_number(new))
        if s is not None:
            options.append(s)
    if checker.definers.get(key):  # a total: it should simply be the sum of its parts
        options.append(("sum", W_SUM_BLANK if blank or old == 0 else W_SUM))
    elif blank:
        options.append(("blank", W_BLANK))
    kind, like = max(options, key=lambda o: o[1], default=("value", W_VALUE))
    like *= _uncertainty(cell)
    if not checker.definers.get(key) and old is not None and new >= 0 and old >= 0:
        like *= float((abs(old) + 1) / (abs(new) + 1)) ** VALUE_PRIOR
    return kind, like


# -- the search ----------------------------------------------------------------------------
class _Trial(Checker):
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
        return _as_value(Fraction((lo + hi) / 2), cell)
    if not cell.kind.fractional:
        lo = lo.to_integral_value(ROUND_CEILING) if lo.is_finite() else lo
        hi = hi.to_integral_value(ROUND_FLOOR) if hi.is_finite() else hi
    if lo > hi:
        return None
    current = cell.value if cell.value is not None else Decimal(0)
    v = min(max(current, lo), hi)
    return _as_value(Fraction(v), cell) if v.is_finite() else None


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


class _Group:
    def __init__(self, checker: Checker, trial: _Trial, failing: list[RuleInstance]) -> None:
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
            kind, lk = _change_kind(self.checker, k, cells[k].value, v)
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


def _components(instances: list[RuleInstance]) -> list[list[RuleInstance]]:
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


def _checker_of(source: object) -> Checker:
    if isinstance(source, Checker):
        return source
    checker = getattr(source, "checker", None)
    if isinstance(checker, Checker):
        return checker
    if isinstance(source, tuple) and len(source) == 2:
        document, results = source
        built = Checker(document, None)
        # Only what the document still has (results kept from before a change of mapping
        # may name cells that are gone).
        results = [r for r in results if all(document.has_cell(*k) for k in r.instance.cells())]
        built.add_instances(r.instance for r in results)
        built.results = {r.uid: r for r in results}
        return built
    raise TypeError(f"cannot suggest for {type(source).__name__}")


def _rank(
    found: list[tuple[tuple[Change, ...], float]],
    n: int,
    table_id: str,
    members: list[RuleInstance],
    best: list[Suggestion],
    rest: list[Suggestion],
) -> None:
    """A group's candidates, most plausible first (ties: a total, then rule order), scored by
    their share of the group's plausibility."""
    found = list({tuple((c.key, c.new) for c in ch): (ch, like) for ch, like in found}.values())
    total = sum(like for _, like in found) + NONE
    order = {k: i for i, k in enumerate(dict.fromkeys(k for m in members for k in m.cells()))}
    found.sort(key=lambda c: (-c[1], [ch.kind != "sum" for ch in c[0]], [order[ch.key] for ch in c[0]]))
    uids = tuple(m.uid for m in members)
    for rank, (changes, like) in enumerate(found[:TOP]):
        kind = "+".join(dict.fromkeys(c.kind for c in changes))
        (best if rank == 0 else rest).append(
            Suggestion(n, table_id, changes, kind, round(like / total, 4), uids)
        )


def analyse(source: Checker | object, table_id: str | None = None) -> Analysis:
    """Suggestions and unexplained groups for a Checker, a Review, or (document, results)."""
    checker = _checker_of(source)
    trial = _Trial(checker)
    best: list[Suggestion] = []
    rest: list[Suggestion] = []
    unexplained: list[Unexplained] = []
    results: dict[Uid, CheckResult] = checker.results
    tables = [t.id for t in checker.document.tables] if table_id is None else [table_id]
    for tid in tables:
        # Only the tables' own rules: a number the prose states is no reason to change a cell.
        instances = [i for i in checker.instances if i.table_id == tid and not is_narrative(i)]
        failing = [
            i for i in instances if (r := results.get(i.uid)) is not None and r.status is CheckStatus.FAILED
        ]
        # Groups of failing rules sharing cells; those nothing explains alone are tried again
        # together when passing rules connect them (a change fixing one would break a rule
        # shared with the other, as 一、本年新收 in both the 自然人 and the 总计 column).
        component = {i.uid: n for n, comp in enumerate(_components(instances)) for i in comp}
        pending: dict[int, list[list[RuleInstance]]] = {}
        n = 0
        for members in _components(failing):
            found = _Group(checker, trial, members).search()
            if found:
                _rank(found, n, tid, members, best, rest)
                n += 1
            else:
                pending.setdefault(component[members[0].uid], []).append(members)
        for groups in pending.values():
            merged = [m for g in groups for m in g]
            group = _Group(checker, trial, merged)
            found = group.search() if len(groups) > 1 else []
            if found:
                _rank(found, n, tid, merged, best, rest)
            else:
                unexplained.append(Unexplained(n, tid, tuple(group.cells), tuple(m.uid for m in merged)))
            n += 1
    best.sort(key=lambda s: -s.score)
    rest.sort(key=lambda s: -s.score)
    return Analysis(tuple(best + rest), tuple(unexplained))


def suggest(source: Checker | object, table_id: str | None = None) -> list[Suggestion]:
    """Suggestions, best first, for a Checker, a Review, or (document, results)."""
    return list(analyse(source, table_id).suggestions)
