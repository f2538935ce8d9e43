"""Tables ruled with horizontal lines only, on a scanned page: cut into cells like a ruled grid.

Rows lie between the rules. Columns come from the white gutters between columns of ink, over
every row of the table at once (:mod:`tabledesk.sources.scan.columns`), and from the ends of rules
that stop at a column edge. A rule that does not run over a column means the cell above and
below it is one merged cell (a group label); ink running on over a column edge without a gap
means a cell spanning those columns (a group header), unless it runs on up to the number of
a column of numbers: then a label set wider than its column has met that column's value, and
the two are parted at the blank between them. Every cell is then cut to a tight box
around each of its text lines and only those boxes are recognised, in batches, exactly as the
cells of a fully ruled table (no detection model: a lone digit gets no box from the detector,
and reading cut cells is several times faster than detecting the page).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import cv2
import numpy as np

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import RawCell, RawTable
from tabledesk.core.values import parse_number
from tabledesk.sources.grid_geometry import SlotUnion
from tabledesk.sources.scan.cell_text import join_lines, stripped
from tabledesk.sources.scan.columns import (
    Run,
    band_runs,
    column_edges,
    column_spans,
    drawn_edges,
    split_at_edges,
)
from tabledesk.sources.scan.engine import OcrEngine
from tabledesk.sources.scan.grid import drop_specks, ink_lines
from tabledesk.sources.scan.page import PAD, PageImage
from tabledesk.sources.scan.rows import unruled_rows

HEADING_SIZE = 1.18  # text this much taller than the table's is a heading between two tables
CUT_OFF_CONFIDENCE = 0.85  # a cell whose text runs up to a column edge: below the 0.9 of sure
LONE_HEADING_SIZE = 1.08  # ... and so is a line of text alone in its band, this much taller
CONTINUED_TOL = 4.0  # points: a continued table's width agrees this closely (as stitched)
# points: how far a continued table may stand sideways of the part before it (each sheet lies
# on the glass a little differently, and is turned a little differently)
CONTINUED_SHIFT = 24.0
NUMBER_WIDTH = 5.0  # characters: no number printed in a report's table is wider (12,345.67)


@dataclass(slots=True)
class Level:
    """One horizontal rule of the table (several segments at the same height)."""

    y: int
    segs: list[tuple[int, int]]

    def covers(self, a: int, b: int) -> bool:
        """Whether the rule runs over most of x = a..b (a column)."""
        if b <= a:
            return False
        hit = sum(max(0, min(b, s1) - max(a, s0)) for s0, s1 in self.segs)
        return hit >= 0.5 * (b - a)


@dataclass(slots=True)
class Cut:
    """A table laid out in pixels: column edges, rule heights, and cells as slot groups."""

    xs: list[int]
    ys: list[int]
    cells: list[tuple[int, int, int, int]]  # r, c, row span, col span
    # cells whose sides are not column edges (x0, x1): a label run on into the next column
    # ends at the blank before that column's number, which starts there (:func:`_overrun`)
    sides: dict[tuple[int, int, int, int], tuple[int, int]] = field(default_factory=dict)


def read_rules_only(
    img: PageImage,
    ink: np.ndarray,
    rules_only: list[tuple[int, int, int]],
    ocr: OcrEngine,
    follows: list[tuple[float, float]] | None = None,
) -> list[RawTable]:
    """Tables among ``rules_only`` (horizontal rules of no full grid, in pixels). ``ink`` (the
    page's ink without rules or ruled tables) is blanked where tables were read; text between
    the rules that belongs to no table (a heading between two tables) is left for the prose
    reader.

    ``follows``: the column edges (PDF points) of the table closing the previous page, when
    the first table here may continue it (nothing read above it on this page)."""
    tables: list[RawTable] = []
    em = img.dpi * 10 / 72  # a 10-point character, in pixels
    clean = drop_specks(ink, max(4, round(em * em / 60)))
    inset = max(2, round(img.dpi / 75))
    for box in _rule_regions(rules_only, img.dpi):
        x0, y0, x1, y1 = box
        segs = [s for s in rules_only if x0 <= s[0] and s[1] <= x1 and y0 <= s[2] <= y1]
        for levels in _split_at_headings(clean, _levels(segs, max(3, round(img.dpi / 40))), inset):
            cut = _layout(clean, levels, img.dpi, inset)
            if cut is None:
                continue
            table = _read(img, ink, cut, inset, ocr)
            if follows and not tables:
                # only the first table of the page can continue the previous page's
                cut, table = _continued(img, ink, clean, levels, cut, table, follows, inset, ocr)
            tables.append(table)
            ink[cut.ys[0] - inset : cut.ys[-1] + inset + 1, cut.xs[0] : cut.xs[-1] + 1] = 0
    return tables


def _continued(
    img: PageImage,
    ink: np.ndarray,
    clean: np.ndarray,
    levels: list[Level],
    cut: Cut,
    table: RawTable,
    follows: list[tuple[float, float]],
    inset: int,
    ocr: OcrEngine,
) -> tuple[Cut, RawTable]:
    """The table re-cut at the columns of the table it continues, when it opens with a data
    row (no header of its own) and spans the same width. Without a header the gutters show
    only the columns that hold numbers here: blank or narrow columns merge with their
    neighbours and a value lands in the wrong one. The previous page's header found them.
    Only the number columns are taken from it: the label columns are this page's own (the
    labels are all here, and a group label set upright may have hidden them on that page)."""
    first = _values_from(table)
    if first is None:
        return cut, table
    inv = cv2.invertAffineTransform(img.to_pt)
    y_pt = float(img.to_pt[1] @ np.array([cut.xs[0], cut.ys[0], 1.0]))
    pts = [follows[0][0], *(e[1] for e in follows)]
    xs = [round(float(inv[0] @ np.array([x, y_pt, 1.0]))) for x in pts]
    tol = img.dpi * CONTINUED_TOL / 72
    # the same width, the previous page's edges moved over by however far this sheet lay
    # sideways of that one
    shift = ((cut.xs[0] - xs[0]) + (cut.xs[-1] - xs[-1])) / 2
    if abs((xs[-1] - xs[0]) - (cut.xs[-1] - cut.xs[0])) > tol or abs(shift) > img.dpi * CONTINUED_SHIFT / 72:
        # another table, or the same one set at another width: either way no header says
        # which column a number stands in, and the gutters may have merged some
        return cut, _doubted(table)
    xs = [round(x + shift) for x in xs]
    # the outer edges stay this page's own (where its rules end), and so do the label columns
    # up to the first column of numbers; the number columns are the header's
    labels = cut.xs[: first + 1]
    # where the labels end, the header's edge in the same gutter (the gutters here place it
    # anywhere between the labels and the numbers, a few points off the header's)
    near = min(xs[1:-1], key=lambda x: abs(x - labels[-1]), default=labels[-1])
    if len(labels) > 1 and labels[-2] + tol < near < cut.xs[-1] - tol:
        labels[-1] = near
    values = [x for x in xs[1:-1] if labels[-1] + tol < x < cut.xs[-1] - tol]
    own = cut.xs[first + 1 : -1]
    if len(values) == len(own) and all(abs(a - b) <= tol for a, b in zip(values, own, strict=True)):
        return cut, table  # the gutters found every column already
    again = _layout(clean, levels, img.dpi, inset, [*labels, *values, cut.xs[-1]])
    if again is None:
        return cut, _doubted(table)
    return again, _read(img, ink, again, inset, ocr)


def _doubted(table: RawTable) -> RawTable:
    """``table`` with every number marked uncertain: a table opening a page without a header of
    its own, whose columns the table before it could not confirm. Blank or narrow columns
    merge with their neighbours in the gutters, so a number may stand one column over; the
    clerk is shown each one rather than a row silently shifted."""
    rows = [
        [
            dataclasses.replace(c, confidence=min(c.confidence or 1.0, CUT_OFF_CONFIDENCE))
            if c is not None and parse_number(c.text) is not None
            else c
            for c in row
        ]
        for row in table.cells
    ]
    return dataclasses.replace(table, cells=rows)


def _values_from(table: RawTable) -> int | None:
    """The first column holding a number when the table's first row is a row of data, not a
    header: its text (other than numbers) stands only in the label columns, left of every
    column that holds a number anywhere in the table. A header row names the number columns
    above them; a data row's values may all be blank (zeros left out). None for a header."""
    cols = [
        c
        for row in table.cells
        for c, cell in enumerate(row)
        if cell is not None and cell.text.strip() and parse_number(cell.text) is not None
    ]
    if not cols or not table.cells:
        return None
    first = min(cols)
    texts = [
        (c, cell.text) for c, cell in enumerate(table.cells[0]) if cell is not None and cell.text.strip()
    ]
    if texts and all(c < first or parse_number(text) is not None for c, text in texts):
        return first
    return None


