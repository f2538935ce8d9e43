"""The review queue in the window: a folder of reports, worst first, read in the background.

File › Open Folder… (or Add Reports to Queue…) puts documents in the queue; the batch process
pool (``batch.BatchRun`` with ``batch/queue_job.extract_job``) reads them in a thread of its own
while the panel shows a progress bar and a Cancel button, and each document is stored in the
queue store (``store/queue.py``) the moment it is read — so the first is reviewable while the
rest are still being read. Opening an entry shows it in the window with its cross-year checks
(the same agency's neighbouring years in the queue) and records every change into the entry's
session, as autosave does. Closing and reopening tabledesk resumes the queue and the entry the
clerk was on; an interrupted run carries on.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tabledesk.batch.pool import BatchError, BatchOptions, BatchRun, Input, JobResult, find_inputs
from tabledesk.batch.queue_job import extract_job
from tabledesk.checks.across import neighbours
from tabledesk.exports.dataset import build_dataset, dataset_kind, write_dataset
from tabledesk.store.errors import StoreError
from tabledesk.store.queue import QUEUE_FILE, EntryState, QueueSession, QueueStore
from tabledesk.ui.queue.queue_model import QueueModel

if TYPE_CHECKING:
    from tabledesk.ui.host import WindowHost


class _RunThread(QThread):
    """Iterates a BatchRun off the UI thread; results come back as queued signals."""

    result_ready = Signal(object)  # JobResult
    failed = Signal(str)

    def __init__(self, run: BatchRun, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run_ = run

    def run(self) -> None:
        try:
            with self.run_:
                for res in self.run_:
                    self.result_ready.emit(res)
        except BatchError as e:
            self.failed.emit(str(e))


class QueuePanel(QWidget):
    """The queue as a dock of the window. ``entry_opened`` carries the entry shown."""

    entry_opened = Signal(int)
    extraction_finished = Signal()

    def __init__(self, window: WindowHost, store_path: Path | None = None, jobs: int = 0) -> None:
        super().__init__(window.widget())
        self.host = window
        self.jobs = jobs
        self.store: QueueStore | None = None
        self.session: QueueSession | None = None
        self.open_id: int | None = None
        self._thread: _RunThread | None = None
        self._run_ids: list[int] = []
        self._work: Path | None = None
        self._controller: object | None = None
        self._unsubscribe: list[Any] = []
        self._status: object = None
        if store_path is None:
            from tabledesk.ui.recovery.autosave import data_dir

            store_path = data_dir() / QUEUE_FILE
        with contextlib.suppress(StoreError):
            self.store = QueueStore(store_path)

        self.view = QTableView(self)
        self.view.setObjectName("queue_view")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.verticalHeader().hide()
        self.view.activated.connect(self._on_activated)
        self.model: QueueModel | None = None
        if self.store is not None:
            self.model = QueueModel(self.store, self)
            self.view.setModel(self.model)
            self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.view.setSortingEnabled(False)  # worst first until the clerk clicks a header
            self.view.horizontalHeader().setSectionsClickable(True)
            self.view.horizontalHeader().sectionClicked.connect(self._on_header_clicked)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(QCoreApplication.translate("QueuePanel", "Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button = QPushButton(QCoreApplication.translate("QueuePanel", "Export Dataset…"), self)
        self.export_button.clicked.connect(self.choose_export)
        self.summary = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.view, 1)
        lay.addLayout(bar)
        foot = QHBoxLayout()
        foot.addWidget(self.summary, 1)
        foot.addWidget(self.export_button)
        lay.addLayout(foot)

        self.dock = QDockWidget(QCoreApplication.translate("QueuePanel", "Review Queue"), window.widget())
        self.dock.setObjectName("queue_dock")
        self.dock.setWidget(self)
        window.widget().addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.open_folder_action = QAction(
            QCoreApplication.translate("QueuePanel", "Open &Folder…"), window.widget()
        )
        self.open_folder_action.triggered.connect(lambda _=False: self.choose_folder())
        self.add_files_action = QAction(
            QCoreApplication.translate("QueuePanel", "Add Reports to &Queue…"), window.widget()
        )
        self.add_files_action.triggered.connect(lambda _=False: self.choose_files())
        self.export_action = QAction(
            QCoreApplication.translate("QueuePanel", "Export Queue as &Dataset…"), window.widget()
        )
        self.export_action.triggered.connect(lambda _=False: self.choose_export())
        menu = window.file_menu
        before = window.recent_menu.menuAction()
        menu.insertActions(before, [self.open_folder_action, self.add_files_action])
        # after File › Export…, before the separator above Close
        actions = menu.actions()
        after = actions.index(window.export_action()) + 1
        menu.insertAction(actions[after] if after < len(actions) else window.close_action, self.export_action)
        window.review_opened.connect(self._on_review_opened)
        self._update()
        self.dock.setVisible(bool(self.model and self.model.entries))
        QTimer.singleShot(0, self.resume)

    # -- adding and reading ------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.host.widget(), QCoreApplication.translate("QueuePanel", "Open folder of reports")
        )
        if folder:
            self.add_paths([folder])

    def choose_files(self) -> None:
        from tabledesk.ui.file_dialogs import open_filter

        names, _ = QFileDialog.getOpenFileNames(
            self.host.widget(),
            QCoreApplication.translate("QueuePanel", "Add reports to the queue"),
            "",
            open_filter(),
        )
        if names:
            self.add_paths(names)

    def add_paths(self, paths: Sequence[str | Path]) -> int:
        """Queue these files (folders: every report under them) and start reading them."""
        if self.store is None:
            return 0
        files = [i.path for i in find_inputs(paths)]
        added = self.store.add(files)
        self.dock.setVisible(True)
        self.refresh()
        self.start()
        return len(added)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Read every waiting document in the process pool (unless a run is going)."""
        if self.store is None or self.running:
            return
        pending = self.store.pending()
        if not pending:
            return
        self._work = Path(tempfile.mkdtemp(prefix="tabledesk-queue-"))
        inputs = [Input(Path(e.path), PurePath(Path(e.path).name)) for e in pending]
        self._run_ids = [e.id for e in pending]  # a result's index is its input's position
        self.store.mark_extracting(self._run_ids)
        run = BatchRun(inputs, BatchOptions(jobs=self.jobs, json_dir=self._work), worker=extract_job)
        self.progress.setRange(0, len(inputs))
        self.progress.setValue(0)
        self._thread = _RunThread(run, self)
        self._thread.result_ready.connect(self._on_result)
        self._thread.failed.connect(self._on_failed)
        self._thread.finished.connect(self._on_finished)
        self._thread.start()
        self.refresh()

    def cancel(self) -> None:
        """Stop reading: documents not read yet wait for the next run (or the next start)."""
        if self._thread is not None:
            self._thread.run_.cancel()

    def _on_result(self, res: JobResult) -> None:
        if self.store is None or not (0 <= res.index < len(self._run_ids)):
            return
        try:
            self.store.store_result(self._run_ids[res.index], res.record, res.json_path)
        except (StoreError, OSError, ValueError) as e:
            self.host.widget().statusBar().showMessage(str(e), 8000)
        self.progress.setValue(self.progress.value() + 1)
        self.refresh()
        if self.host.controller is None and self.open_id is None:
            first = (
                next((e for e in self.model.entries if e.state is EntryState.READY), None)
                if self.model
                else None
            )
            if first is not None:
                self.open_entry(first.id)  # the first document is reviewable at once

    def _on_failed(self, message: str) -> None:
        self.host.widget().statusBar().showMessage(message, 10000)

    def _on_finished(self) -> None:
        thread, self._thread = self._thread, None
        if self.store is not None:
            self.store.mark_pending(self._run_ids)
        self._run_ids = []
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None
        if thread is not None:
            thread.deleteLater()
        self.refresh()
        self.extraction_finished.emit()

    # -- reviewing ---------------------------------------------------------------------------
    def _on_activated(self, index: QModelIndex) -> None:
        if (
            self.model is not None
            and index.isValid()
            and not (self.model.flags(index) & Qt.ItemFlag.ItemIsEditable)
        ):
            self.open_entry(self.model.entries[index.row()].id)

    def open_entry(self, entry_id: int) -> bool:
        """Show an entry in the window, with its neighbouring years' checks."""
        if self.store is None or not self.host.maybe_discard():
            return False
        entry = self.store.entry(entry_id)
        if entry.state is not EntryState.READY:
            return False
        self._detach()
        try:
            restored, session = self.store.open(entry_id)
        except (StoreError, KeyError) as e:
            self.host.widget().statusBar().showMessage(str(e), 8000)
            return False
        review = restored.review()
        review.prose = self.store.prose(entry_id)
        me = next((r for r in self.store.year_reports() if r.file == entry.path), None)
        if me is not None:
            review.set_neighbours(
                *neighbours(me, [r for r in self.store.year_reports() if r.file != entry.path])
            )
        else:
            review.rebuild_checks()
        self.session, self.open_id = session, entry_id
        self.store.set_current(entry_id)
        self.host.set_review(review, Path(restored.document.source.path))
        self._attach()
        self.store.update_record(entry_id, review.document, review.results)
        self.refresh()
        self.host.review_opened.emit()
        self.entry_opened.emit(entry_id)
        return True

    def _attach(self) -> None:
        controller = self.host.controller
        if controller is None or self.session is None:
            return
        self._controller = controller
        # Recorded here rather than through StoreSession.attach: the panel must read the
        # stored state back (to sort and show it) only after it was written.
        self._status = controller.document.review_status
        controller.checks_changed.connect(self._on_changed)
        controller.review_status_changed.connect(self._on_changed)
        controller.structure_changed.connect(self._on_structure_changed)
        self._unsubscribe.append(lambda: controller.checks_changed.disconnect(self._on_changed))
        self._unsubscribe.append(lambda: controller.review_status_changed.disconnect(self._on_changed))
        self._unsubscribe.append(lambda: controller.structure_changed.disconnect(self._on_structure_changed))

    def _detach(self) -> None:
        for undo in reversed(self._unsubscribe):
            with contextlib.suppress(RuntimeError, TypeError):
                undo()
        self._unsubscribe.clear()
        self._controller = None
        if self.session is not None:
            with contextlib.suppress(StoreError):
                self.session.close()
        self.session, self.open_id = None, None

    def _on_review_opened(self) -> None:
        """Another report opened in the window: the queue entry is no longer the one shown."""
        if self._controller is not None and self.host.controller is not self._controller:
            self._detach()
            if self.store is not None:
                self.store.set_current(None)
            self.refresh()

    def _on_changed(self, *_: object) -> None:
        controller = self.host.controller
        if (
            controller is None
            or controller is not self._controller
            or self.session is None
            or self.store is None
        ):
            return
        doc = controller.document
        try:
            self.session.sync(doc)
            if doc.review_status is not self._status:
                self._status = doc.review_status
                self.session.session.record_status(doc.review_status)
            self.store.update_record(self.session.entry_id, controller.document, controller.results())
        except StoreError as e:
            self._store_failed(e)
        else:
            # The queue is where an entry's work is saved: nothing to ask about when leaving it.
            # Later: the undo stack moves its index only after the command's redo() signalled.
            QTimer.singleShot(0, self._mark_saved)
        self.refresh()

    def _mark_saved(self) -> None:
        controller = self.host.controller
        if controller is not None and controller is self._controller:
            controller.undo_stack.setClean()

    def _on_structure_changed(self) -> None:
        """The tables were rebuilt (another format, a reassigned row): a fresh snapshot."""
        controller = self.host.controller
        if controller is None or controller is not self._controller or self.session is None:
            return
        try:
            self.session.session.checkpoint(controller.document)
            self.session.known = list(controller.document.edits)
        except StoreError as e:
            self._store_failed(e)
        self._on_changed()

    def _store_failed(self, error: StoreError) -> None:
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate("QueuePanel", "The queue could not be saved: {error}").format(
                error=error
            ),
            8000,
        )

    def resume(self) -> None:
        """At start-up: carry on reading, and show the entry the clerk was on."""
        if self.store is None:
            return
        current = self.store.current
        if current is not None and self.host.controller is None:
            with contextlib.suppress(KeyError):
                self.open_entry(current)
        self.start()

    # -- the dataset -------------------------------------------------------------------------
    def choose_export(self) -> None:
        if self.store is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self.host.widget(),
            QCoreApplication.translate("QueuePanel", "Export the queue as a dataset"),
            "dataset.xlsx",
            QCoreApplication.translate("QueuePanel", "Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"),
        )
        if name:
            self.export_dataset(name)

    def export_dataset(self, path: str | Path) -> bool:
        """Every entry as one row of the consolidated dataset (docs/batch.md), as reviewed."""
        if self.store is None:
            return False
        try:
            dataset_kind(path)
            write_dataset(build_dataset(self.store.records()), path)
        except (ValueError, OSError) as e:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                QCoreApplication.translate("QueuePanel", "Cannot export"),
                str(e),
                parent=self.host.widget(),
            )
            box.setObjectName("queue_export_error")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            return False
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate("QueuePanel", "Exported {name}").format(name=Path(path).name), 5000
        )
        return True

    # -- state -------------------------------------------------------------------------------
    def _on_header_clicked(self, section: int) -> None:
        if self.model is None:
            return
        header = self.view.horizontalHeader()
        order = (
            header.sortIndicatorOrder()
            if header.sortIndicatorSection() == section
            else Qt.SortOrder.AscendingOrder
        )
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            order = (
                Qt.SortOrder.DescendingOrder
                if order == Qt.SortOrder.AscendingOrder
                else Qt.SortOrder.AscendingOrder
            )
        header.setSortIndicatorShown(True)
        header.setSortIndicator(section, order)
        self.model.sort(section, order)

    def refresh(self) -> None:
        if self.model is not None:
            selected = self.view.currentIndex()
            keep = (
                self.model.entries[selected.row()].id
                if selected.isValid() and selected.row() < len(self.model.entries)
                else self.open_id
            )
            self.model.refresh()
            if keep is not None and (row := self.model.row_of(keep)) >= 0:
                self.view.setCurrentIndex(self.model.index(row, 0))
        self._update()

    def _update(self) -> None:
        running = self.running
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        entries = self.model.entries if self.model is not None else []
        self.export_action.setEnabled(bool(entries))
        self.export_button.setEnabled(bool(entries))
        failing = sum(1 for e in entries if e.failing and not e.reviewed)
        reviewed = sum(1 for e in entries if e.reviewed)
        self.summary.setText(
            QCoreApplication.translate(
                "QueuePanel", "{n} documents · {failing} with failing checks · {reviewed} reviewed"
            ).format(n=len(entries), failing=failing, reviewed=reviewed)
        )

    def shutdown(self) -> None:
        """The window closes: stop reading (the rest waits for next time) and save the queue."""
        thread = self._thread
        if thread is not None:
            thread.run_.cancel()
            thread.wait()
            self._on_finished()
        keep = self.open_id
        self._detach()
        if self.store is not None:
            if keep is not None:
                self.store.set_current(keep)
            self.store.close()
            self.store = None
