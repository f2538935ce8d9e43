"""The checks panel's model: every failing or incomplete rule instance, one row each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from tabledesk.core.values import format_number
from tabledesk.rules.engine import CheckResult, CheckStatus
from tabledesk.rules.messages import render_message
from tabledesk.ui.cell_state import BACKGROUND, CellState, state_icon
from tabledesk.ui.review_controller import ReviewController

ResultRole = Qt.ItemDataRole.UserRole + 10
Index = QModelIndex | QPersistentModelIndex


class ChecksModel(QAbstractTableModel):
    COLUMNS = 3
    # Set by ui/suggestion_actions.py: a result's suggested correction as a line, or "".
    suggestion_hint: Callable[[CheckResult], str] | None = None

    def __init__(self, controller: ReviewController, parent: Any = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.problems: list[CheckResult] = controller.problems()
        controller.checks_changed.connect(self._on_checks_changed)
        controller.structure_changed.connect(self._on_checks_changed)

    def _on_checks_changed(self, *_: object) -> None:
        problems = self.controller.problems()
        if problems == self.problems:
            return
        self.beginResetModel()
        self.problems = problems
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.problems)

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
        result = self.problems[index.row()]
        failed = result.status is CheckStatus.FAILED
        state = CellState.FAILED if failed else CellState.MISSING
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
        if role == Qt.ItemDataRole.BackgroundRole and failed:
            return BACKGROUND[CellState.FAILED].lighter(110)
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return self._problem_text(result)
        if role == ResultRole:
            return result
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _problem_text(self, result: CheckResult) -> str:
        table = self.controller.document.table(result.instance.table_id)
        text = render_message(result, self.controller.language, table.name)
        hint = self.suggestion_hint(result) if self.suggestion_hint is not None else ""
        return f"{text}\n{hint}" if hint else text
