"""Drawing a rectangle on a page of the page view: the region the clerk wants read again.

While armed, a drag on the pages draws a rubber band instead of clicking through to the grid;
the rectangle is kept to the page the drag started on and handed over in PDF points from the
page's top-left corner. Esc (or a click without a drag) gives up.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QRubberBand

from tabledesk.ui.source.page_view import PageView

BBox = tuple[float, float, float, float]


class RegionPicker(QObject):
    picked = Signal(int, object)  # page, (x0, y0, x1, y1) in PDF points
    cancelled = Signal()

    MIN_POINTS = 8.0  # smaller than this is a slip of the mouse, not a region

    def __init__(self, view: PageView) -> None:
        super().__init__(view)
        self.view = view
        self.armed = False
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, view.viewport())
        self._band.setObjectName("region_band")
        self._start: QPointF | None = None
        self._page: int | None = None

    def arm(self) -> None:
        if self.armed:
            return
        self.armed = True
        self.view.viewport().installEventFilter(self)
        self.view.installEventFilter(self)
        self.view.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self.view.setFocus()

    def disarm(self) -> None:
        if not self.armed:
            return
        self.armed = False
        self._start = self._page = None
        self._band.hide()
        self.view.viewport().removeEventFilter(self)
        self.view.removeEventFilter(self)
        self.view.viewport().unsetCursor()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self.disarm()
            self.cancelled.emit()
            return True
        if watched is not self.view.viewport() or not isinstance(event, QMouseEvent):
            return False
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            hit = self.view.scene_to_pdf(self.view.view_to_scene(event.position()))
            if hit is not None:
                self._start, self._page = event.position(), hit[0]
                self._band.setGeometry(QRect(event.position().toPoint(), QSize()))
                self._band.show()
            return True
        if kind == QEvent.Type.MouseMove and self._start is not None:
            self._band.setGeometry(QRect(self._start.toPoint(), event.position().toPoint()).normalized())
            return True
        if kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            start, page = self._start, self._page
            self._start = None
            self._band.hide()
            if start is None or page is None:
                return True
            moved = (event.position() - start).manhattanLength() > QApplication.startDragDistance()
            bbox = self._to_pdf(page, start, event.position()) if moved else None
            self.disarm()
            if bbox is None:
                self.cancelled.emit()
            else:
                self.picked.emit(page, bbox)
            return True
        return kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove)

    def _to_pdf(self, page: int, a: QPointF, b: QPointF) -> BBox | None:
        """The dragged rectangle in PDF points, kept to ``page``; None when too small."""
        rect = QRectF(self.view.view_to_scene(a), self.view.view_to_scene(b)).normalized()
        rect = rect.intersected(self.view.page_scene_rect(page))
        origin = self.view.pdf_to_scene(page, 0.0, 0.0)
        rect.translate(-origin)
        if rect.width() < self.MIN_POINTS or rect.height() < self.MIN_POINTS:
            return None
        return (round(rect.left(), 2), round(rect.top(), 2), round(rect.right(), 2), round(rect.bottom(), 2))
