"""Why a report could not be opened, as one sentence in the UI language naming the file; the
full path and the reader's own (English, technical) words go in the box's details."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from tabledesk.core.source import SourceProblem


def problem_sentence(kind: str, name: str) -> str:
    try:
        problem = SourceProblem(kind)
    except ValueError:
        problem = SourceProblem.OTHER
    sentences = {
        SourceProblem.NOT_FOUND: QCoreApplication.translate("OpenErrors", "The file {name} was not found."),
        SourceProblem.UNSUPPORTED: QCoreApplication.translate(
            "OpenErrors", "{name} is not a kind of file tabledesk reads (PDF, web page or text)."
        ),
        SourceProblem.CORRUPT: QCoreApplication.translate(
            "OpenErrors", "{name} is damaged or incomplete and cannot be read."
        ),
        SourceProblem.ENCRYPTED: QCoreApplication.translate(
            "OpenErrors", "{name} is protected by a password and cannot be read."
        ),
        SourceProblem.NO_TEXT_LAYER: QCoreApplication.translate(
            "OpenErrors", "{name} is a scan without text, and the OCR reader is not installed."
        ),
        SourceProblem.UNREADABLE_TEXT: QCoreApplication.translate(
            "OpenErrors", "The text of {name} cannot be read: its fonts map to no characters."
        ),
        SourceProblem.NO_TEMPLATE: QCoreApplication.translate(
            "OpenErrors", "{name} holds no table of a known report (政府信息公开工作年度报告)."
        ),
        SourceProblem.OTHER: QCoreApplication.translate("OpenErrors", "{name} could not be read."),
    }
    return sentences[problem].format(name=name)


def open_error_box(parent: QWidget, path: Path | None, message: str, kind: str) -> QMessageBox:
    """The warning shown when a report cannot be opened (not yet shown: call ``open()``)."""
    name = path.name if path is not None else ""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("MainWindow", "Cannot open the report"),
        problem_sentence(kind, name),
        parent=parent,
    )
    box.setObjectName("open_error")
    details = [str(path)] if path is not None else []
    box.setDetailedText("\n".join([*details, message]))
    return box
