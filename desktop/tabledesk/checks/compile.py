"""Rules applied to one document's tables: each rule becomes one linear instance per column,
row or listed group, over the cells the document actually has."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from tabledesk.core.document import Axis, Table
from tabledesk.templates.syntax import (
    BinOp,
    Children,
    Comparison,
    Expr,
    Leaves,
    Neg,
    Num,
    Range,
    Ref,
    Scaled,
    Sum,
    names_in,
)
from tabledesk.templates.template import AxisSpec, RuleSpec, TableSpec

CellKey = tuple[str, str, str]  # (table id, row id, column id)
Term = tuple[Decimal, CellKey]


@dataclass(frozen=True)
class RuleInstance:
    """One rule applied to one column, row or group: ``sum(lhs) + lhs_const OP sum(rhs) + rhs_const``."""

    rule: RuleSpec
    table_id: str
    key: str  # e.g. "natural" (a column), "new" (a row), "all/review" (a row and a listed group)
    where: dict[str, str]  # message parameters naming the instance, by language
    params: dict[str, dict[str, str]]  # variable name -> label by language
    op: str
    lhs: tuple[Term, ...]
    lhs_const: Decimal
    rhs: tuple[Term, ...]
    rhs_const: Decimal
    defines: CellKey | None  # the cell one side consists of alone (a total), for bounds

    @property
    def uid(self) -> tuple[str, str, str]:
        return (self.table_id, self.rule.id, self.key)

    def cells(self) -> list[CellKey]:
        """The cells the instance reads, each once, in order (computed once: a hot path)."""
        cached: list[CellKey] | None = getattr(self, "_cells_cache", None)
        if cached is None:
            cached = list(dict.fromkeys(k for _, k in (*self.lhs, *self.rhs)))
            object.__setattr__(self, "_cells_cache", cached)
        return cached


class _Axis:
    """One axis of a document table, resolved: data items, groups and their leaves."""

    def __init__(self, specs: list[AxisSpec], items: list[Axis]) -> None:
        self.order = [s.id for s in specs]
        self.data = {a.id for a in items}
        self.data_order = [a.id for a in items]
        self.by_id = {a.id: a for a in items}
        self.total = {s.id for s in specs if s.total}
        self.children: dict[str, list[str]] = {}
        for s in specs:
            if s.parent is not None:
                self.children.setdefault(s.parent, []).append(s.id)

    def leaves(self, group: str) -> list[str]:
        """The data items under ``group``: a sub-group printed as a subtotal above its printed
        items counts through its items (the subtotal is derived, checked on its own)."""
        out: list[str] = []
        for c in self.children.get(group, []):
            if c in self.total:
                continue
            below = self.leaves(c) if c in self.children else []
            if below:
                out.extend(below)
            elif c in self.data:
                out.append(c)
        return out

    def subtotals(self) -> list[str]:
        """Groups printed as data items above printed items of their own (derived items)."""
        return [g for g in self.order if g in self.data and g in self.children and self.leaves(g)]

    def resolve(self, name: str) -> list[str]:
        """A name as data items: itself, or a group's leaves; absent optional items: nothing."""
        if name in self.data:
            return [name]
        if name in self.children:
            return self.leaves(name)
        return []

    def span(self, first: str, last: str) -> list[str]:
        if first not in self.order or last not in self.order:
            return []
        i, j = self.order.index(first), self.order.index(last)
        names = self.order[i : j + 1]
        return [n for n in names if n in self.data]


def linear_terms(expr: Expr, resolve: Resolver, factor: Decimal, terms: dict[CellKey, Decimal]) -> Decimal:
    """Add ``factor * expr`` into ``terms``; return the constant part."""
    if isinstance(expr, Num):
        return factor * expr.value
    if isinstance(expr, Ref):
        for k in resolve.ref(expr.name):
            terms[k] = terms.get(k, Decimal(0)) + factor
        return Decimal(0)
    if isinstance(expr, Sum):
        for item in expr.terms:
            for k in resolve.item(item):
                terms[k] = terms.get(k, Decimal(0)) + factor
        return Decimal(0)
    if isinstance(expr, Scaled):
        return linear_terms(expr.expr, resolve, factor * expr.factor, terms)
    if isinstance(expr, Neg):
        return linear_terms(expr.expr, resolve, -factor, terms)
    if isinstance(expr, BinOp):
        const = linear_terms(expr.left, resolve, factor, terms)
        sign = Decimal(1) if expr.op == "+" else Decimal(-1)
        return const + linear_terms(expr.right, resolve, factor * sign, terms)
    raise TypeError(expr)  # pragma: no cover


