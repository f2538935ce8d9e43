"""Tables printed as two halves side by side in one grid: 收入 | 支出 of a 收入支出决算总表.

A template says so with ``beside``: table B is printed to the right of table A. Such a grid is cut
here, before the segments are looked for, into its left and right halves, each introduced by a
heading line naming its table, so that the rest of the mapping sees two ordinary tables. The
cut is where the first header cell ("项目", "科目编码") is printed again further right; failing
that, the first column right of a number column whose cells are mostly row labels. Halves
printed as two grids beside each other on a page are taken as they are, the right one headed
as the right table. A ``行次``
column (the form's row numbers) is dropped from both halves. Pages continuing such a grid (the
same number of columns, no other title in between) are cut the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tabledesk.core.source import RawCell, RawTable, TextLine
from tabledesk.core.values import is_blank, parse_number
from tabledesk.mapping.labels import normalize
from tabledesk.templates.template import TableSpec

Block = RawTable | TextLine
_LINE_NUMBERS = {"行次"}


def heading_for(spec: TableSpec) -> str:
    """A line the segment finder takes for ``spec``'s title and no other's (its longest name)."""
    return max((*spec.aliases, spec.title.split("/")[-1]), key=len)


def split_side_by_side(
    blocks: Sequence[Block], specs: Sequence[TableSpec], title_of: Callable[[str], TableSpec | None]
) -> list[Block]:
    """``blocks`` with every two-halves grid of a ``beside`` pair cut in two."""
    right_of = {s.beside: s for s in specs if s.beside}
    if not right_of:
        return list(blocks)
    by_id = {s.id: s for s in specs}
    out: list[Block] = []
    pending: TableSpec | None = None  # the left table whose title was the last seen
    beside_last: TableSpec | None = None  # a left table just read as a grid of its own
    # a grid being cut: its left table, width, cut and 行次 columns (for its pages to come)
    active: tuple[TableSpec, int, int, set[int]] | None = None
    for b in blocks:
        if isinstance(b, TextLine):
            spec = title_of(b.text)
            if spec is not None:
                pending = spec if spec.id in right_of else None
                active = None
            out.append(b)
            continue
        titled = _title_in(b, title_of)
        if titled is not None:
            pending = titled if titled.id in right_of else None
            active = None
        if beside_last is not None and _right_of(out[-1], b):
            # the halves printed as two grids side by side: the right one is the right half
            out += [TextLine(heading_for(right_of[beside_last.id]), b.prov), b]
            beside_last = None
            continue
        beside_last = None
        going_on = active is not None and active[1] == b.n_cols and pending is None
        left = pending or (active[0] if going_on and active else None)
        cut = _cut(b) if left is not None else None
        if cut is None and going_on and active is not None:
            cut = active[2]  # a page of the grid with no header: where the first page was cut
        if left is None or cut is None:
            out.append(b)
            if pending is not None and b.prov.bbox is not None:
                beside_last = pending  # its right half may be the next grid, beside it
            if titled is not None or (active and active[1] != b.n_cols):
                active = None
            continue
        right = right_of[left.id]
        drop = _line_number_columns(b) or (active[3] if going_on and active else set())
        lhs, rhs = _halves(b, cut, drop)
        out += [
            TextLine(heading_for(by_id[left.id]), b.prov),
            lhs,
            TextLine(heading_for(right), b.prov),
            rhs,
        ]
        pending, active = None, (left, b.n_cols, cut, drop)
    return out


def _right_of(before: Block, table: RawTable) -> bool:
    """``table`` printed beside ``before`` on the same page, to its right."""
    if not isinstance(before, RawTable) or before.prov.page != table.prov.page:
        return False
    a, b = before.prov.bbox, table.prov.bbox
    if a is None or b is None:
        return False
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return b[0] >= a[2] - 2 and overlap > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _title_in(table: RawTable, title_of: Callable[[str], TableSpec | None]) -> TableSpec | None:
    """A title printed as a row of the grid itself (a web page's caption row)."""
    for row in table.cells[:3]:
        texts = [c.text for c in row if c is not None and c.text.strip()]
        if len(texts) == 1:
            spec = title_of(texts[0])
            if spec is not None:
                return spec
    return None


def _text(c: RawCell | None) -> str:
    return normalize(c.text) if c is not None else ""


def _cut(table: RawTable) -> int | None:
    """The column where the right half begins, or None for a grid that is not two halves."""
    width = table.n_cols
    if width < 4:
        return None
    for row in table.cells[:6]:
        first = next(((i, _text(c)) for i, c in enumerate(row) if _text(c)), None)
        if first is None or parse_number(first[1]) is not None:
            continue
        i0, head = first
        for k in range(i0 + 2, len(row)):
            if _text(row[k]) == head:
                return k
    # No header printed twice: the first column of mostly labels right of a column of numbers.
    labels = [0] * width
    numbers = [0] * width
    for row in table.cells:
        for i, c in enumerate(row):
            t = c.text.strip() if c is not None else ""
            if not t or is_blank(t):
                continue
            if parse_number(t) is not None:
                numbers[i] += 1
            else:
                labels[i] += 1
    rows = max(len(table.cells), 1)
    for k in range(2, width - 1):
        if labels[k] >= max(2, rows // 3) and any(numbers[j] > labels[j] for j in range(1, k)):
            # a code column just left of the labels belongs to the right half
            return k - 1 if k - 1 > 0 and numbers[k - 1] > labels[k - 1] and _codes(table, k - 1) else k
    return None


def _codes(table: RawTable, col: int) -> bool:
    texts = [c.text.strip() for row in table.cells if col < len(row) and (c := row[col]) is not None]
    digits = [t for t in texts if t.isdigit()]
    return bool(digits) and all(3 <= len(t) <= 7 for t in digits)


def _halves(table: RawTable, cut: int, drop: set[int]) -> tuple[RawTable, RawTable]:
    left_cols = [i for i in range(cut) if i not in drop]
    right_cols = [i for i in range(cut, table.n_cols) if i not in drop]

    def part(cols: list[int]) -> RawTable:
        cells = [[row[i] if i < len(row) else None for i in cols] for row in table.cells]
        # the shorter half's rows past its end are empty: nothing printed, nothing to read
        cells = [r for r in cells if any(c is not None and c.text.strip() for c in r)]
        known = table.col_edges is not None and len(table.col_edges) == table.n_cols
        edges = [table.col_edges[i] for i in cols] if known and table.col_edges else None
        return RawTable(cells, table.prov, edges)

    return part(left_cols), part(right_cols)


def _line_number_columns(table: RawTable) -> set[int]:
    out: set[int] = set()
    for row in table.cells[:6]:
        for i, c in enumerate(row):
            if _text(c) in _LINE_NUMBERS:
                out.add(i)
    return out