def _rule_regions(segs: list[tuple[int, int, int]], dpi: float) -> list[tuple[int, int, int, int]]:
    """Boxes around groups of two or more horizontal rules close below each other."""
    gap = dpi * 1.2  # rows of a table are closer than this
    groups: list[list[tuple[int, int, int]]] = []
    for s in sorted(segs, key=lambda s: s[2]):
        if (
            groups
            and s[2] - groups[-1][-1][2] <= gap
            and min(s[1], max(t[1] for t in groups[-1])) > max(s[0], min(t[0] for t in groups[-1]))
        ):
            groups[-1].append(s)
        else:
            groups.append([s])
    out = []
    for g in groups:
        if len({round(s[2] / 4) for s in g}) < 2:
            continue
        out.append((min(s[0] for s in g), min(s[2] for s in g), max(s[1] for s in g), max(s[2] for s in g)))
    return out


def _levels(segs: list[tuple[int, int, int]], tol: int) -> list[Level]:
    """Rules grouped by height; segments of one rule broken by the scan are joined."""
    out: list[Level] = []
    for x0, x1, y in sorted(segs, key=lambda s: s[2]):
        if out and y - out[-1].y <= tol:
            out[-1].segs.append((x0, x1))
        else:
            out.append(Level(y, [(x0, x1)]))
    for lv in out:
        merged: list[list[int]] = []
        for a, b in sorted(lv.segs):
            if merged and a <= merged[-1][1] + tol:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        lv.segs = [(a, b) for a, b in merged]
    return out


