"""Read a report PDF into an :class:`~tabledesk.core.source.ExtractedSource`.

Each page is parsed once by pdfplumber: its glyphs (normalised, fake bold removed) are turned
into :class:`~tabledesk.sources.pdf.text.Glyph` records, ruled tables come from pdfplumber's
``find_tables`` (cells only: we place the text ourselves in one pass instead of calling
``extract()``, which re-filters the page's characters for every cell), tables ruled with
horizontal lines only come from :func:`~tabledesk.sources.pdf.tables.fallback_grids`, and whatever
text no table took becomes the prose :class:`~tabledesk.core.source.TextLine` list. A table that
continues at the top of the next page is stitched onto the previous one.

Bad input raises :class:`~tabledesk.core.source.SourceError` with one line for the user.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import warnings
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.pdf import PDF

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import (
    ExtractedSource,
    RawCell,
    RawTable,
    SourceError,
    SourceKind,
    SourceProblem,
    TextLine,
)
from tabledesk.sources.pdf.tables import (
    Grid,
    HSeg,
    cluster,
    fallback_grids,
    grid_from_boxes,
    split_prose,
    to_raw_table,
)
from tabledesk.sources.pdf.text import NUMBER, Glyph, glyphs, group_lines, line_text, split_runs

log = logging.getLogger(__name__)
# pdfminer warns about fonts and broken streams through `logging`; without a handler Python's
# last-resort handler would print them on the terminal. They belong in the application's log.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

_UNREADABLE_SHARE = 0.3  # more unreadable glyphs than this: the text layer is useless
_STITCH_TOL = 4.0  # points: column edges of a continued table may move this much
_PAGE_MARK = re.compile(r"^[-—–\s第页共/\d]*$")  # page numbers in headers and footers
_CONTINUED = re.compile(r"^(续表|\(续\)|续)")  # "continued" marks above a table's second part
_MARGIN = 0.09  # share of the page height at top and bottom where running heads/feet sit


def pdf_page_count(path: str | Path) -> int:
    """Number of pages, or SourceError for files :func:`read_pdf` would reject as unreadable."""
    data = _load(str(path))
    pdf = _open(str(path), data)
    with pdf:
        return len(pdf.pages)


def _load(spath: str) -> bytes:
    p = Path(spath)
    if not p.is_file():
        raise SourceError(spath, "file not found", SourceProblem.NOT_FOUND)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise SourceError(spath, f"cannot read file: {e.strerror or e}", SourceProblem.OTHER) from None
    if b"%PDF-" not in data[:1024]:
        raise SourceError(spath, "not a PDF file", SourceProblem.CORRUPT)
    if b"%%EOF" not in data[-4096:]:
        raise SourceError(spath, "truncated PDF: the end of the file is missing", SourceProblem.CORRUPT)
    return data


def _chain(e: BaseException) -> list[BaseException]:
    out = [e]
    while (nxt := out[-1].__cause__ or out[-1].__context__) is not None and len(out) < 10:
        out.append(nxt)
    out += [a for x in list(out) for a in x.args if isinstance(a, BaseException)]
    return out


def _open(spath: str, data: bytes) -> PDF:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # pages are parsed lazily; the page tree must be readable now
        return pdf
    except Exception as e:  # noqa: BLE001 - any parser failure is a bad file to the user
        if any(isinstance(x, PDFPasswordIncorrect | PDFEncryptionError) for x in _chain(e)):
            raise SourceError(
                spath, "encrypted PDF: remove the password first", SourceProblem.ENCRYPTED
            ) from None
        log.debug("cannot open %s", spath, exc_info=True)
        raise SourceError(
            spath, "corrupt PDF: the file structure cannot be read", SourceProblem.CORRUPT
        ) from None


def read_pdf(path: str | Path) -> ExtractedSource:
    """Tables and prose of the PDF at ``path``, or :class:`SourceError`."""
    spath = str(path)
    data = _load(spath)
    pdf = _open(spath, data)
    tables: list[RawTable] = []
    lines: list[TextLine] = []
    warns: list[str] = []
    heights: dict[int, float] = {}
    n_glyphs = n_bad = 0
    with pdf, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i, page in enumerate(pdf.pages, start=1):
            try:
                heights[i] = float(page.height)
                data_i = _parse_page(page, i)
            except Exception:  # noqa: BLE001 - a broken content stream
                log.debug("page %d of %s", i, spath, exc_info=True)
                raise SourceError(
                    spath, f"corrupt PDF: page {i} cannot be read", SourceProblem.CORRUPT
                ) from None
            finally:
                page.close()  # drop pdfplumber's per-page caches
            try:
                page_tables, page_lines = _layout_page(data_i)
            except Exception:  # noqa: BLE001 - our bug must not cost the user the document
                log.exception("page %d of %s: table layout failed", i, spath)
                warns.append(f"page {i}: tables could not be recognised; its text is kept as prose")
                page_tables, page_lines = [], _text_lines(data_i.items, i)
            tables += page_tables
            lines += page_lines
            n_glyphs += len(data_i.items)
            n_bad += data_i.bad
        n_pages = len(pdf.pages)
    for w in caught:
        log.debug("warning while reading %s: %s", spath, w.message)
    if n_glyphs == 0:
        raise SourceError(spath, "no text layer: OCR needed", SourceProblem.NO_TEXT_LAYER)
    if n_bad > _UNREADABLE_SHARE * n_glyphs:
        raise SourceError(spath, "text layer unreadable: OCR needed", SourceProblem.UNREADABLE_TEXT)
    return assemble_source(spath, data, n_pages, tables, lines, heights, warns)


def assemble_source(
    spath: str,
    data: bytes,
    n_pages: int,
    tables: list[RawTable],
    lines: list[TextLine],
    heights: dict[int, float],
    warns: list[str],
) -> ExtractedSource:
    """The read pages as one source, tables continued on the next page stitched together (the
    text layer's reader and the OCR reader end the same way)."""
    parts = list(tables)
    try:
        tables = _stitch(tables, lines, heights)
    except Exception:  # noqa: BLE001 - unstitched tables are still useful
        log.exception("%s: stitching tables across pages failed", spath)
        warns.append("tables continued on the next page could not be joined")
    return ExtractedSource(
        path=spath,
        kind=SourceKind.PDF,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=n_pages,
        tables=tables,
        lines=lines,
        warnings=warns,
        parts=parts,
        page_heights=dict(heights),
    )


# ---------------------------------------------------------------------------------------------
# One page
# ---------------------------------------------------------------------------------------------


def _is_frame(b: tuple[float, float, float, float], w: float, h: float) -> bool:
    return (b[2] - b[0]) > 0.6 * w and (b[3] - b[1]) > 0.5 * h


def _hsegs(page: pdfplumber.page.Page, frames: list[tuple[float, float, float, float]]) -> list[HSeg]:
    """Visible horizontal rules: lines, thin filled rectangles, and the top/bottom of stroked
    rectangles (page frames excluded)."""
    out: list[HSeg] = []
    for ln in page.lines:
        if abs(ln["top"] - ln["bottom"]) < 1.0 and ln["x1"] - ln["x0"] > 5:
            out.append((ln["x0"], ln["x1"], ln["top"]))
    for r in page.rects:
        b = (r["x0"], r["top"], r["x1"], r["bottom"])
        if b in frames or r["x1"] - r["x0"] <= 5:
            continue
        if r["bottom"] - r["top"] < 2.0:
            out.append((r["x0"], r["x1"], (r["top"] + r["bottom"]) / 2))
        elif r.get("stroke"):
            out += [(r["x0"], r["x1"], r["top"]), (r["x0"], r["x1"], r["bottom"])]
        # a tall filled rectangle without a stroke is shading, not a rule
    return out


@dataclass(slots=True)
class _PageData:
    """Everything we need from one pdfplumber page, fetched once."""

    pno: int
    items: list[Glyph]
    bad: int
    boxes: list[list[tuple[float, float, float, float]]]  # cells of each ruled table
    hsegs: list[HSeg]


def _parse_page(page: pdfplumber.page.Page, pno: int) -> _PageData:
    items, bad = glyphs(page.chars)
    frames = [
        (r["x0"], r["top"], r["x1"], r["bottom"])
        for r in page.rects
        if _is_frame((r["x0"], r["top"], r["x1"], r["bottom"]), page.width, page.height)
    ]
    boxes = [[c for c in t.cells if c is not None] for t in page.find_tables()]
    return _PageData(pno, items, bad, boxes, _hsegs(page, frames))


def _layout_page(pd: _PageData) -> tuple[list[RawTable], list[TextLine]]:
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
    return [to_raw_table(g) for g in kept], _text_lines(free, pno)


def _inside(s: HSeg, b: tuple[float, float, float, float]) -> bool:
    return b[0] - 3 <= s[0] and s[1] <= b[2] + 3 and b[1] - 3 <= s[2] <= b[3] + 3


def _text_lines(free: list[Glyph], pno: int) -> list[TextLine]:
    out: list[TextLine] = []
    for ln in group_lines(free):
        # a line is cut where a gap is wider than three glyphs (a header left and right)
        for run in split_runs(ln, gap_em=3.0):
            text = line_text(run)
            bbox = (run[0].x0, min(g.top for g in run), run[-1].x1, max(g.bottom for g in run))
            out.append(TextLine(text, Provenance(page=pno, bbox=bbox)))
    return out


# ---------------------------------------------------------------------------------------------
# Tables continued on the next page
# ---------------------------------------------------------------------------------------------


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
                    new[c0] = RawCell(
                        cell.text, cell.prov, cell.row_span, c1 - c0, cell.confidence, cell.char_confidence
                    )
            rows.append(new)
    return RawTable(rows, a.prov, col_edges=[(edges[i], edges[i + 1]) for i in range(ncols)])


def _stitch(tables: list[RawTable], lines: list[TextLine], heights: dict[int, float]) -> list[RawTable]:
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
