"""Suggested corrections in the window: shown in the checks panel and on the failing cells,
applied with Ctrl+Enter as an undoable edit with the reason "suggested correction"."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from tests.ui.conftest import open_report

from tabledesk.core.edits import EditReason
from tabledesk.ui.grid.cell_state import CellState
from tabledesk.ui.grid.table_model import StateRole
from tabledesk.ui.window.main_window import MainWindow


def checks_texts(window: MainWindow) -> list[str]:
    model = window.checks_view.model()
    return [model.index(r, 1).data() for r in range(model.rowCount())]


def test_ctrl_enter_applies_the_suggested_total_and_ctrl_z_brings_it_back(qtbot, window, hongze_2023_pdf):
    open_report(qtbot, window, hongze_2023_pdf)
    grid = window.grids["t4"]
    model = grid.grid_model()
    review_total = model.index_of("all", "review.total")
    texts = checks_texts(window)
    assert len(texts) == 2
    assert any("总计 0 → 11" in t for t in texts), texts
    # 复议后起诉 5 against 0: the 5 or the total; both listed, each with its confidence
    assert any("总计 0 → 5" in t and "结果维持 5 → 0" in t for t in texts), texts
    # the failing cell says it too, and so does the bar under the checks once 表四 is shown
    assert "总计 0 → 11" in review_total.data(Qt.ItemDataRole.ToolTipRole)
    window.tabs.setCurrentWidget(grid)
    assert window.suggestion_actions.bar.isVisible()

    # the 行政复议 check selected: Ctrl+Enter applies its suggestion
    row = next(r for r, t in enumerate(texts) if "0 → 11" in t)
    window.checks_view.setCurrentIndex(window.checks_view.model().index(row, 1))
    window.checks_view.setFocus()
    qtbot.keyClick(window.checks_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    doc = window.controller.document
    assert doc.cell("t4", "all", "review.total").value == Decimal(11)
    assert doc.edits[-1].reason is EditReason.SUGGESTED
    assert review_total.data(StateRole) is CellState.EDITED
    assert len(checks_texts(window)) == 1  # the 行政复议 check passes
    assert "0 → 5" in checks_texts(window)[0]

    qtbot.keyClick(window.checks_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.cell("t4", "all", "review.total").value == Decimal(0)
    assert review_total.data(StateRole) is CellState.FAILED
    assert any("总计 0 → 11" in t for t in checks_texts(window))


def test_dismissing_hides_the_suggestion_and_nothing_is_applied_silently(qtbot, window, hongze_2023_pdf):
    open_report(qtbot, window, hongze_2023_pdf)
    doc = window.controller.document
    actions = window.suggestion_actions
    assert doc.edits == []  # opening suggests, never applies
    window.tabs.setCurrentWidget(window.grids["t4"])
    row = next(r for r, t in enumerate(checks_texts(window)) if "0 → 11" in t)
    window.checks_view.setCurrentIndex(window.checks_view.model().index(row, 1))
    actions.dismiss_action.trigger()
    assert not any("0 → 11" in t for t in checks_texts(window))
    assert doc.edits == [] and doc.cell("t4", "all", "review.total").value == Decimal(0)
    # the other group's likeliest correction is still one key away
    other = actions.current()
    assert other is not None and other.table_id == "t4"
    actions.apply_action.trigger()
    (change,) = other.changes
    assert doc.cell(*change.key).value == change.new
    assert doc.cell("t4", "all", "review.total").value == Decimal(0)
