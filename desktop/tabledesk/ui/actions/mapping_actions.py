"""Fixing the mapping when extraction guessed wrong: choose the template's format, and say
which template row a printed row is (or that it is none). Every change is undoable and the
grids and checks follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from tabledesk.core.document import MappingOverrides
from tabledesk.store.user_templates import add_alias, user_template_path
from tabledesk.templates.template import TemplateError

if TYPE_CHECKING:
    from tabledesk.ui.host import WindowHost

UnmatchedRole = Qt.ItemDataRole.UserRole + 20


class UnmatchedPanel(QWidget):
    """The printed rows of the current table that match no template row, to assign them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        self.list = QListWidget(self)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setMaximumHeight(90)
        lay.addWidget(self.title)
        lay.addWidget(self.list)


class MappingActions(QObject):
    def __init__(self, window: WindowHost) -> None:
        super().__init__(window.widget())
        self.host = window
        self.menu = menu = (
            window.widget().menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Mapping"))
        )
        self.format_action = QAction(
            QCoreApplication.translate("MainWindow", "Template and &Format…"), window.widget()
        )
        self.format_action.triggered.connect(self.choose_format)
        menu.addAction(self.format_action)
        self.panel = UnmatchedPanel(window.widget())
        self.panel.list.itemActivated.connect(self._assign_unmatched)
        self.panel.list.customContextMenuRequested.connect(self._unmatched_menu)
        self.panel.hide()

    # -- state ---------------------------------------------------------------------------------
    def update(self) -> None:
        c = self.host.controller
        self.format_action.setEnabled(c is not None and c.can_remap())
        self.show_unmatched()

    def show_unmatched(self) -> None:
        self.panel.list.clear()
        c = self.host.controller
        grid = self.host.current_grid()
        if c is None or grid is None or not c.can_remap():
            self.panel.hide()
            return
        table = c.document.table(grid.grid_model().table_id)
        for row in table.unmatched:
            values = " ".join(v for v in row.values if v and v != row.text)
            item = QListWidgetItem(f"{row.text or '—'}   {values}")
            item.setData(UnmatchedRole, row.printed_index)
            self.panel.list.addItem(item)
        n = len(table.unmatched)
        self.panel.title.setText(
            QCoreApplication.translate("MainWindow", "Unmatched printed rows: {n}").format(n=n)
        )
        self.panel.setVisible(n > 0)

    # -- format --------------------------------------------------------------------------------
    def choose_format(self) -> None:
        c = self.host.controller
        if c is None or c.review.template is None:
            return
        template = c.review.template
        names = [f"{f.name.get(c.language) or f.name.get('zh') or f.id}" for f in template.formats]
        ids = [f.id for f in template.formats]
        current = ids.index(c.document.format_id) if c.document.format_id in ids else 0
        name, ok = QInputDialog.getItem(
            self.host.widget(),
            QCoreApplication.translate("MainWindow", "Template and format"),
            QCoreApplication.translate("MainWindow", "Format of the report:"),
            names,
            current,
            False,
        )
        if not ok or ids[names.index(name)] == c.document.format_id:
            return
        fmt = ids[names.index(name)]
        # Row assignments name printed rows of the old mapping: they do not carry over.
        c.change_mapping(
            template.id,
            fmt,
            MappingOverrides(),
            QCoreApplication.translate("MainWindow", "Change the format to {format}").format(format=name),
        )

    # -- rows ----------------------------------------------------------------------------------
    def row_menu(self, table_id: str, data_index: int, pos: QPoint) -> None:
        c = self.host.controller
        if c is None or not c.can_remap():
            return
        row = c.document.table(table_id).rows[data_index]
        if row.printed_index is None:
            return
        menu = QMenu(self.host.widget())
        sub = menu.addMenu(QCoreApplication.translate("MainWindow", "This printed row is…"))
        for row_id, label in c.assignable_rows(table_id):
            act = sub.addAction(label)
            act.setCheckable(True)
            act.setChecked(row_id == row.id)
            act.triggered.connect(
                lambda _=False, r=row_id, lab=label: self.assign(table_id, row.printed_index, r, lab)
            )
        sub.addSeparator()
        none = sub.addAction(QCoreApplication.translate("MainWindow", "None of the template's rows"))
        none.triggered.connect(lambda: self.assign(table_id, row.printed_index, None, ""))
        menu.exec(pos)

    def column_menu(self, table_id: str, col_index: int, pos: QPoint) -> None:
        c = self.host.controller
        if c is None or not c.can_remap():
            return
        table = c.document.table(table_id)
        current = table.columns[col_index].id
        menu = QMenu(self.host.widget())
        sub = menu.addMenu(QCoreApplication.translate("MainWindow", "The numbers in this column are…"))
        for col in table.columns:
            act = sub.addAction(col.label)
            act.setCheckable(True)
            act.setChecked(col.id == current)
            act.triggered.connect(
                lambda _=False, dst=col.id, lab=col.label: self.move_column(table_id, current, dst, lab)
            )
        sub.addSeparator()
        none = sub.addAction(QCoreApplication.translate("MainWindow", "None of the template's columns"))
        none.triggered.connect(lambda: self.move_column(table_id, current, None, ""))
        menu.exec(pos)

    def move_column(self, table_id: str, shown_under: str, target: str | None, label: str) -> None:
        """What is shown under ``shown_under`` is really ``target``'s (or no column's)."""
        c = self.host.controller
        if c is None or shown_under == target:
            return
        template_id, fmt, overrides = c.mapping()
        moves = overrides.cols.setdefault(table_id, {})
        # The column shown under `shown_under` is the printed column earlier moves sent there.
        source = next((s for s, d in moves.items() if d == shown_under), shown_under)
        if source in moves and moves[source] == shown_under:
            del moves[source]
        moves[source] = target
        if target is None:
            text = QCoreApplication.translate("MainWindow", "Take the column out of the table")
        else:
            text = QCoreApplication.translate("MainWindow", "Move the column to {col}").format(col=label)
        c.change_mapping(template_id, fmt, overrides, text)

    def assign(self, table_id: str, printed_index: int | None, row_id: str | None, label: str) -> None:
        c = self.host.controller
        if c is None or printed_index is None:
            return
        template_id, fmt, overrides = c.mapping()
        printed = self._printed_label(table_id, printed_index)
        overrides.rows.setdefault(table_id, {})[printed_index] = row_id
        if row_id is None:
            text = QCoreApplication.translate("MainWindow", "Assign the printed row to none")
        else:
            text = QCoreApplication.translate("MainWindow", "Assign the printed row to {row}").format(
                row=label
            )
        c.change_mapping(template_id, fmt, overrides, text)
        if row_id is not None and printed:
            self._offer_alias(template_id, table_id, row_id, printed)

    def _printed_label(self, table_id: str, printed_index: int) -> str:
        c = self.host.controller
        if c is None:
            return ""
        table = c.document.table(table_id)
        for u in table.unmatched:
            if u.printed_index == printed_index:
                return u.text.strip()
        row = next((r for r in table.rows if r.printed_index == printed_index), None)
        return (row.source_label or "").strip() if row is not None else ""

    def _offer_alias(self, template_id: str, table_id: str, row_id: str, printed: str) -> None:
        """For one of the user's own templates: offer to remember the printed wording as an alias
        of the row, so the next document printing it maps by itself."""
        c = self.host.controller
        path = user_template_path(template_id)
        if c is None or path is None:
            return
        spec = c.review.template.table(table_id) if c.review.template is not None else None
        row = next((r for r in spec.rows if r.id == row_id), None) if spec is not None else None
        if row is None or printed in (row.label, *row.aliases):
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            QCoreApplication.translate("MainWindow", "Remember this wording"),
            QCoreApplication.translate(
                "MainWindow", "Remember “{printed}” as another wording of “{row}” in the template?"
            ).format(printed=printed, row=row.label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.host.widget(),
        )
        box.setObjectName("remember_alias")

        def done(button: int) -> None:
            if button != QMessageBox.StandardButton.Yes:
                return
            try:
                add_alias(path, table_id, "rows", row_id, printed)
            except (TemplateError, OSError) as e:
                self.host.widget().statusBar().showMessage(str(e), 8000)
                return
            self.host.widget().statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "Remembered “{printed}” in {file}").format(
                    printed=printed, file=path.name
                ),
                8000,
            )

        box.finished.connect(done)
        box.open()

    def _assign_unmatched(self, item: QListWidgetItem) -> None:
        c = self.host.controller
        grid = self.host.current_grid()
        if c is None or grid is None:
            return
        table_id = grid.grid_model().table_id
        choices = c.assignable_rows(table_id)
        labels = [label for _, label in choices]
        text = item.text().split("   ")[0]
        label, ok = QInputDialog.getItem(
            self.host.widget(),
            QCoreApplication.translate("MainWindow", "Row of the template"),
            QCoreApplication.translate("MainWindow", "Assign “{text}” to:").format(text=text),
            labels,
            0,
            False,
        )
        if ok:
            row_id = choices[labels.index(label)][0]
            self.assign(table_id, item.data(UnmatchedRole), row_id, label)

    def _unmatched_menu(self, pos: QPoint) -> None:
        item = self.panel.list.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self.host.widget())
        act = menu.addAction(QCoreApplication.translate("MainWindow", "Assign to a row of the template…"))
        act.triggered.connect(lambda: self._assign_unmatched(item))
        menu.exec(self.panel.list.viewport().mapToGlobal(pos))
