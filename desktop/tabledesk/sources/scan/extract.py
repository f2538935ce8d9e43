"""Read a scanned (image-only) report PDF into an :class:`ExtractedSource` by OCR.

Per page: the scan's embedded image at its own resolution (upscaling reads worse), turned
upright and straight (:mod:`tabledesk.sources.scan.page`, :mod:`tabledesk.sources.scan.orient`); ruled
tables found from their lines (:mod:`tabledesk.sources.scan.grid`), every cell cut to a tight box
around its ink, one box per text line, and only those boxes recognised, in batches (no
detection: a lone digit gets no box from the detector; no angle classifier: it turns 6 into 9).
Tables ruled with horizontal lines only are cut into cells from their rules and the gutters
between their columns (:mod:`tabledesk.sources.scan.hline_tables`); prose lines are found from the
rows of ink and recognised the same way as cells.

Every cell keeps its box on the page in PDF points (top-left origin, like pdfplumber), the
recogniser's confidence (:attr:`RawCell.confidence`, the lowest of its lines) and each
character's (:attr:`RawCell.char_confidence`).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from tabledesk.core.logs import log_failure
from tabledesk.core.os_errors import describe_os_error
from tabledesk.core.provenance import Provenance
from tabledesk.core.source import (
    ExtractedSource,
    RawCell,
    RawTable,
    SourceError,
    SourceProblem,
    TextLine,
)
from tabledesk.core.values import parse_number

# the stitching of tables continued on the next page is the text PDF reader's, unchanged
from tabledesk.sources.pdf.extract import assemble_source
from tabledesk.sources.pdf.limits import MAX_PAGES
from tabledesk.sources.pdf.lock import PDFIUM_LOCK
from tabledesk.sources.scan.cell_text import join_lines, stripped
from tabledesk.sources.scan.engine import OcrEngine, engine
from tabledesk.sources.scan.grid import PixelGrid, drop_specks, find_tables, ink_lines, line_masks
from tabledesk.sources.scan.hline_tables import read_rules_only
from tabledesk.sources.scan.page import PAD, PageImage, page_image

log = logging.getLogger(__name__)


# Progress: (pages done, pages in all); returns False to cancel.
Progress = Callable[[int, int], bool | None]


class Cancelled(Exception):
    """The caller's progress callback asked to stop."""


def read_scan(
    path: str | Path,
    *,
    progress: Progress | None = None,
    pages: list[int] | None = None,
    ocr: OcrEngine | None = None,
    full_text: bool = False,
) -> ExtractedSource:
    """OCR every page (or the 1-based ``pages``) of the PDF at ``path``; ``full_text`` reads
    long paragraph lines too (see :func:`read_page`)."""
    import pypdfium2 as pdfium

    spath = str(path)
    try:
        data = Path(spath).read_bytes()
        with PDFIUM_LOCK:  # pdfium is not thread-safe: the window may be rendering a page
            doc = pdfium.PdfDocument(data)
    except OSError as e:
        raise SourceError(spath, f"cannot read: {describe_os_error(e)}") from None
    except Exception:  # noqa: BLE001 - pdfium's errors are one kind to the user
        raise SourceError(
            spath, "corrupt PDF: the file structure cannot be read", SourceProblem.CORRUPT
        ) from None
    ocr = ocr or engine(spath)
    tables: list[RawTable] = []
    lines: list[TextLine] = []
    warns: list[str] = []
    heights: dict[int, float] = {}
    # (page, column edges) of the table closing the last page read: the next page's first
    # table may continue it without repeating its header
    follows: tuple[int, list[tuple[float, float]] | None] = (0, None)
    try:
        with PDFIUM_LOCK:
            n = len(doc)
        todo = [p for p in (pages or range(1, n + 1)) if 1 <= p <= n]
        if len(todo) > MAX_PAGES:  # hours of OCR; read_pdf refuses such a file before this
            raise SourceError(
                spath,
                f"{n} pages: more than {MAX_PAGES}, not one report (split the file first)",
                SourceProblem.UNSUPPORTED,
            )
        if progress is not None and progress(0, len(todo)) is False:
            raise Cancelled
        for k, pno in enumerate(todo, start=1):
            try:
                img = page_image(doc, pno, ocr)
                heights[pno] = float(img.page_height)
                last = follows[1] if follows[0] == pno - 1 else None
                t, ln = read_page(img, ocr, full_text=full_text, follows=last)
            except Cancelled:
                raise
            except Exception:  # noqa: BLE001 - one bad page must not cost the others
                log_failure(log, "%s: OCR of page %d failed", spath, pno)
                warns.append(f"page {pno}: the scan could not be read")
                t, ln = [], []
            tables += t
            lines += ln
            follows = (pno, t[-1].col_edges if t else None)
            if progress is not None and progress(k, len(todo)) is False:
                raise Cancelled
    finally:
        with PDFIUM_LOCK:
            doc.close()
    warns.insert(0, f"read by OCR from {len(todo)} scanned page(s): check the cells marked uncertain")
    return assemble_source(spath, data, n, tables, lines, heights, warns)


