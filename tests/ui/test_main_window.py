"""The review window driven as a clerk would: open a report, see the failing cells, fix them,
undo, follow a cell to its place on the page and back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from tests.ui.conftest import open_report, type_into

from tabledesk.core.document import MappingOverrides
from tabledesk.ui.grid.cell_state import CellState
from tabledesk.ui.grid.table_model import StateRole, TableModel


def test_models_pass_qt_model_tester(qtbot, qtmodeltester, window, corpus):
    open_report(qtbot, window, corpus / "hongze-district-2023.pdf")
    for grid in window.grids.values():
        qtmodeltester.check(grid.grid_model())
    qtmodeltester.check(window.checks_view.model())


@pytest.mark.corpus
def test_failing_table4_cells_are_red_fixed_by_typing_and_back_on_undo(qtbot, window, corpus):
    open_report(qtbot, window, corpus / "hongze-district-2023.pdf")
    grid = window.grids["t4"]
    model: TableModel = grid.grid_model()
    review_total = model.index_of("all", "review.total")
    after_total = model.index_of("all", "litigation_after_review.total")
    assert review_total.data(StateRole) is CellState.FAILED
    assert after_total.data(StateRole) is CellState.FAILED
    assert review_total.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "11" in review_total.data(Qt.ItemDataRole.ToolTipRole)
    checks = window.checks_view.model()
    assert checks.rowCount() == 2
    assert "表四" in checks.index(0, 1).data()
    assert "2 checks failing" in window.summary.text() or "2 项" in window.summary.text()

    window.tabs.setCurrentWidget(grid)
    grid.setFocus()
    type_into(qtbot, grid, review_total, "11")
    type_into(qtbot, grid, after_total, "5")
    assert window.controller.document.cell("t4", "all", "review.total").value == Decimal(11)
    assert review_total.data(StateRole) is CellState.EDITED
    assert window.controller.document.cell("t4", "all", "litigation_after_review.total").value == Decimal(5)
    assert checks.rowCount() == 0, [checks.index(r, 1).data() for r in range(checks.rowCount())]
    assert window.isWindowModified()
    assert "5" in window.undo_action.text()

    window.undo_action.trigger()
    window.undo_action.trigger()
    assert review_total.data(StateRole) is CellState.FAILED
    assert checks.rowCount() == 2
    window.redo_action.trigger()
    assert review_total.data(StateRole) is CellState.EDITED


@pytest.mark.corpus
def test_grid_cell_outlines_its_bbox_and_clicking_the_page_selects_it(qtbot, window, corpus):
    open_report(qtbot, window, corpus / "hongze-district-2023.pdf")
    pv = window.source.page_view
    qtbot.waitUntil(lambda: pv.page_count() == 5, timeout=20000)
    grid = window.grids["t3"]
    window.tabs.setCurrentWidget(grid)
    index = grid.grid_model().index_of("results.unable.need_create", "natural")  # 3 on page 3
    cell = grid.grid_model().cell(index)
    grid.setCurrentIndex(index)
    rects = pv.outline_scene_rects()
    assert len(rects) == 1
    assert rects[0] == pv.pdf_rect_to_scene(cell.prov.page, cell.prov.bbox)
    # and back: a click inside another cell's box on the page selects that grid cell
    other = window.controller.document.cell("t3", "results.public", "total")
    x0, top, x1, bottom = other.prov.bbox
    pv.point_clicked.emit(other.prov.page, (x0 + x1) / 2, (top + bottom) / 2)
    key = grid.grid_model().key(grid.currentIndex())
    assert key == ("t3", "results.public", "total")


@pytest.mark.corpus
def test_seed_text_opens_with_its_failing_rules(qtbot, window, corpus):
    open_report(qtbot, window, corpus / "jining-hitech-police-2020.txt")
    model = window.checks_view.model()
    texts = [model.index(r, 1).data() for r in range(model.rowCount())]
    failed = [t for t in texts if "不相等" in t]
    assert len(failed) == 2 and any("自然人" in t for t in failed) and any("总计" in t for t in failed)
    assert window.source.currentWidget() is window.source.text_view
    grid = window.grids["t3"]
    index = grid.grid_model().index_of("results.total", "natural")
    assert index.data() == "—" and index.data(StateRole) is CellState.FAILED


def test_unreadable_file_shows_a_dialog_and_the_app_keeps_running(qtbot, window, tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not a pdf")
    with qtbot.waitSignal(window.open_failed, timeout=20000) as sig:
        window.open_path(bad)
    assert str(bad) in sig.args[0]
    box = window.findChild(QMessageBox, "open_error")
    assert box is not None and box.isVisible()
    # one sentence naming the file; the path and the reader's words in the details
    assert "broken.pdf" in box.text() and str(bad) not in box.text()
    assert str(bad) in box.detailedText()
    box.close()
    assert window.isVisible() and window.controller is None


def test_non_numbers_are_refused_with_a_message(qtbot, window, tmp_path):
    import random

    from tests.fixtures.report_spec import random_spec
    from tests.fixtures.text_report import write_text

    src = tmp_path / "r.txt"
    write_text(random_spec(random.Random(5), "2021"), src)
    open_report(qtbot, window, src)
    grid = window.grids["t3"]
    model = grid.grid_model()
    index = model.index_of("new", "natural")
    before = index.data()
    assert not model.setData(index, "abc")
    assert (
        "not a number" in window.statusBar().currentMessage() or "数字" in window.statusBar().currentMessage()
    )
    assert index.data() == before
    assert window.controller.undo_stack.count() == 0


@pytest.mark.corpus
def test_reassigning_a_printed_row_rechecks_and_undoes(qtbot, window, corpus):
    open_report(qtbot, window, corpus / "hongze-district-2023.pdf")
    doc = window.controller.document
    t3 = doc.table("t3")
    secret = t3.rows[t3.row_index("results.denied.secret")]
    assert doc.cell("t3", "results.denied.secret", "natural").value == Decimal(1)
    law_printed = t3.rows[t3.row_index("results.denied.law")].printed_index
    window.tabs.setCurrentWidget(window.grids["t3"])
    # the clerk says: the printed row read as 1.属于国家秘密 is really 2.其他法律行政法规禁止公开
    window.mapping_actions.assign(
        "t3", secret.printed_index, "results.denied.law", "2.其他法律行政法规禁止公开"
    )
    doc = window.controller.document
    assert doc.cell("t3", "results.denied.law", "natural").value == Decimal(1)
    assert doc.cell("t3", "results.denied.secret", "natural").value is None  # now missing
    grid = window.grids["t3"]
    assert grid.grid_model().index_of("results.denied.secret", "natural").data() == "—"
    # the printed row that was 2.… is now unmatched, and shown to be assigned
    assert [u.printed_index for u in doc.table("t3").unmatched] == [law_printed]
    assert window.mapping_actions.panel.isVisible() and window.mapping_actions.panel.list.count() == 1
    statuses = {
        r.instance.key: r.status.value
        for r in window.controller.results()
        if r.instance.rule.id == "t3.results_total"
    }
    assert statuses["natural"] == "incomplete"
    assert "2.其他法律" in window.undo_action.text()

    window.undo_action.trigger()
    doc = window.controller.document
    assert doc.cell("t3", "results.denied.secret", "natural").value == Decimal(1)
    assert doc.table("t3").unmatched == []
    assert not window.mapping_actions.panel.isVisible()
    statuses = {
        r.instance.key: r.status.value
        for r in window.controller.results()
        if r.instance.rule.id == "t3.results_total"
    }
    assert statuses["natural"] == "passed"


@pytest.mark.corpus
def test_corrections_survive_a_change_of_mapping(qtbot, window, corpus):
    open_report(qtbot, window, corpus / "hongze-district-2023.pdf")
    grid = window.grids["t4"]
    model = grid.grid_model()
    model.setData(model.index_of("all", "review.total"), "11")
    window.mapping_actions.assign("t3", 0, "new", "一、本年新收政府信息公开申请数量")  # no real change
    assert window.controller.document.cell("t4", "all", "review.total").value == Decimal(11)
    new_grid = window.grids["t4"]
    assert new_grid.grid_model().index_of("all", "review.total").data(StateRole) is CellState.EDITED


def test_image_only_pdf_opens_with_pages_and_an_empty_grid_to_type_into(qtbot, window, image_only_pdf):
    with qtbot.waitSignal(window.review_opened, timeout=30000):
        window.open_path(image_only_pdf)
    pv = window.source.page_view
    qtbot.waitUntil(lambda: pv.page_count() >= 1, timeout=20000)
    doc = window.controller.document
    assert all(c.value is None for t in doc.tables for _, _, c in t.iter_cells())
    assert "OCR" in " ".join(doc.warnings)
    grid = window.grids["t4"]
    index = grid.grid_model().index_of("all", "review.total")
    assert index.data() == "—" and index.data(StateRole) is CellState.MISSING
    # typing the numbers in works as anywhere else
    assert grid.grid_model().setData(index, "3")
    assert doc.cell("t4", "all", "review.total").value == Decimal(3)
    # and the clerk can switch the empty grid to the other format
    window.controller.change_mapping("gov-disclosure-annual", "2019", MappingOverrides(), "format")
    assert "t2.item9" in window.grids and window.controller.document.format_id == "2019"
    assert window.controller.document.cell("t4", "all", "review.total").value == Decimal(3)


@pytest.mark.corpus
def test_moving_a_printed_column_rechecks_and_undoes(qtbot, window, corpus):
    open_report(qtbot, window, corpus / "hongze-district-2023.pdf")
    doc = window.controller.document
    before = [doc.cell("t3", r.id, "natural").value for r in doc.table("t3").rows]
    # the clerk says: what was read as 自然人 is really the 其他 column
    window.mapping_actions.move_column("t3", "natural", "legal.other", "其他")
    doc = window.controller.document
    t3 = doc.table("t3")
    assert [doc.cell("t3", r.id, "legal.other").value for r in t3.rows] == before
    assert all(doc.cell("t3", r.id, "natural").value is None for r in t3.rows)  # now missing
    statuses = {(r.instance.rule.id, r.instance.key): r.status.value for r in window.controller.results()}
    assert statuses[("t3.row_total", "new")] == "incomplete"  # 自然人 is now unknown
    assert statuses[("t3.balance", "legal.other")] == "passed"  # the numbers balance where they went
    window.undo_action.trigger()
    doc = window.controller.document
    assert [doc.cell("t3", r.id, "natural").value for r in doc.table("t3").rows] == before
    # and take it out altogether: the column's cells are missing, nothing else moves
    window.mapping_actions.move_column("t3", "legal.business", None, "")
    assert all(window.controller.document.cell("t3", r.id, "legal.business").value is None for r in t3.rows)
