"""The review window as a new clerk meets it: the start page, a report opened on its first
problem with badges on the tabs, F8 and Apply leaving the cell ready to type into, finding a
number, printing to PDF, the list of changes, and "all checks pass" at the end."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from tests.ui.conftest import open_report, type_into

from tabledesk.ui.window.changes_view import ChangeKeyRole
from tabledesk.ui.window.find_bar import GridMatch, SourceMatch
from tabledesk.ui.window.start_page import sample_report

REVIEW_TOTAL = ("t4", "all", "review.total")
AFTER_TOTAL = ("t4", "all", "litigation_after_review.total")


def focused_key(window):  # noqa: ANN001, ANN201
    """The grid cell that has the keyboard focus, as (table, row, column), or None."""
    focus = QApplication.focusWidget()
    grid = window.current_grid()
    if focus is not grid or grid is None:
        return None
    return grid.grid_model().key(grid.currentIndex())


def type_keys(qtbot, text: str) -> None:  # noqa: ANN001
    """Type at whatever has the focus, as a clerk does, then Enter."""
    qtbot.keyClicks(QApplication.focusWidget(), text[0])
    qtbot.keyClicks(QApplication.focusWidget(), text[1:])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.wait(1)


@pytest.fixture
def opened(qtbot, window, hongze_2023_pdf):  # noqa: ANN001, ANN201
    window.activateWindow()
    open_report(qtbot, window, hongze_2023_pdf)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.current_grid())
    return window


def test_a_report_opens_on_its_first_problem_with_badges_on_the_tabs(opened):
    window = opened
    assert window.tabs.tabText(window.tabs.currentIndex()) == "表四 (2)"
    assert focused_key(window) == REVIEW_TOTAL  # the first failing cell, ready to type into
    texts = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert texts.count("表四 (2)") == 1 and "表三" in texts  # tables that pass carry no badge
    t4 = texts.index("表四 (2)")
    assert not window.tabs.tabIcon(t4).isNull() and window.tabs.tabIcon(texts.index("表三")).isNull()
    assert not window.all_passed


def test_f8_then_typing_corrects_the_cell_and_all_checks_pass_at_the_end(qtbot, opened):
    window = opened
    window.checks_view.setFocus()
    qtbot.keyClick(window.checks_view, Qt.Key.Key_F8)  # to the second problem
    assert focused_key(window) == AFTER_TOTAL
    type_keys(qtbot, "5")
    doc = window.controller.document
    assert doc.cell(*AFTER_TOTAL).value == Decimal(5)
    assert window.summary.text().startswith("1 check failing")  # singular in English

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert focused_key(window) == REVIEW_TOTAL
    type_keys(qtbot, "11")
    assert doc.cell(*REVIEW_TOTAL).value == Decimal(11)
    assert window.all_passed
    assert "All checks pass" in window.checks_title.text() and "All checks pass" in window.summary.text()
    assert window.tabs.tabText(window.tabs.indexOf(window.grids["t4"])) == "表四"


def test_apply_and_dismiss_leave_the_focus_on_the_grid(qtbot, opened):
    window = opened
    bar = window.suggestion_actions.bar
    window.checks_view.setFocus()
    qtbot.mouseClick(bar.dismiss_button, Qt.MouseButton.LeftButton)
    assert focused_key(window) is not None
    window.checks_view.setFocus()
    qtbot.mouseClick(bar.apply_button, Qt.MouseButton.LeftButton)
    corrected = window.controller.document.edits[-1].changes[0]
    assert focused_key(window) == (corrected.table_id, corrected.row_id, corrected.col_id)
    type_keys(qtbot, "7")  # typing goes into the cell just corrected
    assert window.controller.document.cell(corrected.table_id, corrected.row_id, corrected.col_id).value == 7


def test_redo_is_both_ctrl_y_and_ctrl_shift_z(qtbot, opened):
    window = opened
    keys = {s.toString() for s in window.redo_action.shortcuts()}
    assert {"Ctrl+Y", "Ctrl+Shift+Z"} <= keys
    grid = window.grids["t4"]
    index = grid.grid_model().index_of(*REVIEW_TOTAL[1:])
    type_into(qtbot, grid, index, "11")
    doc = window.controller.document
    for redo in (QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")):
        window.undo_action.trigger()
        assert doc.cell(*REVIEW_TOTAL).value == 0
        combo = redo[0]
        qtbot.keyClick(grid, combo.key(), combo.keyboardModifiers())
        assert doc.cell(*REVIEW_TOTAL).value == 11


def test_find_goes_through_numbers_in_the_grids_then_the_source(qtbot, opened):
    window = opened
    find = window.find_bar
    qtbot.keyClick(window.current_grid(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert find.bar.isVisible() and QApplication.focusWidget() is find.edit
    qtbot.keyClicks(find.edit, "1136")  # printed once, in the narrative: 主动公开政府信息 1136 条
    assert find.matches and all(isinstance(m, SourceMatch) for m in find.matches)
    assert window.source.page_view.outline_scene_rects()  # outlined on the page

    find.edit.clear()
    qtbot.keyClicks(find.edit, "21")
    grid_hits = [m for m in find.matches if isinstance(m, GridMatch)]
    assert GridMatch("t3", "new", "natural") in grid_hits
    assert find.count.text() == f"1 of {len(find.matches)}"
    grid = window.current_grid()
    assert grid.grid_model().key(grid.currentIndex()) == vars_of(grid_hits[0])  # the first match shown
    qtbot.keyClick(find.edit, Qt.Key.Key_Return)
    assert find.position == 1
    qtbot.keyClick(find.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert find.position == 0

    find.edit.clear()
    find.edit.setText("不予公开")  # a label: its row (typed by an input method)
    hit = find.matches[0]
    assert isinstance(hit, GridMatch) and hit.table_id == "t3"
    assert window.current_grid() is window.grids["t3"]
    qtbot.keyClick(find.edit, Qt.Key.Key_Escape)
    assert not find.bar.isVisible() and QApplication.focusWidget() is window.current_grid()


def vars_of(match: GridMatch) -> tuple[str, str, str]:
    return (match.table_id, match.row_id, match.col_id)


def test_print_to_pdf_writes_one_page_per_table_with_the_marks(qtbot, opened, tmp_path):
    window = opened
    grid = window.grids["t3"]
    window.tabs.setCurrentWidget(grid)
    type_into(qtbot, grid, grid.grid_model().index_of("new", "natural"), "22")  # a correction
    out = tmp_path / "printed.pdf"
    pages = window.print_actions.print_to_pdf(str(out))
    tables = window.controller.document.tables
    assert pages == len(tables) == 6
    pdf = pdfium.PdfDocument(str(out))
    try:
        assert len(pdf) == len(tables)
        # NFKC: the PDF's font gives some characters as their radicals (⼈ for 人)
        texts = [
            unicodedata.normalize("NFKC", pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))
        ]
    finally:
        pdf.close()
    for i, (table, text) in enumerate(zip(tables, texts, strict=True)):
        assert "洪泽区" in text and "政府 · 2023" in text
        assert unicodedata.normalize("NFKC", window.controller.table_name(table.id)) in text
        assert f"Page {i + 1} of 6" in text
    t3 = texts[[t.id for t in tables].index("t3")]
    assert "22 (21)" in t3  # corrected, with the printed value beside it
    t4 = texts[[t.id for t in tables].index("t4")]
    assert "! 10" in t4  # a failing cell, marked by more than colour


def test_changes_view_lists_each_edit_and_goes_to_its_cell(qtbot, opened):
    window = opened
    changes = window.changes_view
    assert changes.model is not None and changes.model.rowCount() == 0
    grid = window.grids["t4"]
    type_into(qtbot, grid, grid.grid_model().index_of(*REVIEW_TOTAL[1:]), "11")
    model = changes.model
    assert model.rowCount() == 1
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert "表四" in row[0] and "总计" in row[0]
    assert row[1] == "0 → 11"
    assert row[2] == "Extraction error" and row[3] and row[4] == window.controller.document.edits[0].user
    window.changes_view.toggle_action.trigger()
    assert changes.dock.isVisible()
    window.tabs.setCurrentWidget(window.grids["t3"])
    changes.view.clicked.emit(model.index(0, 0))
    assert window.current_grid() is grid
    assert grid.grid_model().key(grid.currentIndex()) == model.index(0, 0).data(ChangeKeyRole)
    window.undo_action.trigger()
    assert model.rowCount() == 0


def test_column_groups_are_bands_and_labels_can_be_narrowed(opened):
    grid = opened.grids["t3"]
    band = grid.band_header()
    assert band.path(0) == ("自然人",) and band.band_span(0, 0) is None  # runs the full height
    assert band.path(1) == ("法人或其他组织", "商业企业")
    assert all(band.band_span(c, 0) == (1, 5) for c in range(1, 6))  # one band over five columns
    assert grid.grid_model().headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    labels = grid.label_header()
    model = grid.grid_model()
    long_row = next(r for r, g in enumerate(model.rows) if "区分处理" in g.label)
    before = labels.sectionSize(long_row)
    labels.set_label_width(120)
    labels.fit_rows()
    assert labels.label_width() == 120 and labels.sizeHint().width() == 120
    assert labels.sectionSize(long_row) > before  # wrapped onto more lines, not cut off


def test_zoom_keeps_the_selected_cell_in_view(qtbot, opened):
    window = opened
    pv = window.source.page_view
    qtbot.waitUntil(lambda: pv.page_count() == 5, timeout=20000)
    window.select_cell("t3", "results.unable.need_create", "natural")
    qtbot.waitUntil(lambda: bool(pv.outline_scene_rects()))
    for _ in range(4):
        pv.zoom_in()
    outline = pv.mapFromScene(pv.outline_scene_rects()[0]).boundingRect()
    assert pv.viewport().rect().contains(outline)


def test_start_page_then_the_sample(qtbot, window, isolated_profile):
    assert window.pages.currentWidget() is window.start_page
    assert window.start_page.open_button.isVisible() and window.start_page.folder_button.isVisible()
    sample = sample_report()
    assert sample is not None
    with qtbot.waitSignal(window.review_opened, timeout=60000):
        qtbot.mouseClick(window.start_page.sample_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.splitter
    window.close_review()
    assert window.pages.currentWidget() is window.start_page
    recent = window.start_page.recent
    assert recent.count() == 1 and str(sample) in recent.item(0).toolTip()


def test_help_has_the_keyboard_map(qtbot, window):
    from tabledesk.ui.window.help import KeyboardHelp

    window.show_keyboard_help()
    dialog = window.findChild(KeyboardHelp)
    assert dialog is not None and dialog.isVisible()
    keys = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert "F8 / Shift+F8" in keys and "Ctrl+Y / Ctrl+Shift+Z" in keys
    dialog.close()
