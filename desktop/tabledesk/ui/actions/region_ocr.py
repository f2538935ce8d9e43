"""Reading one region of a page again by OCR, from the window.

Mapping → Read Region by OCR (Ctrl+Shift+O): the clerk drags a rectangle round a table on
the page (:mod:`tabledesk.ui.source.region_picker`); the region is read on a worker thread
(:func:`tabledesk.sources.scan.region.read_region`) behind a progress dialog that can be
cancelled, and the new reading replaces what was read there before as one undoable step
(:class:`tabledesk.ui.editing.undo.ReadRegionCommand`). Works on scans, on scans first left unread
(the grid typed in by hand) and on tables printed as pictures inside text PDFs.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QProgressDialog

from tabledesk.core.source import ExtractedSource, SourceError
from tabledesk.ui.editing.undo import ReadRegionCommand
from tabledesk.ui.source.region_picker import BBox, RegionPicker

if TYPE_CHECKING:
    from tabledesk.ui.editing.review_controller import ReviewController
    from tabledesk.ui.host import WindowHost


class _Signals(QObject):
    done = Signal(object)  # the new ExtractedSource
    failed = Signal(str)  # one line; empty when cancelled


class _RegionTask(QRunnable):
    def __init__(
        self,
        path: Path,
        page: int,
        bbox: BBox,
        source: ExtractedSource | None,
        pages: int,
        stop: threading.Event,
    ) -> None:
        super().__init__()
        self.path, self.page, self.bbox, self.source, self.pages, self.stop = (
            path,
            page,
            bbox,
            source,
            pages,
            stop,
        )
        self.signals = _Signals()

    def run(self) -> None:
        from tabledesk.mapping.fit import document_for
        from tabledesk.sources.scan.region import read_region, replace_region

        spath = str(self.path)
        try:
            tables, lines, sha = read_region(self.path, self.page, self.bbox)
            if self.stop.is_set():
                self.signals.failed.emit("")
                return
            if self.source is not None and self.source.sha256 and sha != self.source.sha256:
                raise SourceError(spath, "the file has changed since it was opened: open it again first")
            if not tables and not lines:
                raise SourceError(spath, f"nothing could be read in the region drawn on page {self.page}")
            new = replace_region(self.source, spath, self.pages, sha, self.page, self.bbox, tables, lines)
            document_for(new)  # a reading with no table at all is said now, not on the undo stack
        except SourceError as e:
            self.signals.failed.emit(str(e))
        except Exception as e:  # noqa: BLE001 - a bug must reach the clerk as a message
            self.signals.failed.emit(f"{spath}: OCR of the region failed: {e}")
        else:
            self.signals.done.emit(new)


class RegionOcr(QObject):
    """The window's "read this region again" action, its picker, worker and progress."""

    def __init__(self, window: WindowHost, menu: QMenu) -> None:
        super().__init__(window.widget())
        self.host = window
        self.action = QAction(
            QCoreApplication.translate("RegionOcr", "Read &Region by OCR…"), window.widget()
        )
        self.action.setObjectName("read_region_action")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.action.setStatusTip(
            QCoreApplication.translate(
                "RegionOcr", "Drag a rectangle round a table on the page to read it again by OCR"
            )
        )
        self.action.triggered.connect(self.start_picking)
        menu.addSeparator()
        menu.addAction(self.action)
        window.widget().addAction(self.action)
        view = window.source.page_view
        view.document_opened.connect(lambda _n: self.update())  # pages show after the review
        view.document_closed.connect(self.update)
        self.picker = RegionPicker(view)
        self.picker.picked.connect(self.read)
        self.picker.cancelled.connect(lambda: window.widget().statusBar().clearMessage())
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.dialog: QProgressDialog | None = None
        self._stop = threading.Event()
        self._controller: ReviewController | None = None
        self._page = 0
        self.busy = False

    def update(self) -> None:
        from tabledesk.sources.scan.engine import available

        c = self.host.controller
        ok = (
            c is not None
            and not self.busy
            and c.document.source.kind == "pdf"
            and self.host.source.page_view.page_count() > 0
            and c.document.can_remap()
            and available()
        )
        self.action.setEnabled(ok)
        if not ok:
            self.picker.disarm()

    def start_picking(self) -> None:
        self.update()
        if not self.action.isEnabled():
            return
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate(
                "RegionOcr",
                "Drag a rectangle round the table on the page to read it again by OCR (Esc cancels)",
            )
        )
        self.picker.arm()

    def read(self, page: int, bbox: BBox) -> None:
        """Read ``bbox`` of ``page`` on the worker thread, behind a progress dialog."""
        c = self.host.controller
        path = self.host.path
        if c is None or path is None or self.busy:
            return
        self._controller, self._page = c, page
        self._stop = threading.Event()
        doc = c.document
        source = doc.extracted if isinstance(doc.extracted, ExtractedSource) else None
        task = _RegionTask(
            path,
            page,
            bbox,
            source,
            doc.source.pages or self.host.source.page_view.page_count(),
            self._stop,
        )
        task.signals.done.connect(self._done)
        task.signals.failed.connect(self._failed)
        dlg = QProgressDialog(
            QCoreApplication.translate("RegionOcr", "Reading the region on page {page} by OCR…").format(
                page=page
            ),
            QCoreApplication.translate("RegionOcr", "Cancel"),
            0,
            0,
            self.host.widget(),
        )
        dlg.setObjectName("region_progress")
        dlg.setWindowTitle(QCoreApplication.translate("RegionOcr", "Read region by OCR"))
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(300)  # a small region is read before a dialog would be seen
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(self._stop.set)
        self.dialog = dlg
        self.busy = True
        self.update()
        self.pool.start(task)

    def _finish(self) -> None:
        self.busy = False
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self._stop.set)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.update()

    def _done(self, source: ExtractedSource) -> None:
        cancelled = self._stop.is_set()
        self._finish()
        c, self._controller = self._controller, None
        if cancelled or c is None or c is not self.host.controller:
            self.host.widget().statusBar().clearMessage()
            return
        before = (
            c.document.extracted if isinstance(c.document.extracted, ExtractedSource) else None,
            c.mapping(),
        )
        after = (source, c.review.region_mapping(self._page))
        text = QCoreApplication.translate("RegionOcr", "Read region on page {page} by OCR").format(
            page=self._page
        )
        c.undo_stack.push(ReadRegionCommand(c, before, after, text))
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate(
                "RegionOcr",
                "Region on page {page} read again: check the cells marked uncertain (Ctrl+Z undoes)",
            ).format(page=self._page),
            10000,
        )

    def _failed(self, message: str) -> None:
        self._finish()
        self._controller = None
        self.host.widget().statusBar().clearMessage()
        if not message:
            return  # cancelled
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("RegionOcr", "Read region by OCR"),
            message,
            parent=self.host.widget(),
        )
        box.setObjectName("region_error")
        box.open()

    def shutdown(self) -> None:
        self._stop.set()
        self.pool.waitForDone()
