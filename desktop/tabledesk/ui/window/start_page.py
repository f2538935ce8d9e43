"""What the window shows before any report is open: what to do first, in plain words, with the
ways in — open a report, open a folder of reports, a recent file, or the bundled sample."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tabledesk.resources import resource_path

PathRole = Qt.ItemDataRole.UserRole + 60


def sample_report() -> Path | None:
    """The sample report bundled with tabledesk, if this installation has it."""
    path = resource_path("samples", "sample-report-2023.pdf")
    return path if path.is_file() else None


class StartPage(QWidget):
    open_requested = Signal()  # 打开报告…
    folder_requested = Signal()  # 打开文件夹…
    path_requested = Signal(str)  # a recent file or the sample

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("start_page")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget(self)
        box.setMaximumWidth(640)
        lay = QVBoxLayout(box)
        title = QLabel(QCoreApplication.translate("StartPage", "Check a report's tables"), box)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        lay.addWidget(title)
        intro = QLabel(
            QCoreApplication.translate(
                "StartPage",
                "Open a report (PDF, web page or text). Its tables are read into grids beside the "
                "page, and every cell that breaks the form's rules is shown in red: F8 goes to the "
                "next one. You can also drop a file on this window.",
            ),
            box,
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(QCoreApplication.translate("StartPage", "Open Report…"), box)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_requested)
        self.folder_button = QPushButton(QCoreApplication.translate("StartPage", "Open Folder…"), box)
        self.folder_button.clicked.connect(self.folder_requested)
        self.sample_button = QPushButton(
            QCoreApplication.translate("StartPage", "Open the Sample Report"), box
        )
        sample = sample_report()
        self.sample_button.setEnabled(sample is not None)
        if sample is not None:
            self.sample_button.clicked.connect(lambda: self.path_requested.emit(str(sample)))
        for b in (self.open_button, self.folder_button, self.sample_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        lay.addSpacing(12)
        self.recent_title = QLabel(QCoreApplication.translate("StartPage", "Recent reports"), box)
        lay.addWidget(self.recent_title)
        self.recent = QListWidget(box)
        self.recent.setMaximumHeight(220)
        self.recent.itemActivated.connect(self._on_recent)
        self.recent.itemClicked.connect(self._on_recent)
        lay.addWidget(self.recent)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def set_recent(self, paths: list[Path]) -> None:
        self.recent.clear()
        for path in paths:
            item = QListWidgetItem(f"{path.name}    —    {path.parent}")
            item.setData(PathRole, str(path))
            item.setToolTip(str(path))
            self.recent.addItem(item)
        has = bool(paths)
        self.recent.setVisible(has)
        self.recent_title.setVisible(has)

    def _on_recent(self, item: QListWidgetItem) -> None:
        self.path_requested.emit(str(item.data(PathRole)))
