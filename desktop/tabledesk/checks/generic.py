"""Checks for tables no template knows: rows and columns labelled 合计/总计/小计/共计/Total are
checked against the cells they sum — above them (rows) or to their left (columns), back to the
previous total of the same or a higher level; a grand total sums the subtotals below it."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from tabledesk.checks.compile import CellKey, RuleInstance
from tabledesk.core.document import Axis, Document, Table
from tabledesk.templates.template import RuleSpec

# level 1: a subtotal; level 2: a total over the subtotals
_LEVELS = [
    (1, re.compile(r"^(小计|小 计|subtotal|sub-total)", re.IGNORECASE)),
    (2, re.compile(r"^(合计|总计|共计|总合计|累计|total|sum|grand ?total)", re.IGNORECASE)),
]
_ROW_RULE = RuleSpec(
    id="generic.row_total",
    expr="total = sum(rows above)",
    each="column",
    message={
        "zh": "{table} {where}：{total}（{lhs}）应等于上方各行之和（{rhs}）",
        "en": "{table}, {where}: {total} ({lhs}) should equal the sum of the rows above ({rhs})",
    },
)
_COL_RULE = RuleSpec(
    id="generic.col_total",
    expr="total = sum(columns to the left)",
    each="row",
    message={
        "zh": "{table} {where}：{total}（{lhs}）应等于左侧各列之和（{rhs}）",
        "en": "{table}, {where}: {total} ({lhs}) should equal the sum of the columns to the left ({rhs})",
    },
)


def total_level(label: str) -> int:
    """2 for a total, 1 for a subtotal, 0 for anything else."""
    text = unicodedata.normalize("NFKC", label or "").strip()
    text = re.sub(r"^[\s(（\[【]*|[)）\]】:：\s]*$", "", text)
    for level, pattern in _LEVELS:
        if pattern.match(text):
            return level
    return 0


def _parts(levels: list[int], i: int) -> list[int]:
    """Indices summed by the total at index i, walking back to a total of its level or higher."""
    out: list[int] = []
    skipping = False
    j = i - 1
    while j >= 0:
        lv = levels[j]
        if lv >= levels[i]:
            break
        if lv > 0:
            out.append(j)  # a lower-level subtotal stands for the rows above it
            skipping = True
        elif not skipping:
            out.append(j)
        j -= 1
    return out


def generic_instances(document: Document) -> list[RuleInstance]:
    out: list[RuleInstance] = []
    for table in document.tables:
        out.extend(_table_instances(table))
    return out


def _table_instances(table: Table) -> list[RuleInstance]:
    out: list[RuleInstance] = []
    row_levels = [total_level(r.leaf_label) for r in table.rows]
    col_levels = [total_level(c.leaf_label) for c in table.columns]
    for i, level in enumerate(row_levels):
        parts = _parts(row_levels, i) if level else []
        if not parts:
            continue
        for col in table.columns:
            out.append(
                _instance(
                    table,
                    _ROW_RULE,
                    table.rows[i],
                    col,
                    [(table.id, table.rows[p].id, col.id) for p in parts],
                    (table.id, table.rows[i].id, col.id),
                )
            )
    for j, level in enumerate(col_levels):
        parts = _parts(col_levels, j) if level else []
        if not parts:
            continue
        for row in table.rows:
            out.append(
                _instance(
                    table,
                    _COL_RULE,
                    row,
                    table.columns[j],
                    [(table.id, row.id, table.columns[p].id) for p in parts],
                    (table.id, row.id, table.columns[j].id),
                )
            )
    return out


def _instance(
    table: Table, rule: RuleSpec, row: Axis, col: Axis, parts: list[CellKey], total: CellKey
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
        params={"total": {"zh": total_axis.leaf_label, "en": total_axis.leaf_label}},
        op="=",
        lhs=((Decimal(1), total),),
        lhs_const=Decimal(0),
        rhs=tuple((Decimal(1), k) for k in reversed(parts)),
        rhs_const=Decimal(0),
        defines=total,
    )
