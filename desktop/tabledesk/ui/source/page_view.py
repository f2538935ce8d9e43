"""A continuous vertical view of a PDF's pages, for checking numbers against the page.

Scene coordinates are PDF points: page *n* is a rectangle of its size in points placed at
:meth:`PageView.page_scene_rect`, so a pdfplumber ``bbox`` ``(x0, top, x1, bottom)`` maps to the
scene by a translation alone. Zoom is the view transform (logical pixels per point; ``1.0`` is 72
dpi): zooming stretches the current images at once and re-renders at the new scale once the zoom
has settled. Images come from :class:`PageRenderer` on its own thread; only pages near the
viewport are requested, and scrolling away supersedes requests that have not started.

Page numbers are 1-based (as in ``core.provenance.Provenance``).

Main-window API: ``open_pdf``, ``close_pdf``, ``shutdown`` (call in the window's closeEvent),
``go_to_page``/``current_page_changed``, ``zoom``/``set_zoom``/``zoom_in``/``zoom_out``/
``fit_width``, ``show_region``/``show_regions``/``clear_regions``, ``set_regions`` (hint boxes)
and ``point_clicked(page, x, y)``. The page, outline and hint items are ``ui/source/page_items.py``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from tabledesk.core.provenance import BBox
from tabledesk.ui.source.page_items import PageItem, PageRegions, Region, bbox_rect
from tabledesk.ui.source.page_renderer import PageRenderer, normalise_scale


class PageView(QGraphicsView):
    """All pages of one PDF in a vertical scroll; see the module docstring for the API."""

    document_opened = Signal(int)  # page count
    document_failed = Signal(str)  # reason from pdfium, untranslated
    document_closed = Signal()
    current_page_changed = Signal(int)  # page at the viewport's centre
    zoom_changed = Signal(float)
    point_clicked = Signal(int, float, float)  # page, x, y in PDF points from the top-left
    page_shown = Signal(int)  # an image (at any scale) was put on this page

    MIN_ZOOM = 0.1
    MAX_ZOOM = 8.0
    ZOOM_STEP = 1.25
    PAGE_GAP = 12.0  # points between pages and around them
    SETTLE_MS = 150  # re-render this long after the last zoom step
    KEEP_PAGES = 3  # pages beyond the viewport that keep their images
    MAX_RENDER_PIXELS = 40_000_000  # cap per page image: extreme zoom gets blurrier, not OOM

    def __init__(self, parent: QWidget | None = None, renderer: PageRenderer | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setBackgroundBrush(QColor(110, 110, 110))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        # Always on, so fit-width does not oscillate as the bar appears and disappears.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self._renderer = renderer if renderer is not None else PageRenderer(self)
        self._renderer.document_opened.connect(self._on_document_opened)
        self._renderer.document_failed.connect(self._on_document_failed)
        self._renderer.page_rendered.connect(self._on_page_rendered)
        self._renderer.page_resized.connect(self._on_page_resized)

        self._pages: list[PageItem] = []
        self._tops: list[float] = []
        self._with_images: set[int] = set()
        self._zoom = 1.0
        self._render_zoom = 1.0  # the zoom images are rendered for; lags _zoom until it settles
        self._fit_width = True
        self._current_page = 0
        self._regions = PageRegions()  # outlines and hint boxes
        self._pending_regions: list[Region] | None = None
        self._pending_page: int | None = None
        self._press_pos: QPointF | None = None
        self._message: QGraphicsSimpleTextItem | None = None

        self._settle_timer = QTimer(self, singleShot=True, interval=self.SETTLE_MS)
        self._settle_timer.timeout.connect(self._on_zoom_settled)
        self._update_timer = QTimer(self, singleShot=True, interval=0)
        self._update_timer.timeout.connect(self._update_visible)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._schedule_update)

    # --- documents -------------------------------------------------------------------------

    @property
    def renderer(self) -> PageRenderer:
        return self._renderer

    def open_pdf(self, path: str | Path) -> None:
        """Open ``path`` asynchronously: ``document_opened(page_count)`` or ``document_failed``
        follows. Regions and pages asked for before that are applied once it is open."""
        self._clear_scene()
        self._regions.hint_regions, self._pending_regions, self._pending_page = {}, None, None
        self._renderer.open(path)

    def close_pdf(self) -> None:
        had = bool(self._pages) or self._renderer.path is not None
        self._clear_scene()
        self._regions.hint_regions, self._pending_regions, self._pending_page = {}, None, None
        self._renderer.close()
        if had:
            self.document_closed.emit()

    def shutdown(self) -> None:
        """Stop the render thread (the main window calls this from its closeEvent)."""
        self._settle_timer.stop()
        self._update_timer.stop()
        self._renderer.shutdown()

    def page_count(self) -> int:
        return len(self._pages)

    def page_size(self, page: int) -> tuple[float, float]:
        rect = self._pages[page - 1].rect()
        return rect.width(), rect.height()

    # --- navigation ------------------------------------------------------------------------

    def current_page(self) -> int:
        """The page at the viewport's centre (0 when no document is open)."""
        return self._current_page

    def go_to_page(self, page: int) -> None:
        """Scroll so that the top of ``page`` is at the top of the viewport."""
        if not self._pages:
            self._pending_page = page
            return
        page = max(1, min(page, len(self._pages)))
        visible = self._visible_scene_rect()
        top = self._tops[page - 1] - self.PAGE_GAP / 2
        self.centerOn(QPointF(visible.center().x(), top + visible.height() / 2))
        self._on_scrolled()

    # --- zoom ------------------------------------------------------------------------------

    def zoom(self) -> float:
        """Logical pixels per PDF point (1.0 = 72 dpi)."""
        return self._zoom

    def is_fit_width(self) -> bool:
        return self._fit_width

    def set_zoom(self, zoom: float) -> None:
        """Set an explicit zoom (ends fit-width mode)."""
        self._fit_width = False
        self._apply_zoom(zoom, None)

    def zoom_in(self) -> None:
        self.zoom_by(self.ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / self.ZOOM_STEP)

    def zoom_by(self, factor: float) -> None:
        """Zoom about the outlined cell (the one selected in the grid) when there is one, so it
        stays in view, else about the view's centre."""
        rects = self.outline_scene_rects()
        anchor: QPointF | None = None
        if rects:
            at = self.mapFromScene(rects[0].center())
            anchor = QPointF(at) if self.viewport().rect().contains(at) else None
        self._fit_width = False
        self._apply_zoom(self._zoom * factor, anchor)
        if rects:
            self._scroll_to(rects[0])

    def fit_width(self) -> None:
        """Zoom so the widest page fills the viewport's width, and keep doing so on resize."""
        self._fit_width = True
        if self._pages:
            self._apply_zoom(self._fit_width_zoom(), None)

    # --- regions ---------------------------------------------------------------------------

    def show_region(self, page: int, bbox: BBox) -> None:
        """Outline ``bbox`` on ``page`` (replacing previous outlines) and scroll it into view."""
        self.show_regions([(page, bbox)])

    def show_regions(self, regions: Sequence[Region]) -> None:
        """Outline several boxes (a rule's cells); scrolls to the first one's page, keeping the
        boxes on that page in view when they fit."""
        if not self._pages:
            self._pending_regions = list(regions)
            return
        self.clear_regions()
        first_page, target = self._regions.outline(self._pages, regions)
        if first_page is not None:
            self._scroll_to(target)

    def clear_regions(self) -> None:
        self._regions.clear_outlines(self.scene())
        self._pending_regions = None

    def outline_scene_rects(self) -> list[QRectF]:
        """The outlined boxes in scene coordinates (without the pen's width)."""
        return self._regions.outline_scene_rects()

    def set_regions(self, regions: Mapping[int, Sequence[tuple[str, BBox]]]) -> None:
        """Faint hint boxes, e.g. every mapped cell: ``{page: [(key, bbox), ...]}``.
        The key is the item's tooltip; :meth:`region_at` finds it again from a click."""
        self._regions.set_hints(self.scene(), regions)
        self._regions.add_hint_items(self._pages)

    def region_at(self, page: int, x: float, y: float) -> str | None:
        """Key of the smallest hint box containing the point, if any."""
        return self._regions.region_at(page, x, y)

    # --- geometry --------------------------------------------------------------------------

    def page_scene_rect(self, page: int) -> QRectF:
        item = self._pages[page - 1]
        return item.mapRectToScene(item.rect())

    def pdf_to_scene(self, page: int, x: float, y: float) -> QPointF:
        return self._pages[page - 1].pos() + QPointF(x, y)

    def pdf_rect_to_scene(self, page: int, bbox: BBox) -> QRectF:
        return bbox_rect(bbox).translated(self._pages[page - 1].pos())

    def scene_to_pdf(self, point: QPointF) -> tuple[int, float, float] | None:
        """(page, x, y) of a scene point on a page, or ``None`` between pages."""
        index = bisect.bisect_right(self._tops, point.y()) - 1
        if index < 0:
            return None
        item = self._pages[index]
        local = point - item.pos()
        if not item.rect().contains(local):
            return None
        return item.number, local.x(), local.y()

    def view_to_scene(self, pos: QPointF) -> QPointF:
        """Viewport position (float, as in mouse events) to scene, without pixel rounding."""
        inverse, _ok = self.viewportTransform().inverted()
        return inverse.map(pos)

    # --- events ----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_Home and self._pages:
            self.go_to_page(1)
        elif key == Qt.Key.Key_End and self._pages:
            self.go_to_page(len(self._pages))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self._fit_width = False
            self._apply_zoom(self._zoom * self.ZOOM_STEP**steps, event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press_pos = self._press_pos, None
        if event.button() == Qt.MouseButton.LeftButton and press is not None:
            moved = (event.position() - press).manhattanLength()
            if moved <= QApplication.startDragDistance():
                hit = self.scene_to_pdf(self.view_to_scene(event.position()))
                if hit is not None:
                    self.point_clicked.emit(*hit)
        super().mouseReleaseEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit_width and self._pages:
            self._apply_zoom(self._fit_width_zoom(), QPointF(self.viewport().width() / 2, 0))
        self._schedule_update()

    # --- internals -------------------------------------------------------------------------

    def _clear_scene(self) -> None:
        """Remove every item; requests made before a document opened (pending page, regions,
        hint boxes) are kept for it."""
        self._settle_timer.stop()
        self.scene().clear()  # deletes pages, outlines, hints and the message
        self._pages, self._tops, self._with_images = [], [], set()
        self._regions.forget_items()
        self._message = None
        self._set_current_page(0)

    @Slot(list)
    def _on_document_opened(self, sizes: list[Any]) -> None:
        self._clear_scene()
        for number, (width, height) in enumerate(sizes, start=1):
            item = PageItem(number, width, height)
            self.scene().addItem(item)
            self._pages.append(item)
        self._layout_pages()
        zoom = self._fit_width_zoom() if self._fit_width else self._zoom
        self._apply_zoom(zoom, None, settle=False)
        self.document_opened.emit(len(self._pages))
        page, self._pending_page = self._pending_page or 1, None
        self.go_to_page(page)
        self._regions.add_hint_items(self._pages)
        if self._pending_regions is not None:
            self.show_regions(self._pending_regions)
        self._update_visible()

    def _layout_pages(self) -> None:
        """Stack the pages top to bottom, each centred on the widest."""
        gap = self.PAGE_GAP
        widest = max((item.rect().width() for item in self._pages), default=0.0)
        y = gap
        self._tops = []
        for item in self._pages:
            item.setPos((widest - item.rect().width()) / 2, y)
            self._tops.append(y)
            y += item.rect().height() + gap
        self.scene().setSceneRect(QRectF(-gap, 0.0, widest + 2 * gap, y))

    @Slot(int, float, float)
    def _on_page_resized(self, page: int, width: float, height: float) -> None:
        """A page turned out bigger than announced (CropBox): re-stack the pages, keeping the
        point at the viewport's centre where it is. Outlines and hints move with their page."""
        if not 1 <= page <= len(self._pages):
            return
        anchor = self.scene_to_pdf(self._visible_scene_rect().center())
        self._pages[page - 1].setRect(0.0, 0.0, width, height)
        self._layout_pages()
        if self._fit_width:
            self._apply_zoom(self._fit_width_zoom(), None, settle=False)
        if anchor is not None:
            self.centerOn(self.pdf_to_scene(*anchor))
        self._schedule_update()

    @Slot(str)
    def _on_document_failed(self, reason: str) -> None:
        self._clear_scene()
        self._message = self.scene().addSimpleText(
            QCoreApplication.translate("PageView", "This PDF cannot be shown: %1").replace("%1", reason)
        )
        self._message.setBrush(Qt.GlobalColor.white)
        self.document_failed.emit(reason)

    @Slot(int, float, QImage)
    def _on_page_rendered(self, page: int, scale: float, image: QImage) -> None:
        if not 1 <= page <= len(self._pages):
            return
        item = self._pages[page - 1]
        near = self._near_pages()
        if page in near and (scale == self._render_scale(page) or item.pixmap is None):
            item.set_image(image, scale)
            self._with_images.add(page)
            self.page_shown.emit(page)

    def _fit_width_zoom(self) -> float:
        scene_width = self.scene().sceneRect().width()
        if scene_width <= 0:
            return self._zoom
        return max(self.MIN_ZOOM, min(self.MAX_ZOOM, (self.viewport().width() - 2) / scene_width))

    def _apply_zoom(self, zoom: float, anchor: QPointF | None, settle: bool = True) -> None:
        """Set the view transform keeping the scene point under ``anchor`` (viewport position,
        default the centre) in place; re-render after SETTLE_MS unless ``settle`` is False."""
        zoom = max(self.MIN_ZOOM, min(self.MAX_ZOOM, zoom))
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        fixed = self.view_to_scene(anchor)
        changed = not math.isclose(zoom, self._zoom, rel_tol=1e-9)
        self._zoom = zoom
        self.setTransform(QTransform.fromScale(zoom, zoom))
        moved = self.mapFromScene(fixed) - anchor.toPoint()
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + moved.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + moved.y())
        if settle:
            self._settle_timer.start()
        else:
            self._settle_timer.stop()
            self._render_zoom = zoom
        if changed:
            self.zoom_changed.emit(zoom)

    @Slot()
    def _on_zoom_settled(self) -> None:
        self._render_zoom = self._zoom
        self._update_visible()

    def _render_scale(self, page: int) -> float:
        width, height = self.page_size(page)
        scale = self._render_zoom * self.devicePixelRatioF()
        cap = math.sqrt(self.MAX_RENDER_PIXELS / max(width * height, 1.0))
        return normalise_scale(min(scale, cap))

    def _visible_scene_rect(self) -> QRectF:
        return self.view_to_scene_rect(QRectF(self.viewport().rect()))

    def view_to_scene_rect(self, rect: QRectF) -> QRectF:
        inverse, _ok = self.viewportTransform().inverted()
        return inverse.mapRect(rect)

    def _visible_pages(self) -> list[int]:
        if not self._pages:
            return []
        visible = self._visible_scene_rect()
        index = max(0, bisect.bisect_right(self._tops, visible.top()) - 1)
        pages = []
        while index < len(self._pages) and self._tops[index] < visible.bottom():
            if self._tops[index] + self._pages[index].rect().height() > visible.top():
                pages.append(index + 1)
            index += 1
        return pages

    def _near_pages(self) -> range:
        visible = self._visible_pages() or [max(self._current_page, 1)]
        return range(
            max(1, visible[0] - self.KEEP_PAGES), min(len(self._pages), visible[-1] + self.KEEP_PAGES) + 1
        )

    @Slot()
    def _schedule_update(self) -> None:
        if self._pages and not self._update_timer.isActive():
            self._update_timer.start()

    @Slot()
    def _on_scrolled(self) -> None:
        if self._pages:
            centre = self._visible_scene_rect().center().y()
            self._set_current_page(max(1, bisect.bisect_right(self._tops, centre)))
        self._schedule_update()

    def _set_current_page(self, page: int) -> None:
        if page != self._current_page:
            self._current_page = page
            self.current_page_changed.emit(page)

    @Slot()
    def _update_visible(self) -> None:
        """Show cached images on the pages in view, request the rest (nearest the centre first,
        then one page either side), and drop images far from the viewport."""
        visible = self._visible_pages()
        if not visible:
            return
        centre = self._visible_scene_rect().center().y()
        order = sorted(visible, key=lambda p: abs(self._tops[p - 1] + self.page_size(p)[1] / 2 - centre))
        order += [p for p in (visible[0] - 1, visible[-1] + 1) if 1 <= p <= len(self._pages)]
        wanted: list[tuple[int, float]] = []
        for page in order:
            scale = self._render_scale(page)
            item = self._pages[page - 1]
            if item.pixmap_scale == scale:
                continue
            image = self._renderer.cached(page, scale)
            if image is not None:
                item.set_image(image, scale)
                self._with_images.add(page)
                self.page_shown.emit(page)
            else:
                wanted.append((page, scale))
        self._renderer.request(wanted)
        near = self._near_pages()
        for page in [p for p in self._with_images if p not in near]:
            self._pages[page - 1].clear_image()
            self._with_images.discard(page)

    def _scroll_to(self, target: QRectF) -> None:
        """Leave the view alone if ``target`` is already comfortably visible; otherwise centre
        it, or put its top-left corner near the viewport's top-left when it is too big."""
        visible = self._visible_scene_rect()
        margin = 20.0 / self._zoom
        if visible.adjusted(margin, margin, -margin, -margin).contains(target):
            return
        if (
            target.width() + 2 * margin <= visible.width()
            and target.height() + 2 * margin <= visible.height()
        ):
            self.centerOn(target.center())
        else:
            self.centerOn(
                QPointF(
                    target.left() - margin + visible.width() / 2
                    if target.width() + 2 * margin > visible.width()
                    else target.center().x(),
                    target.top() - margin + visible.height() / 2,
                )
            )
        self._on_scrolled()
