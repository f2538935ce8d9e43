"""A long report's first tables in the window while the rest is read (ui/window/early_tables.py).

Driven as a clerk meets it: the report is opened, the first tables appear while later pages are
still being read (the reading is held there by the test, so nothing depends on timing), they
can be looked at and the pages scrolled but not changed, and when the rest arrives every table
is there once with every value, the clerk's table, cell and page left in view."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit
from tests.fixtures.long_report import render_long_report

from tabledesk.review.review import Review
from tabledesk.ui.grid.cell_state import CellState
from tabledesk.ui.grid.grid_view import GridView
from tabledesk.ui.grid.table_model import StateRole
from tabledesk.ui.workers import open_worker


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_long_report(tmp_path_factory.mktemp("early_window") / "long.pdf", pages=12)


def _hold_after_first_hand_over(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold the reading thread once the first early tables are sent, until the test lets go."""
    go_on = threading.Event()
    taken: list[bool] = []
    take = open_worker._EarlyReviews.take

    def held(self: open_worker._EarlyReviews, source: object) -> None:
        take(self, source)  # type: ignore[arg-type]
        if not taken:
            taken.append(True)
            go_on.wait(60)

    monkeypatch.setattr(open_worker._EarlyReviews, "take", held)
    return go_on


def _values(review_tables: list) -> dict[tuple[str, str, str], Decimal | None]:  # noqa: ANN401
    return {(t.id, r.id, c.id): cell.value for t in review_tables for r, c, cell in t.iter_cells()}


def _tab_names(window) -> list[str]:  # noqa: ANN001
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def test_first_tables_show_while_the_rest_is_read_then_all_arrive_once(
    qtbot, window, long_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    go_on = _hold_after_first_hand_over(monkeypatch)
    window.worker.early_after_s = window.worker.early_every_s = 0.0
    opened: list[bool] = []
    window.review_opened.connect(lambda: opened.append(True))
    direct = Review.open(long_pdf)
    try:
        window.open_path(long_pdf)
        qtbot.waitUntil(lambda: window.tabs.count() > 0, timeout=30000)

        # the first tables, and only those: later pages are still being read
        early = _tab_names(window)
        assert window.is_reading() and not opened and window.controller is None
        assert 0 < len(early) < len(direct.document.tables)
        assert f" {direct.document.source.pages}" in window.statusBar().currentMessage()
        grid = window.tabs.currentWidget()
        assert isinstance(grid, GridView)
        model = grid.grid_model()
        keys = [
            model.key(model.index(r, c)) for r in range(model.rowCount()) for c in range(model.columnCount())
        ]
        read = [
            k for k in keys if k is not None and window.early.controller.document.cell(*k).value is not None
        ]
        assert read  # numbers are shown
        # nothing judged yet: no red cell, no check listed
        states = {
            model.index(r, c).data(StateRole)
            for r in range(model.rowCount())
            for c in range(model.columnCount())
        }
        assert CellState.FAILED not in states
        assert window.checks_view.model() is None or window.checks_view.model().rowCount() == 0
        # looked at, not changed: typing opens no editor, Delete clears nothing
        key = read[-1]
        index = model.index_of(key[1], key[2])
        shown = index.data(Qt.ItemDataRole.DisplayRole)
        grid.setCurrentIndex(index)
        grid.setFocus()
        qtbot.keyClick(grid, "7")
        assert grid.state() != QAbstractItemView.State.EditingState
        assert not [w for w in grid.findChildren(QLineEdit) if w.isVisible()]
        qtbot.keyClick(grid, Qt.Key.Key_Delete)
        assert index.data(Qt.ItemDataRole.DisplayRole) == shown
        # the pages scroll meanwhile
        pv = window.source.page_view
        qtbot.waitUntil(lambda: pv.page_count() > 0, timeout=30000)
        pv.go_to_page(6)
        qtbot.waitUntil(lambda: pv.current_page() == 6)
    finally:
        go_on.set()
    qtbot.waitUntil(lambda: bool(opened), timeout=60000)

    # every table once, every value as a direct reading gives it; the early ones came first
    final = _tab_names(window)
    assert len(final) == len(direct.document.tables) == len(set(final))
    assert final[: len(early)] == early
    assert _values(window.controller.document.tables) == _values(direct.document.tables)
    assert len(window.controller.results()) == len(direct.results)
    # the clerk's table, cell and page are still in view, and the cells can now be typed into
    grid = window.current_grid()
    assert grid is not None and grid.grid_model().key(grid.currentIndex()) == key
    assert window.source.page_view.current_page() == 6
    assert grid.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
    assert window.statusBar().currentMessage() != "" and not window.is_reading()


def test_a_long_report_opened_without_a_look_goes_to_its_first_problem(qtbot, window, long_pdf: Path) -> None:
    """Early tables the clerk did not touch: the whole review opens as any report does."""
    window.worker.early_after_s = window.worker.early_every_s = 0.0
    early: list[tuple[int, int]] = []
    window.worker.partly_read.connect(lambda _review, read, pages: early.append((read, pages)))
    with qtbot.waitSignal(window.review_opened, timeout=60000):
        window.open_path(long_pdf)
    assert early and all(read < pages for read, pages in early)
    direct = Review.open(long_pdf)
    assert window.tabs.count() == len(direct.document.tables)
    problems = window.controller.problems()
    if problems:
        assert window.checks_view.currentIndex().row() == 0
    else:
        assert window.tabs.currentIndex() == 0
