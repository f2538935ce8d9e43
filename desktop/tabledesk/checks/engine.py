"""The balance-rule engine: evaluates rule instances over a document's current values.

Values are intervals: a count is exact, a decimal amount spans its printed precision
(7730.28 ± 0.005), and a missing cell is unknown within its type's domain (≥ 0 for counts),
narrowed by the rules that define it as a total of other cells — so a missing total is at least
the sum of its present parts. An instance *fails* when no values of its missing cells could
satisfy it, is *incomplete* when some still could, and passes *within rounding* when the
printed precision lets both sides meet (XBRL Calculations 1.1).

:class:`Checker` keeps the results and, after an edit, re-evaluates only the instances
connected to the edited cells, directly or through the bounds of missing cells; the results
are the same as a full evaluation (tested as a property).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from tabledesk.checks.compile import CellKey, RuleInstance, Term, compile_table
from tabledesk.checks.cross_tables import cross_table_instances
from tabledesk.checks.interval import ALL, EMPTY_SUM, NONNEG, Interval
from tabledesk.core.document import Cell, CellStatus, Document
from tabledesk.core.values import NumberKind, half_width
from tabledesk.templates.keyed import document_spec
from tabledesk.templates.template import Template


class CheckStatus(Enum):
    PASSED = "passed"
    WITHIN_ROUNDING = "within_rounding"
    INCOMPLETE = "incomplete"
    # A total (or subtotal) left blank where its parts are not: not an imbalance, a number not
    # filled in; the result's sides say what the parts give (mapping/derived.py).
    UNFILLED = "unfilled"
    FAILED = "failed"

    @property
    def passed(self) -> bool | None:
        """True for passed and within rounding, False for failed, None for incomplete and
        unfilled."""
        if self in (CheckStatus.INCOMPLETE, CheckStatus.UNFILLED):
            return None
        return self is not CheckStatus.FAILED


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A frozen record of one instance's evaluation (never on the undo stack)."""

    instance: RuleInstance
    status: CheckStatus
    lhs: Interval
    rhs: Interval
    difference: Decimal | None  # lhs − rhs when both sides are known exactly
    missing: tuple[CellKey, ...]
    unfilled: tuple[CellKey, ...] = ()  # the missing cells printed blank where a total belongs

    @property
    def uid(self) -> tuple[str, str, str]:
        return self.instance.uid

    @property
    def severity(self) -> str:
        return self.instance.rule.severity

    @property
    def cells(self) -> list[CellKey]:
        return self.instance.cells()

    @property
    def informational(self) -> bool:
        """A check that informs rather than warns (a sentence whose number matches none of
        the scopes its words could mean): never red, not counted as a failure."""
        return self.instance.rule.severity == "info"

    @property
    def red(self) -> bool:
        """Shown red: the printed numbers really disagree."""
        return self.status is CheckStatus.FAILED and not self.informational

    @property
    def problem(self) -> bool:
        return self.status in (CheckStatus.FAILED, CheckStatus.INCOMPLETE, CheckStatus.UNFILLED)

    @property
    def fill_in(self) -> Decimal | None:
        """For a rule that defines a total left unfilled: the value its parts give."""
        key = self.instance.defines
        if self.status is not CheckStatus.UNFILLED or key is None or key not in self.unfilled:
            return None
        lhs_is_key = len(self.instance.lhs) == 1 and self.instance.lhs[0][1] == key
        other = self.rhs if lhs_is_key else self.lhs
        return other.lo if other.exact else None


ValueOf = Callable[[CellKey], tuple[Decimal | None, NumberKind]]


