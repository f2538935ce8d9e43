"""How a grid cell looks: its state from the checks and the document, as colour and icon."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap


class CellState(Enum):
    """In order of precedence: a cell shows the first state that applies."""

    FAILED = "failed"
    UNFILLED = "unfilled"  # a total printed blank while its parts are not: not filled in
    ACCEPTED = "accepted"  # every failing check on it accepted as printed (原文如此)
    NOT_A_NUMBER = "not_a_number"
    MISSING = "missing"
    UNCERTAIN = "uncertain"  # read by OCR with low confidence: check it against the page
    WITHIN_ROUNDING = "within_rounding"
    EDITED = "edited"
    OK = "ok"
    INFO = "info"  # checks list only: information about the prose, never a cell's state


BACKGROUND = {
    CellState.FAILED: QColor("#f8c9c4"),
    CellState.UNFILLED: QColor("#c9ecef"),
    CellState.ACCEPTED: QColor("#dcdcdc"),
    CellState.NOT_A_NUMBER: QColor("#fbd9b0"),
    CellState.MISSING: QColor("#e6e6e6"),
    CellState.UNCERTAIN: QColor("#e3d4f5"),
    CellState.WITHIN_ROUNDING: QColor("#fbedb5"),
    CellState.EDITED: QColor("#cfe2fb"),
}
# The icon carries the state for people who cannot tell the colours apart: a shape and a
# letter, not a hue alone.
_ICON_SPEC = {
    CellState.FAILED: ("#c0392b", "!"),
    CellState.UNFILLED: ("#117a85", "Σ"),
    CellState.ACCEPTED: ("#5d6d7e", "="),
    CellState.NOT_A_NUMBER: ("#d35400", "?"),
    CellState.MISSING: ("#7f8c8d", "–"),
    CellState.UNCERTAIN: ("#7d3c98", "◎"),
    CellState.WITHIN_ROUNDING: ("#b7950b", "≈"),
    CellState.EDITED: ("#2e6bc6", "✎"),
    CellState.INFO: ("#5d6d7e", "i"),
}
_icons: dict[CellState, QIcon] = {}


def state_icon(state: CellState) -> QIcon | None:
    if state not in _ICON_SPEC:
        return None
    icon = _icons.get(state)
    if icon is None:
        colour, mark = _ICON_SPEC[state]
        pm = QPixmap(14, 14)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(QColor(colour))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(0, 0, 14, 14)
        p.setPen(QColor("white"))
        font = p.font()
        font.setBold(True)
        font.setPixelSize(11)
        p.setFont(font)
        p.drawText(pm.rect(), Qt.AlignmentFlag.AlignCenter, mark)
        p.end()
        icon = QIcon(pm)
        _icons[state] = icon
    return icon
