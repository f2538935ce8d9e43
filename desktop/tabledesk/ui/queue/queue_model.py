"""The review queue's table model: the entries of the queue store, worst first until a header
is clicked; agency and year editable where the report's title did not give them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from tabledesk.exports.dataset import DocStatus
from tabledesk.store.queue import EntryState, QueueEntry, QueueStore

Index = QModelIndex | QPersistentModelIndex
EntryIdRole = Qt.ItemDataRole.UserRole + 40
COLUMNS = ("document", "status", "agency", "year")


def status_text(entry: QueueEntry) -> str:
    if entry.state is EntryState.PENDING:
        return QCoreApplication.translate("QueuePanel", "waiting")
    if entry.state is EntryState.EXTRACTING:
        return QCoreApplication.translate("QueuePanel", "extracting")
    if entry.state is EntryState.UNREADABLE:
        return QCoreApplication.translate("QueuePanel", "unreadable")
    if entry.state is EntryState.NO_TEMPLATE:
        return QCoreApplication.translate("QueuePanel", "no template")
    rec = entry.record
    if entry.reviewed and rec is not None and rec.failed_checks:
        # reviewed, yet still failing: say so, "reviewed" alone would hide it
        return QCoreApplication.translate("QueuePanel", "reviewed, {n} checks still failing").format(
            n=rec.failed_checks
        )
    if entry.reviewed:
        return QCoreApplication.translate("QueuePanel", "reviewed")
    # Failures the clerk accepted as printed are counted apart from those still open.
    accepted = (
        QCoreApplication.translate("QueuePanel", " · {n} accepted as printed").format(n=rec.accepted)
        if rec is not None and rec.accepted
        else ""
    )
    if rec is not None and rec.failed_checks:
        text = QCoreApplication.translate("QueuePanel", "{n} checks failing").format(n=rec.failed_checks)
        return text + accepted
    if rec is not None and rec.status is DocStatus.WARNINGS:
        return QCoreApplication.translate("QueuePanel", "incomplete") + accepted
    return QCoreApplication.translate("QueuePanel", "passed") + accepted


class QueueModel(QAbstractTableModel):
    """The queue's entries: document, status, agency, year; worst first until a header is
    clicked. Agency and year are editable where the title did not give them."""

    def __init__(self, store: QueueStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.entries: list[QueueEntry] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.entries = self.store.worst_first()
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            QCoreApplication.translate("QueuePanel", "Document"),
            QCoreApplication.translate("QueuePanel", "Status"),
            QCoreApplication.translate("QueuePanel", "Agency"),
            QCoreApplication.translate("QueuePanel", "Year"),
        )[section]

    def _editable(self, entry: QueueEntry, column: str) -> bool:
        if entry.state not in (EntryState.READY, EntryState.NO_TEMPLATE):
            return False
        rec = entry.record
        if column == "agency":
            return entry.agency_set or rec is None or not rec.agency
        return entry.year_set or rec is None or rec.year is None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = COLUMNS[index.column()]
        if column in ("agency", "year") and self._editable(self.entries[index.row()], column):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = COLUMNS[index.column()]
        if role == EntryIdRole:
            return entry.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == "document":
                return entry.name
            if column == "status":
                return status_text(entry)
            if column == "agency":
                return entry.agency
            return "" if entry.year is None else str(entry.year)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "document":
                return entry.path
            if column == "status" and entry.reason:
                return entry.reason
            if column in ("agency", "year") and self._editable(entry, column):
                return QCoreApplication.translate(
                    "QueuePanel", "The title does not say: double-click to type it"
                )
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        entry = self.entries[index.row()]
        column = COLUMNS[index.column()]
        text = str(value).strip()
        if column == "agency" and text:
            self.store.set_agency_year(entry.id, agency=text)
        elif column == "year" and text.isdigit() and 1900 < int(text) < 2200:
            self.store.set_agency_year(entry.id, year=int(text))
        else:
            return False
        self.entries[index.row()] = self.store.entry(entry.id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        old = list(self.entries)
        self._sort = (column, order)
        self._apply_sort(column, order)
        # keep persistent indexes (the selection) on their entries
        rows = {e.id: i for i, e in enumerate(self.entries)}
        for idx in self.persistentIndexList():
            if idx.isValid() and idx.row() < len(old):
                self.changePersistentIndex(idx, self.index(rows[old[idx.row()].id], idx.column()))
        self.layoutChanged.emit()

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        name = COLUMNS[column]
        if name == "status":
            key: Any = QueueEntry.rank
        elif name == "document":
            key = lambda e: e.name  # noqa: E731
        elif name == "agency":
            key = lambda e: (e.agency, e.year or 0)  # noqa: E731
        else:
            key = lambda e: (e.year or 0, e.agency)  # noqa: E731
        self.entries.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def row_of(self, entry_id: int) -> int:
        return next((i for i, e in enumerate(self.entries) if e.id == entry_id), -1)