class Checker:
    """Rule instances of one document and their current results."""

    def __init__(self, document: Document, template: Template | None) -> None:
        self.document = document
        self.instances: list[RuleInstance] = []
        if template is not None:
            for table in document.tables:
                try:
                    spec = document_spec(template, table)
                except KeyError:
                    continue
                if spec.optional and not table.found and not table.empty_note:
                    continue  # a table the set may leave out, left out: nothing to check
                self.instances.extend(compile_table(spec, table, document.format_id))
            if template.id == document.template_id:
                self.instances.extend(cross_table_instances(template, document))
        self._index()
        self.results: dict[tuple[str, str, str], CheckResult] = {}
        self._bounds: dict[CellKey, Interval] = {}
        self._blank_widths: dict[str, Decimal] = {}

    def add_instances(self, instances: Iterable[RuleInstance]) -> None:
        """Rules from elsewhere (generic checks, checks across documents)."""
        self.instances.extend(instances)
        self._index()

    def _index(self) -> None:
        self.by_cell: dict[CellKey, list[RuleInstance]] = {}
        self.definers: dict[CellKey, list[RuleInstance]] = {}
        # Cell objects keep their identity while the tables stand (a rebuild makes a new
        # Checker), so the hot path reads them without the document's lookups.
        self._cells: dict[CellKey, Cell] = {}
        for inst in self.instances:
            for k in inst.cells():
                if k not in self._cells:
                    self._cells[k] = self.document.cell(*k)
                self.by_cell.setdefault(k, []).append(inst)
            if inst.defines is not None:
                self.definers.setdefault(inst.defines, []).append(inst)

    # -- values ---------------------------------------------------------------------------
    def _value(self, key: CellKey) -> tuple[Decimal | None, NumberKind]:
        cell = self._cells[key]
        return cell.value, cell.kind

    def _half_width(self, key: CellKey, value: Decimal, kind: NumberKind) -> Decimal:
        """How far the true amount may lie from the printed one: half its last printed digit;
        nothing for a cell printed blank (a blank is exactly 0, however many places the
        amounts beside it print)."""
        cell = self._cells.get(key)
        if cell is not None and cell.status is CellStatus.BLANK and value == 0 and kind.fractional:
            return self._blank_half_width(key[0])
        return half_width(value, kind)

    def _blank_half_width(self, table_id: str) -> Decimal:
        """A blank amount is 0 at the places the table prints: ± 0.005 beside 7730.28, ± 0.5
        beside 7730 (a 万元 table printing whole numbers leaves 0.3 blank)."""
        cached = self._blank_widths.get(table_id)
        if cached is None:
            places: Counter[int] = Counter()
            table = self.document.table(table_id)
            for _, _, cell in table.iter_cells():
                if cell.status is CellStatus.OK and cell.printed is not None and cell.kind.fractional:
                    exp = cell.printed.as_tuple().exponent
                    if isinstance(exp, int):
                        places[min(0, exp)] += 1
            exp = places.most_common(1)[0][0] if places else 0
            cached = Decimal(5).scaleb(exp - 1)
            self._blank_widths[table_id] = cached
        return cached

    def _domain(self, kind: NumberKind) -> Interval:
        return ALL if kind.signed else NONNEG

    def _side(self, terms: tuple[Term, ...], const: Decimal, exclude: RuleInstance | None) -> Interval:
        total = Interval.point(const) if const else EMPTY_SUM
        for coef, key in terms:
            total = total + self._interval(key, exclude).scale(coef)
        return total

    def _interval(self, key: CellKey, exclude: RuleInstance | None = None) -> Interval:
        value, kind = self._value(key)
        if value is not None:
            hw = self._half_width(key, value, kind)
            return Interval(value - hw, value + hw)
        if exclude is not None and exclude.defines == key:
            return self._bounds_of(key, kind, exclude, set())
        cached = self._bounds.get(key)
        if cached is None:
            cached = self._bounds_of(key, kind, None, set())
            self._bounds[key] = cached
        return cached

    def _bounds_of(
        self, key: CellKey, kind: NumberKind, exclude: RuleInstance | None, busy: set[CellKey]
    ) -> Interval:
        """What the defining rules (but ``exclude``) say a missing cell must be."""
        domain = self._domain(kind)
        if key in busy:  # a cycle of definitions: stop at the type's domain
            return domain
        busy = busy | {key}
        bounds = domain
        for d in self.definers.get(key, ()):
            if d is exclude:
                continue
            lhs_is_key = len(d.lhs) == 1 and d.lhs[0][1] == key
            terms, const = (d.rhs, d.rhs_const) if lhs_is_key else (d.lhs, d.lhs_const)
            side = EMPTY_SUM if not const else Interval.point(const)
            for coef, k in terms:
                v, kd = self._value(k)
                if v is not None:
                    hw = self._half_width(k, v, kd)
                    part = Interval(v - hw, v + hw)
                elif k in self._bounds and not busy & {k}:
                    part = self._bounds[k]
                else:
                    part = self._bounds_of(k, kd, None, busy)
                side = side + part.scale(coef)
            narrowed = bounds.intersect(side)
            # Conflicting definitions: the defining rules themselves fail; here fall back to
            # what we had, so that innocent rules are not blamed for the conflict.
            if not narrowed.empty:
                bounds = narrowed
        return bounds

    # -- evaluation ------------------------------------------------------------------------
    def evaluate(self, inst: RuleInstance) -> CheckResult:
        lhs = self._side(inst.lhs, inst.lhs_const, inst)
        rhs = self._side(inst.rhs, inst.rhs_const, inst)
        missing = tuple(k for k in inst.cells() if self._value(k)[0] is None)
        diff = lhs - rhs  # the interval of lhs − rhs
        point_diff: Decimal | None = None
        if not missing:
            point_diff = (_mid(lhs) - _mid(rhs)).normalize()  # 1.000 → 1: a difference, not a print
        op = inst.op
        if op == "=":
            possible, certain = diff.contains(Decimal(0)), diff.lo == 0 == diff.hi
        elif op in ("<=", "<"):
            possible = diff.lo < 0 or (op == "<=" and diff.lo == 0)
            certain = diff.hi < 0 or (op == "<=" and diff.hi == 0)
        else:
            possible = diff.hi > 0 or (op == ">=" and diff.hi == 0)
            certain = diff.lo > 0 or (op == ">=" and diff.lo == 0)
        unfilled = tuple(k for k in missing if self._cells[k].status is CellStatus.UNFILLED)
        if not possible:
            status = CheckStatus.FAILED
        elif len(unfilled) < len(missing) and not certain:
            status = CheckStatus.INCOMPLETE
        elif unfilled:
            status = CheckStatus.UNFILLED
        elif point_diff is not None and not _holds(op, point_diff):
            status = CheckStatus.WITHIN_ROUNDING
        else:
            status = CheckStatus.PASSED
        return CheckResult(
            inst,
            status,
            lhs,
            rhs,
            point_diff if status is not CheckStatus.PASSED else None,
            missing,
            unfilled,
        )

    def run(self) -> dict[tuple[str, str, str], CheckResult]:
        """Evaluate every instance afresh."""
        self._bounds.clear()
        self.results = {inst.uid: self.evaluate(inst) for inst in self.instances}
        return self.results

    def affected(self, cells: Iterable[CellKey]) -> list[RuleInstance]:
        """Instances whose result may change when these cells' values change."""
        reach: set[CellKey] = set(cells)
        frontier = list(reach)
        while frontier:
            key = frontier.pop()
            for inst in self.by_cell.get(key, ()):
                d = inst.defines
                if d is not None and d not in reach and self._value(d)[0] is None:
                    reach.add(d)
                    frontier.append(d)
        for key in reach:
            self._bounds.pop(key, None)
        seen: dict[tuple[str, str, str], RuleInstance] = {}
        for key in reach:
            for inst in self.by_cell.get(key, ()):
                seen.setdefault(inst.uid, inst)
        return list(seen.values())

    def recheck(self, cells: Iterable[CellKey]) -> list[CheckResult]:
        """Re-evaluate after an edit of ``cells``; returns the results that changed."""
        changed = []
        for inst in self.affected(cells):
            new = self.evaluate(inst)
            if self.results.get(inst.uid) != new:
                changed.append(new)
            self.results[inst.uid] = new
        return changed

    def problems(self) -> list[CheckResult]:
        """Failing, incomplete and unfilled results, in rule order."""
        return [r for r in self.results.values() if r.problem]


def _mid(i: Interval) -> Decimal:
    return (i.lo + i.hi) / 2


def _holds(op: str, d: Decimal) -> bool:
    return {"=": d == 0, "<=": d <= 0, "<": d < 0, ">=": d >= 0, ">": d > 0}[op]
