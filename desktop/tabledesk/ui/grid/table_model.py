"""The grid of one template table: a QAbstractTableModel adapter over a core Table.

Rows are the document's data rows with the template's group headings between them (三、本年度
办理结果, （三）不予公开 …), so the hierarchy of the form stays readable. ``setData`` never
mutates the table: it asks the controller for an undoable edit, and the document's change event
comes back as ``dataChanged`` for exactly the cells that changed — for typing, paste, undo and
suggestions alike. Cell states come from a ``{cell: results}`` map updated only for the rule
instances whose result changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from tabledesk.checks.engine import CheckResult, CheckStatus
from tabledesk.checks.messages import render_message
from tabledesk.core.document import Cell, CellStatus, Table
from tabledesk.core.values import format_number, parse_number
from tabledesk.ui.editing.review_controller import ReviewController
from tabledesk.ui.grid.cell_state import BACKGROUND, CellState, state_icon
from tabledesk.ui.grid.unsure_digits import UnsureCharsRole, marked_text, shown_positions

StateRole = Qt.ItemDataRole.UserRole + 1  # CellState of a data cell, None for headings
KeyRole = Qt.ItemDataRole.UserRole + 2  # (table id, row id, column id)
# A column's label path as the form prints it (groups first), less the group all columns share:
# what the banded header (grid/band_header.py) and the printout draw.
ColumnPathRole = Qt.ItemDataRole.UserRole + 3
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class GridRow:
    """A row of the grid: a data row of the table, or a group heading (data_index None)."""

    label: str
    depth: int
    data_index: int | None
    full_label: str


def grid_rows(table: Table) -> list[GridRow]:
    out: list[GridRow] = []
    open_groups: tuple[str, ...] = ()
    for i, row in enumerate(table.rows):
        groups = row.path[:-1]
        common = 0
        while common < min(len(groups), len(open_groups)) and groups[common] == open_groups[common]:
            common += 1
        for depth in range(common, len(groups)):
            out.append(GridRow(groups[depth], depth, None, "/".join(groups[: depth + 1])))
        open_groups = groups
        out.append(GridRow(row.leaf_label, len(groups), i, row.label))
    return out


def column_path(table: Table, c: int) -> tuple[str, ...]:
    """A column's label path, leaving out the groups shared by all columns (申请人情况)."""
    paths = [col.path for col in table.columns]
    shared = 0
    while all(len(p) > shared + 1 for p in paths) and len({p[shared] for p in paths}) == 1:
        shared += 1
    return tuple(table.columns[c].path[shared:])


def column_header(table: Table, c: int) -> str:
    """Column label with its nearest group on the line above (one line of text per column)."""
    path = column_path(table, c)
    if len(path) == 1:
        return path[0]
    # The nearest group says enough under a narrow column (未经复议直接起诉 / 结果维持); the
    # tooltip has the whole path.
    return path[-2] + "\n" + path[-1]


