"""A 部门决算 in the window, as a clerk meets it: detected by itself, one tab per table with its
unit, code rows labelled with their codes, a slip shown red in the grid and the checks list, a
rule across tables selecting its own table's cells, the suggested fix applied with one key and
undone, and the corrected document exported to JSON and Excel."""

from __future__ import annotations

import json
import random

import openpyxl
from PySide6.QtCore import Qt
from tests.fixtures.final_accounts.errors import inject_error
from tests.fixtures.final_accounts.generate import generate
from tests.fixtures.final_accounts.html import write_html
from tests.ui.conftest import open_report

from tabledesk.ui.grid.cell_state import CellState
from tabledesk.ui.grid.checks_model import ResultRole
from tabledesk.ui.grid.table_model import StateRole


def _slip_report(tmp_path):  # noqa: ANN001, ANN202
    """A report with a decimal point slipped in a 类's total in 表三: a figure 表一 prints too."""
    for seed in range(200):
        spec, err = inject_error(generate(seed), random.Random(seed), "decimal_slip")
        if err.table == "fa3" and err.col == "total" and len(err.row) == 4:
            return spec, err, write_html(spec, tmp_path / "r.html")
    raise AssertionError("no seed slips a 类 of 表三")


def test_a_final_accounts_report_in_the_window(qtbot, window, tmp_path) -> None:  # noqa: ANN001
    spec, err, path = _slip_report(tmp_path)
    open_report(qtbot, window, path)
    doc = window.controller.document
    assert doc.template_id == "dept-final-accounts"
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert any(n.startswith("表三") for n in names)
    grid = window.grids["fa3"]
    i = window.tabs.indexOf(grid)
    assert "万元" in window.tabs.tabToolTip(i) or spec.unit.label in window.tabs.tabToolTip(i)
    window.tabs.setCurrentWidget(grid)
    model = grid.grid_model()
    # the code row reads as the form prints it, code and name
    code = err.row[1:]
    labels = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    assert any(str(lab).startswith(code) for lab in labels)
    index = model.index_of(err.row, err.col)
    assert index.data(StateRole) is CellState.FAILED
    # the slip's check in the list; clicking one that spans tables selects this table's cells only
    checks = window.checks_view.model()
    rows = [checks.index(r, 1) for r in range(checks.rowCount())]
    failing = [ix for ix in rows if ix.data(ResultRole) is not None and ix.data(ResultRole).red]
    assert failing
    across = [ix for ix in failing if {k[0] for k in ix.data(ResultRole).cells} == {"fa1.expense", "fa3"}]
    assert across, [ix.data() for ix in failing]  # 表一 prints the same 类 total
    window.checks_view.setCurrentIndex(across[0])
    window.checks_view.clicked.emit(across[0])
    shown = window.grids["fa1.expense"]
    assert window.tabs.currentWidget() is shown
    selected = {(ix.row(), ix.column()) for ix in shown.selectionModel().selectedIndexes()}
    assert selected == {(shown.grid_model().index_of(err.row, "amount").row(), 0)}
    # its fix is in 表三, a table the clerk is not looking at: Ctrl+Enter leaves it alone
    window.checks_view.setFocus()
    qtbot.keyClick(window.checks_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert doc.edits == []
    # the suggested fix, "小数点错位", applied with Ctrl+Enter in the table shown, then undone
    window.tabs.setCurrentWidget(grid)
    key = (err.table, err.row, err.col)
    own = [ix for ix in failing if ix.data(ResultRole).instance.table_id == "fa3"]
    mine = next(ix for ix in own if key in ix.data(ResultRole).cells)
    window.checks_view.setCurrentIndex(mine)
    window.checks_view.clicked.emit(mine)
    assert window.suggestion_actions.bar.isVisible()
    assert "小数点错位" in mine.data() or "decimal point" in mine.data(), mine.data()
    window.checks_view.setFocus()
    qtbot.keyClick(window.checks_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert doc.cell(err.table, err.row, err.col).value == err.true_value
    assert index.data(StateRole) is CellState.EDITED
    window.controller.undo_stack.undo()
    assert doc.cell(err.table, err.row, err.col).value == err.printed_value
    window.controller.undo_stack.redo()
    # exported: the unit with each table, the corrected value, the code rows
    out = tmp_path / "out.json"
    assert window.file_actions.export_to(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    fa3 = next(t for t in data["tables"] if t["id"] == "fa3")
    assert fa3["unit"] == spec.unit.label
    row = [r["id"] for r in fa3["rows"]].index(err.row)
    col = [c["id"] for c in fa3["columns"]].index(err.col)
    assert str(fa3["values"][row][col]) == str(float(err.true_value)) or fa3["values"][row][col] == float(
        err.true_value
    )
    xlsx = tmp_path / "out.xlsx"
    assert window.file_actions.export_to(xlsx)
    book = openpyxl.load_workbook(xlsx)
    assert any(f"单位：{spec.unit.label}" in str(ws.cell(1, 1).value or "") for ws in book.worksheets)
