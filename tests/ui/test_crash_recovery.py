"""Crash recovery with the real window in real processes.

A first process builds the real MainWindow, opens a report and types corrections into the grid
(keys through the delegate, the model and the undo stack, an undo among them), prints a marker
and keeps running; the test kills it with SIGKILL 2.5 s after the last keystroke. A second
process, on the same isolated profile, starts the window: the recovery offer must list the
session, and Restore must bring back every correction, the undo included.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import write_text
from tests.ui.conftest import REPO

from tabledesk.store.review_store import ReviewStore

COMMON = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit
    from tabledesk.ui.window.main_window import MainWindow
    from tabledesk.ui.settings import APPLICATION, ORGANISATION

    app = QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANISATION)  # as run_app does: the data folder depends on them
    app.setApplicationName(APPLICATION)

    def say(*words):
        print(*words, flush=True)

    def wait_until(test, ms=10000):
        t = QTimer(); t.start(ms); t.setSingleShot(True)
        while not test():
            if not t.isActive():
                say("TIMEOUT"); sys.exit(3)
            app.processEvents()
            QTest.qWait(5)

    def type_into(window, table, row, col, text):
        grid = window.grids[table]
        window.tabs.setCurrentWidget(grid)
        grid.setFocus()
        grid.setCurrentIndex(grid.grid_model().index_of(row, col))
        QTest.keyClick(grid, text[0])  # the first key opens the editor, as for a clerk
        editor = next(w for w in grid.findChildren(QLineEdit) if w.isVisible())
        QTest.keyClicks(editor, text[1:])
        QTest.keyClick(editor, Qt.Key.Key_Return)
        wait_until(lambda: grid.state() != QAbstractItemView.State.EditingState)

    def value(window, table, row, col):
        v = window.controller.document.cell(table, row, col).value
        return None if v is None else str(v)
    """
)

WRITER = COMMON + textwrap.dedent(
    """
    window = MainWindow()
    window.show()
    opened = []
    window.review_opened.connect(lambda: opened.append(True))
    window.open_path(sys.argv[1])
    wait_until(lambda: opened, 60000)
    edits = json.loads(sys.argv[2])
    for table, row, col, text in edits:
        type_into(window, table, row, col, text)
    window.undo_action.trigger()  # the last one undone: it must stay undone
    expected = {f"{t}/{r}/{c}": value(window, t, r, c) for t, r, c, _ in edits}
    say("STORE", window.file_actions.autosave.store.path)
    say("SESSION", window.file_actions.autosave.session.id)
    say("EXPECT", json.dumps(expected))
    say("TYPED")
    sys.exit(app.exec())  # carry on as a clerk's window does, until killed
    """
)

READER = COMMON + textwrap.dedent(
    """
    window = MainWindow()
    window.show()
    autosave = window.file_actions.autosave
    wait_until(lambda: autosave.recovery_box is not None and autosave.recovery_box.isVisible())
    box = autosave.recovery_box
    say("OFFER", json.dumps({"text": box.text(), "info": box.informativeText()}))
    opened = []
    window.review_opened.connect(lambda: opened.append(True))
    next(b for b in box.buttons() if box.buttonRole(b) == box.ButtonRole.AcceptRole).click()
    wait_until(lambda: opened)
    keys = json.loads(sys.argv[1])
    got = {k: value(window, *k.split("/")) for k in keys}
    say("RESTORED", json.dumps({"values": got, "modified": window.isWindowModified(),
                                "edits": len(window.controller.document.edits)}))
    window.controller.undo_stack.setClean()  # the clerk saved or discarded: the session ends
    window.close()
    say("CLOSED")
    """
)


def _env(tmp: Path) -> dict[str, str]:
    """An isolated profile: HOME and the XDG folders under ``tmp``, offscreen Qt."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "XDG_"))}
    for variable, folder in (("HOME", "home"), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config")):
        (tmp / folder).mkdir(exist_ok=True)
        env[variable] = str(tmp / folder)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join([str(REPO / "desktop"), env.get("PYTHONPATH", "")]),
        PYTHONUNBUFFERED="1",
    )
    return env


def _read_until(proc: subprocess.Popen, marker: str, timeout: float) -> dict[str, str]:
    """Lines "WORD rest" the child printed, until ``marker`` (read on a thread: a pipe read
    with a deadline, the same on every platform)."""
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    seen: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    while marker not in seen:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            line = ""
        if not line:
            proc.kill()
            pytest.fail(
                f"child stopped or hung before {marker}: {seen}\n{proc.stderr.read() if proc.stderr else ''}"
            )
        word, _, rest = line.strip().partition(" ")
        seen[word] = rest
    return seen


def test_sigkilled_window_offers_its_work_on_the_next_start_and_restores_every_edit(tmp_path):
    src = write_text(random_spec(random.Random(11), "2021"), tmp_path / "洪泽区2023.txt")
    edits = [
        ["t3", "new", "natural", "4321"],
        ["t3", "carried", "natural", "77"],
        ["t4", "all", "review.total", "12"],
        ["t3", "new", "total", "999"],  # undone by the writer before the kill
    ]
    env = _env(tmp_path)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(src), json.dumps(edits)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        seen = _read_until(writer, "TYPED", timeout=90)
        time.sleep(2.5)  # the bound is 2 s: everything typed before now must come back
        writer.kill()  # SIGKILL (TerminateProcess on Windows): no handler, no clean-up runs
        code = writer.wait(timeout=10)
        assert code == (-signal.SIGKILL if hasattr(signal, "SIGKILL") else 1)
    finally:
        if writer.poll() is None:
            writer.kill()
        writer.communicate(timeout=10)
    expected = json.loads(seen["EXPECT"])
    assert expected["t3/new/total"] != "999" and expected["t3/new/natural"] == "4321"
    store_path = Path(seen["STORE"])
    assert store_path.is_relative_to(tmp_path / "data")  # the isolated profile, never the real one

    reader = subprocess.run(
        [sys.executable, "-c", READER, json.dumps(list(expected))],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert reader.returncode == 0, reader.stdout + reader.stderr
    out = dict(line.partition(" ")[::2] for line in reader.stdout.splitlines() if line)
    offer = json.loads(out["OFFER"])
    assert src.name in offer["info"] and "— 3 corrections" in offer["info"]  # 4 typed, 1 undone
    restored = json.loads(out["RESTORED"])
    assert restored["values"] == expected
    assert restored["edits"] == 3 and restored["modified"]  # restored work is unsaved work
    assert "CLOSED" in out
    with ReviewStore(store_path) as store:  # closed cleanly this time: nothing left to offer
        assert store.recoverable() == [] and int(seen["SESSION"]) not in [s.id for s in store.sessions()]
