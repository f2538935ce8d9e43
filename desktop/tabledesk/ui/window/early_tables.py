"""The first tables of a long PDF, shown while the rest is read.

The open worker sends the tables of the pages read so far (``OpenWorker.partly_read``); they
are shown in the window's tabs as they come — only the tables something was read into, each
grid read-only, without checks (a table whose rest is still being read would fail them) — and
the clerk can look at them and scroll the pages meanwhile. When the whole review arrives the
window shows it in their place (``MainWindow._on_opened``): the early grids are gone, nothing of
them is kept (their tables are read again in the whole document, so none is lost or shown
twice), and the table and cell the clerk was looking at stay in view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject
from PySide6.QtWidgets import QAbstractItemView

from tabledesk.checks.engine import CheckResult
from tabledesk.review.review import Review
from tabledesk.ui.editing.review_controller import ReviewController
from tabledesk.ui.grid.grid_view import GridView
from tabledesk.ui.grid.table_model import TableModel
from tabledesk.ui.host import WindowHost

CellKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Place:
    """Where the clerk was among the early tables: the table and cell (row and column empty
    without a current cell) and the pages' scroll position."""

    key: CellKey
    h_scroll: int
    v_scroll: int


class ReadingController(ReviewController):
    """A review still being read: shown, never checked nor changed."""

    def results(self) -> list[CheckResult]:
        return []

    def problems(self) -> list[CheckResult]:
        return []

    def set_values(
        self, table_id: str, values: Sequence[tuple[str, str, Decimal | None]], text: str | None = None
    ) -> bool:
        return False  # typing, Delete and paste wait for the whole review


class EarlyTables(QObject):
    """Shows the tables read so far in the host's tabs until the whole review replaces them."""

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host.widget())
        self.host = host
        self.controller: ReadingController | None = None
        self.grids: dict[str, GridView] = {}
        self.moved = False  # the clerk chose a table or a cell meanwhile
        self._restoring = False
        host.tabs.tabBarClicked.connect(self._on_tab_clicked)

    @property
    def shown(self) -> bool:
        return self.controller is not None

    def show(self, review: Review, pages_read: int, pages: int) -> None:
        """Show ``review``'s tables (the first ``pages_read`` of ``pages`` pages) in place of
        the ones shown before, keeping the table and cell in view."""
        keep = self.place()
        tabs = self.host.tabs
        self._drop()
        self.controller = ReadingController(review, self)
        for table in review.document.tables:
            if not any(cell.printed is not None for _r, _c, cell in table.iter_cells()):
                continue  # a table of the form whose page is not read yet
            model = TableModel(self.controller, table.id)
            grid = GridView(model, tabs)
            model.setParent(grid)
            grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            grid.selectionModel().currentChanged.connect(self._on_current)
            grid.pressed.connect(self._on_pressed)
            self.grids[table.id] = grid
            tabs.addTab(grid, self.controller.table_name(table.id))
        if keep is not None and keep.key[0] in self.grids:
            self.restore(keep)
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate(
                "EarlyTables", "Reading page {read} of {pages}: the tables read so far are shown"
            ).format(read=pages_read, pages=pages)
        )

    def current_key(self) -> CellKey | None:
        """The table (and its current cell, if any) in view, as (table, row, column) — row and
        column empty without a current cell."""
        grid = self.host.tabs.currentWidget()
        if not isinstance(grid, GridView) or grid not in self.grids.values():
            return None
        current = grid.currentIndex()
        key = grid.grid_model().key(current) if current.isValid() else None
        return key if key is not None else (grid.grid_model().table_id, "", "")

    def place(self) -> Place | None:
        """Where the clerk is: the table and cell in view and the pages' scroll position."""
        key = self.current_key()
        if key is None:
            return None
        pv = self.host.source.page_view
        return Place(key, pv.horizontalScrollBar().value(), pv.verticalScrollBar().value())

    def restore(self, place: Place | CellKey) -> bool:
        """Bring the table (and cell) back into view in the host's tabs, and the pages where
        the clerk had scrolled them (selecting the cell would show its place on the page);
        False when no such table is shown (the whole document mapped onto another form)."""
        key = place.key if isinstance(place, Place) else place
        grid = self.host.grids.get(key[0]) or self.grids.get(key[0])
        if grid is None:
            return False
        self._restoring = True
        try:
            self.host.tabs.setCurrentWidget(grid)
            if key[1] and key[2] and grid.grid_model().index_of(key[1], key[2]).isValid():
                grid.select_key(key[1], key[2])
        finally:
            self._restoring = False
        if isinstance(place, Place):
            pv = self.host.source.page_view
            pv.horizontalScrollBar().setValue(place.h_scroll)
            pv.verticalScrollBar().setValue(place.v_scroll)
        return True

    def clerk_moved(self) -> bool:
        """Whether the clerk chose a table or a cell, or scrolled the pages, while they were
        read: the whole review then leaves the view where it is instead of going to its first
        problem."""
        # a document opens on its first page; nothing but the clerk scrolls it while it is read
        return self.moved or self.host.source.page_view.current_page() > 1

    def clear(self) -> None:
        """Take the early tables away (the whole review, or a failure, has come)."""
        self._drop()
        self.moved = False

    def _drop(self) -> None:
        tabs = self.host.tabs
        for grid in self.grids.values():
            index = tabs.indexOf(grid)
            if index >= 0:
                tabs.removeTab(index)
            grid.deleteLater()
        self.grids = {}
        if self.controller is not None:
            self.controller.close()
            self.controller.deleteLater()
            self.controller = None

    def _on_tab_clicked(self, _index: int) -> None:
        if self.shown:
            self.moved = True

    def _on_pressed(self, _index: QModelIndex) -> None:
        self.moved = True

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._restoring:
            return  # the clerk's cell back in a new grid: the pages stay where they were
        self.moved = True
        grid = self.host.tabs.currentWidget()
        if isinstance(grid, GridView) and current.isValid():
            cell = grid.grid_model().cell(current)
            if cell is not None:
                self.host.source.show_cells([cell])
