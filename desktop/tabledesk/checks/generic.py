"""Checks for tables no template knows, as the table's inferred structure states them
(``templates/structure.py``): a total row equals its parts in every value column, a total
column its parts in every value row, a classified row (类/款) the rows one level down. They read
as inferred ("推断") in the window and the exports, apart from a template's own rules."""

from __future__ import annotations

from decimal import Decimal

from tabledesk.checks.compile import CellKey, RuleInstance
from tabledesk.core.document import Axis, Document, Table
from tabledesk.templates.structure import Role, Sum, infer, total_level
from tabledesk.templates.template import RuleSpec

__all__ = ["generic_instances", "total_level"]

_ROW_RULE = RuleSpec(
    id="generic.row_total",
    expr="total = sum(rows it totals)",
    each="column",
    message={
        "zh": "【推断】{table} {where}：{total}（{lhs}）应等于{parts}之和（{rhs}）",
        "en": "[inferred] {table}, {where}: {total} ({lhs}) should equal the sum of {parts} ({rhs})",
    },
)
_COL_RULE = RuleSpec(
    id="generic.col_total",
    expr="total = sum(columns it totals)",
    each="row",
    message={
        "zh": "【推断】{table} {where}：{total}（{lhs}）应等于{parts}之和（{rhs}）",
        "en": "[inferred] {table}, {where}: {total} ({lhs}) should equal the sum of {parts} ({rhs})",
    },
)


def generic_instances(document: Document) -> list[RuleInstance]:
    out: list[RuleInstance] = []
    for table in document.tables:
        out.extend(_table_instances(table))
    return out


def _table_instances(table: Table) -> list[RuleInstance]:
    structure = infer(table)
    value_cols = [c for j, c in enumerate(table.columns) if structure.column_roles[j] is Role.VALUE]
    # a 其中 row is no addend of the rows' totals, but its own columns add up like any row's
    value_rows = [
        r for i, r in enumerate(table.rows) if structure.row_roles[i] in (Role.VALUE, Role.PART_OF_ABOVE)
    ]
    out: list[RuleInstance] = []
    for s in structure.row_sums:
        total = table.rows[s.total]
        for col in value_cols:
            parts = [(table.id, table.rows[p].id, col.id) for p in s.parts]
            out.append(_instance(table, _ROW_RULE, total, col, parts, (table.id, total.id, col.id), s))
    for s in structure.column_sums:
        total = table.columns[s.total]
        for row in value_rows:
            parts = [(table.id, row.id, table.columns[p].id) for p in s.parts]
            out.append(_instance(table, _COL_RULE, row, total, parts, (table.id, row.id, total.id), s))
    return out


def _parts_words(axes: list[Axis], s: Sum, per_column: bool) -> dict[str, str]:
    first, last = axes[s.parts[0]].leaf_label, axes[s.parts[-1]].leaf_label
    if len(s.parts) == 1:
        return {"zh": f"“{first}”", "en": f"“{first}”"}
    rng = {"zh": f"“{first}”至“{last}”", "en": f"“{first}” to “{last}”"}
    if per_column and s.parts != tuple(range(s.parts[0], s.parts[-1] + 1)):
        # not a run of neighbours (subtotals, or a classification level): say how many
        return {"zh": f"{rng['zh']}中的 {len(s.parts)} 行", "en": f"{len(s.parts)} rows from {rng['en']}"}
    return rng


def _instance(
    table: Table, rule: RuleSpec, row: Axis, col: Axis, parts: list[CellKey], total: CellKey, s: Sum
) -> RuleInstance:
    per_column = rule is _ROW_RULE
    fixed = col if per_column else row
    total_axis = row if per_column else col
    where = {
        "zh": f"{fixed.leaf_label}{'列' if per_column else '行'}",
        "en": f"{'column' if per_column else 'row'} “{fixed.leaf_label}”",
    }
    return RuleInstance(
        rule=rule,
        table_id=table.id,
        key=f"{row.id}/{col.id}",
        where=where,
        params={
            "total": {"zh": total_axis.leaf_label, "en": total_axis.leaf_label},
            "parts": _parts_words(list(table.rows if per_column else table.columns), s, per_column),
        },
        op="=",
        lhs=((Decimal(1), total),),
        lhs_const=Decimal(0),
        rhs=tuple((Decimal(1), k) for k in reversed(parts)),
        rhs_const=Decimal(0),
        defines=total,
    )
