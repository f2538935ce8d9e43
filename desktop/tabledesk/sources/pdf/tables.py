"""Table grids on one PDF page: from ruling lines (pdfplumber's cells) or, for tables without
vertical lines, from horizontal rules and the alignment of numbers; then text into cells, page
frames split off, and the grid as a :class:`~tabledesk.core.source.RawTable`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import RawCell, RawTable
from tabledesk.sources import grid_geometry
from tabledesk.sources.grid_geometry import SlotUnion
from tabledesk.sources.pdf.text import NUMBER, Glyph, cell_text, group_lines, line_text, split_runs

EDGE_TOL = 2.0  # points: cell corners closer than this are the same grid line
# 第二十条第（一）项 block headings are table rows even when they span the full width
_BLOCK_HEADING = re.compile(r"^第.{1,6}条第.{1,8}项")
# section headings of the report (二、主动公开政府信息情况) sit between tables, never inside
_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、.*情况$")


def cluster(values: Sequence[float], tol: float = EDGE_TOL) -> list[float]:
    """Sorted representatives of PDF edge positions within ``tol`` points of each other."""
    return grid_geometry.cluster(values, tol)


def _nearest(edges: Sequence[float], v: float) -> int:
    i = bisect.bisect_left(edges, v)
    if i == len(edges) or (i > 0 and v - edges[i - 1] < edges[i] - v):
        i -= 1
    return i


@dataclass(slots=True)
class GridCell:
    r: int
    c: int
    rs: int
    cs: int
    bbox: tuple[float, float, float, float]
    glyphs: list[Glyph] = field(default_factory=list)


@dataclass(slots=True)
class Grid:
    page: int
    xs: list[float]  # column edges
    ys: list[float]  # row edges
    cells: list[GridCell]
    slots: dict[tuple[int, int], GridCell] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index()

    def index(self) -> None:
        self.slots = {}
        for cell in self.cells:
            for r in range(cell.r, cell.r + cell.rs):
                for c in range(cell.c, cell.c + cell.cs):
                    self.slots.setdefault((r, c), cell)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def area(self) -> float:
        return (self.xs[-1] - self.xs[0]) * (self.ys[-1] - self.ys[0])

    def contains(self, g: Glyph) -> bool:
        return self.xs[0] <= g.cx <= self.xs[-1] and self.ys[0] <= g.cy <= self.ys[-1]

    def take(self, g: Glyph) -> bool:
        """Put ``g`` into the cell under its centre; a glyph in a gap of the grid (a slot no
        drawn cell covers) gets a cell of its own there."""
        r = bisect.bisect_right(self.ys, g.cy) - 1
        c = bisect.bisect_right(self.xs, g.cx) - 1
        r = min(max(r, 0), len(self.ys) - 2)
        c = min(max(c, 0), len(self.xs) - 2)
        cell = self.slots.get((r, c))
        if cell is None:
            cell = GridCell(r, c, 1, 1, (self.xs[c], self.ys[r], self.xs[c + 1], self.ys[r + 1]))
            self.cells.append(cell)
            self.slots[(r, c)] = cell
        cell.glyphs.append(g)
        return True


def grid_from_boxes(page: int, boxes: Sequence[tuple[float, float, float, float]]) -> Grid | None:
    """A grid from pdfplumber's cell rectangles (x0, top, x1, bottom) of one table."""
    if not boxes:
        return None
    xs = cluster([v for b in boxes for v in (b[0], b[2])])
    ys = cluster([v for b in boxes for v in (b[1], b[3])])
    if len(xs) < 2 or len(ys) < 2:
        return None
    cells: list[GridCell] = []
    taken: set[tuple[int, int]] = set()
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        c0, c1 = _nearest(xs, b[0]), _nearest(xs, b[2])
        r0, r1 = _nearest(ys, b[1]), _nearest(ys, b[3])
        if c1 <= c0 or r1 <= r0 or (r0, c0) in taken:
            continue
        taken.update((r, c) for r in range(r0, r1) for c in range(c0, c1))
        cells.append(GridCell(r0, c0, r1 - r0, c1 - c0, (xs[c0], ys[r0], xs[c1], ys[r1])))
    return Grid(page, xs, ys, cells)


# ---------------------------------------------------------------------------------------------
# Page frames: a frame (or per-line shading) makes pdfplumber see the prose as a table
# ---------------------------------------------------------------------------------------------


