"""Derived cells: totals and printed subtotals, and how a blank one is read.

A cell is *derived* when its row or column is a total (``total = true``: the total of its
group) or a group printed with numbers above its printed items (a subtotal). A blank leaf cell
means 0, as the forms intend. A blank derived cell means 0 too when everything it totals is
blank or 0; otherwise, when the report fills in none of the totals beside it (the same total
row or column, and the table's other total rows or columns across it — 表四's three 总计), the
agency left its totals blank, and reading them as 0 would make every rule that touches them
fail for a number nobody printed. Such a cell is *unfilled*: its value is unknown, and the
checks say what its parts give (``checks/engine.py``). A blank total among filled ones is a
printed 0 (a report printing zeros blank), and its rules say so when its parts disagree.
See docs/template-format.md, "Headings, derived cells and blanks".
"""

from __future__ import annotations

from tabledesk.core.document import Cell, CellStatus, Table
from tabledesk.templates.template import AxisSpec


def derived_parts(specs: list[AxisSpec], data: list[str]) -> dict[str, list[str]]:
    """Derived item id -> the data items it totals, for the data items ``data`` of one axis."""
    present = set(data)
    children: dict[str, list[str]] = {}
    for a in specs:
        if a.parent is not None:
            children.setdefault(a.parent, []).append(a.id)
    totals = {a.id for a in specs if a.total}

    def leaves(group: str) -> list[str]:
        out: list[str] = []
        for c in children.get(group, []):
            if c in totals:
                continue
            below = leaves(c) if c in children else []
            if below:
                out.extend(below)
            elif c in present:
                out.append(c)
        return out

    out: dict[str, list[str]] = {}
    for a in specs:
        if a.id not in present:
            continue
        if a.total and a.parent is not None:
            parts = leaves(a.parent)
        elif a.id in children:
            parts = leaves(a.id)
        else:
            continue
        if parts:
            out[a.id] = parts
    return out


def _nonzero(cell: Cell) -> bool:
    return cell.status is CellStatus.UNFILLED or (cell.value is not None and cell.value != 0)


def mark_unfilled(
    table: Table,
    row_parts: dict[str, list[str]],
    col_parts: dict[str, list[str]],
    totals: tuple[set[str], set[str]] = (set(), set()),
) -> None:
    """Turn blank derived cells whose parts are not all blank or 0, and whose totals beside
    them are not filled in either, into unfilled cells. ``totals``: the ids of the total
    (``total = true``) rows and columns."""
    row_totals, col_totals = totals
    rows = [r.id for r in table.rows]
    cols = [c.id for c in table.columns]

    def left_blank(row_id: str, col_id: str) -> bool:
        """Whether the totals beside the cell, along one of its derived axes, are all unfilled."""
        axes: list[list[Cell]] = []
        if col_id in col_parts:  # the same total column, and the other total columns of the row
            axes.append(
                [table.cell(r, col_id) for r in rows if r != row_id]
                + [table.cell(row_id, c) for c in cols if c in col_totals and c != col_id]
            )
        if row_id in row_parts:  # the same total row, and the other total rows of the column
            axes.append(
                [table.cell(row_id, c) for c in cols if c != col_id]
                + [table.cell(r, col_id) for r in rows if r in row_totals and r != row_id]
            )
        return any(not any(s.status is CellStatus.OK for s in axis) for axis in axes)

    changed = True
    while changed:  # a grand total's parts may be totals left blank themselves
        changed = False
        for row, col, cell in table.iter_cells():
            if cell.status is not CellStatus.BLANK:
                continue
            parts = [table.cell(r, col.id) for r in row_parts.get(row.id, [])]
            parts += [table.cell(row.id, c) for c in col_parts.get(col.id, [])]
            if not any(_nonzero(p) for p in parts):
                continue
            if not left_blank(row.id, col.id):
                continue  # its neighbours are filled in: this blank is a printed 0
            cell.status = CellStatus.UNFILLED
            cell.printed = cell.value = None
            changed = True
