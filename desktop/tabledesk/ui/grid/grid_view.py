"""The editable grid of one table, with the keyboard a clerk expects from Excel or WPS.

Type to overwrite, F2 to edit, Enter moves down and Tab right, Delete clears the selection,
Ctrl+C / Ctrl+V copy and paste blocks (tab-separated, as Excel and WPS put them on the
clipboard). Every change goes through the model, so each is one undoable edit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QTableView, QWidget

from tabledesk.ui.grid.band_header import BandHeader
from tabledesk.ui.grid.label_header import LabelHeader
from tabledesk.ui.grid.table_model import TableModel
from tabledesk.ui.grid.unsure_digits import UnsureDigitsDelegate


class GridView(QTableView):
    row_menu_requested = Signal(str, int, QPoint)  # table id, data row index, global position
    column_menu_requested = Signal(str, int, QPoint)  # table id, column index, global position

    def __init__(self, model: TableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeader(BandHeader(self))  # groups as bands over their columns
        self.setVerticalHeader(LabelHeader(self))  # indented labels, wrapped, narrowable
        self._base_widths: list[int] = []
        self.setModel(model)
        self.setItemDelegate(UnsureDigitsDelegate(self))  # the digits OCR doubted, marked
        self.verticalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.verticalHeader().customContextMenuRequested.connect(self._on_header_menu)
        self.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.horizontalHeader().customContextMenuRequested.connect(self._on_column_menu)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        h = self.horizontalHeader()
        h.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setMinimumSectionSize(40)
        v = self.label_header()
        v.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        v.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        v.width_changed.connect(self._on_label_width)
        model.modelReset.connect(self._layout)
        self._layout()

    def grid_model(self) -> TableModel:
        model = self.model()
        assert isinstance(model, TableModel)
        return model

    def band_header(self) -> BandHeader:
        header = self.horizontalHeader()
        assert isinstance(header, BandHeader)
        return header

    def label_header(self) -> LabelHeader:
        header = self.verticalHeader()
        assert isinstance(header, LabelHeader)
        return header

    def _layout(self) -> None:
        """Headings span the row; number columns as wide as their numbers (the header wraps)."""
        model = self.grid_model()
        self.clearSpans()
        for r, g in enumerate(model.rows):
            if g.data_index is None and model.columnCount() > 1:
                self.setSpan(r, 0, 1, model.columnCount())
        band = self.band_header()
        band.refresh()
        fm = self.fontMetrics()
        rows = [r for r, g in enumerate(model.rows[:1000]) if g.data_index is not None]
        widths = []
        for c in range(model.columnCount()):
            numbers = max(
                (fm.horizontalAdvance(str(model.index(r, c).data() or "")) for r in rows), default=0
            )
            # the state icon, the delegate's margins and a little air
            widths.append(max(48, min(160, numbers + 34), min(120, band.leaf_width(c))))
        self._base_widths = widths
        self.label_header().fit()
        self._stretch()

    def _on_label_width(self, _width: int) -> None:
        self.updateGeometries()
        self._stretch()

    def _stretch(self) -> None:
        """Share out the width the columns leave free, so the grid fills its pane."""
        widths = self._base_widths
        if not widths:
            return
        spare = self.viewport().width() - sum(widths)
        extra, rest = divmod(max(spare, 0), len(widths))
        for c, w in enumerate(widths):
            self.setColumnWidth(c, w + extra + (1 if c < rest else 0))
        self.band_header().updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.label_header().set_view_width(event.size().width())

    def viewportEvent(self, event: QEvent) -> bool:
        # the viewport, not the view: it also narrows when the vertical scroll bar appears
        if event.type() == QEvent.Type.Resize:
            self._stretch()
        return super().viewportEvent(event)

    def _on_header_menu(self, pos: QPoint) -> None:
        model = self.grid_model()
        section = self.verticalHeader().logicalIndexAt(pos)
        if 0 <= section < len(model.rows) and model.rows[section].data_index is not None:
            data_index = model.rows[section].data_index
            assert data_index is not None
            self.row_menu_requested.emit(model.table_id, data_index, self.verticalHeader().mapToGlobal(pos))

    def _on_column_menu(self, pos: QPoint) -> None:
        section = self.horizontalHeader().logicalIndexAt(pos)
        if 0 <= section < self.grid_model().columnCount():
            self.column_menu_requested.emit(
                self.grid_model().table_id, section, self.horizontalHeader().mapToGlobal(pos)
            )

    # -- keyboard ---------------------------------------------------------------------------
    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        # Enter commits and moves down, as in a spreadsheet.
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.move_to(1, 0)
            return
        super().closeEditor(editor, hint)

    def move_to(self, dr: int, dc: int) -> None:
        model = self.grid_model()
        cur = self.currentIndex()
        if not cur.isValid():
            return
        r, c = cur.row() + dr, cur.column() + dc
        while 0 <= r < model.rowCount() and model.rows[r].data_index is None:
            r += 1 if dr >= 0 else -1
        if 0 <= r < model.rowCount() and 0 <= c < model.columnCount():
            self.setCurrentIndex(model.index(r, c))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.move_to(1, 0)
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selection_values()
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste()
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy()
                return
        super().keyPressEvent(event)

    def selected_block(self) -> tuple[int, int, int, int] | None:
        indexes = [i for i in self.selectedIndexes() if self.grid_model().key(i) is not None]
        if not indexes:
            cur = self.currentIndex()
            if not cur.isValid() or self.grid_model().key(cur) is None:
                return None
            indexes = [cur]
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        return min(rows), min(cols), max(rows), max(cols)

    def clear_selection_values(self) -> None:
        model = self.grid_model()
        keys = [model.key(i) for i in self.selectedIndexes()] or [model.key(self.currentIndex())]
        values = [(k[1], k[2], None) for k in keys if k is not None]
        if values:
            model.controller.set_values(model.table_id, values)

    def copy(self) -> None:
        block = self.selected_block()
        if block is None:
            return
        top, left, bottom, right = block
        model = self.grid_model()
        lines = []
        for r in range(top, bottom + 1):
            if model.rows[r].data_index is None:
                continue
            lines.append(
                "\t".join(
                    str(model.index(r, c).data(Qt.ItemDataRole.EditRole) or "")
                    for c in range(left, right + 1)
                )
            )
        QGuiApplication.clipboard().setText("\n".join(lines))

    def paste(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            return
        rows = [line.split("\t") for line in text.replace("\r\n", "\n").rstrip("\n").split("\n")]
        cur = self.currentIndex()
        if not cur.isValid():
            return
        self.grid_model().set_block(cur.row(), cur.column(), rows)

    def select_key(self, row_id: str, col_id: str) -> None:
        index = self.grid_model().index_of(row_id, col_id)
        self.setCurrentIndex(index)
        self.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def select_keys(self, keys: list[tuple[str, str]]) -> None:
        sm = self.selectionModel()
        sm.clearSelection()
        first: QModelIndex | None = None
        for row_id, col_id in keys:
            index = self.grid_model().index_of(row_id, col_id)
            sm.select(index, QItemSelectionModel.SelectionFlag.Select)
            first = first or index
        if first is not None:
            sm.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.scrollTo(first)
