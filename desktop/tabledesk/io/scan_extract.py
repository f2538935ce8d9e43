"""Read a scanned (image-only) report PDF into an :class:`ExtractedSource` by OCR.

Per page: the scan's embedded image at its own resolution (upscaling reads worse), turned
straight; ruled tables found from their lines (:mod:`tabledesk.io.scan_grid`), every cell cut
to a tight box around its ink, one box per text line, and only those boxes recognised, in
batches (no detection: a lone digit gets no box from the detector; no angle classifier: it
turns 6 into 9). Text outside the ruled tables, and tables ruled with horizontal lines only, are
read page-wise (detection with a low box threshold, then recognition) and laid out by the same
code as a text PDF's glyphs (:func:`tabledesk.io.pdf_tables.fallback_grids`).

Every cell keeps its box on the page in PDF points (top-left origin, like pdfplumber) and the
recogniser's confidence (:attr:`RawCell.confidence`, the lowest of its lines).
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

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
from tabledesk.core.values import parse_number
from tabledesk.io.ocr import OcrEngine, OcrLine, engine

# the stitching of tables continued on the next page is the text PDF reader's, unchanged
from tabledesk.io.pdf_extract import _stitch
from tabledesk.io.pdf_tables import HSeg, cluster, fallback_grids, to_raw_table
from tabledesk.io.pdf_text import NUMBER, Glyph, group_lines, line_text, split_runs
from tabledesk.io.scan_grid import PixelGrid, find_tables, ink_lines, line_masks, skew_angle

log = logging.getLogger(__name__)

RENDER_DPI = 150.0  # pages without one usable scan image are rendered at this resolution
MAX_DPI = 220.0  # finer scans are brought down to this: the recogniser sees 48-pixel lines
PAD = 4  # pixels of white around a text line cut for the recogniser

# Progress: (pages done, pages in all); returns False to cancel.
Progress = Callable[[int, int], bool | None]


class Cancelled(Exception):
    """The caller's progress callback asked to stop."""


@dataclass(slots=True)
class PageImage:
    """One page as a straightened grey image and how its pixels map to PDF points."""

    pno: int
    gray: np.ndarray
    to_pt: np.ndarray  # 2x3 affine: (x, y, 1) in pixels -> points from the top-left corner
    dpi: float
    page_height: float = 842.0

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64) @ self.to_pt.T
        return (
            round(float(pts[:, 0].min()), 2),
            round(float(pts[:, 1].min()), 2),
            round(float(pts[:, 0].max()), 2),
            round(float(pts[:, 1].max()), 2),
        )


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
        doc = pdfium.PdfDocument(data)
    except OSError as e:
        raise SourceError(spath, f"cannot read file: {e.strerror or e}") from None
    except Exception:  # noqa: BLE001 - pdfium's errors are one kind to the user
        raise SourceError(spath, "corrupt PDF: the file structure cannot be read", SourceProblem.CORRUPT) from None
    ocr = ocr or engine(spath)
    tables: list[RawTable] = []
    lines: list[TextLine] = []
    warns: list[str] = []
    heights: dict[int, float] = {}
    try:
        n = len(doc)
        todo = [p for p in (pages or range(1, n + 1)) if 1 <= p <= n]
        if progress is not None and progress(0, len(todo)) is False:
            raise Cancelled
        for k, pno in enumerate(todo, start=1):
            try:
                img = page_image(doc, pno)
                heights[pno] = float(img.page_height)
                t, ln = read_page(img, ocr, full_text=full_text)
            except Cancelled:
                raise
            except Exception:  # noqa: BLE001 - one bad page must not cost the others
                log.exception("%s: OCR of page %d failed", spath, pno)
                warns.append(f"page {pno}: the scan could not be read")
                t, ln = [], []
            tables += t
            lines += ln
            if progress is not None and progress(k, len(todo)) is False:
                raise Cancelled
    finally:
        doc.close()
    try:
        tables = _stitch(tables, lines, heights)
    except Exception:  # noqa: BLE001 - unstitched tables are still useful
        log.exception("%s: stitching tables across pages failed", spath)
        warns.append("tables continued on the next page could not be joined")
    return ExtractedSource(
        path=spath,
        kind=SourceKind.PDF,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=n,
        tables=tables,
        lines=lines,
        warnings=warns,
    )


# ---------------------------------------------------------------------------------------------
# Page images
# ---------------------------------------------------------------------------------------------


