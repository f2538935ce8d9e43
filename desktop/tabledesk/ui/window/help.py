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
    t = QCoreApplication.translate
    return [
        ("Ctrl+O", t("Help", "Open a report")),
        ("Ctrl+S", t("Help", "Save the review")),
        ("F8 / Shift+F8", t("Help", "Next / previous problem (the cell is ready to type into)")),
        (t("Help", "Type a number"), t("Help", "Replace the selected cell's value")),
        ("F2", t("Help", "Edit the selected cell")),
        ("Enter / Tab", t("Help", "Move down / right")),
        ("Delete", t("Help", "Clear the selected cells")),
        ("Ctrl+C / Ctrl+V", t("Help", "Copy / paste a block (from Excel or WPS)")),
        ("Ctrl+Z", t("Help", "Undo")),
        ("Ctrl+Y / Ctrl+Shift+Z", t("Help", "Redo")),
        ("Ctrl+Enter", t("Help", "Apply the suggested correction")),
        ("Ctrl+F, F3 / Shift+F3", t("Help", "Find a number or label; next / previous match")),
        ("Ctrl+P", t("Help", "Print the corrected tables")),
        ("Ctrl+Shift+R", t("Help", "Mark the report as reviewed")),
        ("Ctrl++ / Ctrl+- / Ctrl+0", t("Help", "Zoom the page in / out / to the page width")),
        ("Ctrl+Shift+O", t("Help", "Read a region of the page again by OCR")),
        ("F1", t("Help", "This list")),
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
