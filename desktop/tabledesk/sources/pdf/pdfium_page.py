"""One page's characters, rectangles and line segments through pdfium (``PdfTextPage`` and the
page objects): the fast reader, about eight times cheaper than pdfminer's content-stream parse.

The facts come out in pdfplumber's terms so the rest of the reader cannot tell them apart:

- a character's box is pdfium's *loose* box: from the origin across the advance width, and
  the font size tall from the font's descent — pdfminer's box exactly when the font's ascent and
  descent span one em (as in the CID fonts of Word/WPS exports; otherwise it may sit a fraction
  of a point higher or lower). The tight box (the ink) would make digits and CJK glyphs different
  heights and move line centres.
- paths are split into subpaths and classified as pdfminer does: one straight segment is a
  line, a closed axis-aligned four-sided path a rectangle, anything else a curve.

:func:`read_page` returns None where pdfium's text is not to be trusted — rotated or mirrored
text, a rotated page, characters without a Unicode mapping (Type 3 fonts without ToUnicode,
private-use code points) — and the caller reads that page with pdfplumber instead.
"""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING, Any

import pypdfium2.raw as pc

from tabledesk.sources.pdf.facts import PageFacts, Rect, Segment

if TYPE_CHECKING:
    import pypdfium2 as pdfium

_NDIGITS = 3  # pdfium computes in single precision: round so equal coordinates compare equal
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SPACES = frozenset((0x09, 0x0A, 0x0D, 0x20, 0xA0, 0x3000))
_NO_UNICODE = frozenset((0, 0xFFFD, 0xFFFE))
_MOVETO, _BEZIERTO = pc.FPDF_SEGMENT_MOVETO, pc.FPDF_SEGMENT_BEZIERTO


def _mul(m: _Matrix, n: _Matrix) -> _Matrix:
    """``m`` then ``n`` (PDF row-vector convention: a point is transformed by m, then by n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


class _Walker:
    """Collects the paths of a page (forms opened, their matrices applied) and notes text
    objects whose matrix pdfium's character boxes do not handle."""

    def __init__(self, height: float) -> None:
        self.height = height
        self.rects: list[Rect] = []
        self.lines: list[Segment] = []
        self.curves: list[list[tuple[float, float]]] = []
        self.skewed_text = False
        self._m = pc.FS_MATRIX()
        self._x = ctypes.c_float()
        self._y = ctypes.c_float()
        self._fill = ctypes.c_int()
        self._stroke = ctypes.c_int()

    def matrix(self, obj: Any) -> _Matrix:
        if not pc.FPDFPageObj_GetMatrix(obj, self._m):
            return _IDENTITY
        m = self._m
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def walk(self, objs: list[Any], ctm: _Matrix, depth: int = 0) -> None:
        for obj in objs:
            kind = pc.FPDFPageObj_GetType(obj)
            if kind == pc.FPDF_PAGEOBJ_PATH:
                self.path(obj, _mul(self.matrix(obj), ctm))
            elif kind == pc.FPDF_PAGEOBJ_TEXT:
                a, b, c, d, _, _ = _mul(self.matrix(obj), ctm)
                if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
                    self.skewed_text = True
            elif kind == pc.FPDF_PAGEOBJ_FORM and depth < 8:
                n = pc.FPDFFormObj_CountObjects(obj)
                kids = [pc.FPDFFormObj_GetObject(obj, i) for i in range(n)]
                self.walk(kids, _mul(self.matrix(obj), ctm), depth + 1)

    def path(self, obj: Any, m: _Matrix) -> None:
        if not pc.FPDFPath_GetDrawMode(obj, self._fill, self._stroke):
            return
        fill, stroke = self._fill.value != 0, bool(self._stroke.value)
        if not fill and not stroke:
            return  # a clipping path paints nothing (pdfminer never sees it)
        a, b, c, d, e, f = m
        height = self.height
        get_segment, get_type, get_point, get_close = (
            pc.FPDFPath_GetPathSegment,
            pc.FPDFPathSegment_GetType,
            pc.FPDFPathSegment_GetPoint,
            pc.FPDFPathSegment_GetClose,
        )
        px, py = self._x, self._y
        segs = [get_segment(obj, i) for i in range(pc.FPDFPath_CountSegments(obj))]
        kinds = [get_type(seg) for seg in segs]
        subpaths: list[tuple[list[tuple[float, float]], bool]] = []
        pts: list[tuple[float, float]] = []
        curved = False
        bezier_k = 0
        last = len(segs) - 1
        for i, (seg, kind) in enumerate(zip(segs, kinds, strict=True)):
            get_point(seg, px, py)
            x, y = px.value, py.value
            pt = (round(a * x + c * y + e, _NDIGITS), round(height - (b * x + d * y + f), _NDIGITS))
            if kind == _MOVETO:
                if pts:
                    subpaths.append((pts, curved))
                pts, curved, bezier_k = [pt], False, 0
            elif kind == _BEZIERTO:
                # pdfium gives both control points and the end point; pdfminer keeps the end
                curved = True
                bezier_k += 1
                if bezier_k % 3 == 0:
                    pts.append(pt)
            else:
                pts.append(pt)
            # only a subpath's last point can close it
            if (i == last or kinds[i + 1] == _MOVETO) and get_close(seg) and pts[-1] != pts[0]:
                pts.append(pts[0])
        if pts:
            subpaths.append((pts, curved))
        for sp, is_curve in subpaths:
            self.classify(sp, is_curve, stroke, fill)

    def classify(self, pts: list[tuple[float, float]], curve: bool, stroke: bool, fill: bool) -> None:
        if len(pts) < 2:
            return
        if not curve and (len(pts) == 2 or (len(pts) == 3 and pts[2] == pts[0])):
            (x0, y0), (x1, y1) = pts[0], pts[1]
            self.lines.append(Segment(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
            return
        if not curve and len(pts) == 5 and pts[4] == pts[0]:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
            ):
                self.rects.append(Rect(min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2), stroke, fill))
                return
        self.curves.append(pts)


