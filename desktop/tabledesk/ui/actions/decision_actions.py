"""A decision per failing check: "原文如此" (accept as printed, with an optional note) when the
clerk finds the source itself inconsistent and it must be exported as printed; and taking the
decision back. Both are undoable commands (ui/editing/undo.py AcceptCommand) on the review's
own decisions (core/decisions.py), so they are saved, autosaved and exported like edits.

Also here: asking before a review with failures still open is marked reviewed or exported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLineEdit, QMenu, QMessageBox, QPushButton, QWidget

from tabledesk.checks.engine import CheckResult, CheckStatus
from tabledesk.ui.grid.checks_model import ResultRole

if TYPE_CHECKING:
    from tabledesk.ui.host import WindowHost


def confirm_open_failures(host: WindowHost, doing: str) -> bool:
    """With failures still open (not accepted as printed), ask before ``doing`` ("export",
    "mark reviewed") and say how many; True to go on."""
    c = host.controller
    n = c.failing_count() if c is not None else 0
    if n == 0:
        return True
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("DecisionActions", "Checks still failing"),
        QCoreApplication.translate(
            "DecisionActions", "{n} checks still fail and are not accepted as printed. {doing} anyway?"
        ).format(n=n, doing=doing),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        host.widget(),
    )
    box.setObjectName("open_failures")
    box.setInformativeText(
        QCoreApplication.translate(
            "DecisionActions",
            "Correct them, or select each and choose “Accept as printed” where the source itself is wrong.",
        )
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    answer = box.standardButton(box.clickedButton())
    box.deleteLater()
    return answer == QMessageBox.StandardButton.Yes


class DecisionBar(QWidget):
    """Under the checks: accept the selected failing check as printed, or reopen it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.accept_button = QPushButton(
            QCoreApplication.translate("DecisionActions", "Accept as printed…"), self
        )
        self.reopen_button = QPushButton(QCoreApplication.translate("DecisionActions", "Reopen"), self)
        lay.addStretch(1)
        lay.addWidget(self.accept_button)
        lay.addWidget(self.reopen_button)


class DecisionActions(QObject):
    def __init__(self, window: WindowHost, menu: QMenu) -> None:
        super().__init__(window.widget())
        self.host = window
        self.accept_action = QAction(
            QCoreApplication.translate("DecisionActions", "Accept as Printed…"), window.widget()
        )
        self.accept_action.setToolTip(
            QCoreApplication.translate(
                "DecisionActions", "The source itself is inconsistent here: export the numbers as printed"
            )
        )
        self.accept_action.triggered.connect(lambda: self.accept_selected())
        self.reopen_action = QAction(
            QCoreApplication.translate("DecisionActions", "Reopen Accepted Check"), window.widget()
        )
        self.reopen_action.triggered.connect(self.reopen_selected)
        menu.addSeparator()
        menu.addAction(self.accept_action)
        menu.addAction(self.reopen_action)
        self.bar = DecisionBar(window.widget())
        self.bar.accept_button.clicked.connect(lambda: self.accept_selected())
        self.bar.reopen_button.clicked.connect(self.reopen_selected)
        panel = window.checks_view.parentWidget()
        layout = panel.layout() if panel is not None else None
        if layout is not None:
            layout.addWidget(self.bar)
        self.update()

    def attach(self) -> None:
        """A review was opened in the window (after its checks model is built)."""
        c = self.host.controller
        if c is not None:
            c.checks_changed.connect(lambda *_: self.update())
            self.host.checks_view.selectionModel().currentChanged.connect(lambda *_: self.update())
        self.update()

    def selected(self) -> CheckResult | None:
        """The failing check selected in the checks panel, if any."""
        index = self.host.checks_view.currentIndex()
        result = index.data(ResultRole) if index.isValid() else None
        if isinstance(result, CheckResult) and result.status is CheckStatus.FAILED:
            return result
        return None

    def accept_selected(self, note: str | None = None) -> bool:
        """原文如此 on the selected failing check; ``note`` None asks for one (it may be left
        empty). True when the decision was taken."""
        c, result = self.host.controller, self.selected()
        if c is None or result is None:
            return False
        if note is None:
            before = c.document.accepted.get(result.uid)
            text, ok = QInputDialog.getText(
                self.host.widget(),
                QCoreApplication.translate("DecisionActions", "Accept as printed"),
                QCoreApplication.translate(
                    "DecisionActions", "The source itself is inconsistent here. Note (optional):"
                ),
                QLineEdit.EchoMode.Normal,
                before.note if before is not None else "",
            )
            if not ok:
                return False
            note = text
        c.accept(result, note, QCoreApplication.translate("DecisionActions", "Accept as printed"))
        return True

    def reopen_selected(self) -> None:
        c, result = self.host.controller, self.selected()
        if c is not None and result is not None:
            c.reopen(result, QCoreApplication.translate("DecisionActions", "Reopen accepted check"))

    def update(self) -> None:
        c = self.host.controller
        result = self.selected() if c is not None else None
        accepted = c is not None and result is not None and c.is_accepted(result)
        self.accept_action.setEnabled(result is not None)
        self.reopen_action.setEnabled(accepted)
        self.bar.accept_button.setEnabled(result is not None)
        self.bar.reopen_button.setEnabled(accepted)
        self.bar.setVisible(c is not None and bool(c.problems()))
