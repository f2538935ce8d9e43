"""Cells read by OCR with low confidence: their own colour, icon and tooltip until corrected."""

from __future__ import annotations

import random
from decimal import Decimal

from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec
from tests.ui.conftest import type_into

from tabledesk.review.review import Review
from tabledesk.templates.registry import builtin_template
from tabledesk.ui.grid.cell_state import BACKGROUND, CellState, state_icon
from tabledesk.ui.grid.table_model import StateRole


def test_an_uncertain_ocr_cell_is_shown_as_such_until_the_clerk_corrects_it(qtbot, window, tmp_path) -> None:
    spec = random_spec(random.Random(11), "2021")
    doc = document_from_spec(spec)
    for t in doc.tables:
        for _, _, c in t.iter_cells():
            c.ocr_confidence = 0.99  # read by OCR, and sure of it
    doc.cell("t3", "new", "natural").ocr_confidence = 0.41
    window.set_review(Review(doc, builtin_template(spec.template_id)), tmp_path / "scan.pdf")
    model = window.grids["t3"].grid_model()
    index = model.index_of("new", "natural")
    assert index.data(StateRole) is CellState.UNCERTAIN
    assert CellState.UNCERTAIN in BACKGROUND and state_icon(CellState.UNCERTAIN) is not None
    assert "OCR" in index.data(0x0003) and "41%" in index.data(0x0003)  # ToolTipRole
    sure = model.index_of("new", "total")
    assert sure.data(StateRole) is not CellState.UNCERTAIN
    # listed in the checks panel; clicking it goes to the cell
    checks = window.checks_view.model()
    rows = [checks.index(r, 1).data() for r in range(checks.rowCount())]
    assert any("OCR" in t and "41%" in t for t in rows)
    window.tabs.setCurrentWidget(window.grids["t4"])
    window._on_check_clicked(checks.index(rows.index(next(t for t in rows if "41%" in t)), 1))
    assert window.current_grid() is window.grids["t3"]
    assert window.grids["t3"].currentIndex() == index
    old = doc.cell("t3", "new", "natural").value
    assert model.setData(index, str(old + 1))
    assert doc.cell("t3", "new", "natural").value == Decimal(old + 1)
    assert index.data(StateRole) is not CellState.UNCERTAIN
    assert not any("41%" in (checks.index(r, 1).data() or "") for r in range(checks.rowCount()))


def test_typing_the_same_number_into_an_uncertain_cell_confirms_it_and_undo_takes_that_back(
    qtbot, window, tmp_path
) -> None:
    from tabledesk.store.codec import document_from_dict, document_to_dict

    spec = random_spec(random.Random(12), "2021")
    doc = document_from_spec(spec)
    cell = doc.cell("t3", "new", "natural")
    cell.ocr_confidence = 0.52
    window.set_review(Review(doc, builtin_template(spec.template_id)), tmp_path / "scan.pdf")
    grid = window.grids["t3"]
    model = grid.grid_model()
    index = model.index_of("new", "natural")
    checks = window.checks_view.model()

    def listed() -> bool:
        return any("52%" in (checks.index(r, 1).data() or "") for r in range(checks.rowCount()))

    assert index.data(StateRole) is CellState.UNCERTAIN and listed()
    window.tabs.setCurrentWidget(grid)
    grid.setFocus()
    type_into(qtbot, grid, index, str(cell.value))  # the clerk reads the page: it says the same
    assert cell.value == cell.printed and cell.confirmed and not cell.uncertain
    assert index.data(StateRole) is not CellState.UNCERTAIN and not listed()
    assert window.controller.undo_stack.count() == 1
    assert str(cell.value) in window.undo_action.text() or str(
        cell.value
    ) in window.controller.undo_stack.text(0)
    # kept in a saved review
    again = document_from_dict(document_to_dict(doc)).cell("t3", "new", "natural")
    assert again.ocr_confidence == 0.52 and again.confirmed and not again.uncertain
    window.undo_action.trigger()
    assert cell.uncertain and index.data(StateRole) is CellState.UNCERTAIN and listed()
    # the same number typed into a cell OCR was sure of changes nothing
    sure = model.index_of("new", "total")
    assert not model.setData(sure, str(doc.cell("t3", "new", "total").value))
    assert window.controller.undo_stack.count() == 1  # only the (undone) confirmation


def test_the_digits_ocr_doubted_are_marked_in_the_grid_and_named_in_the_tooltip(
    qtbot, window, tmp_path
) -> None:
    from PySide6.QtCore import Qt

    from tabledesk.exports.json_export import document_json
    from tabledesk.ui.grid.unsure_digits import MARK, UnsureCharsRole

    spec = random_spec(random.Random(13), "2021", scale=250)
    doc = document_from_spec(spec)
    cell = doc.cell("t3", "new", "total")
    assert cell.value is not None and cell.value >= 10
    cell.raw = str(cell.value)
    cell.ocr_confidence = 0.55
    cell.ocr_chars = tuple(0.55 if i == 1 else 0.99 for i in range(len(cell.raw)))  # the second digit
    sure = doc.cell("t3", "new", "natural")
    sure.ocr_confidence, sure.ocr_chars = 0.97, (0.97,) * len(sure.raw)
    review = Review(doc, builtin_template(spec.template_id))
    window.set_review(review, tmp_path / "scan.pdf")
    grid = window.grids["t3"]
    window.tabs.setCurrentWidget(grid)
    model = grid.grid_model()
    index = model.index_of("new", "total")
    assert index.data(UnsureCharsRole) == [1]
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert f"{cell.raw[0]}[{cell.raw[1]}]{cell.raw[2:]}" in tip  # "8[2]"
    assert model.index_of("new", "natural").data(UnsureCharsRole) is None

    def amber(idx) -> int:  # noqa: ANN001
        grid.scrollTo(idx)
        image = grid.viewport().grab(grid.visualRect(idx)).toImage()
        return sum(
            1
            for x in range(image.width())
            for y in range(image.height())
            if image.pixelColor(x, y).rgb() == MARK.rgb()
        )

    assert amber(index) > 20  # the doubted digit sits on an amber box
    assert amber(model.index_of("new", "natural")) == 0
    data = document_json(review.document, review.results)
    t3 = next(t for t in data["tables"] if t["id"] == "t3")
    row = [r["id"] for r in t3["rows"]].index("new")
    col = [c["id"] for c in t3["columns"]].index("total")
    assert t3["cells"][row][col]["ocr_unsure_chars"] == [1]
    # corrected: nothing is doubted any more
    assert model.setData(index, str(cell.value + 1))
    assert index.data(UnsureCharsRole) is None and amber(index) == 0


def test_all_checks_pass_is_not_claimed_while_an_ocr_cell_is_unchecked(qtbot, window, tmp_path) -> None:
    spec = random_spec(random.Random(13), "2021", scale=250)
    doc = document_from_spec(spec)
    cell = doc.cell("t3", "new", "total")
    cell.raw, cell.ocr_confidence = str(cell.value), 0.55
    window.set_review(Review(doc, builtin_template(spec.template_id)), tmp_path / "scan.pdf")
    assert not window.all_passed and "All checks pass" not in window.checks_title.text()
    grid = window.grids["t3"]
    window.tabs.setCurrentWidget(grid)
    type_into(qtbot, grid, grid.grid_model().index_of("new", "total"), cell.raw)  # looked: it is right
    assert window.all_passed and "All checks pass" in window.checks_title.text()