def _full_width_text(grid: Grid, r: int) -> str | None:
    """Text of row ``r`` when one cell spans every column there (or the row is empty)."""
    ncols = len(grid.xs) - 1
    cells = {id(grid.slots[(r, c)]): grid.slots[(r, c)] for c in range(ncols) if (r, c) in grid.slots}
    texts = [c for c in cells.values() if c.glyphs]
    if not texts:
        # an empty row of drawn cells is a table row (all blanks = all zeros); an empty band
        # of a frame is not
        return "" if len(cells) <= 1 else None
    if len(texts) == 1 and texts[0].cs == ncols and texts[0].rs == 1:
        return line_text([g for ln in group_lines(texts[0].glyphs) for g in ln])
    return None


def split_prose(grid: Grid) -> tuple[Grid | None, list[Glyph]]:
    """Cut prose rows off the top and bottom of a table: rows where one cell spans the full
    width and holds running text (not a 第二十条 block heading). Returns the table that is
    left (None if nothing is) and the glyphs of the prose rows, which become text lines."""
    nrows = len(grid.ys) - 1
    prose = []
    for r in range(nrows):
        t = _full_width_text(grid, r)
        prose.append(t is not None and not _BLOCK_HEADING.match(t.replace(" ", "")))
    lo = 0
    while lo < nrows and prose[lo]:
        lo += 1
    hi = nrows
    while hi > lo and prose[hi - 1]:
        hi -= 1
    if lo == 0 and hi == nrows:
        return grid, []
    released = [g for cell in grid.cells if cell.r < lo or cell.r >= hi for g in cell.glyphs]
    # a multi-column table needs at least two columns with text in what is left
    keep = [c for c in grid.cells if lo <= c.r < hi]
    if hi - lo < 1 or len({c.c for c in keep if c.glyphs}) < 2:
        return None, [g for cell in grid.cells for g in cell.glyphs]
    for c in keep:
        c.r -= lo
        c.rs = min(c.rs, hi - lo - c.r)
    grid.cells = keep
    grid.ys = grid.ys[lo : hi + 1]
    grid.index()
    return grid, released


# ---------------------------------------------------------------------------------------------
# Grid -> RawTable
# ---------------------------------------------------------------------------------------------


def _line_broken(grid: Grid, cell: GridCell) -> bool:
    """True when every column edge inside ``cell`` is drawn in the rows just above and below:
    the rule is missing in this one row only, so the cell is a drawing slip, not a merge."""
    for k in range(cell.c + 1, cell.c + cell.cs):
        for r in (cell.r - 1, cell.r + cell.rs):
            if not 0 <= r < len(grid.ys) - 1:
                continue
            left, right = grid.slots.get((r, k - 1)), grid.slots.get((r, k))
            if left is None or right is None or left is right:
                return False
    return cell.r > 0 or cell.r + cell.rs < len(grid.ys) - 1


def _split_glued(grid: Grid, cell: GridCell) -> list[GridCell] | None:
    """Numbers printed in columns whose separating rule is missing land in one merged cell.
    Split them by column position when each run of digits sits inside one column and either
    there are several runs or the rule is drawn in the rows around (a lone number in a
    genuinely merged cell stays where it is)."""
    if cell.cs < 2 or not cell.glyphs:
        return None
    lines = group_lines(cell.glyphs)
    if len(lines) != 1:
        return None
    runs = split_runs(lines[0])
    if not all(NUMBER.match(line_text(r)) for r in runs) or (len(runs) < 2 and not _line_broken(grid, cell)):
        return None
    by_col: dict[int, list[Glyph]] = {}
    for run in runs:
        c0 = bisect.bisect_right(grid.xs, run[0].x0) - 1
        c1 = bisect.bisect_right(grid.xs, run[-1].x1) - 1
        if c0 != c1 or not cell.c <= c0 < cell.c + cell.cs or c0 in by_col:
            return None
        by_col[c0] = run
    top, bottom = cell.bbox[1], cell.bbox[3]
    return [
        GridCell(cell.r, c, cell.rs, 1, (grid.xs[c], top, grid.xs[c + 1], bottom), by_col.get(c, []))
        for c in range(cell.c, cell.c + cell.cs)
    ]