def _split_at_headings(ink: np.ndarray, levels: list[Level], inset: int) -> list[list[Level]]:
    """Two tables with a heading between them look like one run of rules: cut where the text
    between two rules is set larger than the table's (body type, not a row). A lone line of
    text across the band, with nothing else beside it, is cut at a smaller step up: no row
    of the table is set larger than the rest."""
    if len(levels) < 3:
        return [levels] if len(levels) == 2 else []
    x0 = min(s[0] for lv in levels for s in lv.segs)
    x1 = max(s[1] for lv in levels for s in lv.segs)
    bands = [
        ink[a.y + inset : b.y - inset + 1, x0 : x1 + 1] for a, b in zip(levels, levels[1:], strict=False)
    ]
    sizes = [_glyph_height(band) for band in bands]
    table = float(np.median([s for s in sizes if s > 0])) if any(sizes) else 0.0
    parts: list[list[Level]] = [[levels[0]]]
    for b, band, size in zip(levels[1:], bands, sizes, strict=True):
        lone = table and size > LONE_HEADING_SIZE * table and _lone_line(band, table)
        if table and (size > HEADING_SIZE * table or lone):
            parts.append([b])
        else:
            parts[-1].append(b)
    return [p for p in parts if len(p) >= 2]


def _lone_line(band: np.ndarray, em: float) -> bool:
    """Whether the band holds one line of text and nothing beside it (no gap of a character
    or more along it)."""
    cols = np.flatnonzero(band.any(axis=0))
    return bool(cols.size) and _lines(band, em) == 1 and not (np.diff(cols) > em).any()


