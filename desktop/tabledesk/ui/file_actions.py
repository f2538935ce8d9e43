"""The File menu's saving side: Save and Save As (the review file), Export (Excel, JSON, CSV),
opening saved review files, autosave into the recovery store and the offer to restore after a
crash.

Every apply or revert of an edit is recorded the moment the undo stack carries it out: one short
SQLite transaction (about 4 ms with its fsync), done in the slot itself, so nothing waits in
memory for a timer when the process dies. A failed write is not fatal: the work stays in memory,
a warning says so once, and a timer retries until the store has caught up.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from tabledesk.core.document import ReviewStatus
from tabledesk.core.edits import Edit
from tabledesk.io.exporters import EXPORT_FORMATS, ExportError, write_export
from tabledesk.io.review_store import (
    REVIEW_FILE_SUFFIX,
    Restored,
    ReviewStore,
    StoreError,
    StoreSession,
    default_data_dir,
    load_review_file,
    open_recovery_store,
    save_review_file,
)
from tabledesk.ui.source_relink import describe_session, settle_source

if TYPE_CHECKING:
    from tabledesk.ui.main_window import MainWindow

RETRY_MS = 2000  # while the recovery store cannot be written, try again this often


def data_dir() -> Path:
    """The per-user data folder (QStandardPaths' AppDataLocation; tests point it at tmp_path)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else default_data_dir()


def export_filters() -> list[str]:
    return [
        QCoreApplication.translate("FileActions", "Excel workbook (*.xlsx)"),
        QCoreApplication.translate("FileActions", "JSON (*.json)"),
        QCoreApplication.translate("FileActions", "CSV, UTF-8 (*.csv)"),
    ]


def review_filter() -> str:
    return QCoreApplication.translate("FileActions", "tabledesk review (*.tdreview)")


def filter_suffix(name_filter: str) -> str:
    """ ".xlsx" from "Excel 工作簿 (*.xlsx)" — read from the pattern, so translations do not matter."""
    match = re.search(r"\*(\.\w+)", name_filter)
    return match.group(1).lower() if match else ""


def export_target(name: str | Path, name_filter: str) -> Path:
    """The file to write: the name as typed when its extension is an export format, else with
    the chosen filter's extension added ("洪泽区2023.v2" has an extension, so the dialog's
    default suffix would not be added to it)."""
    path = Path(name)
    if path.suffix.lower() in EXPORT_FORMATS:
        return path
    return path.with_name(path.name + (filter_suffix(name_filter) or ".xlsx"))


def review_target(name: str | Path) -> Path:
    path = Path(name)
    return (
        path if path.suffix.lower() == REVIEW_FILE_SUFFIX else path.with_name(path.name + REVIEW_FILE_SUFFIX)
    )


@dataclass(slots=True)
class _Origin:
    """How the review the window is about to show came about; attach_review consumes it."""

    review_path: Path | None = None
    session: StoreSession | None = None  # resumed from the recovery store
    recovered: bool = False


class FileActions(QObject):
    """Creates and owns the File menu's Save, Save As… and Export… actions and the autosave of
    the window's review. The window calls attach_review/detach_review when it shows or drops a
    review, ask_to_save before dropping unsaved corrections and shutdown when it closes."""

    saved = Signal(str)  # the review file written
    exported = Signal(str)  # the export written
    failed = Signal(str)  # one line: a save, export, open or restore that did not happen

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.review_path: Path | None = None  # the review file this review is saved in
        self.store: ReviewStore | None = None
        self.session: StoreSession | None = None
        self.recovery_box: QMessageBox | None = None
        self._origin: _Origin | None = None
        self._known: list[Edit] = []  # the document's edit log as last recorded
        self._saved_status: ReviewStatus | None = None
        self._undo: list[Callable[[], None]] = []
        self._warned = False
        self._export_dir: Path | None = None
        self._export_filter = export_filters()[0]
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._retry_autosave)

        self.save_action = self._action(
            QCoreApplication.translate("FileActions", "&Save"), self.save, QKeySequence.StandardKey.Save
        )
        self.save_as_action = self._action(
            QCoreApplication.translate("FileActions", "Save &As…"), self.save_as, QKeySequence("Ctrl+Shift+S")
        )
        self.export_action = self._action(
            QCoreApplication.translate("FileActions", "&Export…"), self.export, QKeySequence("Ctrl+E")
        )
        menu, before = window.file_menu, window.close_action
        menu.insertActions(before, [self.save_action, self.save_as_action, self.export_action])
        menu.insertSeparator(before)
        with contextlib.suppress(StoreError):  # reported when a review opens and autosave matters
            self.store = open_recovery_store(data_dir())
        self._update_actions(False)
        QTimer.singleShot(0, self.offer_recovery)

    def _action(
        self, text: str, slot: Callable[[], object], shortcut: QKeySequence | QKeySequence.StandardKey
    ) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def _update_actions(self, has_review: bool) -> None:
        for action in (self.save_action, self.save_as_action, self.export_action):
            action.setEnabled(has_review)

    # -- the window's hooks ----------------------------------------------------------------
    def attach_review(self) -> None:
        """The window now shows a review (end of MainWindow.set_review): start recording it."""
        origin, self._origin = self._origin or _Origin(), None
        controller = self.window.controller
        assert controller is not None
        doc = controller.document
        self.review_path = origin.review_path
        self._known = list(doc.edits)
        self._saved_status = doc.review_status
        self.session = origin.session
        try:
            self._start_session()
        except StoreError as e:
            self._autosave_failed(e)
        controller.checks_changed.connect(self._on_checks_changed)
        controller.structure_changed.connect(self._on_structure_changed)
        controller.review_status_changed.connect(self._on_status_changed)
        self._undo.append(lambda: controller.checks_changed.disconnect(self._on_checks_changed))
        self._undo.append(lambda: controller.structure_changed.disconnect(self._on_structure_changed))
        self._undo.append(lambda: controller.review_status_changed.disconnect(self._on_status_changed))
        if origin.recovered:
            controller.undo_stack.resetClean()  # restored work is not saved anywhere but here
        self._show_title()
        self._update_actions(True)

    def detach_review(self) -> None:
        """The window drops its review (MainWindow._clear, after the clerk agreed): the review
        was closed cleanly, so its autosave session is not kept for recovery."""
        for undo in reversed(self._undo):
            with contextlib.suppress(RuntimeError):  # already disconnected or deleted
                undo()
        self._undo.clear()
        self._retry.stop()
        if self.session is not None:
            with contextlib.suppress(StoreError):  # a session left behind is offered next time: safe
                self.session.close()
        self.session, self.review_path, self._known, self._warned = None, None, [], False
        self._update_actions(False)

    def shutdown(self) -> None:
        """The window closes (after detach_review)."""
        self._retry.stop()
        if self.store is not None:
            self.store.close()
            self.store = None

    def ask_to_save(self) -> bool:
        """Save / Discard / Cancel before unsaved corrections are dropped; True to go on."""
        name = (self.review_path or self.window.path or Path("")).name
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("FileActions", "Unsaved corrections"),
            QCoreApplication.translate("FileActions", "Save the corrections to {name}?").format(name=name),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setObjectName("save_changes")
        box.setInformativeText(
            QCoreApplication.translate("FileActions", "If you don't save them, they are lost.")
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.exec()
        answer = box.standardButton(box.clickedButton())
        box.deleteLater()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # -- autosave --------------------------------------------------------------------------
    def _start_session(self) -> None:
        controller = self.window.controller
        if controller is None:
            return
        if self.store is None:
            self.store = open_recovery_store(data_dir())
        if self.session is None:
            self.session = self.store.start_session(
                controller.document, saved_path=str(self.review_path or "")
            )
            self._known = list(controller.document.edits)
        self._undo.append(self.session.attach(controller.document, on_error=self._autosave_failed))

    def _on_checks_changed(self, *_: object) -> None:
        """After every apply and revert: record what changed in the document's edit log."""
        controller = self.window.controller
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
        if self.window.controller is not None:
            self._known = list(self.window.controller.document.edits)  # the attach listener snapshots

    def _on_status_changed(self, *_: object) -> None:
        """Marking a review reviewed (or not) is work to save, though it is not on the undo stack;
        the automatic "in progress" of a first edit is not."""
        controller = self.window.controller
        if controller is None:
            return
        reviewed = controller.document.review_status is ReviewStatus.REVIEWED
        if reviewed != (self._saved_status is ReviewStatus.REVIEWED):
            controller.undo_stack.resetClean()

    def _autosave_failed(self, error: StoreError) -> None:
        self.window.statusBar().showMessage(
            QCoreApplication.translate("FileActions", "Autosave failed: {error}").format(error=error)
        )
        if not self._retry.isActive():
            self._retry.start()
        if self._warned:
            return
        self._warned = True
        self._message(
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
        if self.window.controller is None:
            self._retry.stop()
            return
        try:
            if self.session is None:
                self._start_session()
            else:
                self.session.flush()
        except StoreError as e:
            self.window.statusBar().showMessage(
                QCoreApplication.translate("FileActions", "Autosave failed: {error}").format(error=e)
            )
            return
        self._autosave_resumed()

    def _autosave_resumed(self) -> None:
        self._retry.stop()
        self._warned = False
        self.window.statusBar().showMessage(
            QCoreApplication.translate("FileActions", "Autosave works again"), 8000
        )

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> bool:
        """Ctrl+S: write the review file (asking where the first time). True once written."""
        if self.window.controller is None:
            return False
        if self.review_path is None:
            return self.save_as()
        return self.save_to(self.review_path)

    def save_as(self) -> bool:
        if self.window.controller is None:
            return False
        source = Path(self.window.controller.document.source.path)
        default = self.review_path or source.with_name(source.stem + REVIEW_FILE_SUFFIX)
        chosen = self._ask_save_path(
            QCoreApplication.translate("FileActions", "Save review"),
            default,
            [review_filter()],
            "save_dialog",
        )
        return self.save_to(review_target(chosen[0])) if chosen else False

    def save_to(self, path: str | Path) -> bool:
        controller = self.window.controller
        if controller is None:
            return False
        path = Path(path)
        try:
            with _busy_cursor():
                save_review_file(controller.document, path)
        except (ExportError, StoreError) as e:
            self._file_error(QCoreApplication.translate("FileActions", "Cannot save the review"), str(e))
            return False
        except Exception as e:  # noqa: BLE001 - a bug must reach the clerk as "not saved", not vanish
            self._file_error(
                QCoreApplication.translate("FileActions", "Cannot save the review"),
                f"{path}: {type(e).__name__}: {e}",
            )
            return False
        self.review_path = path
        self._saved_status = controller.document.review_status
        controller.undo_stack.setClean()
        if self.session is not None:
            with contextlib.suppress(StoreError):  # only labels the session in the recovery list
                self.session.set_saved_path(path)
        self.window.settings.add_recent_file(path)
        self._show_title()
        self.window.statusBar().showMessage(
            QCoreApplication.translate("FileActions", "Saved {name}").format(name=path.name), 5000
        )
        self.saved.emit(str(path))
        return True

    def export(self) -> bool:
        """File › Export…: Excel, JSON or CSV, by the dialog's filter (or the typed extension)."""
        controller = self.window.controller
        if controller is None:
            return False
        source = Path(controller.document.source.path)
        folder = self._export_dir or (self.review_path or source).parent
        default = folder / (source.stem + filter_suffix(self._export_filter))
        chosen = self._ask_save_path(
            QCoreApplication.translate("FileActions", "Export"),
            default,
            export_filters(),
            "export_dialog",
            self._export_filter,
        )
        if chosen is None:
            return False
        self._export_filter = chosen[1]
        return self.export_to(export_target(*chosen))

    def export_to(self, path: str | Path) -> bool:
        controller = self.window.controller
        if controller is None:
            return False
        path = Path(path)
        try:
            with _busy_cursor():
                write_export(controller.review, path)
        except ExportError as e:
            self._file_error(QCoreApplication.translate("FileActions", "Cannot export"), str(e))
            return False
        except Exception as e:  # noqa: BLE001 - a bug must reach the clerk as "not written", not vanish
            self._file_error(
                QCoreApplication.translate("FileActions", "Cannot export"), f"{path}: {type(e).__name__}: {e}"
            )
            return False
        self._export_dir = path.parent
        self.window.statusBar().showMessage(
            QCoreApplication.translate("FileActions", "Exported {name}").format(name=path.name), 5000
        )
        self.exported.emit(str(path))
        return True

    def _ask_save_path(
        self, caption: str, default: Path, filters: list[str], name: str, selected: str = ""
    ) -> tuple[str, str] | None:
        """A save dialog; (file name, chosen filter) or None when cancelled."""
        dialog = QFileDialog(self.window, caption, str(default.parent), ";;".join(filters))
        dialog.setObjectName(name)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.filterSelected.connect(lambda f: dialog.setDefaultSuffix(filter_suffix(f).lstrip(".")))
        dialog.selectNameFilter(selected or filters[0])
        dialog.setDefaultSuffix(filter_suffix(selected or filters[0]).lstrip("."))
        dialog.selectFile(default.name)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
                return None
            return dialog.selectedFiles()[0], dialog.selectedNameFilter()
        finally:
            dialog.deleteLater()

    def _file_error(self, title: str, line: str) -> None:
        """A write failed: name the file and the problem, and say where the work still is."""
        safe = self.session is not None and not self.session.behind
        keep = (
            QCoreApplication.translate(
                "FileActions", "Your corrections are still open here and kept in the recovery store."
            )
            if safe
            else QCoreApplication.translate("FileActions", "Your corrections are still open here.")
        )
        self._message(QMessageBox.Icon.Warning, title, line, keep, "file_error")
        self.failed.emit(line)

    def _message(
        self, icon: QMessageBox.Icon, title: str, text: str, informative: str, name: str
    ) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName(name)
        box.setInformativeText(informative)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal, not blocking: the clerk reads it, the app keeps running
        return box

    def _show_title(self) -> None:
        shown = self.review_path or self.window.path
        if shown is not None:
            self.window.setWindowFilePath(str(shown))
            self.window.setWindowTitle(f"{shown.name}[*] — tabledesk")

    # -- opening review files and restoring ------------------------------------------------
    def open_review_file(self, path: str | Path) -> bool:
        """Open a saved ``*.tdreview`` (the window's open_path sends them here)."""
        path = Path(path)
        try:
            restored = load_review_file(path)
        except (StoreError, sqlite3.Error, OSError, ValueError) as e:
            line = str(e) if isinstance(e, StoreError) else f"{path}: {e}"
            self.window.statusBar().clearMessage()
            self._message(
                QMessageBox.Icon.Warning,
                QCoreApplication.translate("FileActions", "Cannot open the review"),
                line,
                "",
                "open_error",
            )
            self.failed.emit(line)
            self.window.open_failed.emit(line)
            return False
        self._show_restored(restored, _Origin(review_path=path))
        self.window.settings.add_recent_file(path)
        self.window.statusBar().showMessage(
            QCoreApplication.translate("FileActions", "Opened {name}").format(name=path.name), 5000
        )
        return True

    def offer_recovery(self) -> None:
        """At start-up: offer the reviews a crashed or killed tabledesk left in the store."""
        if self.store is None or self.recovery_box is not None:
            return
        if self.window.worker.busy:  # a report named on the command line is being read first
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
            self.window,
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
                self.restore_session(sessions[0].id)
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

    def restore_session(self, session_id: int) -> bool:
        """Reopen a left-behind session and carry on recording into it."""
        if self.store is None or not self.window.maybe_discard():
            return False
        try:
            restored, session = self.store.resume(session_id)
        except StoreError as e:
            self._message(
                QMessageBox.Icon.Warning,
                QCoreApplication.translate("FileActions", "Cannot restore the review"),
                str(e),
                "",
                "file_error",
            )
            self.failed.emit(str(e))
            return False
        info = restored.session
        saved = Path(info.saved_path) if info is not None and info.saved_path else None
        self._show_restored(restored, _Origin(review_path=saved, session=session, recovered=True))
        return True

    def _show_restored(self, restored: Restored, origin: _Origin) -> None:
        note = settle_source(self.window, restored)
        self._origin = origin
        self.window.set_review(restored.review(), Path(restored.document.source.path))
        self.window.review_opened.emit()
        if note:
            self._message(
                QMessageBox.Icon.Warning,
                QCoreApplication.translate("FileActions", "Source file"),
                note,
                "",
                "source_warning",
            )


@contextlib.contextmanager
def _busy_cursor():  # noqa: ANN202
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()
