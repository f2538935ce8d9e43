"""Reading one table region again by OCR from the window: the clerk drags a rectangle on the
page, the table fills in behind a progress dialog, and Ctrl+Z takes it back."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.report_spec import ReportSpec, random_spec
from tests.fixtures.scan_pdf import scan_pdf

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")

BBox = tuple[float, float, float, float]
PAGE = 3  # the scan's last page, where 表四 is


@pytest.fixture(scope="module")
def scanned_t4(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportSpec, Path, BBox]:
    """A scanned report, and the rectangle round 表四 on its last page (from the text layer of
    the PDF that was scanned)."""
    from tabledesk.sources.pdf.extract import read_pdf

    root = tmp_path_factory.mktemp("region-ui")
    spec = random_spec(random.Random(8), "2021")
    pdf = render_pdf(spec, root / "r.pdf")
    last = read_pdf(pdf).parts[-1]  # 表四 closes the report
    assert last.prov.page == 3 and last.prov.bbox is not None
    x0, y0, x1, y1 = last.prov.bbox
    return spec, scan_pdf(pdf, root / "scan.pdf", seed=8, skew_deg=0.3), (x0 - 15, y0 - 15, x1 + 15, y1 + 15)


def _open_unread(qtbot, window, path: Path) -> None:  # noqa: ANN001
    """Open the scan and stop its OCR at once: the empty grid to type into."""
    with qtbot.waitSignal(window.review_opened, timeout=60000):
        window.open_path(path)
        qtbot.waitUntil(
            lambda: (
                getattr(window, "scan_opener", None) is not None and window.scan_opener.dialog is not None
            ),
            timeout=20000,
        )
        window.scan_opener.dialog.canceled.emit()
    pv = window.source.page_view
    qtbot.waitUntil(lambda: pv.page_count() == PAGE, timeout=10000)
    pv.set_zoom(0.6)  # the whole page in view
    pv.go_to_page(PAGE)


def _drag(qtbot, window, bbox: BBox) -> None:  # noqa: ANN001
    pv = window.source.page_view
    a = pv.mapFromScene(pv.pdf_to_scene(PAGE, bbox[0], bbox[1]))
    b = pv.mapFromScene(pv.pdf_to_scene(PAGE, bbox[2], bbox[3]))
    vp = pv.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(vp, (a + b) / 2)
    qtbot.mouseMove(vp, b)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)


def _t4_shown(window) -> dict[str, str]:  # noqa: ANN001
    model = window.grids["t4"].grid_model()
    return {
        col: model.index_of("all", col).data(Qt.ItemDataRole.DisplayRole) or ""
        for col in ("review.total", "litigation_after_review.total")
    }


def test_dragging_a_rectangle_round_a_table_reads_it_and_undo_takes_it_back(
    qtbot, window, scanned_t4
) -> None:
    spec, scan, bbox = scanned_t4
    _open_unread(qtbot, window, scan)
    action = window.region_ocr.action
    assert action.isEnabled()
    assert _t4_shown(window) == {"review.total": "—", "litigation_after_review.total": "—"}

    action.trigger()
    assert window.region_ocr.picker.armed
    assert "Esc" in window.statusBar().currentMessage()
    stack = window.controller.undo_stack
    _drag(qtbot, window, bbox)
    qtbot.waitUntil(lambda: stack.count() == 1, timeout=60000)
    assert not window.region_ocr.picker.armed and not window.region_ocr.busy
    t4 = spec.values["t4"]["all"]
    want = {k: str(t4[k]) for k in ("review.total", "litigation_after_review.total")}
    assert _t4_shown(window) == want
    doc = window.controller.document
    assert all(doc.cell("t4", "all", k).value == Decimal(str(v)) for k, v in t4.items())
    assert doc.cell("t4", "all", "review.total").ocr_confidence is not None
    assert window.isWindowModified()

    window.undo_action.trigger()
    assert _t4_shown(window) == {"review.total": "—", "litigation_after_review.total": "—"}
    assert window.controller.document.extracted is None
    window.redo_action.trigger()
    assert _t4_shown(window) == want


def test_escape_or_a_click_without_a_drag_reads_nothing(qtbot, window, scanned_t4) -> None:
    _spec, scan, bbox = scanned_t4
    _open_unread(qtbot, window, scan)
    region = window.region_ocr
    region.action.trigger()
    qtbot.keyClick(window.source.page_view, Qt.Key.Key_Escape)
    assert not region.picker.armed and not region.busy
    region.action.trigger()
    pv = window.source.page_view
    point = pv.mapFromScene(pv.pdf_to_scene(PAGE, bbox[0] + 50, bbox[1] + 50))
    qtbot.mouseClick(pv.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert not region.picker.armed and not region.busy
    assert window.controller.undo_stack.count() == 0


def test_a_region_with_nothing_in_it_says_so(qtbot, window, scanned_t4) -> None:
    _spec, scan, _bbox = scanned_t4
    _open_unread(qtbot, window, scan)
    window.region_ocr.action.trigger()
    _drag(qtbot, window, (300.0, 780.0, 500.0, 830.0))  # blank paper under the last table
    qtbot.waitUntil(lambda: not window.region_ocr.busy, timeout=60000)
    from PySide6.QtWidgets import QMessageBox

    box = window.findChild(QMessageBox, "region_error")
    assert box is not None and "nothing could be read" in box.text() and str(scan) in box.text()
    assert window.controller.undo_stack.count() == 0