class TableModel(QAbstractTableModel):
    input_rejected = Signal(str)  # a message for the status bar: why a typed value was refused
    # Set by ui/actions/suggestion_actions.py: the suggested correction for a cell's failing rules, or "".
    suggestion_hint: Callable[[tuple[str, str, str] | None], str] | None = None

    def __init__(self, controller: ReviewController, table_id: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.table_id = table_id
        self._rebuild()
        controller.cells_changed.connect(self._on_cells_changed)
        controller.checks_changed.connect(self._on_checks_changed)
        controller.structure_changed.connect(self._on_structure_changed)

    # -- structure -------------------------------------------------------------------------
    def _rebuild(self) -> None:
        self.table: Table = self.controller.document.table(self.table_id)
        self.rows = grid_rows(self.table)
        self._grid_row_of = {g.data_index: r for r, g in enumerate(self.rows) if g.data_index is not None}
        self._results: dict[tuple[str, str], dict[tuple[str, str, str], CheckResult]] = {}
        for result in self.controller.results():
            self._note(result)
        self._states = {
            (r, c): self._compute_state(r, c)
            for r in range(len(self.table.rows))
            for c in range(len(self.table.columns))
        }

    def _on_structure_changed(self) -> None:
        self.beginResetModel()
        if self.controller.document.has_table(self.table_id):
            self._rebuild()
        else:
            self.rows = []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.columns)

    def grid_row(self, data_index: int) -> int:
        return self._grid_row_of[data_index]

    def index_of(self, row_id: str, col_id: str) -> QModelIndex:
        return self.index(self.grid_row(self.table.row_index(row_id)), self.table.col_index(col_id))

    def key(self, index: Index) -> tuple[str, str, str] | None:
        if not index.isValid():
            return None  # row -1 would wrap round to the last row's cell
        g = self.rows[index.row()]
        if g.data_index is None:
            return None
        return (self.table_id, self.table.rows[g.data_index].id, self.table.columns[index.column()].id)

    def cell(self, index: Index) -> Cell | None:
        g = self.rows[index.row()]
        return None if g.data_index is None else self.table.cells[g.data_index][index.column()]

    # -- states ----------------------------------------------------------------------------
    def _note(self, result: CheckResult) -> None:
        for t, r, c in result.cells:
            if t == self.table_id:
                self._results.setdefault((r, c), {})[result.uid] = result

    def _compute_state(self, r: int, c: int) -> CellState:
        cell = self.table.cells[r][c]
        key = (self.table.rows[r].id, self.table.columns[c].id)
        found = [x for x in self._results.get(key, {}).values() if not x.informational]
        statuses = {x.status for x in found}
        if CheckStatus.FAILED in statuses:
            # Red only while a failure is open; failures all accepted as printed are grey.
            if any(x.status is CheckStatus.FAILED and not self.controller.is_accepted(x) for x in found):
                return CellState.FAILED
            return CellState.ACCEPTED
        if cell.value is None and cell.status is CellStatus.UNFILLED:
            return CellState.UNFILLED
        if cell.value is None and cell.status is CellStatus.NOT_A_NUMBER and not cell.edited:
            return CellState.NOT_A_NUMBER
        if cell.value is None:
            return CellState.MISSING
        if cell.uncertain:
            return CellState.UNCERTAIN
        # A total its parts make only within rounding is marked; its parts are not (a 部门决算
        # in 万元 would otherwise be yellow all over, and the mark would say nothing).
        if any(
            x.status is CheckStatus.WITHIN_ROUNDING
            and (x.instance.defines is None or x.instance.defines == (self.table_id, *key))
            for x in found
        ):
            return CellState.WITHIN_ROUNDING
        if cell.edited:
            return CellState.EDITED
        return CellState.OK

    def state(self, r: int, c: int) -> CellState:
        return self._states[(r, c)]

    def failing_results(self, index: Index) -> list[CheckResult]:
        key = self.key(index)
        if key is None:
            return []
        found = self._results.get((key[1], key[2]), {}).values()
        # an unfilled total's rules are shown on the total, not on each of its parts
        return [
            x
            for x in found
            if (x.status in (CheckStatus.FAILED, CheckStatus.WITHIN_ROUNDING) and not x.informational)
            or (x.status is CheckStatus.UNFILLED and key in x.unfilled)
        ]

    def _refresh(self, cells: set[tuple[int, int]], force: set[tuple[int, int]]) -> None:
        for r, c in cells:
            new = self._compute_state(r, c)
            if new != self._states[(r, c)] or (r, c) in force:
                self._states[(r, c)] = new
                idx = self.index(self.grid_row(r), c)
                self.dataChanged.emit(idx, idx, [])

    def _on_checks_changed(self, results: list[CheckResult]) -> None:
        touched: set[tuple[int, int]] = set()
        for result in results:
            self._note(result)
            for t, r, c in result.cells:
                if t == self.table_id and self.table.has_cell(r, c):
                    touched.add((self.table.row_index(r), self.table.col_index(c)))
        # Tooltips list the failing rules with their numbers: refresh those cells too.
        failing = {
            x
            for x in touched
            if any(
                v.status is CheckStatus.FAILED
                for v in self._results.get(
                    (self.table.rows[x[0]].id, self.table.columns[x[1]].id), {}
                ).values()
            )
        }
        self._refresh(touched, failing)

    def _on_cells_changed(self, table_id: str, cells: list[tuple[str, str]]) -> None:
        if table_id != self.table_id:
            return
        idx = {(self.table.row_index(r), self.table.col_index(c)) for r, c in cells}
        self._refresh(idx, idx)

    # -- Qt model ------------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.rows[index.row()].data_index is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        g = self.rows[index.row()]
        if g.data_index is None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return BACKGROUND[CellState.MISSING].lighter(108)
            return None
        cell = self.table.cells[g.data_index][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if cell.value is None:
                if cell.status is CellStatus.UNFILLED:
                    return QCoreApplication.translate("TableModel", "not filled")
                return cell.raw if cell.status is CellStatus.NOT_A_NUMBER and not cell.edited else "—"
            return format_number(cell.value)
        if role == Qt.ItemDataRole.EditRole:
            return format_number(cell.value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        state = self._states[(g.data_index, index.column())]
        if role == Qt.ItemDataRole.BackgroundRole:
            return BACKGROUND.get(state)
        if role == Qt.ItemDataRole.DecorationRole:
            return state_icon(state)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index, cell, state)
        if role == StateRole:
            return state
        if role == KeyRole:
            return self.key(index)
        if role == UnsureCharsRole:
            # asked for every painted cell: format the shown text only for a doubted one
            unsure = cell.unsure_chars
            return (shown_positions(cell.raw, unsure, str(self.data(index))) or None) if unsure else None
        return None

    def _tooltip(self, index: Index, cell: Cell, state: CellState) -> str:
        lang = self.controller.language
        lines = []
        for result in self.failing_results(index):
            text = render_message(result, lang, self.table.name)
            if self.controller.is_accepted(result):
                text = QCoreApplication.translate("TableModel", "Accepted as printed: {text}").format(
                    text=text
                )
            lines.append(text)
        if self.suggestion_hint is not None and (hint := self.suggestion_hint(self.key(index))):
            lines.append(hint)
        if cell.edited:
            lines.append(
                QCoreApplication.translate("TableModel", "Printed value: {printed}").format(
                    printed=format_number(cell.printed) or cell.raw or "—"
                )
            )
        if state is CellState.NOT_A_NUMBER:
            lines.append(
                QCoreApplication.translate("TableModel", "Printed text is not a number: {text}").format(
                    text=cell.raw
                )
            )
        if state is CellState.MISSING and not cell.edited:
            lines.append(QCoreApplication.translate("TableModel", "Not found in the source"))
        if cell.uncertain and cell.ocr_confidence is not None:
            lines.append(
                QCoreApplication.translate(
                    "OcrCell", "Read by OCR with low confidence ({percent}%): check it against the page"
                ).format(percent=round(100 * cell.ocr_confidence))
            )
            if cell.unsure_chars:
                lines.append(
                    QCoreApplication.translate(
                        "OcrCell", "Unsure of the characters in brackets: {text}"
                    ).format(text=marked_text(cell.raw, cell.unsure_chars))
                )
        if cell.prov.page is not None:
            lines.append(QCoreApplication.translate("TableModel", "Page {page}").format(page=cell.prov.page))
        elif cell.prov.line is not None:
            lines.append(QCoreApplication.translate("TableModel", "Line {line}").format(line=cell.prov.line))
        return "\n".join(lines)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(self.table.columns):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return column_header(self.table, section)
            if role == ColumnPathRole:
                return column_path(self.table, section)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.table.columns[section].label
            return None
        if section >= len(self.rows):
            return None
        g = self.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return "\u3000" * g.depth + g.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return g.full_label
        if role == Qt.ItemDataRole.FontRole and g.data_index is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = self.key(index)
        if key is None:
            return False
        parsed = self.parse_input(value)
        if isinstance(parsed, bool):
            return False
        return self.controller.set_values(self.table_id, [(key[1], key[2], parsed)])

    def parse_input(self, value: Any) -> Decimal | None | bool:
        """The typed text as a value, None for an empty cell, False (and a message) if invalid."""
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        number = parse_number(text)
        if number is None:
            self.input_rejected.emit(
                QCoreApplication.translate(
                    "TableModel", "“{text}” is not a number: type digits only, e.g. 21 or 7730.28"
                ).format(text=text)
            )
            return False
        return number

    def set_block(self, top: int, left: int, block: list[list[str]]) -> bool:
        """Paste a block of texts (rows of cells) at (top, left) as ONE undoable edit."""
        values: list[tuple[str, str, Decimal | None]] = []
        r = top
        for line in block:
            while r < len(self.rows) and self.rows[r].data_index is None:
                r += 1  # paste skips heading rows, as the clerk copied only numbers
            if r >= len(self.rows):
                break
            for dc, text in enumerate(line):
                c = left + dc
                if c >= len(self.table.columns):
                    break
                parsed = self.parse_input(text)
                if parsed is False:
                    return False
                key = self.key(self.index(r, c))
                assert key is not None
                values.append((key[1], key[2], parsed))  # type: ignore[arg-type]
            r += 1
        return self.controller.set_values(
            self.table_id,
            values,
            QCoreApplication.translate("TableModel", "Paste {n} cells").format(n=len(values)),
        )
