"""Ruled tables' cells from a page's rectangles, lines and paths: pdfplumber's ``find_tables``
with its default settings ("lines" strategies, snap/join/intersection tolerance 3, edges of at
least 3 points), on :class:`~tabledesk.sources.pdf.facts.PageFacts` instead of a pdfplumber
page, so the pdfium reader finds the very cells pdfplumber would.

The algorithm and its order of operations are pdfplumber's (MIT licence, ``pdfplumber/table.py``
and ``utils/geometry.py``); edges are small tuples instead of dicts. Also here: the horizontal
rules and page frames the fallback grids need (both readers use these).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from tabledesk.sources.pdf.facts import PageFacts
from tabledesk.sources.pdf.tables import HSeg

_SNAP = 3.0
_JOIN = 3.0
_INTERSECT = 3.0
_MIN_LENGTH = 3.0
_MIN_LENGTH_PREFILTER = 1.0

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
_Point = tuple[float, float]
_Points = dict[_Point, tuple[set[Box], set[Box]]]


@dataclass(slots=True, frozen=True)
class _Edge:
    x0: float
    top: float
    x1: float
    bottom: float
    horizontal: bool

    @property
    def length(self) -> float:
        return self.x1 - self.x0 if self.horizontal else self.bottom - self.top


def page_edges(facts: PageFacts) -> list[_Edge]:
    """pdfplumber's ``page.edges``: each line, the four sides of each rectangle and every
    segment of other paths (only horizontal and vertical ones can bound a cell)."""
    out: list[_Edge] = []
    for ln in facts.lines:
        out.append(_Edge(ln.x0, ln.top, ln.x1, ln.bottom, ln.top == ln.bottom))
    for r in facts.rects:
        out += [
            _Edge(r.x0, r.top, r.x1, r.top, True),
            _Edge(r.x0, r.bottom, r.x1, r.bottom, True),
            _Edge(r.x0, r.top, r.x0, r.bottom, False),
            _Edge(r.x1, r.top, r.x1, r.bottom, False),
        ]
    for pts in facts.curves:
        for (xa, ya), (xb, yb) in itertools.pairwise(pts):
            if xa == xb or ya == yb:
                out.append(_Edge(min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb), ya == yb))
    return out


def _snap(edges: list[_Edge], horizontal: bool) -> list[_Edge]:
    """Edges whose position lies within the tolerance of the previous one (a chain) moved to
    their cluster's mean position, as pdfplumber's ``snap_objects``."""

    def pos(e: _Edge) -> float:
        return e.top if horizontal else e.x0

    values = sorted(set(map(pos, edges)))
    cluster_of: dict[float, int] = {}
    k = -1
    last: float | None = None
    for v in values:
        if last is None or v > last + _SNAP:
            k += 1
        cluster_of[v] = k
        last = v
    groups: dict[int, list[_Edge]] = {}
    for e in sorted(edges, key=lambda e: cluster_of[pos(e)]):
        groups.setdefault(cluster_of[pos(e)], []).append(e)
    out: list[_Edge] = []
    for _, group in sorted(groups.items()):
        avg = sum(map(pos, group)) / len(group)
        for e in group:
            d = avg - pos(e)
            if horizontal:
                out.append(_Edge(e.x0, e.top + d, e.x1, e.bottom + d, True))
            else:
                out.append(_Edge(e.x0 + d, e.top, e.x1 + d, e.bottom, False))
    return out


def _join(edges: list[_Edge], horizontal: bool) -> list[_Edge]:
    """Edges on one line joined where they overlap or nearly touch."""
    if horizontal:
        ordered = sorted(edges, key=lambda e: e.x0)
    else:
        ordered = sorted(edges, key=lambda e: e.top)
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if horizontal:
            if e.x0 <= last.x1 + _JOIN:
                if e.x1 > last.x1:
                    joined[-1] = _Edge(last.x0, last.top, e.x1, last.bottom, True)
            else:
                joined.append(e)
        elif e.top <= last.bottom + _JOIN:
            if e.bottom > last.bottom:
                joined[-1] = _Edge(last.x0, last.top, last.x1, e.bottom, False)
        else:
            joined.append(e)
    return joined


def merged_edges(facts: PageFacts) -> list[_Edge]:
    edges = [e for e in page_edges(facts) if e.length >= _MIN_LENGTH_PREFILTER]
    v = _snap([e for e in edges if not e.horizontal], horizontal=False)
    h = _snap([e for e in edges if e.horizontal], horizontal=True)
    out: list[_Edge] = []
    # grouped by orientation and position, vertical ones first (pdfplumber sorts by ("h"|"v",
    # position), so horizontal groups come first); the order only decides ties below
    for horizontal, group in ((True, h), (False, v)):
        key = (lambda e: e.top) if horizontal else (lambda e: e.x0)
        for _, items in itertools.groupby(sorted(group, key=key), key=key):
            out += _join(list(items), horizontal)
    return [e for e in out if e.length >= _MIN_LENGTH]


def _intersections(edges: list[_Edge]) -> _Points:
    """Points where a vertical and a horizontal edge meet within the tolerance, with the
    edges (as boxes) that meet there: (vertical, horizontal)."""
    out: _Points = {}
    vs = sorted((e for e in edges if not e.horizontal), key=lambda e: (e.x0, e.top))
    hs = sorted((e for e in edges if e.horizontal), key=lambda e: (e.top, e.x0))
    for v in vs:
        for h in hs:
            if (
                v.top <= h.top + _INTERSECT
                and v.bottom >= h.top - _INTERSECT
                and v.x0 >= h.x0 - _INTERSECT
                and v.x0 <= h.x1 + _INTERSECT
            ):
                vertex = (v.x0, h.top)
                sides = out.setdefault(vertex, (set(), set()))
                sides[0].add((v.x0, v.top, v.x1, v.bottom))
                sides[1].add((h.x0, h.top, h.x1, h.bottom))
    return out


def _connects(points: _Points, p1: _Point, p2: _Point) -> bool:
    """Whether one edge runs through both points (pdfplumber's ``edge_connects``)."""
    if p1[0] == p2[0] and points[p1][0] & points[p2][0]:
        return True
    return p1[1] == p2[1] and bool(points[p1][1] & points[p2][1])


def _cells(points: _Points) -> list[Box]:
    """For each intersection, the smallest cell it is the top-left corner of."""
    order = sorted(points)
    by_x: dict[float, list[_Point]] = {}
    by_y: dict[float, list[_Point]] = {}
    for p in order:
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    out: list[Box] = []
    for pt in order[:-1]:
        found = _smallest(points, pt, [q for q in by_x[pt[0]] if q > pt], [q for q in by_y[pt[1]] if q > pt])
        if found is not None:
            out.append(found)
    return out


def _smallest(points: _Points, pt: _Point, below: list[_Point], right: list[_Point]) -> Box | None:
    for b in below:
        if not _connects(points, pt, b):
            continue
        for r in right:
            if not _connects(points, pt, r):
                continue
            corner = (r[0], b[1])
            if corner in points and _connects(points, corner, r) and _connects(points, corner, b):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def _tables(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables of cells sharing corners (pdfplumber's ``cells_to_tables``)."""
    remaining = list(cells)
    corners: set[tuple[float, float]] = set()
    current: list[Box] = []
    tables: list[list[Box]] = []
    while remaining:
        before = len(current)
        for cell in list(remaining):
            x0, top, x1, bottom = cell
            cc = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in cc):
                corners.update(cc)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(list(current))
            corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def table_cells(facts: PageFacts) -> list[list[Box]]:
    """The cells of each ruled table on the page, as ``[t.cells for t in page.find_tables()]``."""
    return _tables(_cells(_intersections(merged_edges(facts))))


# ---------------------------------------------------------------------------------------------
# Rules and frames for the fallback grids
# ---------------------------------------------------------------------------------------------


def _is_frame(b: Box, w: float, h: float) -> bool:
    return (b[2] - b[0]) > 0.6 * w and (b[3] - b[1]) > 0.5 * h


def hsegs(facts: PageFacts) -> list[HSeg]:
    """Visible horizontal rules: lines, thin filled rectangles, and the top/bottom of stroked
    rectangles (page frames excluded)."""
    frames = [
        (r.x0, r.top, r.x1, r.bottom)
        for r in facts.rects
        if _is_frame((r.x0, r.top, r.x1, r.bottom), facts.width, facts.height)
    ]
    out: list[HSeg] = []
    for ln in facts.lines:
        if abs(ln.top - ln.bottom) < 1.0 and ln.x1 - ln.x0 > 5:
            out.append((ln.x0, ln.x1, ln.top))
    for r in facts.rects:
        b = (r.x0, r.top, r.x1, r.bottom)
        if b in frames or r.x1 - r.x0 <= 5:
            continue
        if r.bottom - r.top < 2.0:
            out.append((r.x0, r.x1, (r.top + r.bottom) / 2))
        elif r.stroke:
            out += [(r.x0, r.x1, r.top), (r.x0, r.x1, r.bottom)]
        # a tall filled rectangle without a stroke is shading, not a rule
    return out
