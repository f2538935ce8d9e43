"""File › Save, Save As…, Export… and reopening saved reviews, the autosave of every edit and
undo into the recovery store, the offer to restore left-behind work, and the messages when a
write fails (the work stays in memory and in the store)."""

from __future__ import annotations

import errno
import os
import random
import subprocess
import sys
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox, QWidget
from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import write_text
from tests.ui.conftest import REPO, close_window, on_next_dialog, open_report, type_into

from tabledesk.core.document import ReviewStatus
from tabledesk.store.review_files import load_review_file
from tabledesk.store.review_store import ReviewStore
from tabledesk.ui.actions.file_actions import export_target
from tabledesk.ui.recovery.autosave import data_dir
from tabledesk.ui.window.main_window import MainWindow

KEY = ("t3", "new", "natural")  # 一、本年新收 · 自然人
KEY2 = ("t3", "carried", "natural")


@pytest.fixture(scope="session")
def report_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A generated report as copied text: quick to open, no corpus needed."""
    path = write_text(random_spec(random.Random(5), "2021"), tmp_path_factory.mktemp("src") / "r.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def report(tmp_path: Path, report_text: str) -> Path:
    """A fresh copy per test: some tests move or change it."""
    path = tmp_path / "src" / "洪泽区2023.txt"
    path.parent.mkdir()
    path.write_text(report_text, encoding="utf-8")
    return path


def new_window() -> MainWindow:
    w = MainWindow()
    w.show()
    return w




def click(button: QMessageBox.StandardButton) -> Callable[[QWidget], None]:
    return lambda box: box.button(button).click()


def choose_file(path: Path, name_filter: int | None = None) -> Callable[[QWidget], None]:
    """Fill a file dialog as a clerk does: pick the file type in its combo, type the name."""

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        if name_filter is not None:
            combo = dialog.findChild(QComboBox, "fileTypeCombo")
            QTest.keyClick(combo, Qt.Key.Key_Home)  # keys, not setCurrentIndex: only a user's
            for _ in range(name_filter):  # choice makes the dialog emit filterSelected
                QTest.keyClick(combo, Qt.Key.Key_Down)
            assert combo.currentIndex() == name_filter
        dialog.selectFile(str(path))
        dialog.accept()

    return act


def value(w: MainWindow, key: tuple[str, str, str]) -> Decimal | None:
    return w.controller.document.cell(*key).value


def type_at(qtbot, w: MainWindow, key: tuple[str, str, str], text: str) -> None:
    grid = w.grids[key[0]]
    w.tabs.setCurrentWidget(grid)
    type_into(qtbot, grid, grid.grid_model().index_of(key[1], key[2]), text)


def stored(w: MainWindow):
    """The window's review as the recovery store holds it, read through another connection."""
    with ReviewStore(data_dir() / "recovery.sqlite3") as store:
        return store.restore(w.file_actions.autosave.session.id).document


def recoverable() -> list:
    with ReviewStore(data_dir() / "recovery.sqlite3") as store:
        return store.recoverable()


def message_box(w: MainWindow, name: str) -> QMessageBox:
    box = w.findChild(QMessageBox, name)
    assert box is not None and box.isVisible(), name
    return box


# -- the menu ------------------------------------------------------------------------------------
def test_file_menu_has_save_save_as_and_export_before_close(qtbot, window, report):
    fa = window.file_actions
    actions = window.file_menu.actions()
    texts = [a.text() for a in actions]
    assert actions.index(fa.save_action) < actions.index(fa.save_as_action) < actions.index(fa.export_action)
    assert actions.index(fa.export_action) < actions.index(window.close_action)
    assert texts[actions.index(window.close_action) - 1] == ""  # a separator between
    assert fa.save_action.shortcut() == QKeySequence("Ctrl+S")
    assert not fa.save_action.isEnabled() and not fa.export_action.isEnabled()
    open_report(qtbot, window, report)
    assert fa.save_action.isEnabled() and fa.save_as_action.isEnabled() and fa.export_action.isEnabled()


@pytest.mark.parametrize(
    ("typed", "chosen", "written"),
    [
        ("out", "Excel workbook (*.xlsx)", "out.xlsx"),
        ("out", "CSV, UTF-8 (*.csv)", "out.csv"),
        ("洪泽区2023.v2", "JSON (*.json)", "洪泽区2023.v2.json"),
        ("out.csv", "Excel 工作簿 (*.xlsx)", "out.csv"),  # a typed export extension wins
        ("OUT.XLSX", "JSON (*.json)", "OUT.XLSX"),
    ],
)
def test_export_file_name_from_the_typed_name_and_the_chosen_filter(typed, chosen, written):
    assert export_target(Path("/x") / typed, chosen) == Path("/x") / written