class Resolver(Protocol):
    """Turns the names of a rule into the cells they stand for."""

    def ref(self, name: str) -> list[CellKey]: ...

    def item(self, item: Ref | Range | Leaves | Children) -> list[CellKey]: ...


class _Resolver:
    """Turns names into cell keys for one instance (a fixed column, row, or neither)."""

    def __init__(self, table_id: str, rows: _Axis, cols: _Axis, each: str, fixed: str | None) -> None:
        self.table_id, self.rows, self.cols, self.each, self.fixed = table_id, rows, cols, each, fixed

    def _keys(self, names: list[str]) -> list[CellKey]:
        t, f = self.table_id, self.fixed or ""
        if self.each == "column":
            return [(t, n, f) for n in names]
        return [(t, f, n) for n in names]

    def _axis(self) -> _Axis:
        return self.rows if self.each == "column" else self.cols

    def ref(self, name: str) -> list[CellKey]:
        if self.each == "once":
            row, _, col = name.partition(":")
            return [(self.table_id, r, c) for r in self.rows.resolve(row) for c in self.cols.resolve(col)]
        return self._keys(self._axis().resolve(name))

    def item(self, item: Ref | Range | Leaves | Children) -> list[CellKey]:
        if isinstance(item, Ref):
            return self.ref(item.name)
        axis = self._axis()
        if isinstance(item, Range):
            return self._keys(axis.span(item.first, item.last))
        if isinstance(item, Leaves):
            return self._keys(axis.leaves(item.group))
        names = [c for n in axis.children.get(item.group, []) if n not in axis.total for c in axis.resolve(n)]
        return self._keys(names)


def _where(each: str, item: Axis | None) -> dict[str, str]:
    if item is None:
        return {"zh": "", "en": ""}
    zh_label = "/".join(item.path[-2:]) if each == "row" else item.leaf_label
    if each == "column":
        return {"zh": f"{zh_label}列", "en": f"column “{item.en or item.leaf_label}”"}
    return {"zh": f"“{zh_label}”行", "en": f"row “{item.en or item.leaf_label}”"}


def compile_table(spec: TableSpec, table: Table, fmt: str) -> list[RuleInstance]:
    """Every instance of every rule of ``spec`` over the document table ``table``."""
    rows = _Axis(spec.rows_for(fmt), table.rows)
    cols = _Axis(spec.columns_for(fmt), table.columns)
    out: list[RuleInstance] = []
    for rule in (*spec.rules, *subtotal_rules(spec, table, fmt)):
        if not rule.in_format(fmt):
            continue
        fixed_items: list[Axis | None]
        if rule.each == "column":
            fixed_items = list(table.columns)
        elif rule.each == "row":
            fixed_items = list(table.rows)
        else:
            fixed_items = [None]
        names_axis = cols if rule.each == "row" else rows
        for combo, comparison in rule.parsed.items():
            params = {}
            for var, value in zip(rule.variables, combo, strict=True):
                item = names_axis.by_id.get(value)
                label = _group_label(spec, rule.each, value, fmt) if item is None else item.leaf_label
                en = item.en if item is not None and item.en else _group_en(spec, rule.each, value, fmt)
                params[var] = {"zh": label, "en": en or label}
            for fixed in fixed_items:
                inst = _instance(spec.id, rule, comparison, rows, cols, fixed, combo, params)
                if inst is not None:
                    out.append(inst)
    return out