def _to_gray(arr: np.ndarray, fmt: int) -> np.ndarray:
    if arr.ndim == 2:
        return arr
    if arr.shape[2] == 1:
        return arr[:, :, 0]
    if arr.shape[2] == 4:
        return cv2.cvtColor(arr, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(arr[:, :, :3], cv2.COLOR_BGR2GRAY)


def page_image(doc: object, pno: int) -> PageImage:
    """The page's scan image when one upright image covers it, else the page rendered; then
    brought down to at most MAX_DPI and turned straight."""
    import pypdfium2.raw as pdfium_c

    page = doc[pno - 1]  # type: ignore[index]
    try:
        pw, ph = page.get_size()
        gray: np.ndarray | None = None
        to_pt = np.array([[72 / RENDER_DPI, 0, 0], [0, 72 / RENDER_DPI, 0]], dtype=np.float64)
        if page.get_rotation() == 0:
            imgs = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
            best = None
            for obj in imgs:
                x0, b, x1, t = obj.get_bounds()
                m = obj.get_matrix()
                if m.b or m.c or m.a <= 0 or m.d <= 0:
                    continue  # turned or mirrored on the page: rendering handles it
                if (x1 - x0) * (t - b) >= 0.6 * pw * ph and (best is None or (x1 - x0) * (t - b) > best[1]):
                    best = (obj, (x1 - x0) * (t - b), (x0, b, x1, t))
            if best is not None and len(imgs) <= 3:
                obj, _area, (x0, b, x1, t) = best
                bmp = obj.get_bitmap(render=False)
                gray = _to_gray(bmp.to_numpy(), bmp.format)
                h, w = gray.shape
                to_pt = np.array([[(x1 - x0) / w, 0, x0], [0, (t - b) / h, ph - t]], dtype=np.float64)
        if gray is None:
            bmp = page.render(scale=RENDER_DPI / 72, grayscale=True)
            gray = _to_gray(bmp.to_numpy(), bmp.format)
            to_pt = np.array([[pw / gray.shape[1], 0, 0], [0, ph / gray.shape[0], 0]], dtype=np.float64)
    finally:
        page.close()
    dpi = 72 / to_pt[0, 0]
    if dpi > MAX_DPI:
        f = MAX_DPI / dpi
        gray = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        to_pt = to_pt @ np.array([[1 / f, 0, 0], [0, 1 / f, 0], [0, 0, 1]])
        dpi = MAX_DPI
    gray = np.ascontiguousarray(gray)
    angle = skew_angle(gray)
    if abs(angle) > 0.05:
        h, w = gray.shape
        rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        gray = cv2.warpAffine(gray, rot, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
        back = cv2.invertAffineTransform(rot)  # straightened pixels -> scan pixels
        to_pt = to_pt @ np.vstack([back, [0, 0, 1]])
    return PageImage(pno, gray, to_pt, dpi, float(ph))


# ---------------------------------------------------------------------------------------------
# One page
# ---------------------------------------------------------------------------------------------


def read_page(
    img: PageImage, ocr: OcrEngine, *, full_text: bool = False
) -> tuple[list[RawTable], list[TextLine]]:
    """The tables and prose of one page image. Prose lines are read when they are short
    (titles, headings, captions, the ends of paragraphs) or open the document; long paragraph
    lines only with ``full_text`` (they cost more than a whole table and no check needs them)."""
    masks = line_masks(img.gray, img.dpi)
    regions = find_tables(masks, img.dpi)
    rules = masks.horiz | masks.vert
    tables = [_read_grid(img, masks.ink, rules, g, ocr) for g in regions.grids]
    rest = cv2.bitwise_and(masks.ink, cv2.bitwise_not(cv2.dilate(rules, np.ones((3, 3), np.uint8))))
    for g in regions.grids:
        _blank(rest, g.box, 3)
    glyphs: list[Glyph] = []
    for box in _rule_regions(regions.rules_only, img.dpi):
        # Tables ruled with horizontal lines only: page-wise OCR of their region, then the text
        # PDF's layout of glyphs between rules.
        x0, y0, x1, y1 = box
        found = [
            ln.shifted(x0, y0) for ln in ocr.read_page(cv2.cvtColor(img.gray[y0:y1, x0:x1], cv2.COLOR_GRAY2BGR))
        ]
        ends = [v for sx0, sx1, sy in regions.rules_only if y0 <= sy <= y1 for v in (sx0, sx1)]
        found = _split_at_edges(img, rest, found, ends, ocr)
        pairs = [(g, ln.score) for ln in found for g in _glyphs(img, ln, rest)]
        segs: list[HSeg] = []
        for sx0, sx1, sy in regions.rules_only:
            if x0 <= sx0 and sx1 <= x1 and y0 <= sy <= y1:
                b = img.box(sx0, sy, sx1, sy)
                segs.append((b[0], b[2], (b[1] + b[3]) / 2))
        local = [g for g, _s in pairs]
        segs = _cut_at_columns(segs, local)
        score = {id(g): sc for g, sc in pairs}
        taken: set[int] = set()
        for fg in fallback_grids(img.pno, local, segs) if local else []:
            raw = to_raw_table(fg)
            conf_by_box = {c.bbox: min((score[id(x)] for x in c.glyphs), default=None) for c in fg.cells}
            for row in raw.cells:
                for cell in row:
                    if cell is not None and cell.prov.bbox is not None:
                        cell.confidence = _conf_for(cell.prov.bbox, conf_by_box)
            tables.append(raw)
            taken |= {id(x) for c in fg.cells for x in c.glyphs}
        glyphs += [g for g in local if id(g) not in taken]
        _blank(rest, box, 0)
    tables.sort(key=lambda t: t.prov.bbox[1] if t.prov.bbox else 0.0)
    lines = _text_lines(glyphs, img.pno) + _prose(img, rest, ocr, full_text=full_text)
    lines.sort(key=lambda ln: (ln.prov.bbox[1], ln.prov.bbox[0]) if ln.prov.bbox else (0.0, 0.0))
    return tables, lines


def _split_at_edges(
    img: PageImage, ink: np.ndarray, found: list[OcrLine], ends: list[int], ocr: OcrEngine
) -> list[OcrLine]:
    """The detector joins a group label and the row label beside it into one box when little
    space is left between them; where a rule ends (a column edge) inside a box over blank
    paper, the box is cut there and both parts are read again."""
    edges = sorted(set(ends))
    out: list[OcrLine] = []
    cuts: list[tuple[float, float, float, float]] = []
    for ln in found:
        x0, y0, x1, y1 = ln.box
        at = [
            e
            for e in edges
            if x0 + 6 < e < x1 - 6 and not ink[int(y0) : int(y1) + 1, max(e - 2, 0) : e + 3].any()
        ]
        if not at:
            out.append(ln)
            continue
        xs = [x0, *at, x1]
        cuts += [(a, y0, b, y1) for a, b in zip(xs, xs[1:], strict=False)]
    crops = []
    h, w = img.gray.shape
    for a, y0, b, y1 in cuts:
        ia, ib = max(int(a), 0), min(int(b) + 1, w)
        crops.append(cv2.cvtColor(img.gray[max(int(y0), 0) : min(int(y1) + 1, h), ia:ib], cv2.COLOR_GRAY2BGR))
    for (a, y0, b, y1), (text, score) in zip(cuts, ocr.recognize(crops), strict=True):
        if text.strip():
            out.append(OcrLine(((a, y0), (b, y0), (b, y1), (a, y1)), text, score))
    return out


def _cut_at_columns(segs: list[HSeg], items: list[Glyph]) -> list[HSeg]:
    """Rules cut where the columns of numbers meet. A scanned rule runs on unbroken where the
    text PDF's has one segment per cell, and the fallback layout reads column edges from the
    segment ends: the gaps between aligned numbers stand in for the ends the scan lost."""
    if not segs:
        return segs
    centres = [
        (run[0].x0 + run[-1].x1) / 2
        for ln in group_lines(items)
        for run in split_runs(ln)
        if NUMBER.match(line_text(run))
    ]
    cols = cluster(centres, tol=10.0)
    mids = [(a + b) / 2 for a, b in zip(cols, cols[1:], strict=False)]
    out: list[HSeg] = []
    for x0, x1, y in segs:
        cuts = [m for m in mids if x0 + 3 < m < x1 - 3]
        for a, b in zip([x0, *cuts], [*cuts, x1], strict=True):
            out.append((a, b, y))
    return out


def _blank(mask: np.ndarray, box: tuple[int, int, int, int], margin: int) -> None:
    x0, y0, x1, y1 = box
    mask[max(y0 - margin, 0) : y1 + margin + 1, max(x0 - margin, 0) : x1 + margin + 1] = 0


def _rule_regions(segs: list[tuple[int, int, int]], dpi: float) -> list[tuple[int, int, int, int]]:
    """Boxes around groups of two or more horizontal rules close below each other, with room
    for the text above the first and below the last."""
    gap = dpi * 1.2  # rows of a table are closer than this
    groups: list[list[tuple[int, int, int]]] = []
    for s in sorted(segs, key=lambda s: s[2]):
        if groups and s[2] - groups[-1][-1][2] <= gap and min(s[1], max(t[1] for t in groups[-1])) > max(
            s[0], min(t[0] for t in groups[-1])
        ):
            groups[-1].append(s)
        else:
            groups.append([s])
    out = []
    pad = round(dpi * 0.15)
    for g in groups:
        if len({round(s[2] / 4) for s in g}) < 2:
            continue
        out.append(
            (
                max(min(s[0] for s in g) - pad, 0),
                max(min(s[2] for s in g) - pad, 0),
                max(s[1] for s in g) + pad,
                max(s[2] for s in g) + pad,
            )
        )
    return out


def _prose(img: PageImage, ink: np.ndarray, ocr: OcrEngine, *, full_text: bool) -> list[TextLine]:
    """Lines of text outside the tables, found from the rows of ink (no detection model) and
    cut at wide gaps (a running head left and a page number right)."""
    h, w = ink.shape
    clean = _drop_specks(ink, 6)
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
        r
        for k, r in enumerate(runs)
        if full_text or (img.pno == 1 and k < 4) or r[2] - r[0] <= 0.55 * widest
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


def _conf_for(bbox: tuple[float, float, float, float], by_box: dict) -> float | None:  # type: ignore[type-arg]
    """Confidence of the fallback grid cell that holds ``bbox`` (a split cell lies inside)."""
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    for b, conf in by_box.items():
        if b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 and conf is not None:
            return float(conf)
    return None


def _read_grid(img: PageImage, ink: np.ndarray, rules: np.ndarray, g: PixelGrid, ocr: OcrEngine) -> RawTable:
    """Cut every cell of a ruled grid to its text lines and recognise them in one batch."""
    clean = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(rules, np.ones((3, 3), np.uint8))))
    inset = max(2, round(img.dpi / 50))
    # Units to read: every cell whole, and the column pieces of a cell whose rule is left out
    # in its row only (kept apart if they all read as numbers, as the text PDF reader does).
    units: list[tuple[int, int, int, int]] = []
    pieces: dict[int, list[tuple[int, int]]] = {}  # cell -> [(unit, column)]
    whole: list[int] = []  # cell -> unit
    for i, cell in enumerate(g.cells):
        whole.append(len(units))
        units.append(cell.box)
        x0, y0, x1, y1 = cell.box
        if cell.slips and not any(_ink_across(clean, g.xs[k], y0 + inset, y1 - inset) for k in cell.slips):
            cuts_at = [cell.c, *cell.slips, cell.c + cell.cs]
            for a, b in zip(cuts_at, cuts_at[1:], strict=False):
                pieces.setdefault(i, []).append((len(units), a))
                units.append((g.xs[a], y0, g.xs[b], y1))
    cuts: list[tuple[int, np.ndarray]] = []
    for u, (x0, y0, x1, y1) in enumerate(units):
        x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        for lx0, ly0, lx1, ly1 in ink_lines(
            clean[y0:y1, x0:x1], min_mark=max(4, round(img.dpi / 30)), min_char=round(img.dpi * 7 / 72)
        ):
            ax0, ay0 = max(x0 + lx0 - PAD, 0), max(y0 + ly0 - PAD, 0)
            ax1, ay1 = x0 + lx1 + PAD, y0 + ly1 + PAD
            crop = img.gray[ay0:ay1, ax0:ax1].copy()
            # rule remnants at the edge of the cut would read as 1 or |
            crop[rules[ay0:ay1, ax0:ax1] > 0] = 255
            cuts.append((u, cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)))
    results = ocr.recognize([c[1] for c in cuts])
    texts: dict[int, list[str]] = {}
    confs: dict[int, float] = {}
    for (u, _im), (text, score) in zip(cuts, results, strict=True):
        texts.setdefault(u, []).append(text.strip())
        confs[u] = min(confs.get(u, 1.0), score)

    def text_of(u: int) -> str:
        return _join([t for t in texts.get(u, []) if t])

    nr, nc = len(g.ys) - 1, len(g.xs) - 1
    rows: list[list[RawCell | None]] = [[None] * nc for _ in range(nr)]
    for i, cell in enumerate(g.cells):
        split = pieces.get(i, [])
        read = [text_of(u) for u, _c in split]
        if split and any(read) and all(not t or parse_number(t) is not None for t in read):
            ends = [c for _u, c in split[1:]] + [cell.c + cell.cs]
            for (u, c), end in zip(split, ends, strict=True):
                prov = Provenance(page=img.pno, bbox=img.box(*units[u]))
                rows[cell.r][c] = RawCell(text_of(u), prov, 1, end - c, confidence=confs.get(u))
            continue
        prov = Provenance(page=img.pno, bbox=img.box(*cell.box))
        u = whole[i]
        rows[cell.r][cell.c] = RawCell(text_of(u), prov, cell.rs, cell.cs, confidence=confs.get(u))
    edges = [img.box(g.xs[k], g.ys[0], g.xs[k + 1], g.ys[0]) for k in range(nc)]
    return RawTable(
        rows,
        Provenance(page=img.pno, bbox=img.box(*g.box)),
        col_edges=[(e[0], e[2]) for e in edges],
    )