# -- saving and reopening ----------------------------------------------------------------------------
def test_ctrl_s_saves_marks_clean_and_the_review_file_reopens_the_same_grids(qtbot, window, report, tmp_path):
    open_report(qtbot, window, report)
    type_at(qtbot, window, KEY, "4321")
    type_at(qtbot, window, KEY2, "77")
    window.controller.set_reviewed(True)
    failing, edited = window.controller.failing_count(), window.controller.edited_count()
    assert window.isWindowModified()

    target = tmp_path / "out" / "审核"  # no extension typed: .tdreview is added
    (tmp_path / "out").mkdir()
    on_next_dialog(choose_file(target))
    with qtbot.waitSignal(window.file_actions.saved) as sig:
        qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = tmp_path / "out" / "审核.tdreview"
    assert sig.args == [str(saved)] and saved.is_file()
    assert not window.isWindowModified() and window.controller.undo_stack.isClean()
    assert window.windowTitle().startswith("审核.tdreview")

    window.close_review()  # clean: no question
    assert window.controller is None
    with qtbot.waitSignal(window.review_opened):
        window.open_path(saved)
    assert value(window, KEY) == Decimal(4321) and value(window, KEY2) == Decimal(77)
    assert window.controller.failing_count() == failing and window.controller.edited_count() == edited
    assert window.controller.document.review_status is ReviewStatus.REVIEWED
    assert len(window.controller.document.edits) == 2
    assert not window.isWindowModified()

    type_at(qtbot, window, KEY, "4322")  # Ctrl+S now writes the same file without asking
    window.file_actions.save_action.trigger()
    assert not window.isWindowModified()
    assert window.findChild(QFileDialog) is None or not window.findChild(QFileDialog).isVisible()
    assert saved in window.settings.recent_files


def test_unsaved_question_offers_save_discard_and_cancel(qtbot, window, report, tmp_path):
    open_report(qtbot, window, report)
    window.file_actions.save_to(tmp_path / "a.tdreview")
    type_at(qtbot, window, KEY, "4321")
    session_id = window.file_actions.autosave.session.id

    on_next_dialog(click(QMessageBox.StandardButton.Cancel))
    window.close_review()
    assert window.controller is not None and value(window, KEY) == Decimal(4321)

    on_next_dialog(click(QMessageBox.StandardButton.Save))
    window.close_review()
    assert window.controller is None
    assert load_review_file(tmp_path / "a.tdreview").document.cell(*KEY).value == Decimal(4321)

    open_report(qtbot, window, report)
    type_at(qtbot, window, KEY, "9")
    on_next_dialog(click(QMessageBox.StandardButton.Discard))
    window.close_review()
    assert window.controller is None
    with ReviewStore(data_dir() / "recovery.sqlite3") as store:
        assert store.sessions() == []  # both closed cleanly: nothing left to offer
    assert session_id == 1


def test_export_dialog_writes_the_format_of_the_chosen_filter(qtbot, window, report, tmp_path):
    open_report(qtbot, window, report)
    type_at(qtbot, window, KEY, "4321")
    for index, name, magic in ((1, "a", b"{"), (2, "b", b"\xef\xbb\xbf"), (0, "c", b"PK")):
        then = choose_file(tmp_path / name, name_filter=index)
        if window.controller.problems():  # 4321 breaks a total: the summary comes first
            on_next_dialog(
                lambda box, then=then: (
                    box.button(QMessageBox.StandardButton.Ok).click(),
                    on_next_dialog(then),
                )
            )
        else:
            on_next_dialog(then)
        with qtbot.waitSignal(window.file_actions.exported) as sig:
            window.file_actions.export_action.trigger()
        written = Path(sig.args[0])
        assert written.parent == tmp_path and written.stem == name
        assert written.read_bytes().startswith(magic), written
    assert "4321" in (tmp_path / "b.csv").read_text(encoding="utf-8-sig")
    assert window.isWindowModified()  # an export is not a save of the review


# -- when writing fails ----------------------------------------------------------------------------
def test_export_to_an_unwritable_place_names_the_file_and_keeps_the_work(qtbot, window, report, tmp_path):
    open_report(qtbot, window, report)
    type_at(qtbot, window, KEY, "4321")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "out.xlsx"
    with qtbot.waitSignal(window.file_actions.failed) as sig:
        assert not window.file_actions.export_to(target)
    box = message_box(window, "file_error")
    assert str(target) in box.text() and box.text() == sig.args[0] and "\n" not in box.text()
    assert "kept in the recovery store" in box.informativeText()
    assert value(window, KEY) == Decimal(4321) and window.isWindowModified()
    assert stored(window).cell(*KEY).value == Decimal(4321)


