"""The digits OCR doubted, shown in the grid: each one on an amber mark in its cell.

An uncertain cell is lilac already; within it, the clerk should not have to compare every
digit with the page, only the ones the recogniser was unsure of. The model gives their
positions in the displayed text (:data:`UnsureCharsRole`); this delegate paints the cell as
usual and then the text character by character, the doubted ones on an amber box.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

UnsureCharsRole = Qt.ItemDataRole.UserRole + 3  # positions in DisplayRole text, or None
MARK = QColor("#ffc46b")  # amber: apart from every state colour of cell_state.py


def shown_positions(raw: str, unsure: list[int], shown: str) -> list[int]:
    """Where the characters at ``unsure`` in the printed text ``raw`` are in the grid's text
    ``shown``: the same text, or the same digits in the same order (the grid drops thousands
    separators and blanks). Empty when the two cannot be lined up (the value was edited)."""
    if not unsure:
        return []
    lead = len(raw) - len(raw.lstrip())
    if raw.strip() == shown:
        return [i - lead for i in unsure if 0 <= i - lead < len(shown)]
    raw_digits = [i for i, ch in enumerate(raw) if ch.isdigit()]
    shown_digits = [i for i, ch in enumerate(shown) if ch.isdigit()]
    if [raw[i] for i in raw_digits] != [shown[i] for i in shown_digits]:
        return []
    where = dict(zip(raw_digits, shown_digits, strict=True))
    return [where[i] for i in unsure if i in where]


def marked_text(raw: str, unsure: list[int]) -> str:
    """``raw`` with the doubted characters in brackets, for tooltips: "1[2]3"."""
    return "".join(f"[{ch}]" if i in unsure else ch for i, ch in enumerate(raw))


class UnsureDigitsDelegate(QStyledItemDelegate):
    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        marks = index.data(UnsureCharsRole)
        if not marks:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(
            QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget
        )  # background, icon, focus
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        fm = opt.fontMetrics
        widths = [fm.horizontalAdvance(ch) for ch in text]
        # numbers are right-aligned in the grid (TextAlignmentRole)
        x = float(rect.right() - margin - sum(widths))
        if not opt.displayAlignment & Qt.AlignmentFlag.AlignRight:
            x = float(rect.left() + margin)
        top = rect.top() + (rect.height() - fm.height()) / 2
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pen = opt.palette.highlightedText().color() if selected else opt.palette.text().color()
        painter.save()
        painter.setFont(opt.font)
        for i, (ch, w) in enumerate(zip(text, widths, strict=True)):
            box = QRectF(x, top, w, fm.height())
            if i in marks:
                painter.fillRect(box.adjusted(-1, 0, 1, 0), MARK)
                painter.setPen(QColor("black"))
            else:
                painter.setPen(pen)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), ch)
            x += w
        painter.restore()