# ---------------------------------------------------------------------------------------------
# Page images
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# One page
# ---------------------------------------------------------------------------------------------


def read_page(
    img: PageImage,
    ocr: OcrEngine,
    *,
    full_text: bool = False,
    follows: list[tuple[float, float]] | None = None,
) -> tuple[list[RawTable], list[TextLine]]:
    """The tables and prose of one page image. Prose lines are read when they are short
    (titles, headings, captions, the ends of paragraphs) or open the document; long paragraph
    lines only with ``full_text`` (they cost more than a whole table and no check needs them).
    ``follows``: column edges (points) of the table closing the previous page, for a
    horizontally ruled table opening this one without a header of its own."""
    masks = line_masks(img.gray, img.dpi)
    regions = find_tables(masks, img.dpi)
    rules = masks.horiz | masks.vert
    tables = [_read_grid(img, masks.ink, rules, g, ocr) for g in regions.grids]
    rest = cv2.bitwise_and(masks.ink, cv2.bitwise_not(cv2.dilate(rules, np.ones((3, 3), np.uint8))))
    for g in regions.grids:
        _blank(rest, g.box, 3)
    if regions.rules_only:
        # Tables ruled with horizontal lines only: page-wise OCR (sources/scan/hline_tables.py).
        top = min(s[2] for s in regions.rules_only)
        # a ruled grid above the first rules-only table is what continues the previous page
        above = any(g.box[1] < top for g in regions.grids)
        more = read_rules_only(img, rest, regions.rules_only, ocr, None if above else follows)
        tables += more
    tables.sort(key=lambda t: t.prov.bbox[1] if t.prov.bbox else 0.0)
    lines = _prose(img, rest, ocr, full_text=full_text)
    lines.sort(key=lambda ln: (ln.prov.bbox[1], ln.prov.bbox[0]) if ln.prov.bbox else (0.0, 0.0))
    return tables, lines


def _blank(mask: np.ndarray, box: tuple[int, int, int, int], margin: int) -> None:
    x0, y0, x1, y1 = box
    mask[max(y0 - margin, 0) : y1 + margin + 1, max(x0 - margin, 0) : x1 + margin + 1] = 0


def _prose(img: PageImage, ink: np.ndarray, ocr: OcrEngine, *, full_text: bool) -> list[TextLine]:
    """Lines of text outside the tables, found from the rows of ink (no detection model) and
    cut at wide gaps (a running head left and a page number right)."""
    h, w = ink.shape
    clean = drop_specks(ink, 6)
    rows = np.flatnonzero(clean.sum(axis=1) > 0)
    if rows.size == 0:
        return []
    bands: list[list[int]] = []
    min_gap = max(2, round(img.dpi / 50))
    for y in rows:
        if bands and y - bands[-1][1] <= min_gap:
            bands[-1][1] = int(y)
        else:
            bands.append([int(y), int(y)])
    em = img.dpi * 10 / 72  # a 10-point character
    runs: list[tuple[int, int, int, int]] = []
    for y0, y1 in bands:
        if y1 - y0 < em * 0.3:
            continue  # a rule stub or a speck, not a line of text
        cols = np.flatnonzero(clean[y0 : y1 + 1].sum(axis=0) > 0)
        start = prev = int(cols[0])
        for x in cols[1:]:
            if x - prev > 3 * max(y1 - y0, em * 0.6):
                runs.append((start, y0, prev + 1, y1 + 1))
                start = int(x)
            prev = int(x)
        runs.append((start, y0, prev + 1, y1 + 1))
    if not runs:
        return []
    widest = max(r[2] - r[0] for r in runs)
    keep = [
        r for k, r in enumerate(runs) if full_text or (img.pno == 1 and k < 4) or r[2] - r[0] <= 0.55 * widest
    ]
    crops = []
    for x0, y0, x1, y1 in keep:
        ax0, ay0, ax1, ay1 = max(x0 - PAD, 0), max(y0 - PAD, 0), min(x1 + PAD, w), min(y1 + PAD, h)
        crops.append(cv2.cvtColor(img.gray[ay0:ay1, ax0:ax1], cv2.COLOR_GRAY2BGR))
    out = []
    for (x0, y0, x1, y1), (text, _score) in zip(keep, ocr.recognize(crops, cells=False), strict=True):
        text = unicodedata.normalize("NFKC", text).strip()
        if text:
            out.append(TextLine(text, Provenance(page=img.pno, bbox=img.box(x0, y0, x1, y1))))
    return out


