"""Help › Keyboard Shortcuts (F1) and Help › User Guide (the local docs/window.md)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tabledesk.resources import docs_path


def key_map() -> list[tuple[str, str]]:
    """Every key of the window worth knowing, with what it does, in the UI language."""
    return [
        ("Ctrl+O", QCoreApplication.translate("Help", "Open a report")),
        ("Ctrl+S", QCoreApplication.translate("Help", "Save the review")),
        (
            "F8 / Shift+F8",
            QCoreApplication.translate("Help", "Next / previous problem (the cell is ready to type into)"),
        ),
        (
            QCoreApplication.translate("Help", "Type a number"),
            QCoreApplication.translate("Help", "Replace the selected cell's value"),
        ),
        ("F2", QCoreApplication.translate("Help", "Edit the selected cell")),
        ("Enter / Tab", QCoreApplication.translate("Help", "Move down / right")),
        ("Delete", QCoreApplication.translate("Help", "Clear the selected cells")),
        ("Ctrl+C / Ctrl+V", QCoreApplication.translate("Help", "Copy / paste a block (from Excel or WPS)")),
        ("Ctrl+Z", QCoreApplication.translate("Help", "Undo")),
        ("Ctrl+Y / Ctrl+Shift+Z", QCoreApplication.translate("Help", "Redo")),
        ("Ctrl+Enter", QCoreApplication.translate("Help", "Apply the suggested correction")),
        (
            "Ctrl+F, F3 / Shift+F3",
            QCoreApplication.translate("Help", "Find a number or label; next / previous match"),
        ),
        ("Ctrl+P", QCoreApplication.translate("Help", "Print the corrected tables")),
        ("Ctrl+Shift+R", QCoreApplication.translate("Help", "Mark the report as reviewed")),
        (
            "Ctrl++ / Ctrl+- / Ctrl+0",
            QCoreApplication.translate("Help", "Zoom the page in / out / to the page width"),
        ),
        ("Ctrl+Shift+O", QCoreApplication.translate("Help", "Read a region of the page again by OCR")),
        ("F1", QCoreApplication.translate("Help", "This list")),
    ]


def user_guide_url() -> QUrl | None:
    guide = docs_path("window.md")
    return QUrl.fromLocalFile(str(guide)) if guide.is_file() else None


def open_user_guide() -> bool:
    url = user_guide_url()
    return url is not None and QDesktopServices.openUrl(url)


class KeyboardHelp(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard_help")
        self.setWindowTitle(QCoreApplication.translate("Help", "Keyboard Shortcuts"))
        lay = QVBoxLayout(self)
        keys = key_map()
        self.table = QTableWidget(len(keys), 2, self)
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("Help", "Key"), QCoreApplication.translate("Help", "What it does")]
        )
        for r, (key, text) in enumerate(keys):
            self.table.setItem(r, 0, QTableWidgetItem(key))
            self.table.setItem(r, 1, QTableWidgetItem(text))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table)
        url = user_guide_url()
        if url is not None:
            link = QLabel(
                '<a href="{url}">{text}</a>'.format(
                    url=url.toString(), text=QCoreApplication.translate("Help", "Open the user guide")
                ),
                self,
            )
            link.setOpenExternalLinks(True)
            lay.addWidget(link)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(620, 560)
