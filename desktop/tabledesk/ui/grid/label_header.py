"""The row labels of a grid: indented by level as the form prints them, headings in bold, long
labels wrapped onto a second or third line rather than cut off, and a right edge the clerk can
drag to make the label column narrower or wider (a laptop screen has little width to spare).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QCursor, QFont, QFontMetrics, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import QHeaderView, QWidget

_PAD = 4
_GRIP = 5  # pixels at the right edge that take a drag
MIN_WIDTH, DEFAULT_MAX_WIDTH, MAX_WIDTH = 80, 250, 520
MAX_LINES = 3


class LabelHeader(QHeaderView):
    width_changed = Signal(int)  # the label column's new width, after a drag

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setMouseTracking(True)
        self._width = DEFAULT_MAX_WIDTH
        self._chosen = False  # the clerk dragged the edge: keep that width across re-layouts
        self._drag_from: tuple[float, int] | None = None
        self._natural = DEFAULT_MAX_WIDTH  # the widest label's width
        self._view_width = 0  # the grid's width, 0 before it is laid out

    # -- width -------------------------------------------------------------------------------
    def label_width(self) -> int:
        return self._width

    def set_label_width(self, width: int, chosen: bool = True) -> None:
        width = max(MIN_WIDTH, min(MAX_WIDTH, width))
        self._chosen = self._chosen or chosen
        if width != self._width:
            self._width = width
            self.updateGeometry()
            self.width_changed.emit(width)

    def fit(self) -> None:
        """Natural width of the labels (at most DEFAULT_MAX_WIDTH unless the clerk chose),
        then each row as tall as its wrapped label."""
        model = self.model()
        if model is None:
            return
        widest = 0
        for r in range(min(model.rowCount(), 2000)):
            widest = max(widest, self._metrics(r).horizontalAdvance(self._text(r)))
        self._natural = widest + 2 * _PAD + 2
        if not self._chosen:
            self._width = self._fitting_width()
            self.updateGeometry()
        self.fit_rows()

    def _fitting_width(self) -> int:
        """The labels' natural width, at most DEFAULT_MAX_WIDTH and 40 % of the grid's width."""
        room = int(self._view_width * 0.4) if self._view_width > 0 else DEFAULT_MAX_WIDTH
        return max(MIN_WIDTH, min(DEFAULT_MAX_WIDTH, room, self._natural))

    def set_view_width(self, width: int) -> None:
        """The grid was resized: a narrow grid gets a narrower label column (wrapping more),
        so that numbers stay in sight. A width the clerk chose is kept."""
        self._view_width = width
        if not self._chosen:
            fitting = self._fitting_width()
            if fitting != self._width:
                self._width = fitting
                self.updateGeometry()
                self.fit_rows()
                self.width_changed.emit(fitting)

    def fit_rows(self) -> None:
        model = self.model()
        if model is None:
            return
        base = self.defaultSectionSize()
        inner = max(self._width - 2 * _PAD, 20)
        for r in range(model.rowCount()):
            fm = self._metrics(r)
            text = self._text(r)
            if fm.horizontalAdvance(text) <= inner:
                height = base
            else:
                rect = fm.boundingRect(QRect(0, 0, inner, 10000), int(Qt.TextFlag.TextWrapAnywhere), text)
                height = max(base, min(rect.height(), MAX_LINES * fm.height()) + 2 * _PAD)
            if self.sectionSize(r) != height:
                self.resizeSection(r, height)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        hint.setWidth(self._width)
        return hint

    def _text(self, row: int) -> str:
        return str(self.model().headerData(row, Qt.Orientation.Vertical) or "")

    def _font(self, row: int) -> QFont:
        font = self.model().headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.FontRole)
        return font if isinstance(font, QFont) else self.font()

    def _metrics(self, row: int) -> QFontMetrics:
        return QFontMetrics(self._font(row))

    # -- painting ----------------------------------------------------------------------------
    def paintSection(self, painter: QPainter, rect: QRect, logicalIndex: int) -> None:  # noqa: N803
        if not rect.isValid():
            return
        palette = self.palette()
        painter.save()
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Button))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(rect.topRight(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.setPen(palette.color(QPalette.ColorRole.ButtonText))
        painter.setFont(self._font(logicalIndex))
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWrapAnywhere
        painter.drawText(rect.adjusted(_PAD, 0, -_PAD, 0), int(flags), self._text(logicalIndex))
        painter.restore()

    # -- dragging the right edge -------------------------------------------------------------
    def _on_grip(self, x: float) -> bool:
        return x >= self.width() - _GRIP

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton and self._on_grip(e.position().x()):
            self._drag_from = (e.globalPosition().x(), self._width)
            return
        super().mousePressEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self._drag_from is not None:
            start, width = self._drag_from
            self.set_label_width(int(width + e.globalPosition().x() - start))
            return
        near = self._on_grip(e.position().x())
        self.setCursor(QCursor(Qt.CursorShape.SplitHCursor if near else Qt.CursorShape.ArrowCursor))
        super().mouseMoveEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if self._drag_from is not None:
            self._drag_from = None
            self.fit_rows()
            return
        super().mouseReleaseEvent(e)
