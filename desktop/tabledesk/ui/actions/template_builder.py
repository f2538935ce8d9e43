"""The template builder: teach tabledesk a form no template knows, from the document on screen.

Mapping › New Template from This Document… drafts a template from the document read as printed
(``review/drafting.py``) and shows it in a dialog: the tables found (tick those that matter,
name them), each table's printed rows and columns (rename — the printed wording is kept as an
alias so the next document still maps —, drop, or mark a row as the heading of the rows below
it), and the totals proposed as rules, each with its result on this document, checked again at
every change. Rules that fail on the document are proposed unticked. A rule is added by
pointing at its cells: the total row and the rows it sums. Saving writes the template into the
user's template folder, maps this document onto it (undoable like any change of mapping) and
every later document of the form finds it — in the window, ``export`` and ``check`` alike.
Template files can be exported to share and imported from colleagues.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tabledesk.core.document import MappingOverrides
from tabledesk.core.source import ExtractedSource, SourceError
from tabledesk.mapping.generic_tables import generic_document
from tabledesk.review.drafting import Sample, Trial, compile_draft, draft, try_template
from tabledesk.store.user_templates import import_template, save_template
from tabledesk.templates.draft import AxisDraft, RuleDraft, TableDraft, TemplateDraft
from tabledesk.templates.template import TemplateError

if TYPE_CHECKING:
    from tabledesk.ui.host import WindowHost


class TemplateBuilderDialog(QDialog):
    """The draft of a template, edited by the clerk and tried on the sample at every change."""

    def __init__(self, parent: QWidget, sample: Sample) -> None:
        super().__init__(parent)
        self.setObjectName("template_builder")
        self.setWindowTitle(QCoreApplication.translate("TemplateBuilder", "New template from this document"))
        self.sample = sample
        self.draft: TemplateDraft = draft(sample)
        self.trial: Trial | None = None
        self._filling = False

        self.name_edit = QLineEdit(self.draft.name, self)
        self.name_edit.setObjectName("template_name")
        self.detect_edit = QLineEdit("，".join(self.draft.detect), self)
        self.detect_edit.setObjectName("template_detect")
        self.detect_edit.setToolTip(
            QCoreApplication.translate(
                "TemplateBuilder", "Words every document of this form prints (separated by commas)"
            )
        )
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("TemplateBuilder", "Name of the form:"), self.name_edit)
        form.addRow(
            QCoreApplication.translate("TemplateBuilder", "Recognised by the words:"), self.detect_edit
        )

        self.tables = QListWidget(self)
        self.tables.setObjectName("builder_tables")
        for t in self.draft.tables:
            item = QListWidgetItem(t.name, self.tables)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setToolTip(t.title)
        self.rows = self._axis_table("builder_rows", heading=True)
        self.columns = self._axis_table("builder_columns", heading=False)
        self.rules = QTableWidget(0, 2, self)
        self.rules.setObjectName("builder_rules")
        self.rules.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("TemplateBuilder", "Rule"),
                QCoreApplication.translate("TemplateBuilder", "On this document"),
            ]
        )
        self.rules.horizontalHeader().setStretchLastSection(True)
        self.rules.setColumnWidth(0, 360)
        self.rules.verticalHeader().hide()
        self.add_rule_button = QPushButton(QCoreApplication.translate("TemplateBuilder", "Add a Rule…"), self)
        self.add_rule_button.setObjectName("add_rule")
        rules_box = QWidget(self)
        rules_lay = QVBoxLayout(rules_box)
        rules_lay.setContentsMargins(0, 0, 0, 0)
        rules_lay.addWidget(self.rules)
        rules_lay.addWidget(self.add_rule_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.rows, QCoreApplication.translate("TemplateBuilder", "Rows"))
        self.tabs.addTab(self.columns, QCoreApplication.translate("TemplateBuilder", "Columns"))
        self.tabs.addTab(rules_box, QCoreApplication.translate("TemplateBuilder", "Rules"))
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.tables)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 3)
        split.setSizes([200, 760])
        self.summary = QLabel(self)
        self.summary.setObjectName("builder_summary")
        self.summary.setWordWrap(True)

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(
            QCoreApplication.translate("TemplateBuilder", "Save and Use"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.save_button.setObjectName("save_template")
        self.export_button = buttons.addButton(
            QCoreApplication.translate("TemplateBuilder", "Export Template File…"),
            QDialogButtonBox.ButtonRole.ActionRole,
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.accept)
        self.export_button.clicked.connect(self.export_file)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(split, 1)
        lay.addWidget(self.summary)
        lay.addWidget(buttons)
        self.resize(980, 600)

        self.tables.currentRowChanged.connect(lambda _r: self._show_table())
        self.tables.itemChanged.connect(self._table_item_changed)
        self.rows.itemChanged.connect(lambda item: self._axis_changed(item, "rows"))
        self.columns.itemChanged.connect(lambda item: self._axis_changed(item, "columns"))
        self.rules.itemChanged.connect(self._rule_changed)
        self.add_rule_button.clicked.connect(self.add_rule)
        self.name_edit.textChanged.connect(self._name_changed)
        self.detect_edit.textChanged.connect(self._detect_changed)
        self.tables.setCurrentRow(0)
        self.recheck()

    # -- views ---------------------------------------------------------------------------------
    def _axis_table(self, name: str, heading: bool) -> QTableWidget:
        headers = [
            QCoreApplication.translate("TemplateBuilder", "Keep"),
            QCoreApplication.translate("TemplateBuilder", "As printed"),
            QCoreApplication.translate("TemplateBuilder", "Label in the template"),
        ]
        if heading:
            headers.append(QCoreApplication.translate("TemplateBuilder", "Heading of the rows below"))
        view = QTableWidget(0, len(headers), self)
        view.setObjectName(name)
        view.setHorizontalHeaderLabels(headers)
        view.verticalHeader().hide()
        view.setColumnWidth(0, 48)
        view.setColumnWidth(1, 240)
        view.setColumnWidth(2, 240)
        view.horizontalHeader().setStretchLastSection(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        return view

    def current_table(self) -> TableDraft | None:
        row = self.tables.currentRow()
        return self.draft.tables[row] if 0 <= row < len(self.draft.tables) else None

    def _show_table(self) -> None:
        t = self.current_table()
        if t is None:
            return
        self._filling = True
        try:
            self._fill_axes(self.rows, t.rows, heading=True)
            self._fill_axes(self.columns, t.columns, heading=False)
            self._fill_rules(t)
        finally:
            self._filling = False
        self._show_results()

    def _fill_axes(self, view: QTableWidget, axes: list[AxisDraft], heading: bool) -> None:
        view.setRowCount(len(axes))
        for i, a in enumerate(axes):
            keep = QTableWidgetItem()
            keep.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            keep.setCheckState(Qt.CheckState.Checked if a.keep else Qt.CheckState.Unchecked)
            printed = QTableWidgetItem(a.printed)
            printed.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            label = QTableWidgetItem(a.label)
            view.setItem(i, 0, keep)
            view.setItem(i, 1, printed)
            view.setItem(i, 2, label)
            if heading:
                head = QTableWidgetItem()
                head.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                head.setCheckState(Qt.CheckState.Checked if a.heading else Qt.CheckState.Unchecked)
                view.setItem(i, 3, head)

    def _fill_rules(self, t: TableDraft) -> None:
        self.rules.setRowCount(len(t.rules))
        for i, r in enumerate(t.rules):
            item = QTableWidgetItem(r.words)
            item.setFlags(
                Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            )
            item.setCheckState(Qt.CheckState.Checked if r.keep else Qt.CheckState.Unchecked)
            item.setToolTip(r.expr)
            self.rules.setItem(i, 0, item)
            result = QTableWidgetItem("")
            result.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.rules.setItem(i, 1, result)

    # -- edits ---------------------------------------------------------------------------------
    def _table_item_changed(self, item: QListWidgetItem) -> None:
        t = self.draft.tables[self.tables.row(item)]
        t.keep = item.checkState() == Qt.CheckState.Checked
        t.name = item.text().strip() or t.name
        self.recheck()

    def _axis_changed(self, item: QTableWidgetItem, which: str) -> None:
        t = self.current_table()
        if self._filling or t is None:
            return
        axes = t.rows if which == "rows" else t.columns
        a = axes[item.row()]
        if item.column() == 0:
            a.keep = item.checkState() == Qt.CheckState.Checked
        elif item.column() == 2:
            a.rename(item.text())
        elif item.column() == 3:
            t.set_heading(a, item.checkState() == Qt.CheckState.Checked)
        self.recheck()

    def _rule_changed(self, item: QTableWidgetItem) -> None:
        t = self.current_table()
        if self._filling or t is None or item.column() != 0:
            return
        t.rules[item.row()].keep = item.checkState() == Qt.CheckState.Checked
        self.recheck()

    def _name_changed(self, text: str) -> None:
        self.draft.name = text.strip() or self.draft.name

    def _detect_changed(self, text: str) -> None:
        words = [w.strip() for w in text.replace(",", "，").split("，")]
        self.draft.detect = [w for w in words if w]
        self.recheck()

    def add_rule(self) -> None:
        """Point at the cells of a rule: the total row and the rows it sums (in every column)."""
        t = self.current_table()
        if t is None:
            return
        dlg = RuleDialog(self, t)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.rule is not None:
            t.rules.append(dlg.rule)
            self._show_table()
            self.recheck()

    # -- the trial -----------------------------------------------------------------------------
    def recheck(self) -> None:
        """Try the draft on the sample as it stands: each rule's result, cells found."""
        try:
            template = compile_draft(self.draft)
        except TemplateError as e:
            self.trial = None
            self.summary.setText(str(e))
            self.save_button.setEnabled(False)
            return
        self.trial = try_template(template, self.sample.source, self.sample.path)
        self.save_button.setEnabled(bool(self.draft.kept_tables()))
        self._show_results()

    def _show_results(self) -> None:
        t = self.current_table()
        trial = self.trial
        if trial is None:
            return
        by_rule: dict[str, list[bool]] = {}
        for r in trial.results:
            by_rule.setdefault(r.instance.rule.id, []).append(r.status.name != "FAILED")
        if t is not None:
            self._filling = True
            try:
                for i, rule in enumerate(t.rules):
                    item = self.rules.item(i, 1)
                    if item is None:
                        continue
                    got = by_rule.get(rule.id)
                    if not rule.keep:
                        item.setText(QCoreApplication.translate("TemplateBuilder", "not used"))
                    elif not got:
                        item.setText(QCoreApplication.translate("TemplateBuilder", "no cells to check"))
                    elif all(got):
                        item.setText(
                            QCoreApplication.translate("TemplateBuilder", "✓ holds ({n} checks)").format(
                                n=len(got)
                            )
                        )
                    else:
                        item.setText(
                            QCoreApplication.translate("TemplateBuilder", "✗ fails {bad} of {n}").format(
                                bad=got.count(False), n=len(got)
                            )
                        )
            finally:
                self._filling = False
        failed = len(trial.failed)
        self.summary.setText(
            QCoreApplication.translate(
                "TemplateBuilder",
                "On this document: {found} of {cells} cells found, {checks} checks, {failed} failing.",
            ).format(
                found=trial.cells_found, cells=trial.cells_expected, checks=len(trial.results), failed=failed
            )
        )

    def export_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("TemplateBuilder", "Export template file"),
            f"{self.draft.name}.toml",
            QCoreApplication.translate("TemplateBuilder", "Template files (*.toml)"),
        )
        if not name:
            return
        try:
            save_template(self.draft, name)
        except (TemplateError, OSError) as e:
            QMessageBox.warning(self, self.windowTitle(), str(e))


