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


def _t4_report(tmp_path, after_review: tuple[int, int, int, int, int]):
    """A generated report whose 表四 is all 0 but 复议后起诉 (结果维持, 结果纠正, 其他结果, 尚未审结,
    总计) as given."""
    import random

    from tests.fixtures.report_spec import random_spec
    from tests.fixtures.text_report import write_text

    spec = random_spec(random.Random(3), "2021")
    row = spec.values["t4"]["all"]
    for k in row:
        row[k] = 0
    for leaf, v in zip(("upheld", "corrected", "other", "pending", "total"), after_review, strict=True):
        row[f"litigation_after_review.{leaf}"] = v
    return write_text(spec, tmp_path / "r.txt")


def test_apply_2_and_apply_3_apply_the_other_listed_corrections_and_undo_restores(qtbot, window, tmp_path):
    """3 + 1 against a 总计 of 5: the total, the 3 or the 1 may be the slip; the bar lists all
    three and the clerk picks the second or the third with a click."""
    open_report(qtbot, window, _t4_report(tmp_path, (3, 1, 0, 0, 5)))
    grid = window.grids["t4"]
    window.tabs.setCurrentWidget(grid)
    model = grid.grid_model()
    bar = window.suggestion_actions.bar
    apply2, apply3 = bar.alternative_buttons
    assert bar.isVisible() and apply2.isVisible() and apply3.isVisible()
    text = bar.label.text()
    first, second, third = (text.index(s) for s in ("总计 5 → 4", "结果维持 3 → 4", "结果纠正 1 → 2"))
    assert first < second < third, text
    assert "结果维持 3 → 4" in apply2.toolTip() and "结果纠正 1 → 2" in apply3.toolTip()
    upheld = model.index_of("all", "litigation_after_review.upheld")
    corrected = model.index_of("all", "litigation_after_review.corrected")
    total = model.index_of("all", "litigation_after_review.total")
    doc = window.controller.document

    qtbot.mouseClick(apply3, Qt.MouseButton.LeftButton)
    assert corrected.data() == "2" and upheld.data() == "3" and total.data() == "5"
    assert corrected.data(StateRole) is CellState.EDITED and doc.edits[-1].reason is EditReason.SUGGESTED
    assert not apply2.isVisible() and not bar.isVisible()  # balanced: nothing left to suggest
    qtbot.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert corrected.data() == "1" and corrected.data(StateRole) is CellState.FAILED

    assert apply2.isVisible()
    qtbot.mouseClick(apply2, Qt.MouseButton.LeftButton)
    assert upheld.data() == "4" and corrected.data() == "1" and total.data() == "5"
    window.controller.undo_stack.undo()
    assert upheld.data() == "3"

    # the menu has the same two entries; Ctrl+Enter still applies the first listed
    second_entry, third_entry = window.suggestion_actions.alternative_actions
    assert second_entry.isEnabled() and third_entry.isEnabled()
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert total.data() == "4" and upheld.data() == "3"
    assert not second_entry.isEnabled() and not third_entry.isEnabled()


def test_with_two_listed_only_apply_2_is_offered(qtbot, window, tmp_path):
    """复议后起诉 5 against a 总计 of 0 (hongze-district-2023): the total left 0 first, the 5 second."""
    open_report(qtbot, window, _t4_report(tmp_path, (5, 0, 0, 0, 0)))
    grid = window.grids["t4"]
    window.tabs.setCurrentWidget(grid)
    apply2, apply3 = window.suggestion_actions.bar.alternative_buttons
    assert apply2.isVisible() and not apply3.isVisible()
    assert "结果维持 5 → 0" in apply2.toolTip()
    upheld = grid.grid_model().index_of("all", "litigation_after_review.upheld")
    qtbot.mouseClick(apply2, Qt.MouseButton.LeftButton)
    assert upheld.data() == "0"
    qtbot.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert upheld.data() == "5"


def test_ctrl_enter_on_an_unfilled_total_fills_in_the_sum_of_its_parts(qtbot, window, tmp_path):
    import random

    from tests.fixtures.report_spec import random_spec
    from tests.fixtures.text_report import write_text

    spec = random_spec(random.Random(31), "2021", blank_totals="column", scale=250)
    open_report(qtbot, window, write_text(spec, tmp_path / "r.txt"))
    grid = window.grids["t3"]
    window.tabs.setCurrentWidget(grid)
    model = grid.grid_model()
    index = model.index_of("new", "total")
    assert index.data(StateRole) is CellState.UNFILLED
    want = str(spec.values["t3"]["new"]["total"])
    grid.setCurrentIndex(index)
    grid.setFocus()
    bar = window.suggestion_actions.bar
    assert bar.isVisible() and want in bar.label.text() and "Ctrl+Enter" in bar.label.text()
    qtbot.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert index.data() == want and index.data(StateRole) is CellState.EDITED
    doc = window.controller.document
    assert doc.cell("t3", "new", "total").value == Decimal(want)
    assert doc.edits[-1].reason is EditReason.SUGGESTED
    # only that total: the others are still left unfilled
    other = next(r for r, v in spec.values["t3"].items() if r != "new" and v["total"])
    assert model.index_of(other, "total").data(StateRole) is CellState.UNFILLED
    qtbot.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert index.data(StateRole) is CellState.UNFILLED and doc.cell("t3", "new", "total").value is None
