"""The review window: the source on the left, the template's tables and the checks on the right."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tabledesk.checks.engine import CheckResult, CheckStatus
from tabledesk.checks.narrative import NarrativeInstance
from tabledesk.core.document import ReviewStatus
from tabledesk.core.edits import EditReason
from tabledesk.core.source import SourceProblem
from tabledesk.review.review import Review
from tabledesk.ui.actions.decision_actions import DecisionActions, confirm_open_failures
from tabledesk.ui.actions.file_actions import FileActions
from tabledesk.ui.actions.mapping_actions import MappingActions
from tabledesk.ui.actions.printing import PrintActions
from tabledesk.ui.actions.region_ocr import RegionOcr
from tabledesk.ui.actions.suggestion_actions import SuggestionActions
from tabledesk.ui.actions.template_builder import TemplateBuilderActions
from tabledesk.ui.editing.review_controller import ReviewController
from tabledesk.ui.file_dialogs import open_filter
from tabledesk.ui.grid.cell_state import CellState, state_icon
from tabledesk.ui.grid.checks_model import CellKeyRole, ChecksModel, ResultRole, TableRole
from tabledesk.ui.grid.grid_view import GridView
from tabledesk.ui.grid.table_model import TableModel
from tabledesk.ui.queue.queue_panel import QueuePanel
from tabledesk.ui.settings import Language, Settings
from tabledesk.ui.source.source_panel import SourcePanel
from tabledesk.ui.window.changes_view import ChangesView
from tabledesk.ui.window.early_tables import EarlyTables
from tabledesk.ui.window.find_bar import FindBar
from tabledesk.ui.window.help import KeyboardHelp, open_user_guide, user_guide_url
from tabledesk.ui.window.open_errors import open_error_box
from tabledesk.ui.window.screen_fit import initial_rect, screen_of, split_widths, wants_maximised
from tabledesk.ui.window.start_page import StartPage
from tabledesk.ui.workers.open_worker import OpenWorker


def reason_labels() -> list[tuple[EditReason, str]]:
    """The reasons a clerk gives for a correction, in the very words the exports use
    (exports/common.py REASON_LABELS; tests/ui/test_decisions.py holds them to it)."""
    return [
        (EditReason.EXTRACTION_ERROR, QCoreApplication.translate("MainWindow", "Extraction error")),
        (EditReason.SOURCE_INCONSISTENT, QCoreApplication.translate("MainWindow", "Source inconsistent")),
        (EditReason.OCR_ERROR, QCoreApplication.translate("MainWindow", "OCR error")),
    ]


class MainWindow(QMainWindow):
    review_opened = Signal()
    open_failed = Signal(str)

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.controller: ReviewController | None = None
        self.all_passed = False  # a review is shown and none of its checks fails
        self.path: Path | None = None
        self.grids: dict[str, GridView] = {}
        self.setAcceptDrops(True)
        self.setWindowTitle("tabledesk")
        self.worker = OpenWorker(self)
        self.worker.partly_read.connect(self._on_partly_read)
        self.worker.opened.connect(self._on_opened)
        self.worker.failed.connect(self._on_open_failed)
        self._pending: Path | None = None

        self.source = SourcePanel(self)
        self.source.cell_clicked.connect(self.select_cell)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.checks_view = QTableView(self)
        self.checks_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.checks_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.checks_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.checks_view.verticalHeader().hide()
        self.checks_view.setWordWrap(True)
        self.checks_view.clicked.connect(self._on_check_clicked)
        right = QSplitter(Qt.Orientation.Vertical, self)
        tables_box = QWidget(self)
        tables_lay = QVBoxLayout(tables_box)
        tables_lay.setContentsMargins(0, 0, 0, 0)
        tables_lay.addWidget(self.tabs)
        self.tables_layout = tables_lay
        right.addWidget(tables_box)
        panel = QWidget(self)
        lay = QVBoxLayout(panel)
        lay.setContentsMargins(0, 0, 0, 0)
        self.checks_title = QLabel(panel)
        lay.addWidget(self.checks_title)
        lay.addWidget(self.checks_view)
        right.addWidget(panel)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        right.setSizes([540, 220])  # the grids get most of the height from the start
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.source)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        # until the clerk moves it (or a saved size is restored), the split follows the width
        self._split_chosen = False
        self.splitter.splitterMoved.connect(self._on_split_moved)
        self.right_splitter = right
        # before any report: the start page; then the page beside the grids
        self.start_page = StartPage(self)
        self.start_page.open_requested.connect(self.choose_file)
        self.start_page.path_requested.connect(lambda p: self.open_path(Path(p)))
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.start_page)
        self.pages.addWidget(self.splitter)
        self.setCentralWidget(self.pages)
        self.summary = QLabel(self)
        self.statusBar().addPermanentWidget(self.summary)
        self._build_actions()
        self.early = EarlyTables(self)  # a long PDF's first tables, while the rest is read
        self.tables_layout.addWidget(self.mapping_actions.panel)
        self.tabs.currentChanged.connect(lambda _i: self.mapping_actions.show_unmatched())
        self.start_page.folder_requested.connect(self.queue_panel.choose_folder)
        self._restore_settings()
        self._update_state()

    # -- menus -----------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        mb = self.menuBar()
        self.file_menu = file_menu = mb.addMenu(QCoreApplication.translate("MainWindow", "&File"))
        self.open_action = self._action(
            QCoreApplication.translate("MainWindow", "&Open…"),
            self.choose_file,
            QKeySequence.StandardKey.Open,
        )
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu(QCoreApplication.translate("MainWindow", "Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.close_action = self._action(
            QCoreApplication.translate("MainWindow", "&Close"),
            self.close_review,
            QKeySequence.StandardKey.Close,
        )
        file_menu.addAction(self.close_action)
        file_menu.addAction(
            self._action(
                QCoreApplication.translate("MainWindow", "&Quit"), self.close, QKeySequence.StandardKey.Quit
            )
        )
        self.file_actions = FileActions(self)  # Save, Save As…, Export… go in before Close
        self.print_actions = PrintActions(self)  # Print…, Print Preview…, Print to PDF…
        self.queue_panel = QueuePanel(self)  # Open Folder…: the review queue, as a dock

        edit_menu = mb.addMenu(QCoreApplication.translate("MainWindow", "&Edit"))
        self.undo_action = QAction(QCoreApplication.translate("MainWindow", "&Undo"), self)
        self.redo_action = QAction(QCoreApplication.translate("MainWindow", "&Redo"), self)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.find_bar = FindBar(self)  # Ctrl+F, F3, Shift+F3
        self.tables_layout.insertWidget(0, self.find_bar.bar)
        for act in (self.find_bar.find_action, self.find_bar.next_action, self.find_bar.prev_action):
            edit_menu.addAction(act)
        edit_menu.addSeparator()
        reason_menu = edit_menu.addMenu(QCoreApplication.translate("MainWindow", "Reason for corrections"))
        self.reason_group = QActionGroup(self)
        self.reason_actions: dict[EditReason, QAction] = {}
        for reason, label in reason_labels():
            act = QAction(label, self, checkable=True)
            act.setData(reason.value)
            act.triggered.connect(lambda _=False, r=reason: self.set_reason(r))
            self.reason_group.addAction(act)
            reason_menu.addAction(act)
            self.reason_actions[reason] = act
        self.reason_actions[EditReason.EXTRACTION_ERROR].setChecked(True)
        # The same choice where the clerk types: beside the tables' tabs, always in sight.
        self.reason_box = QComboBox(self)
        self.reason_box.setObjectName("reason_box")
        self.reason_box.setToolTip(QCoreApplication.translate("MainWindow", "Reason for corrections"))
        for reason, label in reason_labels():
            self.reason_box.addItem(label, reason.value)
        self.reason_box.activated.connect(lambda i: self.set_reason(EditReason(self.reason_box.itemData(i))))
        corner = QWidget(self)
        corner_lay = QHBoxLayout(corner)
        corner_lay.setContentsMargins(4, 0, 4, 0)
        corner_lay.addWidget(QLabel(QCoreApplication.translate("MainWindow", "Reason:"), corner))
        corner_lay.addWidget(self.reason_box)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        edit_menu.addSeparator()
        self.reviewed_action = QAction(
            QCoreApplication.translate("MainWindow", "Mark as &Reviewed"), self, checkable=True
        )
        self.reviewed_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.reviewed_action.toggled.connect(self._on_reviewed_toggled)
        edit_menu.addAction(self.reviewed_action)
        self.suggestion_actions = SuggestionActions(
            self, edit_menu
        )  # Ctrl+Enter: apply a suggested correction
        self.decision_actions = DecisionActions(self, edit_menu)  # 原文如此: accept a check as printed

        view_menu = mb.addMenu(QCoreApplication.translate("MainWindow", "&View"))
        self.next_problem_action = self._action(
            QCoreApplication.translate("MainWindow", "&Next Problem"),
            lambda: self.go_to_problem(1),
            QKeySequence("F8"),
        )
        self.prev_problem_action = self._action(
            QCoreApplication.translate("MainWindow", "&Previous Problem"),
            lambda: self.go_to_problem(-1),
            QKeySequence("Shift+F8"),
        )
        view_menu.addAction(self.next_problem_action)
        view_menu.addAction(self.prev_problem_action)
        view_menu.addSeparator()
        pv = self.source.page_view
        view_menu.addAction(
            self._action(
                QCoreApplication.translate("MainWindow", "Zoom &In"),
                pv.zoom_in,
                QKeySequence.StandardKey.ZoomIn,
            )
        )
        view_menu.addAction(
            self._action(
                QCoreApplication.translate("MainWindow", "Zoom &Out"),
                pv.zoom_out,
                QKeySequence.StandardKey.ZoomOut,
            )
        )
        view_menu.addAction(
            self._action(
                QCoreApplication.translate("MainWindow", "&Fit Width"), pv.fit_width, QKeySequence("Ctrl+0")
            )
        )

        view_menu.addSeparator()
        self.changes_view = ChangesView(self)  # every correction, printed → corrected
        view_menu.addAction(self.changes_view.toggle_action)

        self.mapping_actions = MappingActions(self)
        self.region_ocr = RegionOcr(self, self.mapping_actions.menu)  # Ctrl+Shift+O
        self.template_builder = TemplateBuilderActions(self, self.mapping_actions.menu)

        settings_menu = mb.addMenu(QCoreApplication.translate("MainWindow", "&Settings"))
        lang_menu = settings_menu.addMenu(QCoreApplication.translate("MainWindow", "&Language"))
        self.lang_group = QActionGroup(self)
        for lang, label in ((Language.ZH_CN, "中文"), (Language.EN, "English")):
            act = QAction(label, self, checkable=True)
            act.setChecked(self.settings.language is lang)
            act.triggered.connect(lambda _=False, lg=lang: self.set_language(lg))
            self.lang_group.addAction(act)
            lang_menu.addAction(act)

        help_menu = mb.addMenu(QCoreApplication.translate("MainWindow", "&Help"))
        help_menu.addAction(
            self._action(
                QCoreApplication.translate("MainWindow", "&Keyboard Shortcuts"),
                self.show_keyboard_help,
                QKeySequence.StandardKey.HelpContents,
            )
        )
        self.guide_action = self._action(
            QCoreApplication.translate("MainWindow", "&User Guide"), self.open_user_guide
        )
        self.guide_action.setEnabled(user_guide_url() is not None)
        help_menu.addAction(self.guide_action)
        help_menu.addSeparator()
        help_menu.addAction(
            self._action(QCoreApplication.translate("MainWindow", "&About tabledesk"), self.show_about)
        )

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files:
            act = self.recent_menu.addAction(str(path))
            act.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not self.recent_menu.actions():
            empty = self.recent_menu.addAction(QCoreApplication.translate("MainWindow", "No recent files"))
            empty.setEnabled(False)

    # -- opening ---------------------------------------------------------------------------
    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else ""
        name, _ = QFileDialog.getOpenFileName(
            self, QCoreApplication.translate("MainWindow", "Open report"), start, open_filter()
        )
        if name:
            self.open_path(Path(name))

    def open_path(self, path: str | Path) -> None:
        path = Path(path)
        if self.worker.busy or not self.maybe_discard():
            return
        if path.suffix.lower() == ".tdreview":  # a saved review: no extraction, read synchronously
            self.file_actions.open_review_file(path)
            return
        self._pending = path
        self._clear()
        self._show_page()
        if path.suffix.lower() == ".pdf":
            # The pages show while the tables are still being extracted.
            self.source.show_source(path, "pdf")
        self.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Reading {name}…").format(name=path.name)
        )
        self.worker.open(path)

    def _on_partly_read(self, review: Review, pages_read: int, pages: int) -> None:
        if self._pending is None or self.controller is not None:
            return  # a reading given up meanwhile
        self.early.show(review, pages_read, pages)
        self.checks_title.setText(QCoreApplication.translate("MainWindow", "Checks: once every page is read"))

    def _on_opened(self, review: Review) -> None:
        path = self._pending or Path(review.document.source.path)
        self._pending = None
        # where the clerk went among the early tables, the whole review stays
        keep = self.early.place() if self.early.shown and self.early.clerk_moved() else None
        self.early.clear()
        self.set_review(review, path, first_problem=keep is None)
        if keep is not None and not self.early.restore(keep):
            self.open_first_problem()
        self.settings.add_recent_file(path)
        self.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Opened {name}").format(name=path.name), 5000
        )
        self.review_opened.emit()

    def _on_scan_opened(self, review: Review, path: Path) -> None:
        self._pending = path
        self._on_opened(review)

    def _on_open_failed(self, message: str, kind: str) -> None:
        path = self._pending
        self._pending = None
        self.early.clear()
        self.statusBar().clearMessage()
        unreadable = (SourceProblem.NO_TEXT_LAYER.value, SourceProblem.UNREADABLE_TEXT.value)
        if path is not None and kind in unreadable and self._read_scan(path, message):
            # a scan, or glyphs that map to nothing: read by OCR in the background (ui/workers)
            return
        if path is not None and kind in unreadable:
            # The pages can still be shown: give the clerk an empty grid to type into.
            self._open_blank(path, message)
            return
        self.source.close_pdf()
        self._show_page()
        self.open_failed.emit(message)
        open_error_box(self, path, message, kind).open()

    def _read_scan(self, path: Path, message: str) -> bool:
        """Start OCR of a scanned PDF; False when the OCR extra is not installed."""
        from tabledesk.sources.scan.engine import available

        if not available():
            return False
        from tabledesk.ui.workers.ocr_worker import ScanOpener

        if getattr(self, "scan_opener", None) is None:
            self.scan_opener = ScanOpener(self)
            self.scan_opener.opened.connect(self._on_scan_opened)
            self.scan_opener.fell_back.connect(self._open_blank)
        self.scan_opener.start(path, message)
        return True

    def _open_blank(self, path: Path, message: str) -> None:
        self.set_review(Review.blank(path, message), path)
        self.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "No text layer: type the numbers in beside the page"),
            10000,
        )
        self.review_opened.emit()

    def set_review(self, review: Review, path: Path, *, first_problem: bool = True) -> None:
        """Show ``review``, on its first problem unless ``first_problem`` is False."""
        self._clear()
        self.path = path
        self.controller = ReviewController(review, self)
        self.controller.language = "zh" if self.settings.language is Language.ZH_CN else "en"
        self.controller.reason = self._current_reason()
        self.controller.checks_changed.connect(self._update_state)
        self.controller.cells_changed.connect(lambda *_: self._update_state())
        self.controller.review_status_changed.connect(lambda *_: self._update_state())
        stack = self.controller.undo_stack
        stack.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(
            lambda t: self.undo_action.setText(
                QCoreApplication.translate("MainWindow", "&Undo {action}").format(action=t).strip()
            )
        )
        stack.redoTextChanged.connect(
            lambda t: self.redo_action.setText(
                QCoreApplication.translate("MainWindow", "&Redo {action}").format(action=t).strip()
            )
        )
        self.undo_action.triggered.connect(stack.undo)
        self.redo_action.triggered.connect(stack.redo)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        # Ctrl+Y as the README and Office say, Ctrl+Shift+Z as Linux and macOS say: both, everywhere
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self._build_tabs()
        self.controller.structure_changed.connect(self._build_tabs)
        self.checks_model = ChecksModel(self.controller, self)
        self.checks_view.setModel(self.checks_model)
        h = self.checks_view.horizontalHeader()
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.source.show_source(path, review.document.source.kind)
        self.source.set_document(review.document)
        self.setWindowFilePath(str(path))
        self.setWindowTitle(f"{path.name}[*] — tabledesk")
        self.file_actions.attach_review()
        self.suggestion_actions.attach()
        self.changes_view.attach()
        self.decision_actions.attach()
        self._update_state()
        if first_problem:
            self.open_first_problem()

    def open_first_problem(self) -> None:
        """Show the first failing check's table and cells, or the first table when all pass."""
        if self.checks_view.model() is not None and self.checks_view.model().rowCount():
            self.checks_view.setCurrentIndex(QModelIndex())
            self.go_to_problem(1)
        elif self.tabs.count():
            self.tabs.setCurrentIndex(0)
            self.focus_grid()

    def _build_tabs(self) -> None:
        """One grid per table; rebuilt when the mapping changes (another format has other tables)."""
        assert self.controller is not None
        current = self.tabs.currentIndex()
        self.tabs.clear()
        for grid in self.grids.values():
            grid.deleteLater()
        self.grids = {}
        for table in self.controller.document.tables:
            model = TableModel(self.controller, table.id)
            model.input_rejected.connect(lambda m: self.statusBar().showMessage(m, 8000))
            grid = GridView(model, self.tabs)
            model.setParent(grid)  # the model goes with its grid
            grid.selectionModel().currentChanged.connect(self._on_grid_current)
            grid.row_menu_requested.connect(self.mapping_actions.row_menu)
            grid.column_menu_requested.connect(self.mapping_actions.column_menu)
            self.grids[table.id] = grid
            self.tabs.addTab(grid, self.controller.table_name(table.id))
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)
        self.mapping_actions.update()
        self.region_ocr.update()
        self.template_builder.update()
        self._update_state()

    def _clear(self) -> None:
        self.early.clear()
        if self.controller is not None:
            self.file_actions.detach_review()
            self.undo_action.triggered.disconnect()
            self.redo_action.triggered.disconnect()
            # A dying QUndoStack still emits canUndoChanged & co.; the actions may be gone by then.
            self.controller.undo_stack.blockSignals(True)
            self.controller.close()
            self.controller.deleteLater()
        self.controller = None
        self.tabs.clear()
        for grid in self.grids.values():
            grid.deleteLater()
        self.grids = {}
        self.checks_view.setModel(None)
        self.source.set_document(None)
        self.setWindowModified(False)
        self.mapping_actions.update()
        self.region_ocr.update()
        self.template_builder.update()
        self.suggestion_actions.detach()
        self.changes_view.attach()
        self.decision_actions.update()

    def close_review(self) -> None:
        if self.maybe_discard():
            self._clear()
            self.source.close_pdf()
            self.setWindowTitle("tabledesk")
            self._update_state()

    def maybe_discard(self) -> bool:
        """Ask before unsaved edits are dropped (Save / Discard / Cancel); True when it is fine to go on."""
        if self.controller is None or self.controller.undo_stack.isClean():
            return True
        return self.file_actions.ask_to_save()

    # -- linking grid, page and checks --------------------------------------------------------------
    # -- what the controllers see of the window (ui/host.py: WindowHost) --------------------------
    def widget(self) -> QMainWindow:
        return self

    def export_action(self) -> QAction:
        return self.file_actions.export_action

    def is_reading(self) -> bool:
        return bool(self.worker.busy)

    def current_grid(self) -> GridView | None:
        w = self.tabs.currentWidget()
        return w if isinstance(w, GridView) else None

    def _on_grid_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        grid = self.current_grid()
        if grid is None or not current.isValid():
            return
        cell = grid.grid_model().cell(current)
        if cell is not None:
            self.source.show_cells([cell])

    def select_cell(self, table_id: str, row_id: str, col_id: str) -> None:
        grid = self.grids.get(table_id)
        if grid is None:
            return
        self.tabs.setCurrentWidget(grid)
        grid.select_key(row_id, col_id)
        grid.setFocus()

    def _on_check_clicked(self, index: QModelIndex) -> None:
        result: CheckResult | None = index.data(ResultRole)
        key = index.data(CellKeyRole)
        if result is None and key is not None and self.controller is not None:
            self.select_cell(*key)  # an uncertain OCR cell: to the grid and the page
            return
        table_id = index.data(TableRole)
        if result is None and table_id in self.grids:
            self.tabs.setCurrentWidget(self.grids[table_id])  # numbers left unplaced: to the table
            return
        if result is None or self.controller is None:
            return
        grid = self.grids.get(result.instance.table_id)
        if grid is None:
            return
        self.tabs.setCurrentWidget(grid)
        # a rule across tables names cells of other tables too: this grid shows its own
        keys = [(r, c) for t, r, c in result.cells if t == result.instance.table_id]
        grid.select_keys(keys)
        doc = self.controller.document
        self.source.show_cells([doc.cell(*k) for k in result.cells])
        if isinstance(result.instance, NarrativeInstance):  # the sentence, not the cell
            self.source.show_sentence(result.instance.provs, result.instance.sentence)

    def go_to_problem(self, step: int) -> None:
        model = self.checks_view.model()
        if model is None or model.rowCount() == 0:
            return
        cur = self.checks_view.currentIndex()
        row = (
            (cur.row() + step) % model.rowCount()
            if cur.isValid()
            else (0 if step > 0 else model.rowCount() - 1)
        )
        index = model.index(row, 1)
        self.checks_view.setCurrentIndex(index)
        self._on_check_clicked(index)
        self.focus_grid()  # so that typing corrects the cell at once

    def focus_grid(self) -> None:
        """Keyboard focus to the current grid's current cell (after F8, Apply, Dismiss)."""
        grid = self.current_grid()
        if grid is not None:
            grid.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- state -------------------------------------------------------------------------------
    def _current_reason(self) -> EditReason:
        act = self.reason_group.checkedAction()
        return EditReason(act.data()) if act is not None else EditReason.EXTRACTION_ERROR

    def set_reason(self, reason: EditReason) -> None:
        self.reason_actions[reason].setChecked(True)
        self.reason_box.setCurrentIndex(self.reason_box.findData(reason.value))
        if self.controller is not None:
            self.controller.reason = reason

    def _on_reviewed_toggled(self, checked: bool) -> None:
        if self.controller is not None:
            reviewed = self.controller.document.review_status is ReviewStatus.REVIEWED
            if (
                checked
                and not reviewed
                and not confirm_open_failures(
                    self, QCoreApplication.translate("MainWindow", "Mark as reviewed")
                )
            ):
                checked = False
            if checked != reviewed:
                self.controller.set_reviewed(checked)
            self._update_state()

    def _update_state(self, *_: object) -> None:
        has = self.controller is not None
        self._show_page()
        self.print_actions.update()
        for a in (
            self.close_action,
            self.reviewed_action,
            self.next_problem_action,
            self.prev_problem_action,
        ):
            a.setEnabled(has)
        if not has:
            self.undo_action.setEnabled(False)
            self.redo_action.setEnabled(False)
            self.summary.setText("")
            self.checks_title.setText(QCoreApplication.translate("MainWindow", "Checks"))
            self.checks_title.setStyleSheet("")
            self.all_passed = False
            return
        assert self.controller is not None
        failing = self.controller.failing_count()
        edited = self.controller.edited_count()
        problems = self.controller.problems()
        failing_text = (
            QCoreApplication.translate("MainWindow", "{n} check failing")
            if failing == 1
            else QCoreApplication.translate("MainWindow", "{n} checks failing")
        ).format(n=failing)
        edited_text = (
            QCoreApplication.translate("MainWindow", "{n} cell corrected")
            if edited == 1
            else QCoreApplication.translate("MainWindow", "{n} cells corrected")
        ).format(n=edited)
        # and no cell OCR was unsure of is left unchecked: that too is in the checks list
        doc = self.controller.document
        unsure = any(cell.uncertain for t in doc.tables for _, _, cell in t.iter_cells())
        self.all_passed = not problems and failing == 0 and not unsure
        if self.all_passed:
            passed = QCoreApplication.translate("MainWindow", "All checks pass")
            self.summary.setText(f"✔ {passed} · {edited_text}")
            self.checks_title.setText(f"✔ {passed}")
            self.checks_title.setStyleSheet("color: #1e7e34; font-weight: bold;")
        else:
            accepted = self.controller.accepted_count()
            accepted_text = (
                QCoreApplication.translate("MainWindow", " · {n} accepted as printed").format(n=accepted)
                if accepted
                else ""
            )
            self.summary.setText(f"{failing_text} · {edited_text}{accepted_text}")
            self.checks_title.setText(
                QCoreApplication.translate("MainWindow", "Checks: {n} to look at").format(n=len(problems))
            )
            self.checks_title.setStyleSheet("")
        self._update_badges(problems)
        reviewed = self.controller.document.review_status is ReviewStatus.REVIEWED
        self.reviewed_action.blockSignals(True)
        self.reviewed_action.setChecked(reviewed)
        self.reviewed_action.blockSignals(False)

    def _update_badges(self, problems: list[CheckResult]) -> None:
        """Each table's tab says how many of its checks fail: "表四 ❗2", its text in red."""
        assert self.controller is not None
        counts: dict[str, list[CheckResult]] = {}
        for result in problems:
            counts.setdefault(result.instance.table_id, []).append(result)
        bar = self.tabs.tabBar()
        for i in range(self.tabs.count()):
            grid = self.tabs.widget(i)
            if not isinstance(grid, GridView):
                continue
            table_id = grid.grid_model().table_id
            found = counts.get(table_id, [])
            name = self.controller.table_name(table_id)
            failed = any(r.status is CheckStatus.FAILED for r in found)
            self.tabs.setTabText(i, f"{name} ({len(found)})" if found else name)
            icon = state_icon(CellState.FAILED if failed else CellState.MISSING) if found else None
            self.tabs.setTabIcon(i, icon or QIcon())
            bar.setTabTextColor(i, QColor("#b03a2e") if failed else QColor())
            table = self.controller.document.table(table_id)
            tip = [table.title.split("/")[-1]]
            if table.unit:
                unit = QCoreApplication.translate("MainWindow", "Unit: {unit}")
                tip.append(unit.format(unit=table.unit))
            if table.empty_note:
                note = QCoreApplication.translate("MainWindow", "Printed empty: {note}")
                tip.append(note.format(note=table.empty_note))
            if found:
                counted = QCoreApplication.translate("MainWindow", "{n} problems in this table")
                tip.append(counted.format(n=len(found)))
            self.tabs.setTabToolTip(i, "\n".join(tip))

    def set_language(self, language: Language) -> None:
        self.settings.language = language
        QMessageBox.information(
            self,
            QCoreApplication.translate("MainWindow", "Language"),
            QCoreApplication.translate(
                "MainWindow", "The new language is used the next time tabledesk starts."
            ),
        )

    def show_keyboard_help(self) -> None:
        dialog = KeyboardHelp(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_user_guide(self) -> None:
        if not open_user_guide():
            self.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "The user guide could not be opened"), 8000
            )

    def _show_page(self) -> None:
        """The start page while nothing is open or being read, else the page and the grids."""
        busy = self.controller is not None or self._pending is not None or self.worker.busy
        if not busy:
            self.start_page.set_recent(self.settings.recent_files)
        shown = self.splitter if busy else self.start_page
        if self.pages.currentWidget() is not shown:
            self.pages.setCurrentWidget(shown)
            if busy:
                self._fit_split()  # the splitter was hidden: it has not shared out its width yet

    def show_about(self) -> None:
        from tabledesk.ui.window.about import show_about

        show_about(self)

    # -- window --------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            screen = screen_of(self)
            available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)
            self.setGeometry(initial_rect(available))
            if wants_maximised(available):  # a laptop screen: all of it, the size remembered after
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        sizes = self.settings.splitter_sizes("main")
        if sizes:
            self.splitter.setSizes(sizes)
            self._split_chosen = True
        else:
            self.splitter.setSizes(split_widths(self.width()))
        zoom = self.settings.zoom
        if zoom is not None:
            QTimer.singleShot(0, lambda: self.source.page_view.set_zoom(zoom))

    def _on_split_moved(self, *_: object) -> None:
        self._split_chosen = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._split_chosen:
            # after the splitter has taken its own new size (on a first show it comes later)
            QTimer.singleShot(0, self._fit_split)

    def _fit_split(self) -> None:
        if not self._split_chosen:
            self.splitter.setSizes(split_widths(self.pages.width()))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_discard():
            event.ignore()
            return
        self.settings.window_geometry = self.saveGeometry()
        if self._split_chosen:
            self.settings.set_splitter_sizes("main", self.splitter.sizes())
        pv = self.source.page_view
        self.settings.zoom = None if pv.is_fit_width() else pv.zoom()
        self.settings.sync()
        self.worker.wait()
        if getattr(self, "scan_opener", None) is not None:
            self.scan_opener.shutdown()
        self.region_ocr.shutdown()
        self._clear()
        self.queue_panel.shutdown()
        self.file_actions.shutdown()
        self.source.shutdown()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            event.acceptProposedAction()
            self.open_path(Path(urls[0].toLocalFile()))
