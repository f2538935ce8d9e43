"""Cells read by OCR with low confidence: their own colour, icon and tooltip until corrected."""

from __future__ import annotations

import random
from decimal import Decimal

from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec

from tabledesk.review import Review
from tabledesk.rules.registry import builtin_template
from tabledesk.ui.cell_state import BACKGROUND, CellState, state_icon
from tabledesk.ui.table_model import StateRole


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
