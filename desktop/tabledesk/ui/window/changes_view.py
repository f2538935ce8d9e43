"""View › Changes: every correction of the review, newest first — the cell, the value printed
in the report and the value it was corrected to, why, when and by whom. Clicking a row shows
the cell in its grid and on the page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QTableView

from tabledesk.core.edits import CellChange, Edit, EditReason
from tabledesk.core.values import format_number
from tabledesk.ui.editing.review_controller import ReviewController

if TYPE_CHECKING:
    from tabledesk.ui.host import WindowHost

Index = QModelIndex | QPersistentModelIndex
ChangeKeyRole = Qt.ItemDataRole.UserRole + 70  # (table, row, column) of the changed cell


def reason_text(reason: EditReason) -> str:
    return {
        EditReason.EXTRACTION_ERROR: QCoreApplication.translate("MainWindow", "Extraction error"),
        EditReason.SOURCE_INCONSISTENT: QCoreApplication.translate(
            "MainWindow", "The source itself is inconsistent"
        ),
        EditReason.OCR_ERROR: QCoreApplication.translate("MainWindow", "OCR error"),
        EditReason.SUGGESTED: QCoreApplication.translate("ChangesView", "Suggested correction"),
    }[reason]


class ChangesModel(QAbstractTableModel):
    COLUMNS = 6

    def __init__(self, controller: ReviewController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.rows: list[tuple[Edit, CellChange]] = []
        self.refresh()
        # checks_changed, not cells_changed: the document logs an edit after its cells change
        controller.checks_changed.connect(lambda *_: self.refresh())
        controller.structure_changed.connect(self.refresh)

    def refresh(self) -> None:
        """Read the document's edit log again (an edit or an undo changed it)."""
        rows = [(e, ch) for e in reversed(self.controller.document.edits) for ch in e.changes]
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            QCoreApplication.translate("ChangesView", "Cell"),
            QCoreApplication.translate("ChangesView", "Printed → corrected"),
            QCoreApplication.translate("ChangesView", "Reason"),
            QCoreApplication.translate("ChangesView", "Time"),
            QCoreApplication.translate("ChangesView", "User"),
            QCoreApplication.translate("ChangesView", "Note"),
        )[section]

    def cell_text(self, ch: CellChange) -> str:
        doc = self.controller.document
        name = self.controller.table_name(ch.table_id) if doc.has_table(ch.table_id) else ch.table_id
        if not doc.has_cell(ch.table_id, ch.row_id, ch.col_id):
            return f"{name} {ch.row_id} / {ch.col_id}"
        table = doc.table(ch.table_id)
        row = table.rows[table.row_index(ch.row_id)].leaf_label
        col = table.columns[table.col_index(ch.col_id)].leaf_label
        return f"{name} · {row} / {col}"

    def printed_text(self, ch: CellChange) -> str:
        doc = self.controller.document
        if doc.has_cell(ch.table_id, ch.row_id, ch.col_id):
            cell = doc.cell(ch.table_id, ch.row_id, ch.col_id)
            printed = format_number(cell.printed) or cell.raw or "—"
        else:
            printed = format_number(ch.old) or "—"
        return f"{printed} → {format_number(ch.new) or '—'}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        edit, ch = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self.cell_text(ch)
            if col == 1:
                return self.printed_text(ch)
            if col == 2:
                return reason_text(edit.reason)
            if col == 3:
                return edit.time.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            if col == 4:
                return edit.user
            return edit.note
        if role == Qt.ItemDataRole.ToolTipRole and col in (0, 5):
            return self.cell_text(ch) if col == 0 else edit.note
        if role == ChangeKeyRole:
            return (ch.table_id, ch.row_id, ch.col_id)
        return None


class ChangesView(QObject):
    """The dock (hidden until View › Changes) and its table; follows the window's review."""

    def __init__(self, window: WindowHost) -> None:
        super().__init__(window.widget())
        self.host = window
        self.view = QTableView()
        self.view.setObjectName("changes_view")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.clicked.connect(self._on_clicked)
        self.view.activated.connect(self._on_clicked)
        self.dock = QDockWidget(QCoreApplication.translate("ChangesView", "Changes"), window.widget())
        self.dock.setObjectName("changes_dock")
        self.dock.setWidget(self.view)
        window.widget().addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.toggle_action = self.dock.toggleViewAction()
        self.toggle_action.setText(QCoreApplication.translate("ChangesView", "&Changes"))
        self.toggle_action.setShortcut("Ctrl+Shift+H")
        self.model: ChangesModel | None = None

    def attach(self) -> None:
        """A review is shown: list its changes (or nothing, when none is)."""
        c = self.host.controller
        if self.model is not None:
            self.model.deleteLater()
        self.model = ChangesModel(c, self) if c is not None else None
        self.view.setModel(self.model)
        if self.model is not None:
            h = self.view.horizontalHeader()
            h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for col in range(1, ChangesModel.COLUMNS):
                h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

    def _on_clicked(self, index: QModelIndex) -> None:
        key = index.data(ChangeKeyRole)
        if key is not None and self.host.controller is not None:
            if self.host.controller.document.has_cell(*key):
                self.host.select_cell(*key)
