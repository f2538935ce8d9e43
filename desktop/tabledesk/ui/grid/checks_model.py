"""The checks panel's model: every failing, incomplete or unfilled rule instance, one row each
(failures accepted as printed, "原文如此", after the open ones, marked so), then the tables whose
printed numbers were not all placed while cells are empty, then the cells OCR read with low
confidence that nobody has checked yet."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from tabledesk.checks.engine import CheckResult, CheckStatus
from tabledesk.checks.messages import render_message
from tabledesk.core.decisions import Acceptance
from tabledesk.core.values import format_number
from tabledesk.ui.editing.review_controller import ReviewController
from tabledesk.ui.grid.cell_state import BACKGROUND, CellState, state_icon

ResultRole = Qt.ItemDataRole.UserRole + 10
CellKeyRole = Qt.ItemDataRole.UserRole + 11  # (table, row, column) of an uncertain-cell row
TableRole = Qt.ItemDataRole.UserRole + 12  # the table id of an unplaced-numbers row
Index = QModelIndex | QPersistentModelIndex


class ChecksModel(QAbstractTableModel):
    COLUMNS = 3
    # Set by ui/actions/suggestion_actions.py: a result's suggested correction as a line, or "".
    suggestion_hint: Callable[[CheckResult], str] | None = None

    def __init__(self, controller: ReviewController, parent: Any = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.problems: list[CheckResult] = controller.problems()
        self.unplaced: list[str] = self._unplaced()
        self.decided = self._decided()
        self.uncertain: list[tuple[str, str, str]] = self._uncertain()
        controller.checks_changed.connect(self._on_checks_changed)
        controller.structure_changed.connect(self._on_checks_changed)
        controller.cells_changed.connect(self._on_checks_changed)  # a correction clears "uncertain"

    def _uncertain(self) -> list[tuple[str, str, str]]:
        doc = self.controller.document
        return [(t.id, r.id, c.id) for t in doc.tables for r, c, cell in t.iter_cells() if cell.uncertain]

    def _unplaced(self) -> list[str]:
        return [t.id for t in self.controller.document.tables if t.unplaced_numbers()]

    def _decided(self) -> list[Acceptance | None]:
        """Each listed failure's decision (None while open), to notice a decision changing."""
        return [self.controller.document.accepted.get(r.uid) for r in self.problems]

    def _on_checks_changed(self, *_: object) -> None:
        problems, unplaced, uncertain = self.controller.problems(), self._unplaced(), self._uncertain()
        decided = [self.controller.document.accepted.get(r.uid) for r in problems]
        if (problems, unplaced, uncertain, decided) == (
            self.problems,
            self.unplaced,
            self.uncertain,
            self.decided,
        ):
            return
        self.beginResetModel()
        self.problems, self.unplaced, self.uncertain, self.decided = problems, unplaced, uncertain, decided
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.problems) + len(self.unplaced) + len(self.uncertain)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            titles = (
                QCoreApplication.translate("ChecksModel", "Table"),
                QCoreApplication.translate("ChecksModel", "Problem"),
                QCoreApplication.translate("ChecksModel", "Difference"),
            )
            return titles[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        n = len(self.problems)
        if n <= index.row() < n + len(self.unplaced):
            return self._unplaced_data(self.unplaced[index.row() - n], index.column(), role)
        if index.row() >= n + len(self.unplaced):
            return self._uncertain_data(
                self.uncertain[index.row() - n - len(self.unplaced)], index.column(), role
            )
        result = self.problems[index.row()]
        accepted = self.controller.is_accepted(result)
        failed = result.red and not accepted
        state = (
            CellState.ACCEPTED
            if accepted
            else CellState.FAILED
            if failed
            else CellState.INFO
            if result.informational
            else CellState.UNFILLED
            if result.status is CheckStatus.UNFILLED
            else CellState.MISSING
        )
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self.controller.table_name(result.instance.table_id)
            if col == 1:
                return self._problem_text(result)
            if col == 2:
                return format_number(abs(result.difference)) if result.difference is not None else ""
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return state_icon(state)
        if role == Qt.ItemDataRole.BackgroundRole and state in (CellState.FAILED, CellState.UNFILLED):
            return BACKGROUND[state].lighter(110)
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return self._problem_text(result)
        if role == ResultRole:
            return result
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _unplaced_data(self, table_id: str, col: int, role: int) -> Any:
        table = self.controller.document.table(table_id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return self.controller.table_name(table_id)
            if col == 1:
                numbers = table.unplaced_numbers()
                shown = "、".join(numbers[:8]) + ("…" if len(numbers) > 8 else "")
                return QCoreApplication.translate(
                    "ChecksModel",
                    "{count} printed numbers could not be placed ({numbers}) while {empty} cells "
                    "are empty: a blank may not be 0, check where they belong",
                ).format(count=len(numbers), numbers=shown, empty=table.empty_cells())
            return ""
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return state_icon(CellState.NOT_A_NUMBER)
        if role == Qt.ItemDataRole.BackgroundRole:
            return BACKGROUND[CellState.NOT_A_NUMBER].lighter(110)
        if role == TableRole:
            return table_id
        return None

    def _uncertain_data(self, key: tuple[str, str, str], col: int, role: int) -> Any:
        table = self.controller.document.table(key[0])
        cell = table.cell(key[1], key[2])
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self.controller.table_name(key[0])
            if col == 1:
                row = table.rows[table.row_index(key[1])].leaf_label
                column = table.columns[table.col_index(key[2])].leaf_label
                return QCoreApplication.translate(
                    "ChecksModel", "OCR unsure: {row} / {col} read as “{text}” ({confidence:.0%})"
                ).format(row=row, col=column, text=cell.raw, confidence=cell.ocr_confidence or 0.0)
            return ""
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return state_icon(CellState.UNCERTAIN)
        if role == CellKeyRole:
            return key
        return None

    def _problem_text(self, result: CheckResult) -> str:
        table = self.controller.document.table(result.instance.table_id)
        text = render_message(result, self.controller.language, table.name)
        decision = self.controller.document.accepted.get(result.uid)
        if decision is not None and result.status is CheckStatus.FAILED:
            text = QCoreApplication.translate("ChecksModel", "Accepted as printed: {text}").format(text=text)
            if decision.note:
                note = QCoreApplication.translate("ChecksModel", "Note: {note}").format(note=decision.note)
                text = f"{text}\n{note}"
            return text
        hint = self.suggestion_hint(result) if self.suggestion_hint is not None else ""
        return f"{text}\n{hint}" if hint else text
