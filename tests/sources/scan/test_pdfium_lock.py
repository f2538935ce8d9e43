"""The OCR reader takes PDFIUM_LOCK around every pdfium call, as the text-layer reader and the
window's page renderer do: pdfium is not thread-safe, and a scan is read on a worker thread
while the window renders its pages on another."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")

import pypdfium2 as pdfium  # noqa: E402

from tabledesk.sources.pdf import lock  # noqa: E402
from tabledesk.sources.scan import extract, page, region  # noqa: E402
from tabledesk.sources.scan.extract import read_scan  # noqa: E402
from tabledesk.sources.scan.region import read_region  # noqa: E402
from tests.fixtures.pdf_report import render_pdf  # noqa: E402
from tests.fixtures.report_spec import random_spec  # noqa: E402
from tests.fixtures.scan_pdf import scan_pdf  # noqa: E402


class _OwnedLock:
    """PDFIUM_LOCK as it is (re-entrant), knowing whether the calling thread holds it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._depth = threading.local()

    def held(self) -> bool:
        return getattr(self._depth, "n", 0) > 0

    def __enter__(self) -> _OwnedLock:
        self._lock.acquire()
        self._depth.n = getattr(self._depth, "n", 0) + 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth.n -= 1
        self._lock.release()


# every pypdfium2 method the scan reader uses (opening, pages, their images, rendering, closing)
_WATCHED = {
    pdfium.PdfDocument: ("__init__", "__len__", "__getitem__", "close"),
    pdfium.PdfPage: ("get_size", "get_rotation", "get_objects", "render", "close"),
    pdfium.PdfImage: ("get_bitmap", "get_bounds", "get_matrix"),
    pdfium.PdfBitmap: ("to_numpy", "close"),
}


def test_every_pdfium_call_of_the_ocr_reader_holds_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    owned = _OwnedLock()
    for module in (lock, page, extract, region):
        monkeypatch.setattr(module, "PDFIUM_LOCK", owned, raising=False)
    calls: list[str] = []
    unlocked: list[str] = []

    def watched(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            if not owned.held():
                unlocked.append(name)
            return fn(*args, **kwargs)

        return call

    pdf = render_pdf(random_spec(random.Random(1), "2021"), tmp_path / "r.pdf")
    scan = scan_pdf(pdf, tmp_path / "scan.pdf", seed=1, skew_deg=0.0, pages=[3])
    for cls, names in _WATCHED.items():
        for name in names:
            monkeypatch.setattr(cls, name, watched(f"{cls.__name__}.{name}", getattr(cls, name)))

    src = read_scan(scan)
    tables, _lines, _sha = read_region(scan, 1, (0.0, 0.0, 595.0, 842.0))

    assert src.tables and tables  # the page was read, both ways
    assert {"PdfDocument.__init__", "PdfPage.render", "PdfDocument.close"} <= set(calls) or {
        "PdfDocument.__init__",
        "PdfImage.get_bitmap",
        "PdfDocument.close",
    } <= set(calls)
    assert unlocked == []
