"""The file dialogs' filters, built from the one list of report types the readers accept."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from tabledesk.sources.reader import REPORT_SUFFIXES

REVIEW_SUFFIX = ".tdreview"


def open_filter() -> str:
    """Reports and saved reviews first, then each kind alone, then anything."""
    reports = " ".join(f"*{s}" for s in REPORT_SUFFIXES)
    web = " ".join(f"*{s}" for s in REPORT_SUFFIXES if s not in (".pdf", ".txt"))
    return ";;".join(
        [
            QCoreApplication.translate("MainWindow", "Reports ({patterns})").format(
                patterns=f"{reports} *{REVIEW_SUFFIX}"
            ),
            "PDF (*.pdf)",
            QCoreApplication.translate("MainWindow", "Text (*.txt)"),
            QCoreApplication.translate("MainWindow", "Web pages ({patterns})").format(patterns=web),
            QCoreApplication.translate("MainWindow", "Saved reviews ({patterns})").format(
                patterns=f"*{REVIEW_SUFFIX}"
            ),
            QCoreApplication.translate("MainWindow", "All files (*)"),
        ]
    )
