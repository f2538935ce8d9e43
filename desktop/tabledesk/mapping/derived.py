"""Derived cells: totals and printed subtotals, and how a blank one is read.

A cell is *derived* when its row or column is a total (``total = true``: the total of its
group) or a group printed with numbers above its printed items (a subtotal). A blank leaf cell
means 0, as the forms intend. A blank derived cell means 0 too when everything it totals is
blank or 0; otherwise the agency did not fill the total in, and reading it as 0 would make
every rule that touches it fail for a number nobody printed. Such a cell is *unfilled*: its
value is unknown, and the checks say what its parts give (``checks/engine.py``).
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


def mark_unfilled(table: Table, row_parts: dict[str, list[str]], col_parts: dict[str, list[str]]) -> None:
    """Turn blank derived cells whose parts are not all blank or 0 into unfilled cells."""
    changed = True
    while changed:  # a grand total's parts may be totals left blank themselves
        changed = False
        for row, col, cell in table.iter_cells():
            if cell.status is not CellStatus.BLANK:
                continue
            parts = [table.cell(r, col.id) for r in row_parts.get(row.id, [])]
            parts += [table.cell(row.id, c) for c in col_parts.get(col.id, [])]
            if any(_nonzero(p) for p in parts):
                cell.status = CellStatus.UNFILLED
                cell.printed = cell.value = None
                changed = True