class _FontNames:
    """Each character's font name as the PDF gives it (``BaseFont``, subset prefix and all), as
    pdfminer names it in ``fontname``: the weight is read from it (``text.is_bold``) the same way
    whichever library read the page. One decoding per font, not per character."""

    SIZE = 128  # bytes: longer names (rare) take a second call

    def __init__(self, textpage: Any) -> None:
        self._tp = textpage
        # the caller's loop asks pdfium into ``buf`` and looks the bytes up in ``known`` itself
        # (a method call per character costs as much as the rest of the font lookup)
        self.buf = ctypes.create_string_buffer(self.SIZE)
        self.known: dict[bytes, str] = {}

    def name(self, index: int) -> str:
        """The font name of character ``index``, learnt for the next lookups."""
        n = pc.FPDFText_GetFontInfo(self._tp, index, self.buf, self.SIZE, None)
        if n <= 0:
            return ""
        buf = self.buf
        if n > self.SIZE:  # pdfium leaves a buffer too small untouched: ask into a bigger one
            buf = ctypes.create_string_buffer(n)
            pc.FPDFText_GetFontInfo(self._tp, index, buf, n, None)
        raw = buf.value
        name = self.known.get(raw)
        if name is None:
            name = raw.decode("utf-8", "replace")
            if n <= self.SIZE:
                self.known[raw] = name
        return name


def read_page(page: pdfium.PdfPage) -> PageFacts | None:
    """The facts of ``page``, or None when pdfium's text there cannot be trusted."""
    if page.get_rotation() % 360:
        return None
    # pdfium keeps the MediaBox in single precision: 841.89 comes back as 841.88977
    mb = [round(v, 4) for v in page.get_mediabox()]
    width, height = mb[2] - mb[0], mb[3] - mb[1]
    walker = _Walker(height)
    n = pc.FPDFPage_CountObjects(page.raw)
    walker.walk([pc.FPDFPage_GetObject(page.raw, i) for i in range(n)], _IDENTITY)
    if walker.skewed_text:
        return None
    chars = _chars(page, height)
    if chars is None:
        return None
    return PageFacts(width, height, chars, walker.rects, walker.lines, walker.curves)


def _page_codes(tp: Any, n: int) -> list[int] | None:
    """Every character's code point in one call instead of one call each, or None when the
    text does not come back one UTF-16 unit a character (a character beyond the BMP is two)."""
    if n <= 0:
        return []
    buf = (ctypes.c_uint16 * (n + 1))()
    got = pc.FPDFText_GetText(tp, 0, n, buf)
    if got != n + 1:  # the units written, the closing NUL included
        return None
    codes = list(buf)[:n]
    if any(0xD800 <= c <= 0xDFFF for c in codes):
        return None  # a surrogate: the units no longer line up with the characters
    return codes


def _chars(page: pdfium.PdfPage, height: float) -> list[dict[str, Any]] | None:
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        n = pc.FPDFText_CountChars(tp)
        box = pc.FS_RECTF()
        m = pc.FS_MATRIX()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        fonts = _FontNames(tp)
        font_info, font_buf, fonts_known, font_buf_size = (
            pc.FPDFText_GetFontInfo,
            fonts.buf,
            fonts.known,
            fonts.SIZE,
        )
        get_unicode, map_error = pc.FPDFText_GetUnicode, pc.FPDFText_HasUnicodeMapError
        loose_box, get_matrix, font_size = (
            pc.FPDFText_GetLooseCharBox,
            pc.FPDFText_GetMatrix,
            pc.FPDFText_GetFontSize,
        )
        codes = _page_codes(tp, n)
        out: list[dict[str, Any]] = []
        for i in range(n):
            code = codes[i] if codes is not None else get_unicode(tp, i)
            if code in _SPACES:
                continue  # spacing is rebuilt from positions
            if code in _NO_UNICODE or 0xE000 <= code <= 0xF8FF or code >= 0xF0000 or map_error(tp, i) == 1:
                return None  # no Unicode for this glyph: pdfplumber reports it as (cid:N)
            # a UTF-16 surrogate on its own (a damaged ToUnicode map) is no character: it could
            # not even be written to the export
            text = "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)
            if text.isspace() or not loose_box(tp, i, box):
                continue
            get_matrix(tp, i, m)
            size = font_size(tp, i) * m.d
            x0, x1, bottom = box.left, box.right, height - box.bottom
            if x1 - x0 > 4 * size + 1:
                # pdfium's loose box of a glyph in vertical writing (Word's vertical cell text)
                # is the unscaled font size wide and tall; pdfminer's box is one em square with
                # pdfium's origin at its bottom-left corner
                pc.FPDFText_GetCharOrigin(tp, i, ox, oy)
                x0, bottom = ox.value, height - oy.value
                x1 = x0 + size
            k = font_info(tp, i, font_buf, font_buf_size, None)
            fontname = fonts_known.get(font_buf.value) if 0 < k <= font_buf_size else None
            if fontname is None:
                fontname = fonts.name(i)
            # pdfium's box runs from the font's descent to its ascent, pdfminer's (and so the
            # thresholds of line grouping) from the descent one font size up
            out.append(
                {
                    "text": text,
                    "x0": x0,
                    "x1": x1,
                    "top": bottom - size,
                    "bottom": bottom,
                    "size": size,
                    "fontname": fontname,
                }
            )
        return out
    finally:
        textpage.close()