class RuleDialog(QDialog):
    """A rule by pointing: this row is the sum of those rows (in every column)."""

    def __init__(self, parent: QWidget, table: TableDraft) -> None:
        super().__init__(parent)
        self.setObjectName("rule_dialog")
        self.setWindowTitle(QCoreApplication.translate("TemplateBuilder", "Add a rule"))
        self.table = table
        self.rule: RuleDraft | None = None
        rows = [a for a in table.rows if a.keep]
        self.total = QComboBox(self)
        self.total.setObjectName("rule_total")
        self.parts = QListWidget(self)
        self.parts.setObjectName("rule_parts")
        for a in rows:
            self.total.addItem(a.label, a.id)
            item = QListWidgetItem(a.label, self.parts)
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.strict = QCheckBox(
            QCoreApplication.translate("TemplateBuilder", "Check it in every column"), self
        )
        self.strict.setChecked(True)
        self.strict.setEnabled(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(QCoreApplication.translate("TemplateBuilder", "This row:"), self))
        top.addWidget(self.total, 1)
        lay.addLayout(top)
        lay.addWidget(
            QLabel(QCoreApplication.translate("TemplateBuilder", "is the sum of these rows:"), self)
        )
        lay.addWidget(self.parts, 1)
        lay.addWidget(self.strict)
        lay.addWidget(buttons)

    def _accept(self) -> None:
        total = self.total.currentData()
        parts = [
            self.parts.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.parts.count())
            if self.parts.item(i).checkState() == Qt.CheckState.Checked
        ]
        parts = [p for p in parts if p != total]
        if not parts:
            return
        self.rule = self.table.sum_rule(total, parts)
        self.accept()


