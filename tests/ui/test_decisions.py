"""A decision per failing check in the window — "原文如此" (accept as printed, with a note):
undoable, listed as accepted, saved, exported; asking before a review with failures still open
is marked reviewed or exported; the edit reason chosen beside the grid, in the exports' words;
and Ctrl+Enter only ever acting on the table shown."""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import write_text
from tests.ui.conftest import REPO, on_next_dialog, open_report, type_into

from tabledesk.core.document import ReviewStatus
from tabledesk.core.edits import EditReason
from tabledesk.exports.common import REASON_LABELS
from tabledesk.resources import resource_path
from tabledesk.store.review_files import load_review_file
from tabledesk.ui.grid.cell_state import CellState
from tabledesk.ui.grid.table_model import StateRole
from tabledesk.ui.window.main_window import MainWindow, reason_labels

TOTAL = ("t4", "all", "review.total")


@pytest.fixture
def unbalanced(tmp_path: Path) -> Path:
    """A generated report whose 表四 fails as hongze-district-2023's does: 行政复议 10 + 1
    against a 总计 of 0, 复议后起诉 5 against 0; everything else balances."""
    spec = random_spec(random.Random(3), "2021")
    row = spec.values["t4"]["all"]
    for g in ("review", "litigation_direct", "litigation_after_review"):
        for s in ("upheld", "corrected", "other", "pending", "total"):
            row[f"{g}.{s}"] = 0
    row["review.upheld"], row["review.corrected"] = 10, 1
    row["litigation_after_review.upheld"] = 5
    (tmp_path / "src").mkdir()
    return write_text(spec, tmp_path / "src" / "report.txt")




def texts(w: MainWindow) -> list[str]:
    model = w.checks_view.model()
    return [model.index(r, 1).data() for r in range(model.rowCount())]


def select_check(w: MainWindow, needle: str) -> None:
    row = next(r for r, t in enumerate(texts(w)) if needle in t)
    w.checks_view.setCurrentIndex(w.checks_view.model().index(row, 1))


def state(w: MainWindow, key: tuple[str, str, str]) -> CellState:
    model = w.grids[key[0]].grid_model()
    return model.index_of(key[1], key[2]).data(StateRole)


