"""The window's first size, from the screen it opens on.

A fixed size does not fit the commonest office laptop (1366×768, less a taskbar): on a screen
smaller than the window wants, it opens maximised; on a larger one, at a comfortable size
centred on it. After the first run the saved geometry (maximised or not) is used instead. The
source pane gets a width that leaves the grids room for 表三's seven number columns beside it.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

COMFORTABLE = QSize(1500, 940)  # below this much free screen, the window opens maximised
GRIDS_WANT = 780  # pixels the grids and checks want beside the page (label column + 7 numbers)
SOURCE_MIN = 360


def screen_of(widget: QWidget) -> QScreen | None:
    return widget.screen() or QGuiApplication.primaryScreen()


def wants_maximised(available: QRect) -> bool:
    return available.width() < COMFORTABLE.width() or available.height() < COMFORTABLE.height()


def initial_rect(available: QRect) -> QRect:
    """The un-maximised window on a roomy screen: 1500×940 at most, 90 % of it at least, centred."""
    width = min(COMFORTABLE.width() + 200, int(available.width() * 0.9))
    height = min(COMFORTABLE.height() + 100, int(available.height() * 0.9))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def split_widths(total: int) -> list[int]:
    """Source pane and grids pane widths for a window ``total`` pixels wide."""
    # on a small window the page gets at most 45 %: the grids never vanish
    source = max(min(SOURCE_MIN, int(total * 0.45)), min(total - GRIDS_WANT, int(total * 0.5)))
    return [source, max(total - source, 0)]
