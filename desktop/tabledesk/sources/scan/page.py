"""A scanned page as an image for OCR: the scan's own picture (or the page rendered), brought
to a workable resolution, set upright (a sheet scanned sideways or upside down, see
:mod:`tabledesk.sources.scan.orient`) and turned straight, with the mapping of its pixels to PDF
points of the page as displayed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from tabledesk.sources.pdf.lock import PDFIUM_LOCK
from tabledesk.sources.scan.grid import skew_angle
from tabledesk.sources.scan.orient import orientation

if TYPE_CHECKING:
    from tabledesk.sources.scan.engine import OcrEngine

RENDER_DPI = 150.0  # pages without one usable scan image are rendered at this resolution
MAX_DPI = 220.0  # finer scans are brought down to this: the recogniser sees 48-pixel lines
PAD = 4  # pixels of white around a text line cut for the recogniser


@dataclass(slots=True)
class PageImage:
    """One page as an upright, straightened grey image and how its pixels map to PDF points."""

    pno: int
    gray: np.ndarray
    # 2x3 affine: (x, y, 1) in pixels -> points from the top-left corner of the page as the PDF
    # shows it (where the window draws a cell's outline), even when the scan lies sideways in
    # it and ``gray`` has been set upright
    to_pt: np.ndarray
    dpi: float
    page_height: float = 842.0
    turn: int = 0  # degrees the scan lay turned counter-clockwise on the page (set upright here)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64) @ self.to_pt.T
        return (
            round(float(pts[:, 0].min()), 2),
            round(float(pts[:, 1].min()), 2),
            round(float(pts[:, 0].max()), 2),
            round(float(pts[:, 1].max()), 2),
        )


def _owned_gray(bmp: Any) -> np.ndarray:
    """A pdfium bitmap as a grey image of our own, the bitmap closed (under the caller's
    PDFIUM_LOCK: a bitmap left to the garbage collector would be freed on whatever thread)."""
    try:
        return np.array(_to_gray(bmp.to_numpy(), bmp.format), copy=True)
    finally:
        bmp.close()


def _to_gray(arr: np.ndarray, fmt: int) -> np.ndarray:
    if arr.ndim == 2:
        return arr
    if arr.shape[2] == 1:
        return arr[:, :, 0]
    if arr.shape[2] == 4:
        return cv2.cvtColor(arr, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(arr[:, :, :3], cv2.COLOR_BGR2GRAY)


def upright(gray: np.ndarray, turn: int) -> tuple[np.ndarray, np.ndarray]:
    """``gray`` (its content turned ``turn`` degrees counter-clockwise) set upright, and the 3x3
    affine taking the upright image's pixels back to ``gray``'s (pixel edges: 0..width)."""
    h, w = gray.shape
    if turn == 90:  # turned clockwise: upright (u, v) came from (v, h - u)
        return cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE), np.array([[0, 1, 0], [-1, 0, h], [0, 0, 1]], float)
    if turn == 180:
        return cv2.rotate(gray, cv2.ROTATE_180), np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], float)
    if turn == 270:  # turned counter-clockwise: upright (u, v) came from (w - v, u)
        return cv2.rotate(gray, cv2.ROTATE_90_COUNTERCLOCKWISE), np.array(
            [[0, -1, w], [1, 0, 0], [0, 0, 1]], float
        )
    return gray, np.eye(3)


def set_upright(img: PageImage, ocr: OcrEngine) -> PageImage:
    """``img`` turned upright when its print lies sideways or upside down (which way up the
    recogniser ``ocr`` decides), its pixels still mapped to the page as the PDF shows it."""
    turn = orientation(img.gray, img.dpi, ocr, pad=PAD)
    if not turn:
        return img
    gray, back = upright(img.gray, turn)
    return PageImage(
        img.pno,
        np.ascontiguousarray(gray),
        img.to_pt @ back,
        img.dpi,
        img.page_height,
        (img.turn + turn) % 360,
    )


def page_image(doc: object, pno: int, ocr: OcrEngine | None = None) -> PageImage:
    """The page's scan image when one upright image covers it, else the page rendered; then
    brought down to at most MAX_DPI, set upright when it lies sideways or upside down (which
    way up the recogniser ``ocr`` decides; without it the image is taken as it lies) and
    turned straight."""
    import pypdfium2.raw as pdfium_c

    # pdfium is not thread-safe (sources/pdf/lock.py): the window may be rendering a page;
    # the lock is held for pdfium's part only, not for the OCR below
    with PDFIUM_LOCK:
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
                    area = (x1 - x0) * (t - b)
                    if area >= 0.6 * pw * ph and (best is None or area > best[1]):
                        best = (obj, area, (x0, b, x1, t))
                if best is not None and len(imgs) <= 3:
                    obj, _area, (x0, b, x1, t) = best
                    bmp = obj.get_bitmap(render=False)
                    gray = _owned_gray(bmp)
                    h, w = gray.shape
                    to_pt = np.array([[(x1 - x0) / w, 0, x0], [0, (t - b) / h, ph - t]], dtype=np.float64)
            if gray is None:
                bmp = page.render(scale=RENDER_DPI / 72, grayscale=True)
                gray = _owned_gray(bmp)
                to_pt = np.array([[pw / gray.shape[1], 0, 0], [0, ph / gray.shape[0], 0]], dtype=np.float64)
        finally:
            page.close()
    dpi = 72 / to_pt[0, 0]
    if dpi > MAX_DPI:
        f = MAX_DPI / dpi
        gray = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        to_pt = to_pt @ np.array([[1 / f, 0, 0], [0, 1 / f, 0], [0, 0, 1]])
        dpi = MAX_DPI
    img = PageImage(pno, np.ascontiguousarray(gray), to_pt, dpi, float(ph))
    if ocr is not None:
        # a quarter or half turn first: the skew is measured on rules lying along the text
        img = set_upright(img, ocr)
    gray, to_pt = img.gray, img.to_pt
    angle = skew_angle(gray)
    if abs(angle) > 0.05:
        h, w = gray.shape
        rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        gray = cv2.warpAffine(gray, rot, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
        back = cv2.invertAffineTransform(rot)  # straightened pixels -> scan pixels
        to_pt = to_pt @ np.vstack([back, [0, 0, 1]])
    return PageImage(pno, gray, to_pt, dpi, float(ph), img.turn)