def _unruled(ink: np.ndarray, top: int, bottom: int, xs: list[int], em: float) -> list[Level]:
    """Breaks between two rows printed in the band ``top``..``bottom`` with no rule between
    them, each drawn from the column of the rows' labels rightwards: columns left of it hold
    group labels standing beside both rows (merged cells, like a vertical label whose
    characters leave no blank across the whole table)."""
    for c in range(len(xs) - 2):
        out = []
        for y in unruled_rows(ink, top, bottom, xs[c], xs[-1], em):
            # the labels' column: text of its own above and below the break
            if ink[top:y, xs[c] : xs[c + 1]].any() and ink[y:bottom, xs[c] : xs[c + 1]].any():
                out.append(Level(y, [(xs[c], xs[-1])]))
        if out:
            return out
    return []


def _runs(
    ink: np.ndarray, levels: list[Level], inset: int, x0: int, x1: int, em: float, ends: list[int]
) -> tuple[list[list[Run]], list[list[Run]]]:
    """The runs of ink of each band between ``levels``, as cells (``runs``) and parted at half a
    character's gap (``fine``)."""
    min_size = max(3, round(em * 0.25))
    tight = max(3, round(em * 0.25))  # a blank this wide at a rule's end separates two cells
    reach = round(em * 0.3)
    runs: list[list[Run]] = []
    fine: list[list[Run]] = []
    for k in range(len(levels) - 1):
        band = ink[levels[k].y + inset : levels[k + 1].y - inset + 1]
        # A phrase's punctuation leaves up to a character of paper, so one line of text is
        # parted only at wider gaps; where cells hold lines stacked (a header row) the cells
        # stand closer and half that parts them.
        part = split_at_edges(band, band_runs(band, x0, x1, round(em * 0.45), min_size), ends, reach, tight)
        fine.append(part)
        coarse = split_at_edges(band, band_runs(band, x0, x1, round(em * 1.1), min_size), ends, reach, tight)
        row: list[Run] = []
        for c in coarse:
            paper = _cell_paper(ink, levels, k, c, inset)
            inner = [p for p in part if c.x0 <= p.x0 and p.x1 <= c.x1]
            if paper.shape[0] != band.shape[0]:  # cells reaching into the bands beside
                inner = split_at_edges(
                    paper, band_runs(paper, c.x0, c.x1, round(em * 0.45), min_size), ends, reach, tight
                )
            # stacked lines in any part: cells of two lines beside cells of three have their
            # lines at different heights, so together they show no blank between lines
            stacked = any(_lines(paper[:, p.x0 : p.x1], em) > 1 for p in inner)
            row.extend(inner if stacked else [c])
        runs.append(row)
    return runs, fine


def _cell_paper(ink: np.ndarray, levels: list[Level], k: int, run: Run, inset: int) -> np.ndarray:
    """The ink of band ``k`` and of the bands above and below it that no rule parts from it
    over ``run``'s x: a header of two lines beside a rule that stops short of its column is
    cut in two bands, and only together do they show its lines stacked."""
    top, bottom = k, k + 1
    while top > 0 and not levels[top].covers(run.x0, run.x1):
        top -= 1
    while bottom < len(levels) - 1 and not levels[bottom].covers(run.x0, run.x1):
        bottom += 1
    return ink[levels[top].y + inset : levels[bottom].y - inset + 1]


def _glyph_height(band: np.ndarray) -> int:
    """Height of the tallest mark in a band (the type size; a cell of two lines is two marks
    high, not one)."""
    if band.size == 0 or not band.any():
        return 0
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(band, connectivity=8)
    return int(stats[1:, cv2.CC_STAT_HEIGHT].max()) if n > 1 else 0


