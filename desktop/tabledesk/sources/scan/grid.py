"""Table grids on a page image: deskew, ruling lines by morphology, cells with their spans.

Pure image geometry (OpenCV and numpy), no OCR: :mod:`tabledesk.sources.scan.extract` cuts the
cells found here and has them read. Coordinates are pixels of the deskewed image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from tabledesk.sources.grid_geometry import SlotUnion, cluster

MAX_SKEW_DEG = 3.0  # beyond this a page is not "a little turned" and lines are not found


@dataclass(slots=True)
class Masks:
    """Binarised page (ink = 255) and its horizontal and vertical ruling lines."""

    ink: np.ndarray
    horiz: np.ndarray
    vert: np.ndarray


@dataclass(slots=True)
class GridCell:
    r: int
    c: int
    rs: int
    cs: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels (along the rules)
    # column edges (indices into xs) inside a one-row cell whose rule is drawn in the rows
    # above and below but left out here: numbers on either side are separate cells
    slips: list[int] = field(default_factory=list)


@dataclass(slots=True)
class PixelGrid:
    xs: list[int]
    ys: list[int]
    cells: list[GridCell] = field(default_factory=list)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


HSegPx = tuple[int, int, int]  # x0, x1, y


def binarise(gray: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0: Otsu over the page (scans are dark print on a light sheet)."""
    _t, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return bw


def skew_angle(gray: np.ndarray) -> float:
    """Degrees the page is turned (counter-clockwise positive), from its long horizontal rules
    (or, without any, 0)."""
    bw = binarise(gray)
    h, w = bw.shape
    lines = cv2.morphologyEx(
        bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 15), 1))
    )
    # close small breaks so a turned rule, cut into steps by the opening, is one component
    lines = cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    n, labels, stats, _c = cv2.connectedComponentsWithStats(lines, connectivity=8)
    slopes: list[tuple[float, float]] = []
    for i in range(1, n):
        x, y, cw, ch, _a = stats[i]
        if cw < w / 5 or ch > cw / 8:
            continue
        ys, xs = np.nonzero(labels[y : y + ch, x : x + cw] == i)
        if len(xs) < 20:
            continue
        slope = float(np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0])
        slopes.append((slope, float(cw)))
    if not slopes:
        return 0.0
    slopes.sort()
    total = sum(wt for _s, wt in slopes)
    acc = 0.0
    for s, wt in slopes:  # weighted median: one stray rule must not tilt the page
        acc += wt
        if acc >= total / 2:
            angle = float(np.degrees(np.arctan(s)))
            return angle if abs(angle) <= MAX_SKEW_DEG else 0.0
    return 0.0


def line_masks(gray: np.ndarray, dpi: float) -> Masks:
    bw = binarise(gray)
    h, w = bw.shape
    hk = max(20, int(dpi * 0.35))  # a third of an inch: longer than any character stroke
    vk = max(12, int(dpi * 0.19))  # shorter than the lowest table row, longer than a glyph
    horiz = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hk, 1)))
    vert = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vk)))
    # a rule thinned to one pixel here and there by the scan is still one rule
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 1)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 7)))
    return Masks(bw, horiz, vert)


