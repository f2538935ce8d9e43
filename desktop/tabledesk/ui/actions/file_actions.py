"""The File menu's saving side: Save and Save As (the review file), Export (Excel, JSON, CSV),
opening saved review files and restoring a review the recovery store kept. Autosave and the
offer to restore after a crash are ``ui/recovery/autosave.py``.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from tabledesk.checks.messages import render_message
from tabledesk.core.document import ReviewStatus
from tabledesk.exports.common import ExportError
from tabledesk.exports.targets import Inputs
from tabledesk.exports.writer import EXPORT_FORMATS, write_export
from tabledesk.store.errors import StoreError
from tabledesk.store.review_files import REVIEW_FILE_SUFFIX, load_review_file, save_review_file
from tabledesk.store.review_store import Restored
from tabledesk.store.session import StoreSession
from tabledesk.ui.recovery.autosave import Autosave, open_message
from tabledesk.ui.recovery.source_relink import settle_source

if TYPE_CHECKING:
    from tabledesk.ui.editing.review_controller import ReviewController
    from tabledesk.ui.host import WindowHost

SUMMARY_LINES = 8  # problems listed before an export; the rest counted


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


def export_default(source: Path, folder: Path, suffix: str) -> Path:
    """The export name the dialog proposes: the source's name with the format's extension,
    never the source itself (a CSV or text report exported as CSV would be overwritten)."""
    default = folder / (source.stem + suffix)
    if Inputs([source]).clash(default) is not None:
        stem = QCoreApplication.translate("FileActions", "{name} (export)").format(name=source.stem)
        default = folder / (stem + suffix)
    return default


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
    """Creates and owns the File menu's Save, Save As… and Export… actions, and the window's
    :class:`Autosave`. The window calls attach_review/detach_review when it shows or drops a
    review, ask_to_save before dropping unsaved corrections and shutdown when it closes."""

    saved = Signal(str)  # the review file written
    exported = Signal(str)  # the export written
    failed = Signal(str)  # one line: a save, export, open or restore that did not happen

    def __init__(self, window: WindowHost) -> None:
        super().__init__(window.widget())
        self.host = window
        self.review_path: Path | None = None  # the review file this review is saved in
        self._origin: _Origin | None = None
        self._saved_status: ReviewStatus | None = None
        self._undo: list[Callable[[], object]] = []
        self._export_dir: Path | None = None
        self._export_filter = export_filters()[0]

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
        self.autosave = Autosave(window, lambda: self.review_path)
        self.autosave.restore_requested.connect(self.restore_session)
        self._update_actions(False)

    def _action(
        self, text: str, slot: Callable[[], object], shortcut: QKeySequence | QKeySequence.StandardKey
    ) -> QAction:
        action = QAction(text, self.host.widget())
        action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.host.widget().addAction(action)
        return action

    def _update_actions(self, has_review: bool) -> None:
        for action in (self.save_action, self.save_as_action, self.export_action):
            action.setEnabled(has_review)

    # -- the window's hooks ----------------------------------------------------------------
    def attach_review(self) -> None:
        """The window now shows a review (end of MainWindow.set_review): start recording it."""
        origin, self._origin = self._origin or _Origin(), None
        controller = self.host.controller
        assert controller is not None
        self.review_path = origin.review_path
        self._saved_status = controller.document.review_status
        self.autosave.attach(origin.session)
        controller.review_status_changed.connect(self._on_status_changed)
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
        self.autosave.detach()
        self.review_path = None
        self._update_actions(False)

    def shutdown(self) -> None:
        """The window closes (after detach_review)."""
        self.autosave.shutdown()

    def ask_to_save(self) -> bool:
        """Save / Discard / Cancel before unsaved corrections are dropped; True to go on."""
        name = (self.review_path or self.host.path or Path("")).name
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("FileActions", "Unsaved corrections"),
            QCoreApplication.translate("FileActions", "Save the corrections to {name}?").format(name=name),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self.host.widget(),
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

    def _on_status_changed(self, *_: object) -> None:
        """Marking a review reviewed (or not) is work to save, though it is not on the undo stack;
        the automatic "in progress" of a first edit is not."""
        controller = self.host.controller
        if controller is None:
            return
        reviewed = controller.document.review_status is ReviewStatus.REVIEWED
        if reviewed != (self._saved_status is ReviewStatus.REVIEWED):
            controller.undo_stack.resetClean()

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> bool:
        """Ctrl+S: write the review file (asking where the first time). True once written."""
        if self.host.controller is None:
            return False
        if self.review_path is None:
            return self.save_as()
        return self.save_to(self.review_path)

    def save_as(self) -> bool:
        if self.host.controller is None:
            return False
        source = Path(self.host.controller.document.source.path)
        default = self.review_path or source.with_name(source.stem + REVIEW_FILE_SUFFIX)
        chosen = self._ask_save_path(
            QCoreApplication.translate("FileActions", "Save review"),
            default,
            [review_filter()],
            "save_dialog",
        )
        return self.save_to(review_target(chosen[0])) if chosen else False

    def save_to(self, path: str | Path) -> bool:
        controller = self.host.controller
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
        if self.autosave.session is not None:
            with contextlib.suppress(StoreError):  # only labels the session in the recovery list
                self.autosave.session.set_saved_path(path)
        self.host.settings.add_recent_file(path)
        self._show_title()
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate("FileActions", "Saved {name}").format(name=path.name), 5000
        )
        self.saved.emit(str(path))
        return True

    def export(self) -> bool:
        """File › Export…: Excel, JSON or CSV, by the dialog's filter (or the typed extension)."""
        controller = self.host.controller
        if controller is None:
            return False
        if not self._confirm_export(controller):
            return False
        source = Path(controller.document.source.path)
        folder = self._export_dir or (self.review_path or source).parent
        default = export_default(source, folder, filter_suffix(self._export_filter))
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

    def _confirm_export(self, controller: ReviewController) -> bool:
        """Before problems go into a spreadsheet, say which: export anyway, or go back. Failures
        the clerk accepted as printed (原文如此) are decided, not open."""
        problems = [r for r in controller.problems() if not controller.is_accepted(r)]
        if not problems:
            return True
        shown = [
            render_message(r, controller.language, controller.document.table(r.instance.table_id).name)
            for r in problems[:SUMMARY_LINES]
        ]
        if len(problems) > SUMMARY_LINES:
            shown.append(
                QCoreApplication.translate("FileActions", "…and {n} more").format(
                    n=len(problems) - SUMMARY_LINES
                )
            )
        text = (
            QCoreApplication.translate("FileActions", "{n} problem is still open:")
            if len(problems) == 1
            else QCoreApplication.translate("FileActions", "{n} problems are still open:")
        ).format(n=len(problems))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("FileActions", "Export"),
            text,
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            self.host.widget(),
        )
        box.setObjectName("export_summary")
        box.setInformativeText("\n".join(shown))
        box.button(QMessageBox.StandardButton.Ok).setText(
            QCoreApplication.translate("FileActions", "Export Anyway")
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        try:
            return box.exec() == QMessageBox.StandardButton.Ok
        finally:
            box.deleteLater()

    def export_to(self, path: str | Path) -> bool:
        controller = self.host.controller
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
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate("FileActions", "Exported {name}").format(name=path.name), 5000
        )
        self.exported.emit(str(path))
        return True

    def _ask_save_path(
        self, caption: str, default: Path, filters: list[str], name: str, selected: str = ""
    ) -> tuple[str, str] | None:
        """A save dialog; (file name, chosen filter) or None when cancelled."""
        dialog = QFileDialog(self.host.widget(), caption, str(default.parent), ";;".join(filters))
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
        session = self.autosave.session
        safe = session is not None and not session.behind
        keep = (
            QCoreApplication.translate(
                "FileActions", "Your corrections are still open here and kept in the recovery store."
            )
            if safe
            else QCoreApplication.translate("FileActions", "Your corrections are still open here.")
        )
        open_message(self.host.widget(), QMessageBox.Icon.Warning, title, line, keep, "file_error")
        self.failed.emit(line)

    def _show_title(self) -> None:
        shown = self.review_path or self.host.path
        if shown is not None:
            self.host.widget().setWindowFilePath(str(shown))
            self.host.widget().setWindowTitle(f"{shown.name}[*] — tabledesk")

    # -- opening review files and restoring ------------------------------------------------
    def open_review_file(self, path: str | Path) -> bool:
        """Open a saved ``*.tdreview`` (the window's open_path sends them here)."""
        path = Path(path)
        try:
            restored = load_review_file(path)
        except (StoreError, sqlite3.Error, OSError, ValueError) as e:
            line = str(e) if isinstance(e, StoreError) else f"{path}: {e}"
            self.host.widget().statusBar().clearMessage()
            open_message(
                self.host.widget(),
                QMessageBox.Icon.Warning,
                QCoreApplication.translate("FileActions", "Cannot open the review"),
                line,
                "",
                "open_error",
            )
            self.failed.emit(line)
            self.host.open_failed.emit(line)
            return False
        self._show_restored(restored, _Origin(review_path=path))
        self.host.settings.add_recent_file(path)
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate("FileActions", "Opened {name}").format(name=path.name), 5000
        )
        return True

    def restore_session(self, session_id: int) -> bool:
        """Reopen a left-behind session and carry on recording into it."""
        store = self.autosave.store
        if store is None or not self.host.maybe_discard():
            return False
        try:
            restored, session = store.resume(session_id)
        except StoreError as e:
            open_message(
                self.host.widget(),
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
        note = settle_source(self.host.widget(), restored)
        self._origin = origin
        self.host.set_review(restored.review(), Path(restored.document.source.path))
        self.host.review_opened.emit()
        if note:
            open_message(
                self.host.widget(),
                QMessageBox.Icon.Warning,
                QCoreApplication.translate("FileActions", "Source file"),
                note,
                "",
                "source_warning",
            )


@contextlib.contextmanager
def _busy_cursor() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()