def _layout(
    ink: np.ndarray, levels: list[Level], dpi: float, inset: int, columns: list[int] | None = None
) -> Cut | None:
    """Columns and merged cells of the table between ``levels``; None when it is no table
    (two rules around one line of prose, or a single column of text). ``columns``: the column
    edges to use instead of those the gutters show (a table continued from the page before)."""
    x0 = min(s[0] for lv in levels for s in lv.segs)
    x1 = max(s[1] for lv in levels for s in lv.segs) + 1
    ys = [lv.y for lv in levels]
    bands = [ink[a + inset : b - inset + 1] for a, b in zip(ys, ys[1:], strict=False)]
    heights = [h for h in (_glyph_height(b[:, x0:x1]) for b in bands) if h]
    if not heights:
        return None
    em = max(float(np.median(heights)), dpi * 6 / 72)  # the table's type size, in pixels
    ends = sorted({v for lv in levels for s in lv.segs for v in s if x0 + em / 2 < v < x1 - em / 2})
    runs, fine = _runs(ink, levels, inset, x0, x1, em, ends)
    if len(levels) == 2 and len(runs[0]) < 2:
        return None  # two rules around text: underlined prose
    drawn = drawn_edges([lv.segs for lv in levels], x0, x1, em)
    xs = columns or column_edges(column_spans(runs, fine, x0, x1), x0, x1, ends, runs, drawn, round(em / 2))
    if len(xs) < 3:
        return None
    split = [
        v
        for a, b in zip(levels, [*levels[1:], None], strict=True)
        for v in [a, *([] if b is None else _unruled(ink, a.y + inset, b.y - inset + 1, xs, em))]
    ]
    if len(split) > len(levels):
        levels = split
        ys = [lv.y for lv in levels]
        bands = [ink[a + inset : b - inset + 1] for a, b in zip(ys, ys[1:], strict=False)]
        runs, fine = _runs(ink, levels, inset, x0, x1, em, ends)
    nr, nc = len(ys) - 1, len(xs) - 1
    joined = SlotUnion(nr, nc)
    union = joined.union

    for r in range(1, nr):
        for c in range(nc):
            if not levels[r].covers(xs[c], xs[c + 1]):
                union((r - 1, c), (r, c))
    for r, band_of in enumerate(runs):
        # text running over a column edge (no gap that parts cells) is one cell spanning it
        for run in band_of:
            for k in range(1, nc):
                if run.x0 < xs[k] - 1 and run.x1 > xs[k] + 1:
                    union((r, k - 1), (r, k))
    cells, sides = _overrun(joined.spans(), fine, xs, em)
    inked = {
        cell: bool(
            ink[
                ys[cell[0]] + inset : ys[cell[0] + cell[2]] - inset + 1, xs[cell[1]] : xs[cell[1] + cell[3]]
            ].any()
        )
        for cell in cells
    }
    return Cut(xs, ys, _widen(sorted(cells), inked, xs), sides)


