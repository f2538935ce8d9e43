"""One page laid out: glyphs into the ruled tables' cells (smallest table first), frames and
boxed prose released, tables ruled with horizontal lines only found among what is left, and the
rest as prose lines. Works on :class:`PageData`, whichever reader filled it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tabledesk.core.logs import log_failure
from tabledesk.core.provenance import Provenance
from tabledesk.core.source import RawTable, TextLine
from tabledesk.sources.pdf.facts import PageReader
from tabledesk.sources.pdf.tables import (
    Grid,
    HSeg,
    fallback_grids,
    grid_from_boxes,
    split_prose,
    to_raw_table,
)
from tabledesk.sources.pdf.text import Glyph, group_lines, line_text, split_runs


@dataclass(slots=True)
class PageData:
    """Everything the layout needs from one page, fetched once (small and picklable: a page
    read in another process comes back as this)."""

    pno: int
    height: float
    items: list[Glyph]
    bad: int
    boxes: list[list[tuple[float, float, float, float]]]  # cells of each ruled table
    hsegs: list[HSeg]
    reader: PageReader


log = logging.getLogger(__name__)


@dataclass(slots=True)
class ReadPage:
    """One page read and laid out: what the document is put together from (small and
    picklable, so a page read in another process comes back as this; its glyphs are gone)."""

    pno: int
    height: float
    reader: PageReader
    tables: list[RawTable]
    lines: list[TextLine]
    glyphs: int
    bad: int  # glyphs without Unicode
    warning: str | None = None


def lay_out(pd: PageData) -> ReadPage:
    """``pd`` laid out; if that fails (our bug), its text as prose and a warning, so that the
    user keeps the rest of the document."""
    warning = None
    try:
        tables, lines = layout_page(pd)
    except Exception:  # noqa: BLE001 - our bug must not cost the user the document
        log_failure(log, "page %d: table layout failed", pd.pno)
        warning = f"page {pd.pno}: tables could not be recognised; its text is kept as prose"
        tables, lines = [], text_lines(pd.items, pd.pno)
    return ReadPage(pd.pno, pd.height, pd.reader, tables, lines, len(pd.items), pd.bad, warning)


def layout_page(pd: PageData) -> tuple[list[RawTable], list[TextLine]]:
    pno = pd.pno
    grids: list[Grid] = []
    for boxes in pd.boxes:
        g = grid_from_boxes(pno, boxes)
        if g is not None and len(g.xs) > 2:  # one-column "tables" are frames or boxed prose
            grids.append(g)
    free: list[Glyph] = []
    # smallest containing grid first: a frame table may enclose the real tables
    grids.sort(key=lambda g: g.area)
    for it in pd.items:
        for g in grids:
            if g.contains(it):
                g.take(it)
                break
        else:
            free.append(it)
    kept: list[Grid] = []
    for g in grids:
        rest, released = split_prose(g)
        free += released
        if rest is not None and any(c.glyphs for c in rest.cells):
            kept.append(rest)
    if pd.hsegs and free:
        ruled = [g.bbox for g in kept]
        segs = [s for s in pd.hsegs if not any(_inside(s, b) for b in ruled)]
        fb = fallback_grids(pno, free, segs)
        if fb:
            taken = {id(x) for g in fb for c in g.cells for x in c.glyphs}
            free = [x for x in free if id(x) not in taken]
            kept += fb
    kept.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return [to_raw_table(g) for g in kept], text_lines(free, pno)


def _inside(s: HSeg, b: tuple[float, float, float, float]) -> bool:
    return b[0] - 3 <= s[0] and s[1] <= b[2] + 3 and b[1] - 3 <= s[2] <= b[3] + 3


def text_lines(free: list[Glyph], pno: int) -> list[TextLine]:
    out: list[TextLine] = []
    for ln in group_lines(free):
        # a line is cut where a gap is wider than three glyphs (a header left and right)
        for run in split_runs(ln, gap_em=3.0):
            text = line_text(run)
            bbox = (run[0].x0, min(g.top for g in run), run[-1].x1, max(g.bottom for g in run))
            out.append(TextLine(text, Provenance(page=pno, bbox=bbox)))
    return out