def _ink_across(ink: np.ndarray, x: int, y0: int, y1: int) -> bool:
    """Whether text runs across column edge ``x`` (a label centred over merged columns)."""
    return bool(ink[y0:y1, max(x - 3, 0) : x + 4].any())


def _drop_specks(ink: np.ndarray, min_area: int) -> np.ndarray:
    """``ink`` without components smaller than ``min_area`` pixels (dust; a one-pixel stroke
    such as 一 is long enough to stay)."""
    n, labels, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] < min_area)
    small = small[small != 0]
    if small.size == 0:
        return ink
    out = ink.copy()
    out[np.isin(labels, small)] = 0
    return out


def _join(parts: list[str]) -> str:
    """Lines of a cell as the text reader joins them: a vertical label (one character a line)
    and a number wrapped over lines run together, anything else keeps its line breaks."""
    parts = [unicodedata.normalize("NFKC", p) for p in parts]
    if len(parts) > 1 and all(len(p) <= 2 for p in parts):
        return "".join(parts)
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Page-wise text: detected lines as glyphs, so the text PDF's layout code can place them
# ---------------------------------------------------------------------------------------------


def _glyphs(img: PageImage, line: OcrLine, ink: np.ndarray | None = None) -> list[Glyph]:
    """One glyph per character. The detector's box may hold several numbers of a table row
    ("0 0 0 0 0"); each word is put on its own run of ink in the box when the counts agree, so
    the columns come out where they are printed. Within a word characters are spread by width
    (CJK full, Latin half)."""
    text = unicodedata.normalize("NFKC", line.text).strip()
    x0, y0, x1, y1 = line.box
    words = text.split()
    spans = [(x0, x1)]
    if ink is not None:
        # the detector's box is grown around the text: the ink is where the glyphs are
        runs = _ink_runs(ink, x0, y0, x1, y1)
        if len(words) > 1 and len(runs) == len(words):
            spans = runs
        elif runs:
            spans = [(runs[0][0], runs[-1][1])]
    if len(spans) == 1:
        words = [text]
    out: list[Glyph] = []
    for word, (a, b) in zip(words, spans, strict=True):
        weights = [0.55 if ch.isascii() else 1.0 for ch in word]
        total = sum(weights) or 1.0
        x = a
        for ch, wt in zip(word, weights, strict=True):
            nx = x + (b - a) * wt / total
            if not ch.isspace():
                bb = img.box(x, y0, nx, y1)
                out.append(Glyph(ch, bb[0], bb[2], bb[1], bb[3], max(bb[3] - bb[1], 1.0)))
            x = nx
    return out


def _ink_runs(ink: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    """Horizontal runs of ink inside a box, split at gaps wider than half the box height."""
    h, w = ink.shape
    ix0, iy0, ix1, iy1 = max(int(x0), 0), max(int(y0), 0), min(int(x1) + 1, w), min(int(y1) + 1, h)
    cols = np.flatnonzero(ink[iy0:iy1, ix0:ix1].any(axis=0))
    if cols.size == 0:
        return []
    gap = max(3.0, (y1 - y0) * 0.5)
    runs: list[tuple[float, float]] = []
    start = prev = int(cols[0])
    for c in cols[1:].tolist():
        if c - prev > gap:
            runs.append((ix0 + start, ix0 + prev + 1))
            start = c
        prev = c
    runs.append((ix0 + start, ix0 + prev + 1))
    return [(float(a), float(b)) for a, b in runs]


def _text_lines(free: list[Glyph], pno: int) -> list[TextLine]:
    out: list[TextLine] = []
    for ln in group_lines(free):
        for run in split_runs(ln, gap_em=3.0):
            bbox = (run[0].x0, min(g.top for g in run), run[-1].x1, max(g.bottom for g in run))
            out.append(TextLine(line_text(run), Provenance(page=pno, bbox=bbox)))
    return out
