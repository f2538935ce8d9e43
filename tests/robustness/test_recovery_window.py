"""Item 7, at start-up: a recovery store with a damaged session still offers the sessions it
can read (it used to raise out of the offer: a traceback on stderr and no offer at all)."""

from __future__ import annotations

from pathlib import Path

from tabledesk.review.review import Review
from tabledesk.store.review_files import open_recovery_store
from tests.ui.conftest import isolated_profile  # noqa: F401 - autouse: no real profile touched


def test_window_offers_recovery_past_a_damaged_session(qtbot, reports) -> None:
    from tabledesk.ui.recovery.autosave import data_dir
    from tabledesk.ui.window.main_window import MainWindow

    store = open_recovery_store(data_dir())
    doc = Review.open(reports["txt"]).document
    sessions = [store.start_session(doc) for _ in range(2)]
    for s in sessions:
        s._lock.release(remove=False)  # their window was killed
    store.conn.execute("UPDATE sessions SET updated = 'garbage' WHERE id = ?", (sessions[0].id,))
    store.close()

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    autosave = window.file_actions.autosave
    qtbot.waitUntil(lambda: autosave.recovery_box is not None and autosave.recovery_box.isVisible())
    box = autosave.recovery_box
    assert Path(reports["txt"]).name in box.informativeText()
    assert box.informativeText().count("•") == 1  # the readable session; the damaged one left out
    box.reject()
