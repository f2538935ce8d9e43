"""Which way up a scanned page lies: 0, 90, 180 or 270 degrees turned in the image itself.

A landscape 表三 fed the other way, a sheet put in upside down: the PDF says nothing (no
/Rotate), the picture is simply turned. Two steps, the first cheap:

1. Geometry, on the page brought down to 100 dpi. Rules are removed (tables are ruled both
   ways, so they say nothing) and the characters left are joined to their neighbours by a
   closing, grown until one direction clearly has lines: the characters of a line sit closer
   together than the lines do, so every line of print becomes one long thin blob lying along
   it. Lying blobs: the page is upright or upside down; standing ones: it is turned a quarter
   either way.
2. Recognition, on a few of those lines only. Geometry cannot tell 0 from 180 (nor 90 from
   270); the recogniser can: print the wrong way up reads as unsure garbage. The lines are
   first read the way geometry says is more likely (upright for lying lines): the longest line
   read surely as Chinese settles it, so an upright page costs one line's recognition (and a
   page upside down two). Otherwise a few lines are read both ways and the surer way wins.

The recogniser's angle classifier is not used: it turns a lone 6 into 9 in the cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from tabledesk.sources.scan.grid import binarise

if TYPE_CHECKING:
    from tabledesk.sources.scan.engine import OcrEngine

ANALYSIS_DPI = 100.0  # the geometric test runs on the page brought down to this
CLEAR = 3.0  # one direction's lines this many times the other's: geometry is sure
JOINS = (0.3, 0.5, 0.75)  # gaps closed to join characters into lines, in 10-point characters
SAMPLE = 3  # text lines read to tell which way up (the recogniser's time goes with their width)
SURE = 0.6  # a line read as Chinese this surely settles it (upside down: never above 0.35)
MAX_EMS = 8  # a sample line is cut to about this many characters
FLIP_MARGIN = 0.15  # a lying page is turned over only when upside down reads this much surer


@dataclass(frozen=True, slots=True)
class Lines:
    """Text-line blobs of one direction, as (x0, y0, x1, y1) in the full image's pixels, and
    their total length in pixels of the analysis image."""

    boxes: list[tuple[int, int, int, int]]
    length: float


def text_lines(gray: np.ndarray, dpi: float) -> tuple[Lines, Lines]:
    """The lying and the standing text lines of ``gray`` (a page at ``dpi``)."""
    f = min(1.0, ANALYSIS_DPI / dpi)
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1.0 else gray
    adpi = dpi * f
    bw = binarise(small)
    em = adpi * 10 / 72  # a 10-point character
    # rules: ink runs longer than any character, either way (a table is ruled both ways)
    run = max(12, round(em * 2.5))
    rules = cv2.bitwise_or(
        cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1))),
        cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, run))),
    )
    text = cv2.bitwise_and(bw, cv2.bitwise_not(cv2.dilate(rules, np.ones((3, 3), np.uint8))))
    # Join the characters of a line, not the lines: the gap between characters is smaller than
    # between lines, but both grow with the type (and justified print spaces its characters
    # out), so the joining grows until one direction clearly has lines.
    found: tuple[list[_Blob], list[_Blob]] = ([], [])
    for join in JOINS:
        k = max(2, round(em * join))
        blobs = cv2.morphologyEx(text, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
        lying, standing = _blobs(blobs, em)
        found = (lying, standing)
        more, fewer = sorted((lying, standing), key=lambda b: -_length(b))
        if len(more) >= 3 and _length(more) >= CLEAR * _length(fewer):
            break

    def pick(blobs: list[_Blob]) -> Lines:
        blobs.sort(key=lambda b: -b[4])
        s = 1 / f
        boxes = [
            (int(x * s), int(y * s), int((x + w) * s) + 1, int((y + h) * s) + 1) for x, y, w, h, _l in blobs
        ]
        return Lines(boxes, float(_length(blobs)))

    return pick(found[0]), pick(found[1])


_Blob = tuple[int, int, int, int, int]  # x, y, width, height, length along the line


def _length(blobs: list[_Blob]) -> int:
    return sum(b[4] for b in blobs)


def _blobs(joined: np.ndarray, em: float) -> tuple[list[_Blob], list[_Blob]]:
    """The lying and the standing lines of print among the blobs of ``joined``."""
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(joined, connectivity=8)
    lying: list[_Blob] = []
    standing: list[_Blob] = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        long, thick = max(w, h), min(w, h)
        # a line of print: at least three characters long, one character thick, mostly ink
        # (not a frame's corner or a diagonal scribble)
        if long < 3 * thick or not 0.5 * em <= thick <= 2.5 * em or area < 0.3 * w * h:
            continue
        (lying if w > h else standing).append((x, y, w, h, long))
    return lying, standing


def _crops(gray: np.ndarray, lines: Lines, pad: int) -> list[np.ndarray]:
    """Up to SAMPLE lines cut from ``gray`` as lying BGR images (standing ones turned a quarter
    clockwise), each cut to about MAX_EMS characters at a gap between two of them (half a
    character at the end would read unsure whichever way up)."""
    out = []
    h, w = gray.shape
    for x0, y0, x1, y1 in lines.boxes[:SAMPLE]:
        crop = gray[max(y0 - pad, 0) : min(y1 + pad, h), max(x0 - pad, 0) : min(x1 + pad, w)]
        if crop.shape[0] > crop.shape[1]:
            crop = cv2.rotate(crop, cv2.ROTATE_90_CLOCKWISE)
        thick = crop.shape[0]
        limit = MAX_EMS * thick
        if crop.shape[1] > limit:
            # the whitest column of the last character's width before the limit (either end
            # may be the line's start: that is what is being found out)
            ink = (255 - crop[:, limit - thick : limit].astype(np.int32)).sum(axis=0)
            crop = crop[:, : limit - thick + int(np.argmin(ink)) + 1]
        out.append(cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_GRAY2BGR))
    return out


def _score(read: list[tuple[str, float]]) -> tuple[float, bool]:
    """Mean confidence of a sample's readings, and whether one was read surely as Chinese (a
    few characters, the least sure of them at SURE: print the wrong way up never reads so)."""
    sure = any(s >= SURE and sum("\u4e00" <= ch <= "\u9fff" for ch in t) >= 4 for t, s in read)
    return float(np.mean([s for _t, s in read])), sure


def orientation(gray: np.ndarray, dpi: float, ocr: OcrEngine, pad: int = 4) -> int:
    """Degrees the page's content is turned counter-clockwise in ``gray`` (0, 90, 180, 270):
    turning ``gray`` that much clockwise sets it upright."""
    lying, standing = text_lines(gray, dpi)
    if not lying.boxes and not standing.boxes:
        return 0  # a blank page or a picture: nothing to go by
    if lying.length >= CLEAR * standing.length:
        ways = [lying]
    elif standing.length >= CLEAR * lying.length:
        ways = [standing]
    else:  # in doubt: the more likely direction first, the other after
        ways = sorted([lying, standing], key=lambda ln: -ln.length)
    best = (-1.0, 0)
    for ln in ways:
        if not ln.boxes:
            continue
        # the lines are cut lying: a standing line turned clockwise reads upright when the
        # page's content was turned counter-clockwise (90), upside down when the other way
        quarter = 90 if ln is standing else 0
        crops = _crops(gray, ln, pad)
        flipped = [cv2.rotate(c, cv2.ROTATE_180) for c in crops]
        if len(ways) == 1:
            # the usual page: its longest line, read once, settles it; upside down, twice
            if _score(ocr.recognize(crops[:1], cells=False))[1]:
                return quarter
            if _score(ocr.recognize(flipped[:1], cells=False))[1]:
                return quarter + 180
        read = ocr.recognize(crops + flipped, cells=False)  # one batch: the widths match
        (conf, sure), (conf_flip, sure_flip) = _score(read[: len(crops)]), _score(read[len(crops) :])
        if sure != sure_flip:
            return quarter if sure else quarter + 180
        # neither reads as sure Chinese (a page of numbers: 0, 1 and 8 read either way up):
        # an upright-looking page stays as it is unless upside down reads clearly better
        margin = FLIP_MARGIN if quarter == 0 else 0.0
        for c, turn in ((conf, quarter), (conf_flip - margin, quarter + 180)):
            if c > best[0]:
                best = (c, turn)
    return best[1]