def _overrun(
    cells: list[tuple[int, int, int, int]], fine: list[list[Run]], xs: list[int], em: float
) -> tuple[list[tuple[int, int, int, int]], dict[tuple[int, int, int, int], tuple[int, int]]]:
    """Cells parted where a label set wider than its column runs on into the next one, up to
    that column's number: one line of ink over the edge made them one cell, and the number
    would be read as the label's last word (its column then read blank). The last text of
    such a cell is the column's own when it stands clear of the label (half a character of
    paper), wholly inside the column, narrower than it, in a row holding numbers of its own
    further right, in a column of numbers: texts of their own in other rows, as short as
    numbers are (a label spanning two label columns ends in a column of labels, and stays
    whole). The two cells meet at the middle of that blank; the sides are returned by cell."""
    number = NUMBER_WIDTH * em
    singles = {
        (r, c)
        for r, c, rs, cs in cells
        if rs == 1 and cs == 1 and any(xs[c] <= p.x0 and p.x1 <= xs[c + 1] for p in fine[r])
    }
    out = list(cells)
    sides: dict[tuple[int, int, int, int], tuple[int, int]] = {}
    for cell in cells:
        r, c, rs, cs = cell
        if rs != 1 or cs < 2:
            continue
        j = c + cs - 1
        pieces = sorted((p for p in fine[r] if p.x1 > xs[c] and p.x0 < xs[c + cs]), key=lambda p: p.x0)
        if len(pieces) < 2:
            continue
        last, before = pieces[-1], pieces[-2]
        if not (
            xs[j] <= last.x0 and last.x1 <= xs[j + 1] and last.width < min(number, 0.8 * (xs[j + 1] - xs[j]))
        ):
            continue
        own_row = sum(1 for k in range(j + 1, len(xs) - 1) if (r, k) in singles)
        widths = [
            sum(p.width for p in fine[q] if xs[j] <= p.x0 and p.x1 <= xs[j + 1])
            for q in range(len(fine))
            if q != r and (q, j) in singles
        ]
        if own_row < 2 or len(widths) < 2 or float(np.median(widths)) > number:
            continue
        cut = (before.x1 + last.x0) // 2
        out.remove(cell)
        label, value = (r, c, 1, cs - 1), (r, j, 1, 1)
        out += [label, value]
        sides[label] = (xs[c], cut)
        sides[value] = (cut, xs[j + 1])
    return out, sides


def _widen(
    cells: list[tuple[int, int, int, int]], inked: dict[tuple[int, int, int, int], bool], xs: list[int]
) -> list[tuple[int, int, int, int]]:
    """Cells widened to the span the layout implies but no gutter shows. A row holding one
    text and nothing else (no cell reaching into it from above or below) is a title over the
    whole table; a row's only text under a cell spanning several columns, with the rest of
    that span empty, spans it too (the value of a section with fewer columns than the table:
    its number sits in one gutter-bounded column, its header over all of them)."""
    ink = dict(inked)
    nr, nc = 1 + max(cl[0] + cl[2] - 1 for cl in cells), len(xs) - 1
    third = (xs[-1] - xs[0]) / 3
    for r in range(nr):
        own = [cl for cl in cells if cl[0] == r and cl[2] == 1]
        if sum(cl[3] for cl in own) == nc:
            texts = [cl for cl in own if ink[cl]]
            # centred on the table, not a row label whose numbers are all left blank
            mid = (xs[texts[0][1]] + xs[texts[0][1] + texts[0][3]]) / 2 if len(texts) == 1 else 0.0
            if len(texts) == 1 and len(own) > 1 and xs[0] + third < mid < xs[-1] - third:
                cells = [cl for cl in cells if cl not in own] + [(r, 0, 1, nc)]
                ink[(r, 0, 1, nc)] = True
                continue
        if r == 0:
            continue
        for above in [cl for cl in cells if cl[0] + cl[2] == r and cl[3] > 1 and ink[cl]]:
            c0, c1 = above[1], above[1] + above[3]
            under = [cl for cl in cells if cl[0] == r and cl[2] == 1 and c0 <= cl[1] and cl[1] + cl[3] <= c1]
            texts = [cl for cl in under if ink[cl]]
            if sum(cl[3] for cl in under) == c1 - c0 and len(under) > 1 and len(texts) == 1:
                cells = [cl for cl in cells if cl not in under] + [(r, c0, 1, c1 - c0)]
                ink[(r, c0, 1, c1 - c0)] = True
    return sorted(cells)


def _lines(band: np.ndarray, em: float) -> int:
    """Lines of text stacked in a band: runs of inked rows at least half a character high."""
    rows = band.any(axis=1)
    padded = np.concatenate(([False], rows, [False])).astype(np.int8)
    d = np.diff(padded)
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    return int(((ends - starts) >= em * 0.5).sum())


