"""Tables ruled with horizontal lines only, on a scanned page: page-wise OCR, then the text
PDF's layout.

Without vertical rules there is no grid to cut cells from, so the region's text lines are found
by the detector (box threshold 0.3 so that lone digits get a box, no angle classifier), each
line is turned into glyphs placed on its ink, and :func:`tabledesk.io.pdf_tables.fallback_grids`
lays them out between the rules exactly as for a text PDF. Numbers are then read again cell by
cell with the digits-only decoding of a ruled table.
"""

from __future__ import annotations

import unicodedata

import cv2
import numpy as np

from tabledesk.core.source import RawCell, RawTable
from tabledesk.core.values import parse_number
from tabledesk.io.ocr import OcrEngine, OcrLine, numeric_like
from tabledesk.io.pdf_tables import HSeg, cluster, fallback_grids, to_raw_table
from tabledesk.io.pdf_text import NUMBER, Glyph, group_lines, line_text, split_runs
from tabledesk.io.scan_grid import ink_lines
from tabledesk.io.scan_page import PAD, PageImage


def read_rules_only(
    img: PageImage, ink: np.ndarray, rules_only: list[tuple[int, int, int]], ocr: OcrEngine
) -> tuple[list[RawTable], list[Glyph]]:
    """Tables among ``rules_only`` (horizontal rules of no full grid, in pixels) read page-wise,
    and the glyphs of the text around them that no table took. ``ink`` (the page's ink without
    rules or ruled tables) is blanked where the regions were read."""
    tables: list[RawTable] = []
    glyphs: list[Glyph] = []
    for box in _rule_regions(rules_only, img.dpi):
        x0, y0, x1, y1 = box
        found = [
            ln.shifted(x0, y0) for ln in ocr.read_page(cv2.cvtColor(img.gray[y0:y1, x0:x1], cv2.COLOR_GRAY2BGR))
        ]
        ends = [v for sx0, sx1, sy in rules_only if y0 <= sy <= y1 for v in (sx0, sx1)]
        found = _split_at_edges(img, ink, found, ends, ocr)
        pairs = [(g, ln.score) for ln in found for g in _glyphs(img, ln, ink)]
        segs: list[HSeg] = []
        for sx0, sx1, sy in rules_only:
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
            _reread_numbers(img, ink, raw, ocr)
            tables.append(raw)
            taken |= {id(x) for c in fg.cells for x in c.glyphs}
        glyphs += [g for g in local if id(g) not in taken]
        ink[y0 : y1 + 1, x0 : x1 + 1] = 0  # read: not prose for the caller
    return tables, glyphs


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
        band = ink[int(y0) : int(y1) + 1]
        at = []
        for e in edges:
            if not x0 + 6 < e < x1 - 6:
                continue
            # the blank column nearest the rule's end: type set close to the edge leaves
            # only a pixel or two of paper there
            free = [x for d in range(7) for x in (e - d, e + d) if 0 <= x < band.shape[1] and not band[:, x].any()]
            if free:
                at.append(free[0])
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


def _reread_numbers(img: PageImage, ink: np.ndarray, table: RawTable, ocr: OcrEngine) -> None:
    """Numbers of a table read page-wise, read again cell by cell as in a ruled table: the
    detector's lines are decoded over every character, a cell's over digits only."""
    inv = cv2.invertAffineTransform(img.to_pt)
    targets: list[tuple[RawCell, np.ndarray]] = []
    h, w = ink.shape
    for row in table.cells:
        for cell in row:
            if cell is None or cell.prov.bbox is None or not cell.text.strip():
                continue
            if not numeric_like(cell.text) and parse_number(cell.text) is None:
                continue
            x0, y0, x1, y1 = cell.prov.bbox
            pts = np.array([[x0, y0, 1], [x1, y1, 1]], dtype=np.float64) @ inv.T
            ax0, ay0 = max(int(pts[:, 0].min()) - 2, 0), max(int(pts[:, 1].min()) - 2, 0)
            ax1, ay1 = min(int(pts[:, 0].max()) + 3, w), min(int(pts[:, 1].max()) + 3, h)
            lines = ink_lines(ink[ay0:ay1, ax0:ax1], min_char=round(img.dpi * 7 / 72))
            if len(lines) != 1:
                continue
            lx0, ly0, lx1, ly1 = lines[0]
            bx0, by0 = max(ax0 + lx0 - PAD, 0), max(ay0 + ly0 - PAD, 0)
            crop = img.gray[by0 : ay0 + ly1 + PAD, bx0 : ax0 + lx1 + PAD]
            targets.append((cell, cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)))
    for (cell, _im), (text, score) in zip(targets, ocr.recognize([t[1] for t in targets]), strict=True):
        if text.strip():
            cell.text = unicodedata.normalize("NFKC", text).strip()
            cell.confidence = score


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
    if cols:
        # the edge between the labels and the first column of numbers
        first = [
            run[0].x0
            for ln in group_lines(items)
            for run in split_runs(ln)
            if NUMBER.match(line_text(run)) and abs((run[0].x0 + run[-1].x1) / 2 - cols[0]) <= 10.0
        ]
        left = min(first)
        labels = [
            run[-1].x1
            for ln in group_lines(items)
            for run in split_runs(ln)
            if not NUMBER.match(line_text(run)) and run[-1].x1 < left
        ]
        if labels:
            mids.insert(0, (max(labels) + left) / 2)
    out: list[HSeg] = []
    for x0, x1, y in segs:
        cuts = [m for m in mids if x0 + 3 < m < x1 - 3]
        for a, b in zip([x0, *cuts], [*cuts, x1], strict=True):
            out.append((a, b, y))
    return out


def _conf_for(bbox: tuple[float, float, float, float], by_box: dict) -> float | None:  # type: ignore[type-arg]
    """Confidence of the fallback grid cell that holds ``bbox`` (a split cell lies inside)."""
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    for b, conf in by_box.items():
        if b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 and conf is not None:
            return float(conf)
    return None


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
        # the detector's box is grown around the text: the ink is where the glyphs are (and
        # their height is the type size the layout measures gaps with)
        h, w = ink.shape
        rows = np.flatnonzero(ink[max(int(y0), 0) : min(int(y1) + 1, h), max(int(x0), 0) : min(int(x1) + 1, w)].any(axis=1))
        if rows.size:
            y0, y1 = max(int(y0), 0) + float(rows[0]), max(int(y0), 0) + float(rows[-1]) + 1
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