def _segments(mask: np.ndarray, horizontal: bool, min_len: int) -> list[tuple[int, int, int]]:
    """(start, end, position) of each line in ``mask``: x0, x1, y for horizontal lines and
    y0, y1, x for vertical ones."""
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, cw, ch, _a = stats[i]
        if horizontal and cw >= min_len:
            out.append((int(x), int(x + cw - 1), int(y + ch // 2)))
        elif not horizontal and ch >= min_len:
            out.append((int(y), int(y + ch - 1), int(x + cw // 2)))
    return out


def _cluster(values: Sequence[int], tol: int) -> list[int]:
    """Pixel edge positions within ``tol`` of each other, as whole pixels."""
    return [round(v) for v in cluster(values, tol)]


@dataclass(slots=True)
class Regions:
    grids: list[PixelGrid]
    rules_only: list[HSegPx]  # horizontal rules of tables with no (or too few) vertical rules


def find_tables(masks: Masks, dpi: float) -> Regions:
    """Ruled tables (a full grid of horizontal and vertical rules) and the horizontal rules of
    everything else (tables ruled with horizontal lines only, underlines)."""
    h, w = masks.ink.shape
    tol = max(3, round(dpi / 40))
    sliver = round(dpi * 0.07)  # narrower than any row of text: two lines of one double rule
    both = cv2.dilate(cv2.bitwise_or(masks.horiz, masks.vert), np.ones((5, 5), np.uint8))
    n, labels, _stats, _c = cv2.connectedComponentsWithStats(both, connectivity=8)
    grids: list[PixelGrid] = []
    rest: list[HSegPx] = []
    # Each rule goes with the network of rules it is drawn in, not with every box around it: a
    # frame around the page (or a box around a table) encloses tables without touching them.
    hsegs: dict[int, list[HSegPx]] = {}
    vsegs: dict[int, list[tuple[int, int, int]]] = {}
    for s in _segments(masks.horiz, True, max(20, int(dpi * 0.35))):
        hsegs.setdefault(_label_at(labels, (s[0] + s[1]) // 2, s[2]), []).append(s)
    for s in _segments(masks.vert, False, max(12, int(dpi * 0.19))):
        vsegs.setdefault(_label_at(labels, s[2], (s[0] + s[1]) // 2), []).append(s)
    for i in range(1, n):
        hs = hsegs.get(i, [])
        vs = vsegs.get(i, [])
        ys = _open_edges(_drop_slivers(_cluster([s[2] for s in hs], tol), sliver), vs, tol, round(dpi * 0.12))
        # a vertical rule of the grid ends on horizontal rules (a tall stroke of text does not)
        vs = [s for s in vs if _near(ys, s[0], 2 * tol) and _near(ys, s[1], 2 * tol)]
        xs = _drop_slivers(_cluster([s[2] for s in vs], tol), sliver)
        if len(ys) >= 2 and len(xs) >= 3:
            g = _grid(masks, xs, ys, tol)
            if g is not None:
                grids.append(g)
                continue
        rest += hs
    return Regions(grids, rest)


def _open_edges(ys: list[int], vs: list[tuple[int, int, int]], tol: int, min_row: int) -> list[int]:
    """Rule positions with the table's open edges added. Where a table breaks over a page,
    Word and WPS often draw no rule under the part's last row (or over the next part's first):
    the column rules then run on past the last horizontal rule and end together, and that
    common end is the row's missing edge."""
    if not ys:
        return ys
    out = list(ys)
    below = [s[1] for s in vs if _near(ys, s[0], 2 * tol) and s[1] > ys[-1] + min_row]
    if len(below) >= 3:
        end = max(below)
        if sum(abs(e - end) <= 2 * tol for e in below) >= 3:
            out.append(end)
    above = [s[0] for s in vs if _near(ys, s[1], 2 * tol) and s[0] < ys[0] - min_row]
    if len(above) >= 3:
        start = min(above)
        if sum(abs(e - start) <= 2 * tol for e in above) >= 3:
            out.insert(0, start)
    return out


def _drop_slivers(values: list[int], gap: int) -> list[int]:
    """Rule positions without the second line of a double rule (a double or thick-and-thin
    border, a rule doubled by the exporter): of two lines closer than ``gap``, the inner one
    (towards the cells) stays, so the border adds no row or column of its own."""
    out = list(values)
    k = 0
    while k + 1 < len(out):
        if out[k + 1] - out[k] < gap:
            del out[k if k == 0 else k + 1]
        else:
            k += 1
    return out


def _label_at(labels: np.ndarray, x: int, y: int) -> int:
    """The component at (x, y) or, for a rule a pixel off its box's middle, next to it."""
    win = labels[max(y - 2, 0) : y + 3, max(x - 2, 0) : x + 3]
    return int(win.max()) if win.size else 0


def _near(values: Sequence[int], v: int, tol: int) -> bool:
    return any(abs(v - u) <= tol for u in values)


def _coverage(mask: np.ndarray, x0: int, x1: int, y0: int, y1: int, along_x: bool) -> float:
    """Share of the positions along a boundary where the mask has a rule (within the band)."""
    band = mask[max(y0, 0) : max(y1, 0), max(x0, 0) : max(x1, 0)]
    if band.size == 0:
        return 0.0
    hits = band.any(axis=0) if along_x else band.any(axis=1)
    return float(hits.mean())


def _grid(masks: Masks, xs: list[int], ys: list[int], tol: int) -> PixelGrid | None:
    nr, nc = len(ys) - 1, len(xs) - 1
    m = tol + 2  # stay clear of the rules' ends when measuring a boundary

    def vrule(r: int, k: int) -> bool:  # vertical rule at xs[k] in row r
        if not 0 <= r < nr:
            return False
        return _coverage(masks.vert, xs[k] - tol, xs[k] + tol + 1, ys[r] + m, ys[r + 1] - m, False) > 0.6

    def hrule(k: int, c: int) -> bool:  # horizontal rule at ys[k] over column c
        return _coverage(masks.horiz, xs[c] + m, xs[c + 1] - m, ys[k] - tol, ys[k] + tol + 1, True) > 0.6

    joined = SlotUnion(nr, nc)
    slips: set[tuple[int, int]] = set()
    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not vrule(r, c + 1):
                joined.union((r, c), (r, c + 1))
                # a rule left out in this row only (drawn in the rows above and below, or in
                # the one row beside it at the table's top or bottom, where a page break may
                # cut the table) may be a slip of the exporter rather than a merged cell:
                # decided once the text is read
                beside = [vrule(rr, c + 1) for rr in (r - 1, r + 1) if 0 <= rr < nr]
                if beside and all(beside):
                    slips.add((r, c + 1))
            if r + 1 < nr and not hrule(r + 1, c):
                joined.union((r, c), (r + 1, c))
    cells: list[GridCell] = []
    for r0, c0, rows, cols in joined.spans():
        r1, c1 = r0 + rows, c0 + cols
        cell = GridCell(r0, c0, r1 - r0, c1 - c0, (xs[c0], ys[r0], xs[c1], ys[r1]))
        if r1 - r0 == 1:
            cell.slips = sorted(k for r, k in slips if r == r0 and c0 < k < c1)
        cells.append(cell)
    # a rectangle with no inner cell boundary at all is a frame (a box around prose), not a table
    if len(cells) < 2:
        return None
    cells.sort(key=lambda c: (c.r, c.c))
    return PixelGrid(xs, ys, cells)


def ink_lines(
    ink: np.ndarray, min_area: int = 3, min_mark: int = 5, min_char: int = 14
) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of the text lines in a cut-out cell, top to bottom: rows of ink
    separated by blank rows. Specks of dust (tiny and away from the text) are ignored, and a
    cell holding nothing larger than ``min_mark`` pixels (a minus sign is larger) is empty.
    ``min_char`` is the height of the smallest characters expected (a 5 whose bar the scan cut
    off its bowl is still one line)."""
    n, labels, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return []
    comps = [stats[i] for i in range(1, n) if stats[i][4] >= min_area]
    if not comps or max(max(int(s[2]), int(s[3])) for s in comps) < min_mark:
        return []
    big = max(int(s[3]) for s in comps)
    # A component smaller than a decimal point is dust unless it sits where marks that small
    # do: low beside a sizeable one (a decimal point, a comma, 、) or over or under it (the dot
    # of 文), or, flat and at mid-height, just before it (the minus of a small "-1": dropped,
    # the number loses its sign). A speck up beside a digit would make "3" read ".3".
    keep = []
    specks: set[tuple[int, int, int, int]] = set()
    for s in comps:
        x, y, cw, ch, area = (int(v) for v in s)
        if area < 10 and ch < big / 3:
            specks.add((x, y, x + cw, y + ch))
            cy = y + ch / 2
            near = any(
                t is not s
                and t[4] >= 10
                and abs((t[1] + t[3] / 2) - cy) < big
                and t[0] - big <= x <= t[0] + t[2] + big
                and (t[0] - 1 <= x + cw / 2 <= t[0] + t[2] + 1 or cy >= t[1] + 0.6 * t[3])
                for t in comps
            ) or (
                cw >= 3
                and cw >= 2 * ch
                and any(
                    t is not s
                    and t[4] >= 10
                    and 0 <= t[0] - (x + cw) <= big / 2
                    and t[1] + 0.25 * t[3] <= cy <= t[1] + 0.75 * t[3]
                    for t in comps
                )
            )
            if not near:
                continue
        keep.append((x, y, x + cw, y + ch))
    if not keep:
        return []
    # Rows of ink: a character may be several components stacked (三, 二, 了), so spans are
    # merged while together they stay within the height of the tallest glyph in the cell.
    spans = sorted((b[1], b[3]) for b in keep)
    big = max(min_char, *(b[3] - b[1] for b in keep))
    rows: list[list[int]] = []
    for y0, y1 in spans:
        if rows and (y0 < rows[-1][1] or max(y1, rows[-1][1]) - rows[-1][0] <= 1.15 * big):
            rows[-1][1] = max(rows[-1][1], y1)
        else:
            rows.append([y0, y1])
    out = []
    for y0, y1 in rows:
        inside = [b for b in keep if b[1] >= y0 and b[3] <= y1]
        if all(b in specks for b in inside):
            continue  # a row of nothing but specks (dust between two lines) is no text
        out.append((min(b[0] for b in inside), y0, max(b[2] for b in inside), y1))
    return out


def drop_specks(ink: np.ndarray, min_area: int) -> np.ndarray:
    """``ink`` without components smaller than ``min_area`` pixels: dust (a one-pixel stroke
    such as 一 is long enough to stay; a decimal point beside its digits only widens their run)."""
    n, labels, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] < min_area)
    small = small[small != 0]
    if small.size == 0:
        return ink
    out = ink.copy()
    out[np.isin(labels, small)] = 0
    return out
