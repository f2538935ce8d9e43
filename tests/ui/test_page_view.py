"""PageView and PageRenderer, offscreen, on generated PDFs (and a real report when present)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from tabledesk.ui.source.page_view import PageView

TIMEOUT = 5000


@pytest.fixture
def view(qtbot):
    view = PageView()
    view.resize(700, 600)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    yield view
    view.shutdown()


def open_and_wait(qtbot, view: PageView, path, page: int = 1) -> None:
    with qtbot.waitSignal(view.page_shown, timeout=TIMEOUT, check_params_cb=lambda p: p == page):
        view.open_pdf(path)


def words(path, page: int) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        return pdf.pages[page - 1].extract_words()


def dark_fraction(view: PageView, page: int, bbox) -> float:
    """Share of dark pixels of the page's *rendered image* inside ``bbox`` (PDF points)."""
    item = view._pages[page - 1]
    assert item.pixmap is not None, f"page {page} has no image"
    image = item.pixmap.toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    s = item.pixmap_scale
    x0, top, x1, bottom = (round(v * s) for v in bbox)
    dark = total = 0
    for y in range(max(0, top), min(image.height(), bottom)):
        for x in range(max(0, x0), min(image.width(), x1), 2):
            total += 1
            dark += image.pixelColor(x, y).value() < 128
    return dark / max(total, 1)