class TemplateBuilderActions(QObject):
    """Mapping › New Template from This Document… and Import Template…"""

    template_saved = Signal(str)  # the saved template's id

    def __init__(self, window: WindowHost, menu: QMenu) -> None:
        super().__init__(window.widget())
        self.host = window
        menu.addSeparator()
        self.new_action = QAction(
            QCoreApplication.translate("TemplateBuilder", "&New Template from This Document…"),
            window.widget(),
        )
        self.new_action.setObjectName("new_template")
        self.new_action.triggered.connect(self.open_builder)
        menu.addAction(self.new_action)
        self.import_action = QAction(
            QCoreApplication.translate("TemplateBuilder", "&Import Template…"), window.widget()
        )
        self.import_action.triggered.connect(self.import_file)
        menu.addAction(self.import_action)
        self.dialog: TemplateBuilderDialog | None = None

    def update(self) -> None:
        c = self.host.controller
        self.new_action.setEnabled(c is not None and isinstance(c.document.extracted, ExtractedSource))

    def sample(self) -> Sample | None:
        c = self.host.controller
        if c is None or not isinstance(c.document.extracted, ExtractedSource):
            return None
        src = c.document.extracted
        doc = generic_document(src)
        return None if doc is None else Sample(Path(src.path), src, doc)

    def open_builder(self) -> None:
        sample = self.sample()
        if sample is None:
            QMessageBox.information(
                self.host.widget(),
                QCoreApplication.translate("TemplateBuilder", "New template"),
                QCoreApplication.translate(
                    "TemplateBuilder", "This document has no tables with numbers to learn from."
                ),
            )
            return
        self.dialog = dlg = TemplateBuilderDialog(self.host.widget(), sample)
        dlg.accepted.connect(self._save)
        dlg.open()

    def _save(self) -> None:
        dlg, c = self.dialog, self.host.controller
        if dlg is None or c is None:
            return
        try:
            path = save_template(dlg.draft)
        except (TemplateError, OSError) as e:
            QMessageBox.warning(self.host.widget(), dlg.windowTitle(), str(e))
            return
        template_id = dlg.draft.id
        c.change_mapping(
            template_id,
            "default",
            MappingOverrides(),
            QCoreApplication.translate("TemplateBuilder", "Use the template {name}").format(
                name=dlg.draft.name
            ),
        )
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate("TemplateBuilder", "Template saved: {path}").format(path=path), 8000
        )
        self.template_saved.emit(template_id)

    def import_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.host.widget(),
            QCoreApplication.translate("TemplateBuilder", "Import template"),
            "",
            QCoreApplication.translate("TemplateBuilder", "Template files (*.toml)"),
        )
        if not name:
            return
        try:
            path = import_template(name)
        except (TemplateError, OSError, SourceError) as e:
            QMessageBox.warning(
                self.host.widget(), QCoreApplication.translate("TemplateBuilder", "Import template"), str(e)
            )
            return
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate("TemplateBuilder", "Template imported: {path}").format(path=path), 8000
        )


__all__ = ["RuleDialog", "TemplateBuilderActions", "TemplateBuilderDialog"]
