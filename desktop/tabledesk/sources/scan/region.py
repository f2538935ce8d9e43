"""Re-reading one region of a PDF page by OCR, and putting the source together again.

The clerk draws a rectangle round a table the first reading got wrong (a scan whose grid was
misread, a table printed as a picture inside a text PDF). Only that region is OCR'd, as a page
of its own with everything outside it whited out, and what was read there before — the tables
lying mostly inside it, the prose lines centred in it — is replaced. The source is then stitched
again like a freshly read PDF, so a table continued on the next page joins up as before.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import cv2
import numpy as np

from tabledesk.core.os_errors import describe_os_error
from tabledesk.core.provenance import Provenance
from tabledesk.core.source import ExtractedSource, RawTable, SourceError, SourceKind, SourceProblem, TextLine
from tabledesk.sources.pdf.extract import assemble_source
from tabledesk.sources.pdf.lock import PDFIUM_LOCK
from tabledesk.sources.scan.engine import OcrEngine, engine
from tabledesk.sources.scan.extract import read_page
from tabledesk.sources.scan.page import PageImage, page_image, set_upright

BBox = tuple[float, float, float, float]

# A table read before is replaced when this much of it lies in the region, or when the region
# lies this much inside it (the clerk re-reads the part of a table that came out wrong).
_TABLE_INSIDE = 0.5
_REGION_INSIDE = 0.8


def read_region(
    path: str | Path, page: int, bbox: BBox, *, ocr: OcrEngine | None = None
) -> tuple[list[RawTable], list[TextLine], str]:
    """OCR the region ``bbox`` (PDF points from the page's top-left corner) of 1-based
    ``page``: its tables, its prose lines (long ones too) and the file's sha256."""
    import pypdfium2 as pdfium

    spath = str(path)
    try:
        data = Path(spath).read_bytes()
    except OSError as e:
        raise SourceError(spath, f"cannot read: {describe_os_error(e)}") from None
    try:
        with PDFIUM_LOCK:  # pdfium is not thread-safe: the window renders pages meanwhile
            doc = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - pdfium's errors are one kind to the user
        raise SourceError(
            spath, "corrupt PDF: the file structure cannot be read", SourceProblem.CORRUPT
        ) from None
    try:
        with PDFIUM_LOCK:
            n = len(doc)
        if not 1 <= page <= n:
            raise SourceError(spath, f"page {page} does not exist (the file has {n} pages)")
        img = page_image(doc, page)  # takes the lock for pdfium's part
    finally:
        with PDFIUM_LOCK:
            doc.close()
    region = _only_region(img, bbox)
    if region is None:
        raise SourceError(spath, f"the region drawn on page {page} lies outside the page")
    ocr = ocr or engine(spath)
    # which way up is the region's own affair: a picture of a table may lie sideways on an
    # upright page
    tables, lines = read_page(set_upright(region, ocr), ocr, full_text=True)
    return tables, lines, hashlib.sha256(data).hexdigest()


def _only_region(img: PageImage, bbox: BBox) -> PageImage | None:
    """The page image whited out everywhere but ``bbox``, or None when nothing of it is left."""
    inv = cv2.invertAffineTransform(img.to_pt)
    x0, y0, x1, y1 = bbox
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64) @ inv.T
    h, w = img.gray.shape
    px0, py0 = max(int(corners[:, 0].min()), 0), max(int(corners[:, 1].min()), 0)
    px1, py1 = min(int(np.ceil(corners[:, 0].max())), w), min(int(np.ceil(corners[:, 1].max())), h)
    if px1 - px0 < 4 or py1 - py0 < 4:
        return None
    gray = np.full_like(img.gray, 255)
    gray[py0:py1, px0:px1] = img.gray[py0:py1, px0:px1]
    return PageImage(img.pno, gray, img.to_pt, img.dpi, img.page_height)


def replace_region(
    src: ExtractedSource | None,
    path: str,
    pages: int,
    sha256: str,
    page: int,
    bbox: BBox,
    tables: list[RawTable],
    lines: list[TextLine],
) -> ExtractedSource:
    """``src`` with what lay in the region replaced by ``tables`` and ``lines`` read there
    now; a PDF read for the first time (``src`` None: typed in by hand) starts empty."""
    if src is None:
        src = ExtractedSource(path=path, kind=SourceKind.PDF, sha256=sha256, pages=pages)
    if src.kind is not SourceKind.PDF:
        raise SourceError(src.path, "only the pages of a PDF can be read by OCR")
    before = src.parts or src.tables
    kept = [t for t in before if not _replaced(t.prov, page, bbox)]
    kept_lines = [ln for ln in src.lines if not _centred_in(ln.prov, page, bbox)]

    def order(item: RawTable | TextLine) -> tuple[int, float, float]:
        b = item.prov.bbox or (0.0, 0.0, 0.0, 0.0)
        return (item.prov.page or 0, b[1], b[0])

    all_tables = sorted([*kept, *tables], key=order)
    all_lines = sorted([*kept_lines, *lines], key=order)
    heights = dict(src.page_heights)
    # the earlier reading's notes about this page are stale
    warns = [w for w in src.warnings if not w.startswith(f"page {page}:")]
    warns.append(f"page {page}: a region was read again by OCR: check the cells marked uncertain")
    out = assemble_source(src.path, b"", src.pages, all_tables, all_lines, heights, warns)
    out.sha256 = src.sha256 or sha256  # the file read (not the b"" handed to assemble_source)
    return out


def _replaced(prov: Provenance, page: int, bbox: BBox) -> bool:
    if prov.page != page or prov.bbox is None:
        return False
    inter = _area(_intersection(prov.bbox, bbox))
    return inter >= _TABLE_INSIDE * max(_area(prov.bbox), 1e-6) or inter >= _REGION_INSIDE * max(
        _area(bbox), 1e-6
    )


def _centred_in(prov: Provenance, page: int, bbox: BBox) -> bool:
    if prov.page != page or prov.bbox is None:
        return False
    cx, cy = (prov.bbox[0] + prov.bbox[2]) / 2, (prov.bbox[1] + prov.bbox[3]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def _intersection(a: BBox, b: BBox) -> BBox:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _area(b: BBox) -> float:
    return max(b[2] - b[0], 0.0) * max(b[3] - b[1], 0.0)