def ctrl_wheel(view: PageView, steps: int) -> None:
    pos = QPointF(view.viewport().rect().center())
    event = QWheelEvent(
        pos,
        QPointF(view.viewport().mapToGlobal(pos.toPoint())),
        QPoint(),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_open_renders_first_page_with_page_sizes(qtbot, view, sample_pdf):
    with qtbot.waitSignal(view.renderer.document_opened, timeout=TIMEOUT) as opened:
        with qtbot.waitSignal(view.page_shown, timeout=TIMEOUT, check_params_cb=lambda p: p == 1):
            view.open_pdf(sample_pdf.path)
    sizes = opened.args[0]
    flat = [v for size in sizes for v in size]
    assert flat == pytest.approx([v for size in sample_pdf.page_sizes for v in size], abs=0.01)
    assert view.page_count() == len(sample_pdf.page_sizes)
    assert view.current_page() == 1
    # Pages are stacked top to bottom, narrower ones centred on the landscape page.
    rects = [view.page_scene_rect(n) for n in range(1, view.page_count() + 1)]
    assert all(a.bottom() < b.top() for a, b in zip(rects, rects[1:], strict=False))
    assert {round(r.center().x(), 3) for r in rects} == {round(rects[2].center().x(), 3)}
    # The image is at the current zoom and shows the Chinese heading where pdfplumber finds it.
    item = view._pages[0]
    assert item.pixmap_scale == pytest.approx(view.zoom(), abs=1e-3)
    assert item.pixmap.width() == pytest.approx(sample_pdf.page_sizes[0][0] * view.zoom(), abs=2)
    heading = next(w for w in words(sample_pdf.path, 1) if sample_pdf.title[:4] in w["text"])
    assert dark_fraction(view, 1, (heading["x0"], heading["top"], heading["x1"], heading["bottom"])) > 0.05
    assert dark_fraction(view, 1, (300, 700, 500, 780)) == 0


def test_zoom_with_keys_and_ctrl_wheel_rerenders_at_new_scale(qtbot, view, sample_pdf):
    open_and_wait(qtbot, view, sample_pdf.path)
    view.setFocus()
    start = view.zoom()
    with qtbot.waitSignal(view.zoom_changed, timeout=TIMEOUT):
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom() == pytest.approx(start * PageView.ZOOM_STEP)
    assert view.transform().m11() == pytest.approx(view.zoom())
    assert not view.is_fit_width()
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.zoom() == pytest.approx(start / PageView.ZOOM_STEP)

    before = view.zoom()
    ctrl_wheel(view, 2)
    assert view.zoom() == pytest.approx(before * PageView.ZOOM_STEP**2)
    # Once the zoom settles, the visible page is re-rendered at the new scale.
    page = view.current_page()
    qtbot.waitUntil(
        lambda: view._pages[page - 1].pixmap_scale == pytest.approx(view.zoom(), abs=1e-3), timeout=TIMEOUT
    )
    # A wheel without Ctrl scrolls and leaves the zoom alone.
    zoom = view.zoom()
    plain = QWheelEvent(
        QPointF(10, 10), QPointF(10, 10), QPoint(), QPoint(0, -240), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    value = view.verticalScrollBar().value()
    QApplication.sendEvent(view.viewport(), plain)
    assert view.zoom() == zoom
    assert view.verticalScrollBar().value() > value


def test_zoom_is_clamped_and_fit_width_follows_resizes(qtbot, view, sample_pdf):
    open_and_wait(qtbot, view, sample_pdf.path)
    view.set_zoom(100)
    assert view.zoom() == PageView.MAX_ZOOM
    view.set_zoom(0.001)
    assert view.zoom() == PageView.MIN_ZOOM
    view.fit_width()
    widest = max(w for w, _ in sample_pdf.page_sizes) + 2 * PageView.PAGE_GAP
    assert view.zoom() == pytest.approx((view.viewport().width() - 2) / widest, rel=1e-3)
    view.resize(1000, 600)
    qtbot.waitUntil(lambda: view.zoom() == pytest.approx((view.viewport().width() - 2) / widest, rel=1e-3))


def test_go_to_page_scrolls_and_reports_current_page(qtbot, view, long_pdf):
    open_and_wait(qtbot, view, long_pdf.path)
    with qtbot.waitSignal(view.current_page_changed, timeout=TIMEOUT) as changed:
        view.go_to_page(30)
    assert changed.args == [30]
    assert view.current_page() == 30
    qtbot.waitUntil(lambda: view._pages[29].pixmap is not None, timeout=TIMEOUT)
    # Far-away pages let go of their images; the renderer's cache still has page 1.
    assert view._pages[0].pixmap is None
    assert view.renderer.cached(1, view._render_scale(1)) is not None
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.current_page() == 1


def test_show_region_scrolls_to_the_box_and_outlines_it(qtbot, view, sample_pdf):
    open_and_wait(qtbot, view, sample_pdf.path)
    bbox = (150.0, 500.0, 260.0, 530.0)
    view.show_region(5, bbox)
    expected = view.page_scene_rect(5).topLeft()
    rects = view.outline_scene_rects()
    assert rects == [QRectF(expected.x() + 150, expected.y() + 500, 110, 30)]
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(rects[0])
    assert view.current_page() == 5
    outlines = [i for i in view.scene().items() if i.zValue() == 10]
    assert len(outlines) == 1 and outlines[0].isVisible()
    assert outlines[0].pen().color().alpha() == 255

    # Several cells of one rule: one outline each, the old one gone.
    view.show_regions([(2, (72, 100, 182, 124)), (2, (182, 100, 292, 124)), (4, (72, 100, 90, 110))])
    assert len(view.outline_scene_rects()) == 3
    assert view.current_page() == 2
    view.clear_regions()
    assert view.outline_scene_rects() == []


def test_show_region_before_the_document_has_opened_is_applied_when_it_opens(qtbot, view, sample_pdf):
    with qtbot.waitSignal(view.document_opened, timeout=TIMEOUT):
        view.open_pdf(sample_pdf.path)
        view.show_region(4, (100, 100, 200, 200))
        view.set_regions({4: [("t3.r1.c1", (100, 100, 200, 200))]})
    assert view.current_page() == 4
    assert len(view.outline_scene_rects()) == 1
    assert view.region_at(4, 150, 150) == "t3.r1.c1"
    assert view.region_at(4, 50, 50) is None


def test_click_on_a_word_emits_its_pdf_coordinates(qtbot, view, sample_pdf):
    open_and_wait(qtbot, view, sample_pdf.path)
    view.set_zoom(1.5)
    word_text, _ = sample_pdf.markers[3]
    word = next(w for w in words(sample_pdf.path, 3) if w["text"] == word_text)
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    view.show_region(3, (word["x0"], word["top"], word["x1"], word["bottom"]))
    pos = view.mapFromScene(view.pdf_to_scene(3, cx, cy))
    assert view.viewport().rect().contains(pos)
    with qtbot.waitSignal(view.point_clicked, timeout=TIMEOUT) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    page, x, y = clicked.args
    assert page == 3
    tolerance = 1.0 / view.zoom() + 0.01  # one pixel
    assert x == pytest.approx(cx, abs=tolerance)
    assert y == pytest.approx(cy, abs=tolerance)
    assert word["x0"] <= x <= word["x1"] and word["top"] <= y <= word["bottom"]


def test_click_between_pages_emits_nothing(qtbot, view, sample_pdf):
    open_and_wait(qtbot, view, sample_pdf.path)
    gap = view.page_scene_rect(1).bottom() + PageView.PAGE_GAP / 2
    view.go_to_page(2)
    pos = view.mapFromScene(QPointF(view.page_scene_rect(1).center().x(), gap))
    with qtbot.assertNotEmitted(view.point_clicked, wait=50):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_closing_while_renders_are_pending_is_quiet(qtbot, qtlog, long_pdf, sample_pdf):
    view = PageView()
    view.resize(600, 800)
    qtbot.addWidget(view)
    view.show()
    view.set_zoom(4.0)  # large, slow images: several requests still queued below
    with qtbot.waitSignal(view.document_opened, timeout=TIMEOUT):
        view.open_pdf(long_pdf.path)
    view.go_to_page(20)
    view._update_visible()
    view.close_pdf()
    assert view.page_count() == 0
    with qtbot.assertNotEmitted(view.page_shown, wait=300):
        pass  # late images of the closed document are dropped
    # Re-open, then shut down and destroy the widget with renders in flight.
    with qtbot.waitSignal(view.document_opened, timeout=TIMEOUT):
        view.open_pdf(sample_pdf.path)
    view._update_visible()
    thread = view.renderer._thread
    assert thread is not None and thread.isRunning()
    view.close()
    view.deleteLater()
    qtbot.waitUntil(lambda: not thread.isRunning(), timeout=TIMEOUT)
    QApplication.processEvents()
    problems = [r.message for r in qtlog.records if r.type != 0]  # anything above a debug message
    assert not problems


def test_shutdown_then_open_restarts_the_render_thread(qtbot, view, sample_pdf):
    open_and_wait(qtbot, view, sample_pdf.path)
    view.shutdown()
    assert not view.renderer.is_running
    open_and_wait(qtbot, view, sample_pdf.path)
    assert view.renderer.is_running


def test_image_only_pdf_shows_its_pages(qtbot, view, image_only_pdf):
    open_and_wait(qtbot, view, image_only_pdf)
    assert view.page_count() == 2
    assert dark_fraction(view, 1, (40, 60, 560, 90)) > 0.01  # the top ruled box of the "scan"


def test_a_cropped_page_is_shown_in_the_frame_pdfplumber_measures_in(qtbot, view, tmp_path):
    """pdfplumber measures in the MediaBox; pdfium would show the CropBox. The view must show the
    MediaBox, so that bboxes from extraction land on the right ink."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "cropped.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    c.drawString(100, 742, "FIRST")
    c.showPage()
    c.setCropBox((60, 100, 500, 800))  # smaller and off-centre, as scanners and editors leave it
    c.setFont("Helvetica", 20)
    c.drawString(100, 742, "CROPPED")
    c.showPage()
    c.save()
    word = words(path, 2)[0]
    bbox = (word["x0"], word["top"], word["x1"], word["bottom"])
    open_and_wait(qtbot, view, path)
    view.show_region(2, bbox)  # before the page's real size is known
    qtbot.waitUntil(lambda: view._pages[1].pixmap is not None, timeout=TIMEOUT)
    assert view.page_size(2) == (595, 842)
    assert view.renderer.page_sizes[1] == (595, 842)
    assert view.page_scene_rect(1).bottom() < view.page_scene_rect(2).top()
    assert view.outline_scene_rects() == [view.pdf_rect_to_scene(2, bbox)]
    assert dark_fraction(view, 2, bbox) > 0.05


def test_corrupt_file_reports_failure(qtbot, view, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not a pdf at all")
    with qtbot.waitSignal(view.document_failed, timeout=TIMEOUT):
        view.open_pdf(broken)
    assert view.page_count() == 0


@pytest.mark.corpus
def test_real_report_pages_render_where_pdfplumber_reads_them(qtbot, view, hongze_2023_pdf):
    open_and_wait(qtbot, view, hongze_2023_pdf)
    with pdfplumber.open(hongze_2023_pdf) as pdf:
        expected = [(p.width, p.height) for p in pdf.pages]
        page_words = [p.extract_words() for p in pdf.pages]
    assert view.page_count() == len(expected) >= 5
    for page in range(1, 6):
        assert list(view.page_size(page)) == pytest.approx(list(expected[page - 1]), abs=0.5)
        view.go_to_page(page)
        qtbot.waitUntil(lambda page=page: view._pages[page - 1].pixmap is not None, timeout=TIMEOUT)
        # Ink where pdfplumber says the longest word is: the image and the coordinates agree.
        word = max(page_words[page - 1], key=lambda w: len(w["text"]))
        assert dark_fraction(view, page, (word["x0"], word["top"], word["x1"], word["bottom"])) > 0.03


def test_renderer_cache_is_bounded(qtbot, sample_pdf):
    from tabledesk.ui.source.page_renderer import PageRenderer

    renderer = PageRenderer(cache_bytes=3 * 600 * 850 * 4)
    with qtbot.waitSignal(renderer.document_opened, timeout=TIMEOUT):
        renderer.open(sample_pdf.path)
    keys = [(1, 1.0), (2, 1.0), (4, 1.0), (5, 1.0), (6, 1.0)]
    with qtbot.waitSignals([renderer.page_rendered] * len(keys), timeout=TIMEOUT):
        renderer.request(keys)
    qtbot.waitUntil(lambda: renderer.pending_count() == 0 and renderer.cached(6, 1.0) is not None)
    assert renderer.cached(1, 1.0) is None  # least recently used, evicted
    assert renderer.cache.size_bytes <= renderer.cache.max_bytes
    renderer.shutdown()


APP_QUITS_WITHOUT_SHUTDOWN = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from tabledesk.ui.source.page_view import PageView

app = QApplication(sys.argv[:1])
view = PageView()
view.resize(600, 800)
view.show()
view.set_zoom(5.0)
view.document_opened.connect(lambda n: (view.go_to_page(n // 2), view._update_visible(), app.quit()))
view.open_pdf(sys.argv[1])
sys.exit(app.exec())  # quits with renders queued and no explicit shutdown()
"""


def test_quitting_the_app_with_renders_pending_stops_the_thread_cleanly(long_pdf):
    desktop = Path(__file__).resolve().parents[2] / "desktop"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join([str(desktop), env.get("PYTHONPATH", "")])
    child = subprocess.run(
        [sys.executable, "-c", APP_QUITS_WITHOUT_SHUTDOWN, str(long_pdf.path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    assert "QThread" not in child.stderr