def test_a_full_disk_on_save_keeps_the_previous_file_and_the_work(
    qtbot, window, report, tmp_path, monkeypatch
):
    open_report(qtbot, window, report)
    path = tmp_path / "out" / "r.tdreview"
    path.parent.mkdir()
    assert window.file_actions.save_to(path)
    before = path.read_bytes()
    type_at(qtbot, window, KEY, "4321")

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    assert not window.file_actions.save()
    box = message_box(window, "file_error")
    assert str(path) in box.text() and "disk is full" in box.text()
    assert path.read_bytes() == before and [p.name for p in path.parent.iterdir()] == ["r.tdreview"]
    assert window.isWindowModified() and stored(window).cell(*KEY).value == Decimal(4321)


# -- autosave -------------------------------------------------------------------------------------
def test_every_edit_undo_and_status_is_in_the_store_when_the_keystroke_returns(qtbot, window, report):
    open_report(qtbot, window, report)
    type_at(qtbot, window, KEY, "4321")
    assert stored(window).cell(*KEY).value == Decimal(4321)  # no waiting: already committed
    type_at(qtbot, window, KEY2, "77")
    window.undo_action.trigger()
    doc = stored(window)
    assert doc.cell(*KEY).value == Decimal(4321) and doc.cell(*KEY2).value == value(window, KEY2) != Decimal(
        77
    )
    window.redo_action.trigger()
    on_next_dialog(click(QMessageBox.StandardButton.Yes))  # checks fail: asked first
    window.reviewed_action.trigger()
    doc = stored(window)
    assert doc.cell(*KEY2).value == Decimal(77) and doc.review_status is ReviewStatus.REVIEWED
    assert doc.edits == window.controller.document.edits


def test_marking_reviewed_is_unsaved_work(qtbot, window, report, tmp_path):
    open_report(qtbot, window, report)
    assert window.file_actions.save_to(tmp_path / "r.tdreview")
    window.reviewed_action.trigger()
    assert window.isWindowModified()


def test_a_failing_store_warns_once_and_catches_up_when_space_is_back(qtbot, window, report):
    open_report(qtbot, window, report)
    autosave = window.file_actions.autosave
    autosave._retry.setInterval(50)
    conn = autosave.store.conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")  # "full"
    grid = window.grids["t3"]
    model = grid.grid_model()
    rows = [r.id for r in window.controller.document.table("t3").rows]
    n = 0
    while autosave.session is not None and not autosave.session.behind and n < len(rows):
        assert model.setData(model.index_of(rows[n], "natural"), str(9000 + n))
        n += 1
    assert autosave.session.behind, "the store never filled up"
    box = message_box(window, "autosave_error")
    assert "disk is full" in box.text() and "recovery.sqlite3" in box.text()
    box.close()
    model.setData(model.index_of(rows[0], "natural"), "1")  # still failing: no second box
    assert not message_box_visible(window)
    conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    qtbot.waitUntil(lambda: not autosave.session.behind, timeout=5000)
    doc = stored(window)
    assert doc.values() == window.controller.document.values()
    assert doc.edits == window.controller.document.edits


def message_box_visible(w: MainWindow) -> bool:
    return any(b.isVisible() for b in w.findChildren(QMessageBox, "autosave_error"))


# -- recovery ----------------------------------------------------------------------------------
ORPHAN = textwrap.dedent(
    """
    import os, sys
    from decimal import Decimal
    from tabledesk.core.edits import CellChange, Edit
    from tabledesk.store.review_files import open_recovery_store
    from tabledesk.review.review import Review

    data_dir, source, *values = sys.argv[1:]
    review = Review.open(source)
    session = open_recovery_store(data_dir).start_session(review.document)
    for key, text in zip([("t3", "new", "natural"), ("t3", "carried", "natural")], values):
        edit = Edit((CellChange(*key, review.document.cell(*key).value, Decimal(text)),))
        review.apply(edit)
        session.record_apply(edit)
    os._exit(0)  # no close(): the session is left behind, as by a crash
    """
)