def _read_grid(img: PageImage, ink: np.ndarray, rules: np.ndarray, g: PixelGrid, ocr: OcrEngine) -> RawTable:
    """Cut every cell of a ruled grid to its text lines and recognise them in one batch."""
    clean = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(rules, np.ones((3, 3), np.uint8))))
    inset = max(2, round(img.dpi / 50))
    min_mark = max(4, round(img.dpi / 30))  # a minus sign is larger, dust smaller

    def lines_in(box: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
        """The text lines inside ``box`` (inset from its rules), in page pixels."""
        x0, y0, x1, y1 = box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset
        if x1 - x0 < 4 or y1 - y0 < 4:
            return []
        found = ink_lines(clean[y0:y1, x0:x1], min_mark=min_mark, min_char=round(img.dpi * 7 / 72))
        return [(x0 + a, y0 + b, x0 + c, y0 + d) for a, b, c, d in found]

    # Units to read: every cell whole, and the column pieces of a cell whose rule is left out
    # in its row only (kept apart if they all read as numbers, as the text PDF reader does).
    units: list[tuple[int, int, int, int]] = []
    unit_lines: list[list[tuple[int, int, int, int]]] = []
    pieces: dict[int, list[tuple[int, int]]] = {}  # cell -> [(unit, column)]
    whole: list[int] = []  # cell -> unit
    for i, cell in enumerate(g.cells):
        whole.append(len(units))
        units.append(cell.box)
        unit_lines.append(lines_in(cell.box))
        x0, y0, x1, y1 = cell.box
        # a line of text running across the left-out rule is one label over merged columns
        # (measured on the text lines, so a speck of dust on the edge does not count)
        if cell.slips and not any(_across(clean, unit_lines[-1], g.xs[k], min_mark) for k in cell.slips):
            cuts_at = [cell.c, *cell.slips, cell.c + cell.cs]
            for a, b in zip(cuts_at, cuts_at[1:], strict=False):
                pieces.setdefault(i, []).append((len(units), a))
                units.append((g.xs[a], y0, g.xs[b], y1))
                unit_lines.append(lines_in(units[-1]))
    cuts: list[tuple[int, np.ndarray]] = []
    for u, found in enumerate(unit_lines):
        for lx0, ly0, lx1, ly1 in found:
            ax0, ay0 = max(lx0 - PAD, 0), max(ly0 - PAD, 0)
            ax1, ay1 = lx1 + PAD, ly1 + PAD
            crop = img.gray[ay0:ay1, ax0:ax1].copy()
            # rule remnants at the edge of the cut would read as 1 or |
            crop[rules[ay0:ay1, ax0:ax1] > 0] = 255
            cuts.append((u, cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)))
    results = ocr.recognize_detail([c[1] for c in cuts])
    texts: dict[int, list[tuple[str, tuple[float, ...]]]] = {}
    confs: dict[int, float] = {}
    minus: dict[int, float] = {}
    for (u, _im), r in zip(cuts, results, strict=True):
        texts.setdefault(u, []).append(stripped(r.text, r.chars))
        confs[u] = min(confs.get(u, 1.0), r.confidence)
        minus[u] = max(minus.get(u, 0.0), r.minus)
    joined = {u: join_lines([t for t in parts if t[0]]) for u, parts in texts.items()}

    def text_of(u: int) -> str:
        return joined.get(u, ("", ()))[0]

    def chars_of(u: int) -> tuple[float, ...]:
        return joined.get(u, ("", ()))[1]

    nr, nc = len(g.ys) - 1, len(g.xs) - 1
    rows: list[list[RawCell | None]] = [[None] * nc for _ in range(nr)]
    for i, cell in enumerate(g.cells):
        split = pieces.get(i, [])
        read = [text_of(u) for u, _c in split]
        if split and any(read) and all(not t or parse_number(t) is not None for t in read):
            ends = [c for _u, c in split[1:]] + [cell.c + cell.cs]
            for (u, c), end in zip(split, ends, strict=True):
                prov = Provenance(page=img.pno, bbox=img.box(*units[u]))
                rows[cell.r][c] = RawCell(
                    text_of(u), prov, 1, end - c, confs.get(u), chars_of(u), minus.get(u, 0.0)
                )
            continue
        prov = Provenance(page=img.pno, bbox=img.box(*cell.box))
        u = whole[i]
        rows[cell.r][cell.c] = RawCell(
            text_of(u), prov, cell.rs, cell.cs, confs.get(u), chars_of(u), minus.get(u, 0.0)
        )
    edges = [img.box(g.xs[k], g.ys[0], g.xs[k + 1], g.ys[0]) for k in range(nc)]
    return RawTable(
        rows,
        Provenance(page=img.pno, bbox=img.box(*g.box)),
        col_edges=[(e[0], e[2]) for e in edges],
    )


def _across(ink: np.ndarray, lines: list[tuple[int, int, int, int]], x: int, min_mark: int) -> bool:
    """Whether text runs across column edge ``x`` (a label centred over merged columns): a
    mark of a text line, larger than dust, on the edge. Two numbers side by side in one line
    (a rule left out between them) have none there."""
    for x0, y0, x1, y1 in lines:
        if not x0 < x < x1:
            continue
        n, _labels, stats, _c = cv2.connectedComponentsWithStats(ink[y0:y1, x0:x1], connectivity=8)
        for i in range(1, n):
            left, _top, cw, ch, _a = (int(v) for v in stats[i])
            # on the edge itself: a number set close to it (right-aligned) is not across
            if max(cw, ch) >= min_mark and left - 1 <= x - x0 <= left + cw:
                return True
    return False