def _read(img: PageImage, ink: np.ndarray, cut: Cut, inset: int, ocr: OcrEngine) -> RawTable:
    """Every cell cut to its text lines, recognised in one batch, as a RawTable."""
    h, w = ink.shape
    jobs: list[tuple[int, np.ndarray]] = []
    cut_off: set[int] = set()
    for i, (r, c, rs, cs) in enumerate(cut.cells):
        cx0, cx1 = cut.sides.get((r, c, rs, cs), (cut.xs[c], cut.xs[c + cs]))
        if (r, c, rs, cs) in cut.sides and c > 0 and cx0 > cut.xs[c]:
            # a number beside a label run into its column: where one ends is a guess
            cut_off.add(i)
        cy0, cy1 = cut.ys[r] + inset, cut.ys[r + rs] - inset + 1
        if cx1 - cx0 < 4 or cy1 - cy0 < 4:
            continue
        for lx0, ly0, lx1, ly1 in ink_lines(
            ink[cy0:cy1, cx0:cx1], min_mark=max(4, round(img.dpi / 30)), min_char=round(img.dpi * 7 / 72)
        ):
            # text cut by an inner column edge (no gutter there): which column it belongs
            # to is a guess, so the cell is not read as sure
            if (lx0 <= 0 and c > 0) or (lx1 >= cx1 - cx0 and c + cs < len(cut.xs) - 1):
                cut_off.add(i)
            jobs.append(
                (i, _crop(img.gray, cx0 + lx0, cy0 + ly0, cx0 + lx1, cy0 + ly1, (cx0, cy0, cx1, cy1)))
            )
    texts: dict[int, list[tuple[str, tuple[float, ...]]]] = {}
    confs: dict[int, float] = {}
    minus: dict[int, float] = {}
    for (i, _im), read in zip(jobs, ocr.recognize_detail([j[1] for j in jobs]), strict=True):
        if read.text.strip():
            texts.setdefault(i, []).append(stripped(read.text, read.chars))
            confs[i] = min(confs.get(i, 1.0), read.confidence, CUT_OFF_CONFIDENCE if i in cut_off else 1.0)
            minus[i] = max(minus.get(i, 0.0), read.minus)
    nr, nc = len(cut.ys) - 1, len(cut.xs) - 1
    rows: list[list[RawCell | None]] = [[None] * nc for _ in range(nr)]
    for i, (r, c, rs, cs) in enumerate(cut.cells):
        cx0, cx1 = cut.sides.get((r, c, rs, cs), (cut.xs[c], cut.xs[c + cs]))
        prov = Provenance(page=img.pno, bbox=img.box(cx0, cut.ys[r], cx1, cut.ys[r + rs]))
        text, chars = join_lines(texts.get(i, []))
        rows[r][c] = RawCell(text, prov, rs, cs, confs.get(i), chars, minus.get(i, 0.0))
    edges = [img.box(cut.xs[k], cut.ys[0], cut.xs[k + 1], cut.ys[0]) for k in range(nc)]
    return RawTable(
        rows,
        Provenance(page=img.pno, bbox=img.box(cut.xs[0], cut.ys[0], cut.xs[-1], cut.ys[-1])),
        col_edges=[(e[0], e[2]) for e in edges],
    )


def _crop(
    gray: np.ndarray, x0: int, y0: int, x1: int, y1: int, within: tuple[int, int, int, int]
) -> np.ndarray:
    """The text line x0..x1, y0..y1 with PAD pixels of white around it, taking nothing from
    outside the cell ``within`` (a rule just above or below would read as a stroke)."""
    wx0, wy0, wx1, wy1 = within
    out = np.full((y1 - y0 + 2 * PAD, x1 - x0 + 2 * PAD), 255, dtype=gray.dtype)
    ax0, ay0 = max(x0 - PAD, wx0, 0), max(y0 - PAD, wy0, 0)
    ax1, ay1 = min(x1 + PAD, wx1, gray.shape[1]), min(y1 + PAD, wy1, gray.shape[0])
    out[ay0 - (y0 - PAD) : ay1 - (y0 - PAD), ax0 - (x0 - PAD) : ax1 - (x0 - PAD)] = gray[ay0:ay1, ax0:ax1]
    return cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)
