"""A template table with rows keyed by code, made concrete for one document's printed codes.

:func:`expand_rows` puts a document's code rows (templates/codes.py) in place of the template's
keyed entry, each a template row whose parent is its printed parent code, the top-level codes
under the keyed entry's ``parent`` (the 合计 row). Mapping, checks and exports then treat them
like any other rows: a 类 is the group of its 款, a 款 of its 项, 合计 the group of the 类 —
which gives "合计 = Σ 类, 类 = Σ 款, 款 = Σ 项" as printed subtotals, with no rule written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tabledesk.core.document import Table
from tabledesk.templates.codes import (
    CODE_ROW_PREFIX,
    CodeRow,
    CodeScheme,
    code_of_row,
    is_keyed_row,
    parents,
)
from tabledesk.templates.template import AxisSpec, TableSpec, Template


def expand_rows(spec: TableSpec, rows: Iterable[CodeRow], scheme: CodeScheme) -> TableSpec:
    """``spec`` with ``rows`` (a document's code rows, in printed order) in place of its keyed
    entry: each code row a template row whose parent is its printed parent code (or the keyed
    entry's parent)."""
    keyed = spec.keyed
    if keyed is None:
        return spec
    unique: dict[str, CodeRow] = {}
    for r in rows:
        unique.setdefault(r.row_id, r)
    codes = [r.code for r in unique.values() if r.code]
    up = parents(codes, scheme)
    made: list[AxisSpec] = []
    for r in unique.values():
        parent = up.get(r.code) if r.code else None
        made.append(
            AxisSpec(
                id=r.row_id,
                label=r.label,
                parent=CODE_ROW_PREFIX + parent if parent else keyed.parent,
                aliases=(r.name,) if r.code and r.coded and r.name else (),
            )
        )
    return replace(spec, rows=(*spec.rows[: keyed.at], *made, *spec.rows[keyed.at :]), keyed=None)


def rows_from_axes(row_ids: Iterable[tuple[str, str]]) -> list[CodeRow]:
    """The code rows of a document table already built (row id, label): for compiling its
    rules again after it was saved and reopened."""
    out = []
    for rid, label in row_ids:
        code = code_of_row(rid)
        if code is not None:
            coded = label.startswith(code)
            out.append(CodeRow(code, label[len(code) :].strip() if coded else label, coded))
        elif is_keyed_row(rid):
            out.append(CodeRow("", label))
    return out


def spec_for_table(spec: TableSpec, rows: Iterable[tuple[str, str]], scheme: CodeScheme | None) -> TableSpec:
    """The template table as expanded for a document table's printed code rows."""
    if spec.keyed is None or scheme is None:
        return spec
    return expand_rows(spec, rows_from_axes(rows), scheme)


def document_spec(template: Template, table: Table) -> TableSpec:
    """The template table of a document table, with the code rows that table has: what rules,
    exports and the window lay the table out by. Raises KeyError for a table the template
    does not have."""
    spec = template.table(table.id)
    if spec.keyed is None:
        return spec
    rows = [(r.id, r.leaf_label) for r in table.rows]
    return spec_for_table(spec, rows, template.codes.get(spec.keyed.scheme))
