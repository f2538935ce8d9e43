"""Autosave of the window's review into the recovery store, and the offer to restore what a
crashed or killed tabledesk left there.

Every apply or revert of an edit is recorded the moment the undo stack carries it out: one short
SQLite transaction (about 4 ms with its fsync), done in the slot itself, so nothing waits in
memory for a timer when the process dies. A failed write is not fatal: the work stays in memory,
a warning says so once, and a timer retries until the store has caught up.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from tabledesk.core.edits import Edit
from tabledesk.resources import user_data_dir
from tabledesk.store.errors import StoreError
from tabledesk.store.review_files import open_recovery_store
from tabledesk.store.review_store import ReviewStore
from tabledesk.store.session import StoreSession
from tabledesk.ui.recovery.source_relink import describe_session

if TYPE_CHECKING:
    from tabledesk.ui.host import WindowHost

RETRY_MS = 2000  # while the recovery store cannot be written, try again this often


def data_dir() -> Path:
    """The per-user data folder (QStandardPaths' AppDataLocation; tests point it at tmp_path)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else user_data_dir()


def open_message(
    parent: QWidget, icon: QMessageBox.Icon, title: str, text: str, informative: str, name: str
) -> QMessageBox:
    """A window-modal message box that does not block: the clerk reads it, the app keeps running."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    box.setInformativeText(informative)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class Autosave(QObject):
    """Records the window's review into the recovery store (``<data dir>/recovery.sqlite3``) and,
    at start-up, offers back the reviews a crash left there. FileActions calls attach/detach as
    the window shows or drops a review, and shutdown when it closes; ``review_path`` gives the
    review file the review is saved in, which labels its session in the recovery list."""

    restore_requested = Signal(int)  # the clerk chose to restore this session

    def __init__(self, window: WindowHost, review_path: Callable[[], Path | None]) -> None:
        super().__init__(window.widget())
        self.host = window
        self._review_path = review_path
        self.store: ReviewStore | None = None
        self.session: StoreSession | None = None
        self.recovery_box: QMessageBox | None = None
        self._known: list[Edit] = []  # the document's edit log as last recorded
        self._undo: list[Callable[[], object]] = []
        self._warned = False
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._retry_autosave)
        with contextlib.suppress(StoreError):  # reported when a review opens and autosave matters
            self.store = open_recovery_store(data_dir())
        QTimer.singleShot(0, self.offer_recovery)

    # -- the window's review ---------------------------------------------------------------
    def attach(self, session: StoreSession | None) -> None:
        """Start recording the window's review: into ``session`` when it was resumed from the
        store, else into a new session."""
        controller = self.host.controller
        assert controller is not None
        self._known = list(controller.document.edits)
        self.session = session
        try:
            self._start_session()
        except StoreError as e:
            self._autosave_failed(e)
        controller.checks_changed.connect(self._on_checks_changed)
        controller.structure_changed.connect(self._on_structure_changed)
        self._undo.append(lambda: controller.checks_changed.disconnect(self._on_checks_changed))
        self._undo.append(lambda: controller.structure_changed.disconnect(self._on_structure_changed))

    def detach(self) -> None:
        """The review was closed cleanly: its session is not kept for recovery."""
        for undo in reversed(self._undo):
            with contextlib.suppress(RuntimeError):  # already disconnected or deleted
                undo()
        self._undo.clear()
        self._retry.stop()
        if self.session is not None:
            with contextlib.suppress(StoreError):  # a session left behind is offered next time: safe
                self.session.close()
        self.session, self._known, self._warned = None, [], False

    def shutdown(self) -> None:
        """The window closes (after detach)."""
        self._retry.stop()
        if self.store is not None:
            self.store.close()
            self.store = None

    def _start_session(self) -> None:
        controller = self.host.controller
        if controller is None:
            return
        if self.store is None:
            self.store = open_recovery_store(data_dir())
        if self.session is None:
            self.session = self.store.start_session(
                controller.document, saved_path=str(self._review_path() or "")
            )
            self._known = list(controller.document.edits)
        self._undo.append(self.session.attach(controller.document, on_error=self._autosave_failed))

    def _on_checks_changed(self, *_: object) -> None:
        """After every apply and revert: record what changed in the document's edit log."""
        controller = self.host.controller
        if controller is None:
            return
        now, known = controller.document.edits, self._known
        if len(now) == len(known) and all(a is b for a, b in zip(now, known, strict=True)):
            return
        self._known = list(now)
        if self.session is None:
            return
        try:
            if len(now) == len(known) + 1 and all(a is b for a, b in zip(known, now[:-1], strict=True)):
                self.session.record_apply(now[-1])
            elif len(now) == len(known) - 1:  # an undo: the one edit missing from the log
                gone = next((i for i, e in enumerate(now) if e is not known[i]), len(now))
                self.session.record_revert(known[gone])
            else:  # anything else: a snapshot of the live document says it all
                self.session.checkpoint(controller.document)
        except StoreError as e:
            self._autosave_failed(e)
            return
        if self._retry.isActive() and not self.session.behind:
            self._autosave_resumed()

    def _on_structure_changed(self) -> None:
        if self.host.controller is not None:
            self._known = list(self.host.controller.document.edits)  # the attach listener snapshots

    def _autosave_failed(self, error: StoreError) -> None:
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate("FileActions", "Autosave failed: {error}").format(error=error)
        )
        if not self._retry.isActive():
            self._retry.start()
        if self._warned:
            return
        self._warned = True
        open_message(
            self.host.widget(),
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("FileActions", "Autosave failed"),
            str(error),
            QCoreApplication.translate(
                "FileActions",
                "Your corrections are still open here. tabledesk tries again every few seconds; "
                "to be safe, also save the review with File › Save As… on another disk.",
            ),
            "autosave_error",
        )

    def _retry_autosave(self) -> None:
        if self.host.controller is None:
            self._retry.stop()
            return
        try:
            if self.session is None:
                self._start_session()
            else:
                self.session.flush()
        except StoreError as e:
            self.host.widget().statusBar().showMessage(
                QCoreApplication.translate("FileActions", "Autosave failed: {error}").format(error=e)
            )
            return
        self._autosave_resumed()

    def _autosave_resumed(self) -> None:
        self._retry.stop()
        self._warned = False
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate("FileActions", "Autosave works again"), 8000
        )

    # -- recovery --------------------------------------------------------------------------
    def offer_recovery(self) -> None:
        """At start-up: offer the reviews a crashed or killed tabledesk left in the store."""
        if self.store is None or self.recovery_box is not None:
            return
        if self.host.is_reading():  # a report named on the command line is being read first
            QTimer.singleShot(200, self.offer_recovery)
            return
        try:
            sessions = sorted(self.store.recoverable(), key=lambda s: s.updated, reverse=True)
        except (StoreError, sqlite3.Error):
            return
        if not sessions:
            return
        lines = [f"• {describe_session(s, self._corrections(s.id))}" for s in sessions]
        if len(sessions) > 1:
            lines += [
                "",
                QCoreApplication.translate(
                    "FileActions", "Restore opens the most recent; the others are offered again next time."
                ),
            ]
        box = QMessageBox(
            QMessageBox.Icon.Question,
            QCoreApplication.translate("FileActions", "Restore unsaved work?"),
            QCoreApplication.translate(
                "FileActions", "tabledesk did not close properly last time. This work was not saved:"
            ),
            QMessageBox.StandardButton.NoButton,
            self.host.widget(),
        )
        box.setObjectName("recovery_offer")
        box.setInformativeText("\n".join(lines))
        restore = box.addButton(
            QCoreApplication.translate("FileActions", "&Restore"), QMessageBox.ButtonRole.AcceptRole
        )
        discard = box.addButton(
            QCoreApplication.translate("FileActions", "&Discard")
            if len(sessions) == 1
            else QCoreApplication.translate("FileActions", "&Discard All"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        box.addButton(QCoreApplication.translate("FileActions", "&Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        self.recovery_box = box

        def answered() -> None:
            clicked = box.clickedButton()
            self.recovery_box = None
            box.deleteLater()
            if clicked is restore:
                self.restore_requested.emit(sessions[0].id)
            elif clicked is discard and self.store is not None:
                for s in sessions:
                    with contextlib.suppress(StoreError):
                        self.store.discard(s.id)

        box.finished.connect(answered)
        box.open()

    def _corrections(self, session_id: int) -> int | None:
        """How many edits the session's review holds (the store counts undos and status changes
        too, which mean nothing to a clerk); None when it cannot be read back."""
        if self.store is None:
            return None
        try:
            return len(self.store.restore(session_id).document.edits)
        except (StoreError, sqlite3.Error):
            return None