def leave_session(source: Path, *values: str) -> None:
    """A review left in the store by a process that ended without closing it."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "desktop"), str(REPO)]))
    subprocess.run(
        [sys.executable, "-c", ORPHAN, str(data_dir()), str(source), *values], env=env, check=True, timeout=60
    )


def test_start_up_offers_left_behind_work_and_restore_brings_it_back(qtbot, report):
    leave_session(report, "4321", "77")
    w = new_window()
    try:
        qtbot.waitUntil(
            lambda: (
                w.file_actions.autosave.recovery_box is not None
                and w.file_actions.autosave.recovery_box.isVisible()
            )
        )
        box = w.file_actions.autosave.recovery_box
        assert report.name in box.informativeText() and "— 2 corrections" in box.informativeText()
        with qtbot.waitSignal(w.review_opened):
            next(b for b in box.buttons() if b.text() == "&Restore").click()
        assert value(w, KEY) == Decimal(4321) and value(w, KEY2) == Decimal(77)
        assert w.isWindowModified()  # restored work is not saved anywhere else
        type_at(qtbot, w, KEY, "5")  # recording carries on into the same session
        restored = stored(w)
        assert restored.cell(*KEY).value == Decimal(5) and restored.cell(*KEY2).value == Decimal(77)
        assert recoverable() == []  # ours now: not offered to another window
    finally:
        close_window(w)


@pytest.mark.parametrize("answer", ["discard", "later"])
def test_discard_forgets_left_behind_work_and_later_keeps_it(qtbot, report, answer):
    leave_session(report, "4321")
    w = new_window()
    try:
        qtbot.waitUntil(
            lambda: (
                w.file_actions.autosave.recovery_box is not None
                and w.file_actions.autosave.recovery_box.isVisible()
            )
        )
        box = w.file_actions.autosave.recovery_box
        role = (
            QMessageBox.ButtonRole.DestructiveRole
            if answer == "discard"
            else QMessageBox.ButtonRole.RejectRole
        )
        next(b for b in box.buttons() if box.buttonRole(b) is role).click()
        qtbot.waitUntil(lambda: w.file_actions.autosave.recovery_box is None)
        assert w.controller is None
        left = recoverable()
        assert len(left) == (0 if answer == "discard" else 1)
    finally:
        close_window(w)


def test_a_moved_source_is_asked_for_and_a_changed_one_is_reported(qtbot, window, report, tmp_path):
    open_report(qtbot, window, report)
    type_at(qtbot, window, KEY, "4321")
    saved = tmp_path / "r.tdreview"
    assert window.file_actions.save_to(saved)
    window.close_review()

    moved = tmp_path / "elsewhere" / report.name
    moved.parent.mkdir()
    report.rename(moved)
    on_next_dialog(
        lambda box: (click(QMessageBox.StandardButton.Yes)(box), on_next_dialog(choose_file(moved)))
    )
    with qtbot.waitSignal(window.review_opened):
        window.open_path(saved)
    assert window.controller.document.source.path == str(moved)
    assert value(window, KEY) == Decimal(4321)
    assert window.findChild(QMessageBox, "source_warning") is None

    window.file_actions.save()  # remembers the new place
    window.close_review()
    moved.write_text(moved.read_text(encoding="utf-8") + "\n附：更正\n", encoding="utf-8")
    with qtbot.waitSignal(window.review_opened):
        window.open_path(saved)
    box = message_box(window, "source_warning")
    assert str(moved) in box.text() and "has changed" in box.text()
    assert value(window, KEY) == Decimal(4321)  # the reviewed values, not the new file's


def test_not_a_review_file_is_one_clear_message(qtbot, window, tmp_path):
    bad = tmp_path / "x.tdreview"
    bad.write_bytes(b"this is not SQLite at all" * 10)
    with qtbot.waitSignal(window.open_failed) as sig:
        window.open_path(bad)
    box = message_box(window, "open_error")
    assert str(bad) in sig.args[0] and box.text() == sig.args[0] and "\n" not in box.text()
    assert window.controller is None


def test_export_first_lists_the_problems_still_open_and_cancel_writes_nothing(
    qtbot, window, report, tmp_path
):
    open_report(qtbot, window, report)
    assert not window.controller.problems()
    type_at(qtbot, window, KEY, "4321")
    problems = window.controller.problems()
    assert problems  # the changed cell breaks a sum
    seen: list[tuple[str, str]] = []

    def cancel(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and box.objectName() == "export_summary"
        seen.append((box.text(), box.informativeText()))
        box.button(QMessageBox.StandardButton.Cancel).click()

    on_next_dialog(cancel)
    assert window.file_actions.export() is False
    text, details = seen[0]
    n = len(problems)
    assert text == (f"{n} problem is still open:" if n == 1 else f"{n} problems are still open:")
    assert window.controller.table_name(problems[0].instance.table_id) in details
    assert list(tmp_path.glob("*.xlsx")) == [] and list(tmp_path.glob("*.json")) == []
