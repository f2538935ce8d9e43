"""What the window's controllers may use of it: :class:`WindowHost`.

The menus' controllers (``ui/actions``), the queue, autosave and the OCR opener are handed the
window typed as this protocol, never as ``MainWindow``: they see its review (through the
controller), its grids and source view, the menus they add to and the few requests the window
answers, and nothing else — no private method, no attribute they could come to depend on by
accident. They report back by calling these methods or through their own signals. The window
(``ui/window/main_window.py``) satisfies it; tests may hand a controller anything that does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QTableView, QTabWidget

from tabledesk.review.review import Review
from tabledesk.ui.editing.review_controller import ReviewController
from tabledesk.ui.grid.grid_view import GridView
from tabledesk.ui.settings import Settings
from tabledesk.ui.source.source_panel import SourcePanel


class WindowHost(Protocol):
    """The review window as its controllers see it."""

    settings: Settings
    # the review shown, if any, and where its source is
    controller: ReviewController | None
    path: Path | None
    # one grid per table of the review, by table id; the tab widget that shows them
    grids: dict[str, GridView]
    tabs: QTabWidget
    checks_view: QTableView
    source: SourcePanel
    # the File menu, its Open Recent submenu and the Close item (controllers insert before it)
    file_menu: QMenu
    recent_menu: QMenu
    close_action: QAction
    # emitted when a review is shown / could not be opened (with one line saying why)
    review_opened: SignalInstance
    open_failed: SignalInstance

    def widget(self) -> QMainWindow:
        """The window as a widget: the parent of the controllers' dialogs, docks and actions."""
        ...

    def export_action(self) -> QAction: ...

    def current_grid(self) -> GridView | None: ...

    def set_review(self, review: Review, path: Path) -> None:
        """Show ``review`` (read from ``path``) in place of whatever was shown."""
        ...

    def maybe_discard(self) -> bool:
        """Ask the clerk whether unsaved changes may go; True when the window may move on."""
        ...

    def select_cell(self, table_id: str, row_id: str, col_id: str) -> None:
        """Show that cell: its table's tab, the cell current and focused, its place on the page."""
        ...

    def focus_grid(self) -> None:
        """Keyboard focus back to the current grid's current cell, so typing edits it."""
        ...

    def is_reading(self) -> bool:
        """True while a report is being read in the background."""
        ...
