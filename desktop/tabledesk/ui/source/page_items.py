"""The graphics items of the page view (``ui/source/page_view.py``): a page, and the boxes drawn over
the pages — red outlines of the cells being looked at, faint dashed hint boxes round every
mapped cell.

Outlines and hints are children of their page item, in the page's PDF points, so they move with
their page when the pages are laid out again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from tabledesk.core.provenance import BBox

Region = tuple[int, BBox]  # (page, bbox in PDF points from the page's top-left)

_OUTLINE_PEN = QColor(220, 30, 30)
_OUTLINE_FILL = QColor(255, 190, 0, 60)
_HINT_PEN = QColor(40, 110, 220, 150)


def bbox_rect(bbox: BBox) -> QRectF:
    x0, top, x1, bottom = bbox
    return QRectF(QPointF(x0, top), QPointF(x1, bottom)).normalized()


class PageItem(QGraphicsRectItem):
    """One page: white paper with a placeholder label until its image arrives."""

    def __init__(self, number: int, width: float, height: float) -> None:
        super().__init__(0.0, 0.0, width, height)
        self.number = number
        self.pixmap: QPixmap | None = None
        self.pixmap_scale: float | None = None
        pen = QPen(QColor(120, 120, 120))
        pen.setCosmetic(True)
        self.setPen(pen)
        self.setBrush(QBrush(Qt.GlobalColor.white))

    def set_image(self, image: QImage, scale: float) -> None:
        self.pixmap = QPixmap.fromImage(image)
        self.pixmap_scale = scale
        self.update()

    def clear_image(self) -> None:
        if self.pixmap is not None:
            self.pixmap = None
            self.pixmap_scale = None
            self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        super().paint(painter, option, widget)
        rect = self.rect()
        if self.pixmap is not None:
            painter.drawPixmap(rect, self.pixmap, QRectF(self.pixmap.rect()))
            return
        painter.setPen(QColor(150, 150, 150))
        font = painter.font()
        font.setPixelSize(14)
        painter.setFont(font)
        label = QCoreApplication.translate("PageView", "Page %1").replace("%1", str(self.number))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)


class PageRegions:
    """The outline and hint items over the pages, and the hint boxes asked for (kept while no
    document is open, and drawn once it is)."""

    def __init__(self) -> None:
        self.outlines: list[QGraphicsRectItem] = []
        self.hints: list[QGraphicsRectItem] = []
        self.hint_regions: dict[int, list[tuple[str, BBox]]] = {}

    def outline(self, pages: Sequence[PageItem], regions: Sequence[Region]) -> tuple[int | None, QRectF]:
        """Outline each box on its page; the first page outlined (None when no box is on a
        page) and the united scene rectangle of the boxes on it."""
        first_page: int | None = None
        target = QRectF()
        for page, bbox in regions:
            if not 1 <= page <= len(pages):
                continue
            # A child of its page: moves with it if the layout changes (see _on_page_resized).
            item = QGraphicsRectItem(bbox_rect(bbox), pages[page - 1])
            pen = QPen(_OUTLINE_PEN, 2.0)
            pen.setCosmetic(True)
            item.setPen(pen)
            item.setBrush(_OUTLINE_FILL)
            item.setZValue(10)
            self.outlines.append(item)
            rect = item.mapRectToScene(item.rect())
            if first_page is None:
                first_page = page
            if page == first_page:
                target = target.united(rect) if not target.isNull() else rect
        return first_page, target

    def clear_outlines(self, scene: QGraphicsScene) -> None:
        for item in self.outlines:
            scene.removeItem(item)
        self.outlines = []

    def outline_scene_rects(self) -> list[QRectF]:
        return [item.mapRectToScene(item.rect()) for item in self.outlines]

    def set_hints(self, scene: QGraphicsScene, regions: Mapping[int, Sequence[tuple[str, BBox]]]) -> None:
        """Replace the hint boxes (drawn by :meth:`add_hint_items`)."""
        for item in self.hints:
            scene.removeItem(item)
        self.hints = []
        self.hint_regions = {page: list(items) for page, items in regions.items()}

    def add_hint_items(self, pages: Sequence[PageItem]) -> None:
        if not pages:
            return
        pen = QPen(_HINT_PEN, 1.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        for page, items in self.hint_regions.items():
            if not 1 <= page <= len(pages):
                continue
            for key, bbox in items:
                item = QGraphicsRectItem(bbox_rect(bbox), pages[page - 1])
                item.setPen(pen)
                item.setToolTip(key)
                item.setZValue(5)
                self.hints.append(item)

    def region_at(self, page: int, x: float, y: float) -> str | None:
        hits = [
            (abs((b[2] - b[0]) * (b[3] - b[1])), key)
            for key, b in self.hint_regions.get(page, [])
            if b[0] <= x <= b[2] and b[1] <= y <= b[3]
        ]
        return min(hits)[1] if hits else None

    def forget_items(self) -> None:
        """The scene was cleared (its items deleted); the hint boxes asked for are kept."""
        self.outlines, self.hints = [], []