def test_accept_as_printed_is_undoable_listed_reopened_saved_and_exported(
    qtbot, window, unbalanced, tmp_path
):
    open_report(qtbot, window, unbalanced)
    c = window.controller
    assert c.failing_count() == 2 and state(window, TOTAL) is CellState.FAILED
    select_check(window, "0 → 11")
    assert window.decision_actions.accept_action.isEnabled()
    assert window.decision_actions.accept_selected("原表如此印刷，已电话核实")
    # listed as accepted, with its note, after the open failure; grey, not red
    assert c.failing_count() == 1 and c.accepted_count() == 1
    listed = texts(window)
    assert "Accepted as printed" in listed[-1] and "原表如此印刷，已电话核实" in listed[-1]
    assert "0 → 11" not in listed[-1]  # an accepted check asks for no correction
    assert state(window, TOTAL) is CellState.ACCEPTED
    assert "1 accepted as printed" in window.summary.text()
    assert window.isWindowModified()

    c.undo_stack.undo()
    assert c.failing_count() == 2 and state(window, TOTAL) is CellState.FAILED
    assert not any("Accepted as printed" in t for t in texts(window))
    c.undo_stack.redo()
    assert c.accepted_count() == 1 and state(window, TOTAL) is CellState.ACCEPTED

    # reopened: open again; undo brings the decision back with its note
    select_check(window, "Accepted as printed")
    assert window.decision_actions.reopen_action.isEnabled()
    window.decision_actions.reopen_selected()
    assert c.accepted_count() == 0 and state(window, TOTAL) is CellState.FAILED
    c.undo_stack.undo()
    (decision,) = c.document.accepted.values()
    assert decision.note == "原表如此印刷，已电话核实"

    # saved in the review file and exported
    saved = tmp_path / "r.tabledesk"
    assert window.file_actions.save_to(saved)
    assert list(load_review_file(saved).document.accepted.values())[0].note == decision.note
    out = tmp_path / "r.json"
    assert window.file_actions.export_to(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(resource_path("export.schema.json").read_text(encoding="utf-8")))
    t4 = next(t for t in data["tables"] if t["id"] == "t4")
    statuses = {ch["instance"]: ch for ch in t4["checks"] if ch["status"] in ("failed", "accepted")}
    accepted = [ch for ch in statuses.values() if ch["status"] == "accepted"]
    assert len(accepted) == 1 and accepted[0]["passed"] is False
    assert accepted[0]["accepted"]["note"] == decision.note
    xlsx = tmp_path / "r.xlsx"
    assert window.file_actions.export_to(xlsx)
    ws = openpyxl.load_workbook(xlsx)["校验"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    kept = [r for r in rows if r["状态"] == "原文如此"]
    assert len(kept) == 1 and kept[0]["处理"] == f"原文如此（{decision.note}）" and not kept[0]["建议更正"]
    assert sum(r["状态"] == "未通过" for r in rows) == 1


def test_marking_reviewed_or_exporting_with_open_failures_asks_first_and_says_how_many(
    qtbot, window, unbalanced, tmp_path
):
    open_report(qtbot, window, unbalanced)
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> Callable[[QWidget], None]:
        def act(box: QWidget) -> None:
            assert isinstance(box, QMessageBox) and box.objectName() == "open_failures"
            asked.append(box.text())
            box.button(button).click()

        return act

    on_next_dialog(answer(QMessageBox.StandardButton.Cancel))
    window.reviewed_action.trigger()
    assert "2 checks still fail" in asked[-1]
    assert window.controller.document.review_status is not ReviewStatus.REVIEWED
    assert not window.reviewed_action.isChecked()

    def cancel_export(box: QWidget) -> None:  # the export's own summary of what is open
        assert isinstance(box, QMessageBox) and box.objectName() == "export_summary"
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    on_next_dialog(cancel_export)
    assert window.file_actions.export() is False
    assert "2 problems are still open" in asked[-1]

    # one accepted as printed: the question counts only the one still open
    select_check(window, "0 → 11")
    window.decision_actions.accept_selected("")
    on_next_dialog(answer(QMessageBox.StandardButton.Yes))
    window.reviewed_action.trigger()
    assert "1 checks still fail" in asked[-1]
    assert window.controller.document.review_status is ReviewStatus.REVIEWED


def test_ctrl_enter_applies_only_in_the_table_shown(qtbot, window, unbalanced):
    open_report(qtbot, window, unbalanced)
    doc = window.controller.document
    t2 = next(tid for tid in window.grids if tid.startswith("t2"))
    window.tabs.setCurrentWidget(window.grids[t2])
    select_check(window, "0 → 11")  # a 表四 check selected, but 表二 shown
    window.tabs.setCurrentWidget(window.grids[t2])
    grid = window.grids[t2]
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert doc.edits == []  # never a table the clerk is not looking at
    assert not window.suggestion_actions.bar.isVisible()

    window.tabs.setCurrentWidget(window.grids["t4"])
    select_check(window, "0 → 11")
    qtbot.keyClick(window.checks_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert doc.cell(*TOTAL).value == Decimal(11) and doc.edits[-1].reason is EditReason.SUGGESTED
    assert "可信度" in doc.edits[-1].note  # the note says how sure the suggestion was


def test_several_equally_good_corrections_are_listed_with_their_confidence(qtbot, window, unbalanced):
    open_report(qtbot, window, unbalanced)
    window.tabs.setCurrentWidget(window.grids["t4"])
    select_check(window, "复议后起诉")
    text = window.suggestion_actions.bar.label.text()
    assert "Several corrections" in text, text
    assert "1. " in text and "2. " in text and text.count("可信度") >= 2
    assert "总计 0 → 5" in text


def test_the_edit_reason_is_chosen_beside_the_grid_in_the_words_of_the_exports(qtbot, window, unbalanced):
    for reason, label in reason_labels():
        assert label.lower() == REASON_LABELS[reason]["en"].lower()
    ts = ET.parse(REPO / "resources" / "translations" / "tabledesk_zh_CN.ts")
    zh = {
        m.findtext("source"): m.findtext("translation")
        for ctx in ts.getroot()
        if ctx.findtext("name") == "MainWindow"
        for m in ctx.iter("message")
    }
    for reason, label in reason_labels():
        assert zh[label] == REASON_LABELS[reason]["zh"], label

    open_report(qtbot, window, unbalanced)
    box = window.reason_box
    assert box.isVisible()  # beside the tables' tabs, where the clerk types
    box.setCurrentIndex(box.findData(EditReason.SOURCE_INCONSISTENT.value))
    box.activated.emit(box.currentIndex())
    assert window.reason_actions[EditReason.SOURCE_INCONSISTENT].isChecked()
    grid = window.grids["t4"]
    window.tabs.setCurrentWidget(grid)
    type_into(qtbot, grid, grid.grid_model().index_of("all", "review.total"), "11")
    assert window.controller.document.edits[-1].reason is EditReason.SOURCE_INCONSISTENT
    window.reason_actions[EditReason.OCR_ERROR].trigger()  # the menu moves the box too
    assert box.currentData() == EditReason.OCR_ERROR.value


def test_the_queue_counts_accepted_checks_apart_from_failing_ones():
    from tabledesk.exports.dataset import DocStatus, DocumentRecord
    from tabledesk.store.queue import EntryState, QueueEntry
    from tabledesk.ui.queue.queue_model import status_text

    def entry(failed: int, accepted: int) -> QueueEntry:
        status = DocStatus.FAILED if failed else DocStatus.PASSED
        rec = DocumentRecord("a.pdf", status, failed_errors=failed, accepted=accepted)
        return QueueEntry(1, "a.pdf", EntryState.READY, "", "", None, False, False, 1, rec, "in_progress")

    assert status_text(entry(1, 2)) == "1 checks failing · 2 accepted as printed"
    assert status_text(entry(0, 2)) == "passed · 2 accepted as printed"
    assert status_text(entry(0, 0)) == "passed"
