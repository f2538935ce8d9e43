"""Read-only view of a text source, one source line per line (or of a web page as its rendered
text, ``rendered_text.py``), with provenance marks.

The caller passes the decoded lines (the extractor already decoded the file), so this widget
does no file handling. Line numbers are 1-based and ``chars`` is a ``[start, end)`` range of
Python string indices (code points) within the line, as in ``core.provenance.Provenance``;
Qt counts UTF-16 units, so the view converts both ways (characters outside the BMP, such as
rare CJK extension ideographs, would otherwise shift every mark after them).

Table regions are shaded through block formats (persistent, painted across the full width by
QPlainTextEdit); the current highlight is an extra selection, so it never disturbs the shading.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit, QWidget

_TABLE_SHADE = QColor(232, 240, 255)
_LINE_HIGHLIGHT = QColor(255, 243, 190)
_CHARS_HIGHLIGHT = QColor(255, 190, 0, 170)
# Characters QTextDocument treats as block or line separators: replaced one-for-one by spaces so
# that document block n is always source line n + 1 and offsets stay put.
_SEPARATORS = str.maketrans({"\n": " ", "\r": " ", "\u2028": " ", "\u2029": " ", "\x0b": " ", "\x0c": " "})


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _to_utf16(line: str, index: int) -> int:
    return _utf16_len(line[: max(0, index)])


def _from_utf16(line: str, offset: int) -> int:
    units = 0
    for index, char in enumerate(line):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line)


class _LineNumberArea(QWidget):
    def __init__(self, view: TextSourceView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self) -> QSize:
        return QSize(self._view.line_number_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._view.paint_line_numbers(self, event)


class TextSourceView(QPlainTextEdit):
    """``set_lines(lines)``, ``show_lines(line, chars)``, ``mark_table_regions(ranges)`` and the
    signal ``line_clicked(line, char)`` (1-based line, 0-based code-point index)."""

    line_clicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        # Long lines (a paragraph of a .txt is one line) wrap: a source line is still one block,
        # numbered once, so places and line numbers are unchanged.
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self._lines: list[str] = []
        self._regions: list[tuple[int, int]] = []
        self._highlight: tuple[int, tuple[int, int] | None] | None = None
        self._press_pos: QPointF | None = None
        self._numbers = _LineNumberArea(self)
        self.blockCountChanged.connect(self._update_margin)
        self.updateRequest.connect(self._scroll_numbers)
        self._update_margin()

    # --- content ---------------------------------------------------------------------------

    def set_lines(self, lines: Sequence[str]) -> None:
        """Show ``lines`` (one source line each); clears marks and highlight."""
        self._lines = [line.translate(_SEPARATORS) for line in lines]
        self._regions = []
        self._highlight = None
        self.setPlainText("\n".join(self._lines))
        self.setExtraSelections([])

    def line_count(self) -> int:
        return len(self._lines)

    # --- marks -----------------------------------------------------------------------------

    def mark_table_regions(self, regions: Sequence[tuple[int, int]]) -> None:
        """Shade each ``(first_line, last_line)`` range (inclusive, 1-based); replaces the
        previous shading."""
        document = self.document()
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        plain = QTextBlockFormat()
        shaded = QTextBlockFormat()
        shaded.setBackground(_TABLE_SHADE)
        for first, last in self._regions:
            self._format_blocks(cursor, first, last, plain, clear=True)
        self._regions = [(min(a, b), max(a, b)) for a, b in regions]
        for first, last in self._regions:
            self._format_blocks(cursor, first, last, shaded, clear=False)
        cursor.endEditBlock()

    def table_regions(self) -> list[tuple[int, int]]:
        return list(self._regions)

    def is_shaded(self, line: int) -> bool:
        block = self.document().findBlockByNumber(line - 1)
        return block.isValid() and block.blockFormat().background().style() != Qt.BrushStyle.NoBrush

    def show_lines(self, line: int, chars: tuple[int, int] | None = None) -> None:
        """Scroll ``line`` into the middle of the view and highlight it; ``chars`` (``[start,
        end)`` in the line) is highlighted more strongly when given."""
        block = self.document().findBlockByNumber(line - 1)
        if not block.isValid():
            return
        self._highlight = (line, chars)
        selections = []
        whole = QTextEdit.ExtraSelection()
        whole.format.setBackground(_LINE_HIGHLIGHT)
        whole.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        whole.cursor = QTextCursor(block)
        selections.append(whole)
        cursor = QTextCursor(block)
        if chars is not None:
            text = self._lines[line - 1]
            start, end = (max(0, min(c, len(text))) for c in chars)
            part = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(_CHARS_HIGHLIGHT)
            part.format = fmt
            # Build the cursor first, then assign: ExtraSelection holds a copy.
            chars_cursor = QTextCursor(block)
            chars_cursor.setPosition(block.position() + _to_utf16(text, start))
            chars_cursor.setPosition(block.position() + _to_utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
            part.cursor = chars_cursor
            selections.append(part)
            cursor.setPosition(block.position() + _to_utf16(text, start))
        self.setExtraSelections(selections)
        self.setTextCursor(cursor)
        self.centerCursor()
        if chars is not None:
            # Horizontal: make the highlighted characters visible, not just the line start.
            end_cursor = QTextCursor(block)
            end_cursor.setPosition(chars_cursor.position())  # the clamped end of the range
            self.setTextCursor(end_cursor)
            self.ensureCursorVisible()
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def highlighted(self) -> tuple[int, tuple[int, int] | None] | None:
        """The ``(line, chars)`` last passed to :meth:`show_lines`, if any."""
        return self._highlight

    def visible_lines(self) -> range:
        """The 1-based lines currently (at least partly) in the viewport."""
        first = self.firstVisibleBlock()
        last = self.cursorForPosition(self.viewport().rect().bottomLeft()).block()
        return range(first.blockNumber() + 1, last.blockNumber() + 2)

    # --- clicks ----------------------------------------------------------------------------

    def position_at(self, pos: QPointF) -> tuple[int, int]:
        """(line, char) under a viewport position."""
        cursor = self.cursorForPosition(pos.toPoint())
        block = cursor.block()
        line = block.blockNumber() + 1
        text = self._lines[line - 1] if line <= len(self._lines) else ""
        return line, _from_utf16(text, cursor.positionInBlock())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press_pos = self._press_pos, None
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or press is None or not self._lines:
            return
        # A drag selects text to copy; only a click picks a place.
        if (event.position() - press).manhattanLength() <= QApplication.startDragDistance():
            self.line_clicked.emit(*self.position_at(event.position()))

    # --- line numbers ----------------------------------------------------------------------

    def line_number_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 8 + self.fontMetrics().horizontalAdvance("9") * digits

    def paint_line_numbers(self, area: QWidget, event: QPaintEvent) -> None:
        painter = QPainter(area)
        painter.fillRect(event.rect(), self.palette().window())
        painter.setPen(self.palette().placeholderText().color())
        block = self.firstVisibleBlock()
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        width = area.width() - 4
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible():
                painter.drawText(
                    0, int(top), width, height, Qt.AlignmentFlag.AlignRight, str(block.blockNumber() + 1)
                )
            top += self.blockBoundingRect(block).height()
            block = block.next()
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        rect = self.contentsRect()
        self._numbers.setGeometry(QRect(rect.left(), rect.top(), self.line_number_width(), rect.height()))

    def _update_margin(self) -> None:
        self.setViewportMargins(self.line_number_width(), 0, 0, 0)

    def _scroll_numbers(self, rect: QRect, dy: int) -> None:
        if dy:
            self._numbers.scroll(0, dy)
        else:
            self._numbers.update(0, rect.y(), self._numbers.width(), rect.height())

    # --- internals -------------------------------------------------------------------------

    def _format_blocks(
        self, cursor: QTextCursor, first: int, last: int, fmt: QTextBlockFormat, clear: bool
    ) -> None:
        document = self.document()
        start = document.findBlockByNumber(max(0, first - 1))
        end = document.findBlockByNumber(min(document.blockCount(), last) - 1)
        if not start.isValid() or not end.isValid():
            return
        cursor.setPosition(start.position())
        cursor.setPosition(end.position(), QTextCursor.MoveMode.KeepAnchor)
        if clear:
            cursor.setBlockFormat(fmt)
        else:
            cursor.mergeBlockFormat(fmt)