def to_raw_table(grid: Grid) -> RawTable:
    nrows, ncols = len(grid.ys) - 1, len(grid.xs) - 1
    rows: list[list[RawCell | None]] = [[None] * ncols for _ in range(nrows)]
    for cell in grid.cells:
        parts = _split_glued(grid, cell) or [cell]
        for p in parts:
            if 0 <= p.r < nrows and 0 <= p.c < ncols:
                prov = Provenance(page=grid.page, bbox=p.bbox)
                rows[p.r][p.c] = RawCell(cell_text(p.glyphs), prov, p.rs, p.cs)
    edges = [(grid.xs[i], grid.xs[i + 1]) for i in range(ncols)]
    return RawTable(rows, Provenance(page=grid.page, bbox=grid.bbox), col_edges=edges)


# ---------------------------------------------------------------------------------------------
# Fallback: tables ruled with horizontal lines only (or with vertical lines pdfplumber misses)
# ---------------------------------------------------------------------------------------------

HSeg = tuple[float, float, float]  # x0, x1, y


def _regions(segs: Sequence[HSeg], max_row: float) -> list[list[tuple[float, list[HSeg]]]]:
    levels: list[tuple[float, list[HSeg]]] = []
    for s in sorted(segs, key=lambda s: s[2]):
        if levels and s[2] - levels[-1][0] <= EDGE_TOL:
            levels[-1][1].append(s)
        else:
            levels.append((s[2], [s]))
    regions: list[list[tuple[float, list[HSeg]]]] = []
    for lv in levels:
        if regions:
            prev = regions[-1][-1]
            px0, px1 = min(s[0] for s in prev[1]), max(s[1] for s in prev[1])
            x0, x1 = min(s[0] for s in lv[1]), max(s[1] for s in lv[1])
            if lv[0] - prev[0] <= max_row and min(px1, x1) - max(px0, x0) > 0:
                regions[-1].append(lv)
                continue
        regions.append([lv])
    return [r for r in regions if len(r) >= 2]


def _column_edges(x0: float, x1: float, segs: Sequence[HSeg], inside: Sequence[Glyph]) -> list[float]:
    """Column edges. A Word table without vertical borders still draws each cell's top border
    as its own segment, so interior segment ends are column edges; only when the rules run
    the full width do we fall back to the gaps between columns of numbers."""
    ends = cluster([v for s in segs for v in (s[0], s[1]) if x0 + 3 < v < x1 - 3])
    if ends:
        return [x0, *ends, x1]
    centres = [
        (run[0].x0 + run[-1].x1) / 2
        for ln in group_lines(inside)
        for run in split_runs(ln)
        if NUMBER.match(line_text(run))
    ]
    cols = cluster(centres, tol=10.0)
    mids = [(a + b) / 2 for a, b in zip(cols, cols[1:], strict=False)]
    return [x0, *mids, x1]


Slot = tuple[int, int]
Level = tuple[float, list[HSeg]]


