"""Suggested corrections in the window: shown on the failing cells and in the checks panel,
each with how sure it is (and, where several single changes explain the checks about equally
well, all of them), applied with Ctrl+Enter (or the Apply button) as an ordinary undoable edit
with the reason "suggested correction", or dismissed. Where alternatives are listed, the bar's
"Apply 2" / "Apply 3" buttons (and the menu's entries) apply the second or third instead. A
total left unfilled is filled in with the sum of its parts the same way (Ctrl+Enter on its
cell or its check). Never applied without the clerk asking, and only to the table shown: the
selected check's correction when that check is of the shown table, else the selected cell's,
else the shown table's best.

The core (checks/suggest.py) works the suggestions out again after every change of the checks;
the grid and checks models show them through their ``suggestion_hint`` hooks.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from tabledesk.checks.engine import CheckResult
from tabledesk.checks.suggest import Analysis, FillIn, Suggestion, Unexplained, analyse, fill_ins
from tabledesk.ui.editing.undo import EditCommand
from tabledesk.ui.grid.checks_model import ResultRole

if TYPE_CHECKING:
    from tabledesk.ui.host import WindowHost

CellKey = tuple[str, str, str]
Identity = tuple[str, tuple[tuple[str, str, str], ...], tuple[tuple[CellKey, object], ...]]
Offer = Suggestion | FillIn  # what Ctrl+Enter applies
ALTERNATIVES = 2  # the 2nd and 3rd listed corrections get a button (a group lists at most 3)


def _here(item: Offer, table_id: str) -> bool:
    """An offer of the table shown that changes only cells of that table: a rule across tables
    may be listed here and be mended in another table, which the clerk is not looking at."""
    keys = [item.key] if isinstance(item, FillIn) else item.cells()
    return item.table_id == table_id and all(k[0] == table_id for k in keys)


def _identity(s: Offer) -> Identity:
    """What a dismissal remembers: the same correction for the same failing rules."""
    if isinstance(s, FillIn):
        return (s.table_id, s.rules, ((s.key, s.value),))
    return (s.table_id, s.rules, tuple((c.key, c.new) for c in s.changes))


class SuggestionBar(QWidget):
    """Under the checks: the suggestion Ctrl+Enter would apply, with Apply, Apply 2 / Apply 3
    where alternatives are listed, and Dismiss."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.apply_button = QPushButton(QCoreApplication.translate("SuggestionActions", "Apply"), self)
        self.alternative_buttons = [
            QPushButton(QCoreApplication.translate("SuggestionActions", "Apply 2"), self),
            QPushButton(QCoreApplication.translate("SuggestionActions", "Apply 3"), self),
        ]
        self.dismiss_button = QPushButton(QCoreApplication.translate("SuggestionActions", "Dismiss"), self)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.apply_button)
        for button in self.alternative_buttons:
            lay.addWidget(button)
        lay.addWidget(self.dismiss_button)


