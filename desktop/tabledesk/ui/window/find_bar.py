"""Edit › Find (Ctrl+F): a number or a label, in the grids and in the source.

A number matches cells showing exactly that number; any other text matches row labels that
contain it. Then the source: its lines and the cells of its printed tables. Enter or F3 goes to
the next match, Shift+Enter or Shift+F3 to the previous one, Escape closes the bar; each match
is shown where it is — the grid cell selected (and outlined on the page), or the place on the
page or in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import ExtractedSource
from tabledesk.core.values import format_number, parse_number

if TYPE_CHECKING:
    from tabledesk.ui.host import WindowHost


@dataclass(frozen=True, slots=True)
class GridMatch:
    table_id: str
    row_id: str
    col_id: str


@dataclass(frozen=True, slots=True)
class SourceMatch:
    prov: Provenance
    text: str


Match = GridMatch | SourceMatch


class FindBar(QObject):
    def __init__(self, window: WindowHost) -> None:
        super().__init__(window.widget())
        self.host = window
        self.matches: list[Match] = []
        self.position = -1
        self.bar = QWidget(window.widget())
        self.bar.setObjectName("find_bar")
        lay = QHBoxLayout(self.bar)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(QLabel(QCoreApplication.translate("FindBar", "Find:"), self.bar))
        self.edit = QLineEdit(self.bar)
        self.edit.setPlaceholderText(QCoreApplication.translate("FindBar", "a number or a label"))
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self._on_text)
        self.edit.installEventFilter(self)
        lay.addWidget(self.edit, 1)
        self.prev_button = QToolButton(self.bar)
        self.prev_button.setText("▲")
        self.prev_button.setToolTip(QCoreApplication.translate("FindBar", "Previous match (Shift+F3)"))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button = QToolButton(self.bar)
        self.next_button.setText("▼")
        self.next_button.setToolTip(QCoreApplication.translate("FindBar", "Next match (F3)"))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.count = QLabel(self.bar)
        close = QToolButton(self.bar)
        close.setText("✕")
        close.setToolTip(QCoreApplication.translate("FindBar", "Close (Esc)"))
        close.clicked.connect(self.close)
        for part in (self.prev_button, self.next_button, self.count, close):
            lay.addWidget(part)
        self.bar.hide()
        w = window.widget()
        self.find_action = QAction(QCoreApplication.translate("FindBar", "&Find…"), w)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.open)
        self.next_action = QAction(QCoreApplication.translate("FindBar", "Find &Next"), w)
        self.next_action.setShortcut(QKeySequence("F3"))
        self.next_action.triggered.connect(lambda: self.step(1))
        self.prev_action = QAction(QCoreApplication.translate("FindBar", "Find &Previous"), w)
        self.prev_action.setShortcut(QKeySequence("Shift+F3"))
        self.prev_action.triggered.connect(lambda: self.step(-1))
        for a in (self.find_action, self.next_action, self.prev_action):
            w.addAction(a)

    # -- the bar -----------------------------------------------------------------------------
    def open(self) -> None:
        self.bar.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def close(self) -> None:
        self.bar.hide()
        self.host.focus_grid()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.step(-1 if shift else 1)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)

    def _on_text(self, text: str) -> None:
        self.search(text)
        if self.matches:
            self.step(1)

    # -- searching ---------------------------------------------------------------------------
    def search(self, text: str) -> list[Match]:
        """Every match of ``text``: grid cells and labels in tab order, then the source."""
        self.matches, self.position = [], -1
        query = text.strip()
        c = self.host.controller
        if c is None or not query:
            self._show_count()
            return self.matches
        number = parse_number(query)
        wanted = format_number(number) if number is not None else None
        needle = query.casefold()
        doc = c.document
        for table in doc.tables:
            for r, row in enumerate(table.rows):
                label_hit = wanted is None and needle in row.label.casefold()
                for k, col in enumerate(table.columns):
                    cell = table.cells[r][k]
                    if (wanted is not None and format_number(cell.value) == wanted) or (label_hit and k == 0):
                        self.matches.append(GridMatch(table.id, row.id, col.id))
        source = doc.extracted
        if isinstance(source, ExtractedSource):
            for raw in source.tables:
                for raw_row in raw.cells:
                    for raw_cell in raw_row:
                        if raw_cell is not None and self._text_hit(raw_cell.text, wanted, needle):
                            self.matches.append(SourceMatch(raw_cell.prov, raw_cell.text))
            for line in source.lines:
                if self._text_hit(line.text, wanted, needle):
                    self.matches.append(SourceMatch(line.prov, line.text))
        self._show_count()
        return self.matches

    @staticmethod
    def _text_hit(text: str, wanted: str | None, needle: str) -> bool:
        if wanted is not None:
            number = parse_number(text.strip())
            return (number is not None and format_number(number) == wanted) or (
                len(needle) > 2 and needle in text.casefold()
            )
        return needle in text.casefold()

    def step(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) match, round the end."""
        if not self.matches:
            if self.edit.text().strip():
                self.search(self.edit.text())
            if not self.matches:
                return
        self.position = (self.position + direction) % len(self.matches)
        match = self.matches[self.position]
        if isinstance(match, GridMatch):
            self.host.select_cell(match.table_id, match.row_id, match.col_id)
        else:
            self.host.source.show_sentence([match.prov], match.text)
        if self.bar.isVisible():
            self.edit.setFocus()  # keep typing or pressing Enter in the bar
        self._show_count()

    def _show_count(self) -> None:
        if not self.edit.text().strip():
            self.count.setText("")
        elif not self.matches:
            self.count.setText(QCoreApplication.translate("FindBar", "not found"))
        else:
            self.count.setText(
                QCoreApplication.translate("FindBar", "{i} of {n}").format(
                    i=self.position + 1, n=len(self.matches)
                )
            )