# The rule every printed subtotal obeys (docs/template-format.md, "Derived cells"): a group
# printed with numbers above its printed items equals their sum. Not in the template file: it
# follows from the layout of each document.
def _subtotal_rule(table_id: str, group: str, each: str) -> RuleSpec:
    return RuleSpec(
        id=f"{table_id}.subtotal.{group}",
        expr=f"{group} = sum(leaves({group}))",
        each=each,
        message={
            "zh": "{table} {where}：{g}（{lhs}）应等于其各项之和（{rhs}）",
            "en": "{table}, {where}: {g} ({lhs}) should equal the sum of its items ({rhs})",
        },
        variables={"g": (group,)},
        parsed={(group,): Comparison("=", Ref(group), Sum((Leaves(group),)))},
    )


def subtotal_rules(spec: TableSpec, table: Table, fmt: str) -> list[RuleSpec]:
    """The implicit rules of the printed subtotal rows and columns of ``table``."""
    rows = _Axis(spec.rows_for(fmt), table.rows)
    cols = _Axis(spec.columns_for(fmt), table.columns)
    return [_subtotal_rule(spec.id, g, "column") for g in rows.subtotals()] + [
        _subtotal_rule(spec.id, g, "row") for g in cols.subtotals()
    ]


def _group_label(spec: TableSpec, each: str, ident: str, fmt: str) -> str:
    axis = spec.columns_for(fmt) if each == "row" else spec.rows_for(fmt)
    return next((a.label for a in axis if a.id == ident), ident)


def _group_en(spec: TableSpec, each: str, ident: str, fmt: str) -> str:
    axis = spec.columns_for(fmt) if each == "row" else spec.rows_for(fmt)
    return next((a.en for a in axis if a.id == ident), "")


def _instance(
    table_id: str,
    rule: RuleSpec,
    comparison: Comparison,
    rows: _Axis,
    cols: _Axis,
    fixed: Axis | None,
    combo: tuple[str, ...],
    params: dict[str, dict[str, str]],
) -> RuleInstance | None:
    resolver = _Resolver(table_id, rows, cols, rule.each, fixed.id if fixed else None)
    lhs_terms: dict[CellKey, Decimal] = {}
    rhs_terms: dict[CellKey, Decimal] = {}
    lc = linear_terms(comparison.lhs, resolver, Decimal(1), lhs_terms)
    rc = linear_terms(comparison.rhs, resolver, Decimal(1), rhs_terms)
    lhs = tuple((c, k) for k, c in lhs_terms.items() if c != 0)
    rhs = tuple((c, k) for k, c in rhs_terms.items() if c != 0)
    if not lhs and not rhs:
        return None
    # A side whose every name is an optional item this document does not print (基本支出 =
    # 人员经费 + 公用经费 where neither is printed) says nothing: it is not a sum of 0.
    if any(not terms and not const and names_in(side) for terms, const, side in (
        (lhs, lc, comparison.lhs), (rhs, rc, comparison.rhs))):
        return None
    # A side that is just one cell with nothing else (and the other side not empty) defines
    # that cell: its bounds, when it is missing, follow from the other side.
    defines = None
    if comparison.op == "=":
        if len(lhs) == 1 and lhs[0][0] == 1 and lc == 0 and rhs and lhs[0][1] not in rhs_terms:
            defines = lhs[0][1]
        elif len(rhs) == 1 and rhs[0][0] == 1 and rc == 0 and lhs and rhs[0][1] not in lhs_terms:
            defines = rhs[0][1]
    key = "/".join([*(x for x in [fixed.id if fixed else None] if x), *combo]) or rule.id
    if defines is not None:
        # the total's own label, for "（七）总计未填写；各项之和为 272" (checks/messages.py)
        _, row_id, col_id = defines
        item = (cols if rule.each == "row" else rows).by_id.get(col_id if rule.each == "row" else row_id)
        if item is not None:
            zh, en = item.leaf_label, item.en or item.leaf_label
            for var in rule.variables:  # 表四's three 总计: say whose
                if params[var]["zh"] != zh:
                    zh, en = params[var]["zh"] + zh, f"{params[var]['en']} {en.lower()}"
            params = {**params, "defined": {"zh": zh, "en": en}}
    return RuleInstance(
        rule=rule,
        table_id=table_id,
        key=key,
        where=_where(rule.each, fixed),
        params=params,
        op=comparison.op,
        lhs=lhs,
        lhs_const=lc,
        rhs=rhs,
        rhs_const=rc,
        defines=defines,
    )
