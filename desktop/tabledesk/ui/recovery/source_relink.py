"""The dialogs of reopening a review whose source moved or changed, and how a left-behind
session is described in the recovery offer (strings stay in the FileActions context)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from tabledesk.store.review_store import Restored, SessionInfo
from tabledesk.store.source_check import SourceState, relink_source


def settle_source(window: QWidget, restored: Restored) -> str:
    """Deal with a source that moved (ask for it) or changed (say so); a note to show, or ""."""
    check = restored.source
    changed = QCoreApplication.translate(
        "FileActions",
        "{path}: the source file has changed since this review was made. The grids show the reviewed values.",
    )
    if check.state is SourceState.CHANGED:
        return changed.format(path=check.path)
    if check.state is SourceState.OK:
        return ""
    missing = QCoreApplication.translate("FileActions", "{path}: the source file is no longer there.").format(
        path=check.path
    )
    if not _ask(
        window,
        QCoreApplication.translate("FileActions", "Source file moved"),
        missing,
        QCoreApplication.translate("FileActions", "Locate it now?"),
    ):
        return missing
    old = Path(check.path.replace("\\", "/"))
    dialog = QFileDialog(
        window, QCoreApplication.translate("FileActions", "Locate the source file"), str(old.parent)
    )
    dialog.setObjectName("locate_source")
    dialog.setNameFilters(
        [f"{old.name} (*{old.suffix})", QCoreApplication.translate("FileActions", "All files (*)")]
    )
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted and bool(dialog.selectedFiles())
    chosen = dialog.selectedFiles()[0] if accepted else ""
    dialog.deleteLater()
    if not chosen:
        return missing
    found = relink_source(restored.document, chosen)
    if found.state is SourceState.OK:
        return ""
    other = QCoreApplication.translate(
        "FileActions", "{path} is not the file that was reviewed: its contents differ."
    )
    if _ask(
        window,
        QCoreApplication.translate("FileActions", "Different file"),
        other.format(path=chosen),
        QCoreApplication.translate("FileActions", "Use it anyway?"),
    ):
        relink_source(restored.document, chosen, accept_changed=True)
        return changed.format(path=chosen)
    return missing


def _ask(window: QWidget, title: str, text: str, question: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        window,
    )
    box.setObjectName("source_question")
    box.setInformativeText(question)
    box.exec()
    yes = box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes
    box.deleteLater()
    return yes


def describe_session(info: SessionInfo, corrections: int | None) -> str:
    when = info.updated.astimezone().strftime("%Y-%m-%d %H:%M")
    if corrections is None:
        line = QCoreApplication.translate("FileActions", "{title} — damaged, last at {time}").format(
            title=info.title, time=when
        )
    else:
        line = QCoreApplication.translate("FileActions", "{title} — {n} corrections, last at {time}").format(
            title=info.title, n=corrections, time=when
        )
    if info.saved_path:
        line += " · " + Path(info.saved_path.replace("\\", "/")).name
    return line