class SuggestionActions(QObject):
    def __init__(self, window: WindowHost, menu: QMenu) -> None:
        super().__init__(window.widget())
        self.host = window
        self.apply_action = QAction(
            QCoreApplication.translate("SuggestionActions", "Apply Suggested Correction"), window.widget()
        )
        # Return on the main keyboard, Enter on the keypad
        self.apply_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.apply_action.triggered.connect(self.apply_current)
        self.dismiss_action = QAction(
            QCoreApplication.translate("SuggestionActions", "Dismiss Suggested Correction"), window.widget()
        )
        self.dismiss_action.triggered.connect(self.dismiss_current)
        # The 2nd and 3rd of the corrections listed for the group (see alternatives()).
        self.alternative_actions = [
            QAction(QCoreApplication.translate("SuggestionActions", "Apply Second Listed Correction"), self),
            QAction(QCoreApplication.translate("SuggestionActions", "Apply Third Listed Correction"), self),
        ]
        window.widget().addAction(self.apply_action)
        window.widget().addAction(self.dismiss_action)
        menu.addSeparator()
        menu.addAction(self.apply_action)
        for n, action in enumerate(self.alternative_actions, 1):
            action.triggered.connect(lambda _=False, n=n: self.apply_alternative(n))
            menu.addAction(action)
        menu.addAction(self.dismiss_action)
        self.bar = SuggestionBar(window.widget())
        self.bar.apply_button.clicked.connect(self.apply_current)
        for n, button in enumerate(self.bar.alternative_buttons, 1):
            button.clicked.connect(lambda _=False, n=n: self.apply_alternative(n))
        self.bar.dismiss_button.clicked.connect(self.dismiss_current)
        panel = window.checks_view.parentWidget()
        layout = panel.layout() if panel is not None else None
        if layout is not None:
            layout.addWidget(self.bar)
        self.analysis = Analysis((), ())
        self.dismissed: set[Identity] = set()
        self.shown: list[Suggestion] = []  # each group's best not dismissed, best first
        self.fills: list[FillIn] = []  # totals left unfilled, not dismissed
        self.by_rule: dict[tuple[str, str, str], Offer | Unexplained] = {}
        self.by_cell: dict[CellKey, Offer | Unexplained] = {}
        self._hooked: weakref.WeakSet[QObject] = weakref.WeakSet()  # grids whose selection we follow
        window.tabs.currentChanged.connect(lambda *_: self._update_bar())
        self._update_bar()

    # -- the review ------------------------------------------------------------------------
    def attach(self) -> None:
        """A review was opened in the window (after its tabs and checks model are built)."""
        c = self.host.controller
        self.dismissed.clear()
        if c is None:
            self.detach()
            return
        c.checks_changed.connect(lambda *_: self.refresh())
        c.structure_changed.connect(self.refresh)
        self.host.checks_view.selectionModel().currentChanged.connect(lambda *_: self._update_bar())
        self.refresh()

    def detach(self) -> None:
        self.analysis = Analysis((), ())
        self.shown, self.fills, self.by_rule, self.by_cell = [], [], {}, {}
        self._update_bar()

    def refresh(self) -> None:
        """Work the suggestions out again and show them where they changed."""
        c = self.host.controller
        if c is None:
            self.detach()
            return
        self.analysis = analyse(c.review.checker)
        groups: dict[tuple[str, int], Suggestion] = {}
        for s in self.analysis.suggestions:
            if _identity(s) not in self.dismissed:
                groups.setdefault((s.table_id, s.group), s)
        self.shown = sorted(groups.values(), key=lambda s: -s.confidence)
        self.fills = [f for f in fill_ins(c.review.checker) if _identity(f) not in self.dismissed]
        self.by_rule, self.by_cell = {}, {}
        found: list[Offer | Unexplained] = [*self.shown, *self.analysis.unexplained, *self.fills]
        for item in found:
            for uid in item.rules:
                self.by_rule[uid] = item
        for fill in self.fills:  # the unfilled total itself, before the parts its rules read
            self.by_cell[fill.key] = fill
        for inst in c.review.checker.instances:
            owner = self.by_rule.get(inst.uid)
            if owner is not None:
                for key in inst.cells():
                    self.by_cell.setdefault(key, owner)
        self._install_hooks()
        self._update_bar()

    def _install_hooks(self) -> None:
        model = self.host.checks_view.model()
        if model is not None and hasattr(model, "suggestion_hint"):
            model.suggestion_hint = self.check_hint
            if model.rowCount():
                model.dataChanged.emit(model.index(0, 1), model.index(model.rowCount() - 1, 1), [])
            self.host.checks_view.resizeRowsToContents()
        for grid in self.host.grids.values():
            grid_model = grid.grid_model()
            grid_model.suggestion_hint = self.cell_hint
            # Tooltips are asked for when shown: nothing to repaint.
            if grid not in self._hooked:
                grid.selectionModel().currentChanged.connect(lambda *_: self._update_bar())
                self._hooked.add(grid)

    # -- what the models show ----------------------------------------------------------------
    def _text(self, item: Offer | Unexplained) -> str:
        c = self.host.controller
        if c is None:
            return ""
        if isinstance(item, FillIn):
            return QCoreApplication.translate(
                "SuggestionActions", "Not filled in: {text} (Ctrl+Enter fills it in)"
            ).format(text=item.message(c.document, c.language))
        if isinstance(item, Unexplained):
            return QCoreApplication.translate("SuggestionActions", "No suggestion: {reason}").format(
                reason=item.message(c.language)
            )
        alternatives = self.analysis.alternatives(item)
        if alternatives:
            listed = "\n".join(
                f"{n}. {x.described(c.document, c.language)}" for n, x in enumerate(alternatives, 1)
            )
            return QCoreApplication.translate(
                "SuggestionActions",
                "Several corrections explain this about equally well"
                " (Ctrl+Enter applies the first; Apply 2 / Apply 3 the others):\n{list}",
            ).format(list=listed)
        return QCoreApplication.translate(
            "SuggestionActions", "Suggested: {text} (Ctrl+Enter applies it)"
        ).format(text=item.described(c.document, c.language))

    def check_hint(self, result: CheckResult) -> str:
        item = self.by_rule.get(result.uid)
        return self._text(item) if item is not None else ""

    def cell_hint(self, key: CellKey | None) -> str:
        item = self.by_cell.get(key) if key is not None else None
        return self._text(item) if item is not None else ""

    # -- acting ------------------------------------------------------------------------------
    def current(self) -> Offer | None:
        """In the table shown (never another): the suggestion (or fill-in) of the selected
        check when it is of that table, else of the selected cell, else that table's best, else
        its first total left unfilled."""
        grid = self.host.current_grid()
        if grid is None:
            return None
        table_id = grid.grid_model().table_id
        index: QModelIndex = self.host.checks_view.currentIndex()
        if index.isValid():
            result = index.data(ResultRole)
            item = self.by_rule.get(result.uid) if result is not None else None
            if isinstance(item, Suggestion | FillIn) and _here(item, table_id):
                return item
        if grid.currentIndex().isValid():
            item = self.by_cell.get(grid.grid_model().key(grid.currentIndex()))  # type: ignore[arg-type]
            if isinstance(item, Suggestion | FillIn) and _here(item, table_id):
                return item
        best = next((s for s in self.shown if _here(s, table_id)), None)
        return best or next((f for f in self.fills if _here(f, table_id)), None)

    def alternatives(self) -> list[Suggestion]:
        """The corrections listed beside the current one (the 2nd and 3rd of its group), when
        the bar lists several; else []."""
        s = self.current()
        if not isinstance(s, Suggestion):
            return []
        listed = self.analysis.alternatives(s)
        return [x for x in listed if x != s][:ALTERNATIVES]

    def apply_current(self) -> None:
        self._apply(self.current())

    def apply_alternative(self, n: int) -> None:
        """Apply the ``n``-th correction listed after the first (1: the second listed)."""
        listed = self.alternatives()
        self._apply(listed[n - 1] if 0 < n <= len(listed) else None)

    def _apply(self, s: Offer | None) -> None:
        c = self.host.controller
        if c is None or s is None:
            self.host.widget().statusBar().showMessage(
                QCoreApplication.translate("SuggestionActions", "No suggested correction to apply"), 5000
            )
            return
        if isinstance(s, FillIn):
            stale = c.document.cell(*s.key).value is not None
            text, key = s.message(c.document, c.language), s.key
        else:
            stale = any(c.document.cell(*ch.key).value != ch.old for ch in s.changes)
            text, key = s.described(c.document, c.language), s.changes[0].key
        if stale:
            self.refresh()  # the values moved on since: never apply a stale correction
            return
        label = QCoreApplication.translate("SuggestionActions", "Apply suggestion {text}").format(text=text)
        c.undo_stack.push(EditCommand(c, s.edit(note=text), label))
        self.host.select_cell(*key)  # the corrected cell, focused: typing edits it

    def dismiss_current(self) -> None:
        s = self.current()
        if s is not None:
            self.dismissed.add(_identity(s))
            self.refresh()
        self.host.focus_grid()

    def _update_bar(self) -> None:
        s = self.current() if self.host.controller is not None else None
        has = s is not None
        self.apply_action.setEnabled(has)
        self.dismiss_action.setEnabled(has)
        self.bar.setVisible(has)
        c = self.host.controller
        listed = self.alternatives() if has else []
        for n, (action, button) in enumerate(
            zip(self.alternative_actions, self.bar.alternative_buttons, strict=True)
        ):
            alt = listed[n] if n < len(listed) else None
            action.setEnabled(alt is not None)
            button.setVisible(alt is not None)
            tip = alt.described(c.document, c.language) if alt is not None and c is not None else ""
            button.setToolTip(tip)
            action.setStatusTip(tip)
        if s is not None:
            self.bar.label.setText(self._text(s))
