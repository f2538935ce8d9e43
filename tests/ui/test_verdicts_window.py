"""What the window shows for totals left unfilled, numbers left unplaced and sentences of
another scope: their own colour and icon, never red, and a row each in the checks list."""

from __future__ import annotations

import random

from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import write_text
from tests.ui.conftest import open_report, type_into

from tabledesk.ui.grid.cell_state import CellState, state_icon
from tabledesk.ui.grid.checks_model import ResultRole
from tabledesk.ui.grid.table_model import StateRole


def _rows(model):
    return [(model.index(r, 1).data(), model.index(r, 1).data(ResultRole)) for r in range(model.rowCount())]


def test_an_unfilled_total_has_its_own_state_text_and_checks_and_typing_fills_it(
    qtbot, qtmodeltester, window, tmp_path
):
    spec = random_spec(random.Random(31), "2021", blank_totals="column", scale=250)
    open_report(qtbot, window, write_text(spec, tmp_path / "r.txt"))
    grid = window.grids["t3"]
    window.tabs.setCurrentWidget(grid)
    model = grid.grid_model()
    qtmodeltester.check(model)
    total = spec.values["t3"]["new"]["total"]
    index = model.index_of("new", "total")
    assert index.data(StateRole) is CellState.UNFILLED
    assert index.data() in ("not filled", "未填写")
    assert f"{total}" in index.data(0x03)  # the tooltip gives the sum of the parts
    assert model.index_of("new", "natural").data(StateRole) is not CellState.UNFILLED
    checks = window.checks_view.model()
    qtmodeltester.check(checks)
    rows = _rows(checks)
    assert rows and not [t for t, r in rows if r is not None and r.red]  # nothing red
    unfilled = [r for r in range(checks.rowCount()) if "各项之和为" in checks.index(r, 1).data()]
    assert unfilled
    icon = checks.index(unfilled[0], 0).data(0x01)
    assert icon.cacheKey() == state_icon(CellState.UNFILLED).cacheKey()
    assert window.controller.failing_count() == 0
    type_into(qtbot, grid, index, str(total))
    assert index.data() == str(total) and index.data(StateRole) is CellState.EDITED
    window.controller.undo_stack.undo()
    assert index.data(StateRole) is CellState.UNFILLED


def test_numbers_left_unplaced_are_a_row_in_the_checks_list(qtbot, window, tmp_path):
    spec = random_spec(random.Random(32), "2019", split_t4=True, split_t4_titles=False)
    values = spec.values["t4"]["all"]
    for group in ("review", "litigation_direct", "litigation_after_review"):
        values[f"{group}.upheld"], values[f"{group}.total"] = (
            2,
            2
            + sum(
                v
                for k, v in values.items()
                if k.startswith(group + ".") and k.split(".")[-1] in ("corrected", "other", "pending")
            ),
        )
    open_report(qtbot, window, write_text(spec, tmp_path / "r.txt"))
    checks = window.checks_view.model()
    texts = [checks.index(r, 1).data() for r in range(checks.rowCount())]
    row = next(
        i for i, t in enumerate(texts) if "10" in t and ("could not be placed" in t or "未能放入表格" in t)
    )
    assert checks.index(row, 0).data() in ("表四", "Table 4")
    window._on_check_clicked(checks.index(row, 1))
    assert window.tabs.currentWidget() is window.grids["t4"]


def test_a_sentence_of_another_scope_is_information_not_red(qtbot, window, tmp_path):
    """ "区政府办…受理17件" (one office) against the whole table's 95 showed red."""
    spec = random_spec(random.Random(33), "2021")
    received = int(spec.values["t3"]["new"]["total"])
    para = spec.sections[0].paragraphs[0]
    spec.sections[0].paragraphs[0] = para.replace(
        f"收到政府信息公开申请{received}件", f"区政府办代表区政府受理政府信息公开申请{received + 1000}件"
    )
    open_report(qtbot, window, write_text(spec, tmp_path / "r.txt"))
    grid = window.grids["t3"]
    assert grid.grid_model().index_of("new", "total").data(StateRole) is not CellState.FAILED
    checks = window.checks_view.model()
    (row,) = [r for r in range(checks.rowCount()) if "仅供参考" in (checks.index(r, 1).data() or "")] or [
        r for r in range(checks.rowCount()) if "for information" in (checks.index(r, 1).data() or "")
    ]
    assert checks.index(row, 0).data(0x01).cacheKey() == state_icon(CellState.INFO).cacheKey()
    assert checks.index(row, 1).data(0x08) is None  # no red background
    assert window.controller.failing_count() == 0
