"""A scanned report opened in the window: OCR in the background with progress, cancellable."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.report_spec import ReportSpec, iter_cells, random_spec
from tests.fixtures.scan_pdf import scan_pdf

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportSpec, Path]:
    root = tmp_path_factory.mktemp("scan")
    spec = random_spec(random.Random(21), "2021")
    pdf = render_pdf(spec, root / "r.pdf")
    return spec, scan_pdf(pdf, root / "r-scan.pdf", seed=21, pages=[1, 3])


def test_a_scan_opens_read_by_ocr_with_progress(qtbot, window, scanned) -> None:
    spec, scan = scanned
    seen: list[tuple[int, int]] = []
    with qtbot.waitSignal(window.review_opened, timeout=60000):
        window.open_path(scan)
        qtbot.waitUntil(lambda: getattr(window, "scan_opener", None) is not None, timeout=20000)
        window.scan_opener.worker.progressed.connect(lambda d, t: seen.append((d, t)))
    doc = window.controller.document
    found = {t.id for t in doc.tables if t.found}
    assert found
    for c in iter_cells(spec):
        if c.table in found:
            cell = doc.cell(c.table, c.row, c.col)
            assert cell.value == Decimal(str(c.value)) and cell.ocr_confidence is not None, c
    assert seen and seen[-1] == (2, 2)
    assert window.scan_opener.dialog is None  # the progress dialog is gone


def test_cancelling_the_ocr_leaves_the_empty_grid(qtbot, window, scanned) -> None:
    _spec, scan = scanned
    with qtbot.waitSignal(window.review_opened, timeout=60000):
        window.open_path(scan)
        qtbot.waitUntil(lambda: getattr(window, "scan_opener", None) is not None, timeout=20000)
        window.scan_opener.dialog.canceled.emit()  # what its Cancel button does
    doc = window.controller.document
    assert all(c.value is None for t in doc.tables for _, _, c in t.iter_cells())
    assert "OCR" in " ".join(doc.warnings)