def _median(values: Sequence[float]) -> float:
    v = sorted(values)
    return v[len(v) // 2] if v else 0.0


def _split_at_prose(region: list[Level], items: Sequence[Glyph]) -> list[list[Level]]:
    """Two tables with a heading between them look like one run of rules; cut where the text
    between two rules holds no number and is a section heading or is set larger than the
    table text (body type, not a row)."""
    x0 = min(s[0] for lv in region for s in lv[1])
    x1 = max(s[1] for lv in region for s in lv[1])
    inside = [g for g in items if x0 <= g.cx <= x1 and region[0][0] <= g.cy <= region[-1][0]]
    table_size = _median([g.size for g in inside])
    parts: list[list[Level]] = [[region[0]]]
    for a, b in zip(region, region[1:], strict=False):
        gap = [g for g in inside if a[0] < g.cy < b[0]]
        prose = bool(gap) and not any(g.text.isdigit() for g in gap)
        if prose:
            heading = _SECTION_HEADING.match("".join(line_text(ln) for ln in group_lines(gap)))
            prose = heading is not None or _median([g.size for g in gap]) > 1.08 * table_size
        if prose:
            parts.append([b])
        else:
            parts[-1].append(b)
    return [p for p in parts if len(p) >= 2]


def _merge_by_borders(
    region: list[Level],
    xs: list[float],
    ys: list[float],
    inside: Sequence[Glyph],
    union: Callable[[Slot, Slot], None],
) -> None:
    """With per-cell borders, a border running on across a column edge both above and below a
    row means the cell there spans that edge (a number centred in a merged cell touches only
    one of the columns). Never joins two columns that both hold text."""
    nr, nc = len(ys) - 1, len(xs) - 1

    def crossed(level: Level, x: float) -> bool:
        return any(s[0] < x - 2 and s[1] > x + 2 for s in level[1])

    # per row: for each column, which piece of text occupies it (a run of text crossing a
    # column edge is one piece)
    owner: list[list[int | None]] = [[None] * nc for _ in range(nr)]
    for piece, run in enumerate(run for ln in group_lines(inside) for run in split_runs(ln, gap_em=0.6)):
        r = bisect.bisect_right(ys, run[0].cy) - 1
        if not 0 <= r < nr:
            continue
        c0 = max(0, bisect.bisect_right(xs, run[0].x0 + 0.5) - 1)
        c1 = min(nc - 1, bisect.bisect_right(xs, run[-1].x1 - 0.5) - 1)
        for c in range(c0, c1 + 1):
            owner[r][c] = piece if owner[r][c] in (None, piece) else -1
    for r in range(nr):
        k = 1
        while k < nc:
            if not (crossed(region[r], xs[k]) and crossed(region[r + 1], xs[k])):
                k += 1
                continue
            start = k
            while k < nc and crossed(region[r], xs[k]) and crossed(region[r + 1], xs[k]):
                k += 1
            cols = range(start - 1, k)  # columns joined by edges start..k-1
            pieces = {owner[r][c] for c in cols} - {None}
            if len(pieces) <= 1 and -1 not in pieces:
                for c in cols[:-1]:
                    union((r, c), (r, c + 1))


def fallback_grids(page: int, items: Sequence[Glyph], segs: Sequence[HSeg]) -> list[Grid]:
    """Grids for tables drawn with horizontal rules only, found among glyphs no ruled table
    took. Rows lie between rules; a rule that does not cross a column there means the cell
    above and below is one merged cell; text crossing a column edge means a horizontal span."""
    out: list[Grid] = []
    size = sorted(g.size for g in items)[len(items) // 2] if items else 10.0
    regions = [part for region in _regions(segs, max_row=size * 8) for part in _split_at_prose(region, items)]
    for region in regions:
        ys = [lv[0] for lv in region]
        all_segs = [s for lv in region for s in lv[1]]
        x0, x1 = min(s[0] for s in all_segs), max(s[1] for s in all_segs)
        inside = [g for g in items if x0 <= g.cx <= x1 and ys[0] <= g.cy <= ys[-1]]
        if not inside:
            continue
        numbers = sum(1 for ln in group_lines(inside) for r in split_runs(ln) if NUMBER.match(line_text(r)))
        cell_borders = any(x0 + 3 < v < x1 - 3 for s in all_segs for v in (s[0], s[1]))
        if len(region) < 3 and numbers < 2 and not cell_borders:
            # two full-width rules around text: underlined prose. (One row with per-cell
            # borders is kept: the last row of a table carried over to the next page.)
            continue
        xs = _column_edges(x0, x1, all_segs, inside)
        if len(xs) < 3:  # rules with one column of text: underlined prose, not a table
            continue
        nr, nc = len(ys) - 1, len(xs) - 1
        slots = SlotUnion(nr, nc)
        union = slots.union
        for r in range(1, nr):
            for c in range(nc):
                mid = (xs[c] + xs[c + 1]) / 2
                if not any(s[0] - 1 <= mid <= s[1] + 1 for s in region[r][1]):
                    union((r - 1, c), (r, c))
        for g_line in group_lines(inside):
            r = bisect.bisect_right(ys, g_line[0].cy) - 1
            if not 0 <= r < nr:
                continue
            for run in split_runs(g_line, gap_em=0.6):
                c0 = max(0, bisect.bisect_right(xs, run[0].x0 + 0.5) - 1)
                c1 = min(nc - 1, bisect.bisect_right(xs, run[-1].x1 - 0.5) - 1)
                for c in range(c0, c1):
                    union((r, c), (r, c + 1))
        if len(xs) > 2 and any(x0 + 3 < v < x1 - 3 for s in all_segs for v in (s[0], s[1])):
            _merge_by_borders(region, xs, ys, inside, union)
        cells = [
            GridCell(r0, c0, nr_, nc_, (xs[c0], ys[r0], xs[c0 + nc_], ys[r0 + nr_]))
            for r0, c0, nr_, nc_ in slots.spans()
        ]
        grid = Grid(page, xs, ys, cells)
        for g in inside:
            grid.take(g)
        out.append(grid)
    return out
