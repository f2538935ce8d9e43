"""Rules across the tables of one document: the same figure printed in two tables must agree.

A template's own ``[[rules]]`` (docs/template-format.md, "Rules across tables") name cells of
several tables: applied once (``table:row:column``), or per row for every row id all the named
tables print (``table:column``; a 类 printed in both 收入支出决算总表 and 支出决算表), only code rows
of one level when ``level`` is set. Each becomes an ordinary :class:`RuleInstance`, listed with
the first table it names, so the window, the checks list and the exports show it like any other.

A rule is compiled only where every cell it names is there: a table the source does not print
(some provinces leave out 表六) is not evidence of anything. Amounts are compared in one unit:
a table printed in 元 is scaled to the first table's 万元.
"""

from __future__ import annotations

from decimal import Decimal

from tabledesk.checks.compile import CellKey, RuleInstance, linear_terms
from tabledesk.core.document import Document, Table
from tabledesk.templates.codes import code_of_row
from tabledesk.templates.syntax import Children, Comparison, Leaves, Range, Ref
from tabledesk.templates.template import RuleSpec, Template

UNIT_FACTOR = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}


class _Missing(Exception):
    """A name whose cell the document does not have: the instance is not compiled."""


class _CrossResolver:
    def __init__(self, document: Document, row: str | None) -> None:
        self.document, self.row = document, row

    def ref(self, name: str) -> list[CellKey]:
        parts = name.split(":")
        table_id, col = parts[0], parts[-1]
        row = parts[1] if len(parts) == 3 else self.row
        table = self.document.table_or_none(table_id)
        if table is None or row is None or not table.found and not table.empty_note:
            raise _Missing(name)
        if not table.has_cell(row, col):
            raise _Missing(name)
        return [(table_id, row, col)]

    def item(self, item: Ref | Range | Leaves | Children) -> list[CellKey]:
        if isinstance(item, Ref):
            return self.ref(item.name)
        raise _Missing(str(item))  # the loader allows only plain cells across tables


def cross_table_instances(template: Template, document: Document) -> list[RuleInstance]:
    """Every instance of the template's rules across tables over ``document``."""
    out: list[RuleInstance] = []
    for rule in template.rules:
        if not rule.in_format(document.format_id):
            continue
        for combo, comparison in rule.parsed.items():
            rows: list[str | None] = [None] if rule.each == "once" else _common_rows(template, document, rule)
            for row in rows:
                inst = _instance(document, rule, comparison, row, combo)
                if inst is not None:
                    out.append(inst)
    return out


def _common_rows(template: Template, document: Document, rule: RuleSpec) -> list[str | None]:
    tables = [document.table_or_none(t) for t in rule.tables]
    if any(t is None or not t.found for t in tables):
        return []
    first, *others = [t for t in tables if t is not None]
    ids = [r.id for r in first.rows if all(o.has_row(r.id) for o in others)]
    if rule.level is None:
        return list(ids)
    spec = template.table(first.id)
    scheme = template.codes.get(spec.keyed.scheme) if spec.keyed else None
    out: list[str | None] = []
    for rid in ids:
        code = code_of_row(rid)
        if code is not None and scheme is not None and scheme.level(code) == rule.level:
            out.append(rid)
    return out


def _instance(
    document: Document, rule: RuleSpec, comparison: Comparison, row: str | None, combo: tuple[str, ...]
) -> RuleInstance | None:
    resolver = _CrossResolver(document, row)
    lhs_terms: dict[CellKey, Decimal] = {}
    rhs_terms: dict[CellKey, Decimal] = {}
    try:
        lc = linear_terms(comparison.lhs, resolver, Decimal(1), lhs_terms)
        rc = linear_terms(comparison.rhs, resolver, Decimal(1), rhs_terms)
    except _Missing:
        return None
    cells = [*lhs_terms, *rhs_terms]
    if not cells:
        return None
    unit = _unit(document, cells[0][0])
    lhs = tuple((c * _unit(document, k[0]) / unit, k) for k, c in lhs_terms.items() if c != 0)
    rhs = tuple((c * _unit(document, k[0]) / unit, k) for k, c in rhs_terms.items() if c != 0)
    first = document.table(cells[0][0])
    where = _where(first, row)
    key = "/".join([*(x for x in [row] if x), *combo]) or rule.id
    tables = [document.table(t) for t in dict.fromkeys(k[0] for k in cells)]
    params = {var: _label(tables, value) for var, value in zip(rule.variables, combo, strict=True)}
    return RuleInstance(
        rule=rule,
        table_id=first.id,
        key=key,
        where=where,
        params=params,
        op=comparison.op,
        lhs=lhs,
        lhs_const=lc,
        rhs=rhs,
        rhs_const=rc,
        defines=None,
    )


def _unit(document: Document, table_id: str) -> Decimal:
    return UNIT_FACTOR.get(document.table(table_id).unit, Decimal(1))


def _where(table: Table, row: str | None) -> dict[str, str]:
    if row is None:
        return {"zh": "", "en": ""}
    axis = table.rows[table.row_index(row)]
    return {"zh": f"“{axis.leaf_label}”", "en": f"“{axis.en or axis.leaf_label}”"}


def _label(tables: list[Table], ident: str) -> dict[str, str]:
    """A ``for`` value's label: the row or column of that id in the tables the rule names."""
    for table in tables:
        for axis in (*table.rows, *table.columns):
            if axis.id == ident:
                return {"zh": axis.leaf_label, "en": axis.en or axis.leaf_label}
    return {"zh": ident, "en": ident}
