"""Column headers drawn as the printed form draws them: a group's label is one band over its
columns (法人或其他组织 over 商业企业 … 其他), and a column without sub-columns (自然人, 总计)
runs down the full height of the header.

The model gives each column its label path (``ColumnPathRole``); every section paints its own
leaf and the part of each band above it, so bands come out whole however the header is
scrolled or repainted in pieces.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QHeaderView, QWidget

from tabledesk.ui.grid.table_model import ColumnPathRole

_PAD = 4  # pixels of air round a label


def band_spans(paths: list[tuple[str, ...]]) -> list[dict[int, tuple[int, int]]]:
    """For each band level, each column under a band -> (first, last) column of that band.
    A band covers neighbouring columns with the same groups down to that level."""
    levels = max((len(p) for p in paths), default=1)
    out: list[dict[int, tuple[int, int]]] = []
    for level in range(levels - 1):
        spans: dict[int, tuple[int, int]] = {}
        c = 0
        while c < len(paths):
            p = paths[c]
            if len(p) - 1 <= level:  # the column's own label reaches down past this level
                c += 1
                continue
            last = c
            while (
                last + 1 < len(paths)
                and len(paths[last + 1]) - 1 > level
                and paths[last + 1][: level + 1] == p[: level + 1]
            ):
                last += 1
            for k in range(c, last + 1):
                spans[k] = (c, last)
            c = last + 1
        out.append(spans)
    return out


class BandHeader(QHeaderView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(False)
        self._paths: list[tuple[str, ...]] = []
        # spans[level][column] = (first, last) column of the band above ``column`` at ``level``
        self._spans: list[dict[int, tuple[int, int]]] = []
        self.sectionResized.connect(lambda *_: self.updateGeometry())

    # -- structure ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the columns' paths again (after a model reset)."""
        model = self.model()
        self._paths = []
        if model is not None:
            for c in range(model.columnCount()):
                path = model.headerData(c, Qt.Orientation.Horizontal, ColumnPathRole)
                if not path:
                    path = (str(model.headerData(c, Qt.Orientation.Horizontal) or ""),)
                self._paths.append(tuple(path))
        self._spans = band_spans(self._paths)
        self.updateGeometry()
        self.viewport().update()

    def levels(self) -> int:
        return max((len(p) for p in self._paths), default=1)

    def path(self, column: int) -> tuple[str, ...]:
        return self._paths[column] if 0 <= column < len(self._paths) else ()

    def band_span(self, column: int, level: int) -> tuple[int, int] | None:
        """The first and last column under the band at ``level`` above ``column``, if any."""
        if level >= len(self._spans):
            return None
        return self._spans[level].get(column)

    # -- sizes -------------------------------------------------------------------------------
    def _band_height(self) -> int:
        return self.fontMetrics().height() + 2 * _PAD

    def _leaf_height(self) -> int:
        """Room for the longest leaf label wrapped in its column, at most three lines."""
        fm = QFontMetrics(self.font())
        lines = 1
        for c, p in enumerate(self._paths):
            if not p or len(p) < self.levels():
                continue
            width = max(self.sectionSize(c) - 2 * _PAD, 10)
            rect = fm.boundingRect(QRect(0, 0, width, 1000), Qt.TextFlag.TextWrapAnywhere, p[-1])
            lines = max(lines, min(3, -(-rect.height() // fm.height())))
        return lines * fm.height() + 2 * _PAD

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        hint.setHeight((self.levels() - 1) * self._band_height() + self._leaf_height())
        return hint

    def leaf_width(self, column: int) -> int:
        """A width that shows the column's own label on at most two lines."""
        p = self.path(column)
        if not p:
            return 0
        fm = QFontMetrics(self.font())
        text = p[-1]
        full = fm.horizontalAdvance(text)
        if full <= 48:
            return full + 2 * _PAD
        return fm.horizontalAdvance(text[: (len(text) + 1) // 2]) + 2 * _PAD

    # -- painting ----------------------------------------------------------------------------
    def paintSection(self, painter: QPainter, rect: QRect, logicalIndex: int) -> None:  # noqa: N803
        if not rect.isValid() or logicalIndex >= len(self._paths):
            super().paintSection(painter, rect, logicalIndex)
            return
        painter.save()
        painter.setClipRect(rect)
        path = self._paths[logicalIndex]
        band = self._band_height()
        for level in range(len(path) - 1):
            span = self.band_span(logicalIndex, level)
            first, last = span if span is not None else (logicalIndex, logicalIndex)
            x0 = self.sectionViewportPosition(first)
            x1 = self.sectionViewportPosition(last) + self.sectionSize(last)
            self._paint_cell(painter, QRect(x0, level * band, x1 - x0, band), path[level], True)
        top = (len(path) - 1) * band
        leaf = QRect(rect.x(), top, rect.width(), rect.bottom() + 1 - top)
        self._paint_cell(painter, leaf, path[-1], False)
        painter.restore()

    def _paint_cell(self, painter: QPainter, rect: QRect, text: str, band: bool) -> None:
        palette = self.palette()
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Button))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(rect.topRight(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.setPen(palette.color(QPalette.ColorRole.ButtonText))
        font = painter.font()
        font.setBold(band)
        painter.setFont(font)
        inner = rect.adjusted(_PAD, 0, -_PAD, 0)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWrapAnywhere
        painter.drawText(inner, int(flags), balanced(text, QFontMetrics(font), inner.width()))


def balanced(text: str, fm: QFontMetrics, width: int) -> str:
    """A label too long for its width broken into lines of even length (社会公益 / 组织, not
    社会公益组 / 织): Chinese has no spaces to break at."""
    if " " in text or fm.horizontalAdvance(text) <= width or width <= 0:
        return text
    lines = -(-fm.horizontalAdvance(text) // width)
    per = -(-len(text) // lines)
    return "\n".join(text[i : i + per] for i in range(0, len(text), per))
