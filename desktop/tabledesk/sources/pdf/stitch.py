"""Tables continued on the next page: a table that opens a page joined onto the table that
closes the previous one when nothing but page numbers and running heads lies between them and
their column edges agree (the text layer's and the OCR reader's pages alike)."""

from __future__ import annotations

import dataclasses
import re
from difflib import SequenceMatcher

from tabledesk.core.source import RawCell, RawTable, TextLine
from tabledesk.sources.pdf.tables import cluster
from tabledesk.sources.pdf.text import NUMBER

_STITCH_TOL = 4.0  # points: column edges of a continued table may move this much
_PAGE_MARK = re.compile(r"^[-—–\s第页共/\d]*$")  # page numbers in headers and footers
_CONTINUED = re.compile(r"^(续表|\(续\)|续)")  # "continued" marks above a table's second part
_MARGIN = 0.09  # share of the page height at top and bottom where running heads/feet sit


def _edges(t: RawTable) -> list[float]:
    assert t.col_edges
    return [t.col_edges[0][0], *(e[1] for e in t.col_edges)]


def _edges_match(a: list[float], b: list[float]) -> bool:
    if abs(a[0] - b[0]) > _STITCH_TOL or abs(a[-1] - b[-1]) > _STITCH_TOL:
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    inner = small[1:-1]
    hits = sum(1 for e in inner if any(abs(e - f) <= _STITCH_TOL for f in big))
    if inner and hits < 0.7 * len(inner):
        return False
    # the other table's columns may lack a few edges (merged cells), but two different tables
    # whose grids merely share some edges would need many new columns together
    return len(cluster(a + b, tol=_STITCH_TOL)) <= len(big) + 1


def _running_lines(lines: list[TextLine], heights: dict[int, float]) -> set[int]:
    """ids of running heads and feet: short lines in the top or bottom margin zone that recur
    (digits aside) on two pages or more, or are set smaller than the body text. A section
    heading that happens to open a page is neither."""
    zone: list[TextLine] = []
    for ln in lines:
        p = ln.prov
        if p.page is None or not p.bbox or len(ln.text) > 40:
            continue
        h = heights.get(p.page, 842.0)
        if p.bbox[3] < _MARGIN * h or p.bbox[1] > (1 - _MARGIN) * h:
            zone.append(ln)
    pages: dict[str, set[int]] = {}
    for ln in zone:
        pages.setdefault(_mark_key(ln.text), set()).add(ln.prov.page or 0)
    sizes = sorted(ln.prov.bbox[3] - ln.prov.bbox[1] for ln in lines if ln.prov.bbox)
    body = sizes[len(sizes) // 2] if sizes else 0.0
    return {
        id(ln)
        for ln in zone
        if len(pages[_mark_key(ln.text)]) >= 2
        or (ln.prov.bbox is not None and ln.prov.bbox[3] - ln.prov.bbox[1] < 0.9 * body)
    }


def _mark_key(text: str) -> str:
    return re.sub(r"[\d\s]+", "", text)


def _alone(lines: list[TextLine], page: int, lo: float, hi: float, running: set[int]) -> bool:
    """No prose between ``lo`` and ``hi`` on ``page``: page numbers, "续表" marks and running
    heads/feet do not count."""
    for ln in lines:
        p = ln.prov
        if p.page != page or not p.bbox or not lo < p.bbox[1] < hi or id(ln) in running:
            continue
        text = ln.text.strip()
        if _PAGE_MARK.match(text) or (_CONTINUED.match(text) and len(text) <= 12):
            continue
        return False
    return True


def _row_key(row: list[RawCell | None]) -> tuple[str, ...]:
    return tuple("".join(c.text.split()) for c in row if c is not None and c.text.strip())


def _same_header(a: list[RawCell | None], b: list[RawCell | None]) -> bool:
    """Whether row ``b`` repeats header row ``a``: the same texts, or — read by OCR, where one
    character may come out wrong — nearly the same texts in a row that holds no number (a data
    row that happens to look like the header must stay)."""
    ka, kb = _row_key(a), _row_key(b)
    if not ka or len(ka) != len(kb):
        return False
    if ka == kb:
        return True
    if not any(c is not None and c.confidence is not None for c in b):
        return False  # a text layer repeats its header exactly
    if any(NUMBER.match(t) for t in ka + kb):
        return False
    return all(x == y or SequenceMatcher(None, x, y).ratio() >= 0.8 for x, y in zip(ka, kb, strict=True))


def _merge(a: RawTable, b: RawTable) -> RawTable:
    edges = cluster(_edges(a) + _edges(b), tol=_STITCH_TOL)
    ncols = len(edges) - 1
    # a header the exporter repeated after the break is dropped
    skip = 0
    for k in range(1, min(6, a.n_rows, b.n_rows) + 1):
        if all(_same_header(a.cells[i], b.cells[i]) for i in range(k)):
            skip = k
    rows: list[list[RawCell | None]] = []
    for t, start in ((a, 0), (b, skip)):
        for row in t.cells[start:]:
            new: list[RawCell | None] = [None] * ncols
            for cell in row:
                if cell is None or cell.prov.bbox is None:
                    continue
                bb = cell.prov.bbox
                c0 = min(range(ncols + 1), key=lambda i: abs(edges[i] - bb[0]))
                c1 = min(range(ncols + 1), key=lambda i: abs(edges[i] - bb[2]))
                if c1 > c0 and new[c0] is None:
                    new[c0] = dataclasses.replace(cell, col_span=c1 - c0)  # OCR's readings kept
            rows.append(new)
    return RawTable(rows, a.prov, col_edges=[(edges[i], edges[i + 1]) for i in range(ncols)])


def stitch(tables: list[RawTable], lines: list[TextLine], heights: dict[int, float]) -> list[RawTable]:
    """Join a table that opens a page onto the table that closes the previous page when
    nothing but page numbers lies between them and their column edges agree."""
    out: list[RawTable] = []
    running = _running_lines(lines, heights)
    for i, t in enumerate(tables):
        page = t.prov.page or 0
        prev = out[-1] if out else None
        first_on_page = i == 0 or tables[i - 1].prov.page != page
        if (
            prev is not None
            and first_on_page
            and _ends_on(prev, page - 1)
            and _alone(lines, page - 1, _bottom(prev), 1e9, running)
            and t.prov.bbox is not None
            and _alone(lines, page, -1.0, t.prov.bbox[1], running)
            and _edges_match(_edges(prev), _edges(t))
        ):
            out[-1] = _merge(prev, t)
        else:
            out.append(t)
    return out


def _ends_on(t: RawTable, page: int) -> bool:
    return any(c is not None and c.prov.page == page for row in t.cells[-3:] for c in row)


def _bottom(t: RawTable) -> float:
    return max((c.prov.bbox[3] for row in t.cells for c in row if c is not None and c.prov.bbox), default=0.0)
