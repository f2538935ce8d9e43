"""Reading a scanned report by OCR off the UI thread, page by page, with progress and cancel.

The window opens a report with :class:`~tabledesk.ui.workers.open_worker.OpenWorker`; when the PDF has
no text layer it hands the file to this worker, which reads it with
:func:`tabledesk.sources.scan.extract.read_scan` (through ``Review.open(..., ocr=True)``) and reports
``progressed(done, total)`` after every page. :meth:`OcrWorker.cancel` stops it after the page
being read; a cancelled or failed OCR ends in ``failed`` and the window falls back to the
empty grid.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QProgressDialog

from tabledesk.core.source import SourceError, SourceProblem
from tabledesk.review.review import Review
from tabledesk.ui.workers.open_worker import OpenWorker

if TYPE_CHECKING:
    pass

CANCELLED = "cancelled"  # the kind reported with `failed` when the clerk stopped the OCR


class _Signals(QObject):
    progressed = Signal(int, int)
    opened = Signal(object)  # Review
    failed = Signal(str, str)  # one-line message, SourceProblem value or CANCELLED


class _OcrTask(QRunnable):
    def __init__(self, path: Path, stop: threading.Event) -> None:
        super().__init__()
        self.path, self.stop = path, stop
        self.signals = _Signals()

    def _progress(self, done: int, total: int) -> bool:
        self.signals.progressed.emit(done, total)
        return not self.stop.is_set()

    def run(self) -> None:
        from tabledesk.sources.scan.extract import Cancelled

        try:
            review = Review.open(self.path, ocr=True, progress=self._progress)
        except Cancelled:
            self.signals.failed.emit(f"{self.path}: OCR cancelled", CANCELLED)
        except SourceError as e:
            self.signals.failed.emit(str(e), e.kind.value)
        except Exception as e:  # noqa: BLE001 - a bug must reach the user as a message, not kill the app
            self.signals.failed.emit(f"{self.path}: OCR failed: {e}", SourceProblem.OTHER.value)
        else:
            self.signals.opened.emit(review)


class OcrWorker(OpenWorker):
    """OCRs one scanned report at a time on a worker thread (the open worker's pool and
    signals, plus progress and cancel)."""

    progressed = Signal(int, int)  # pages done, pages in all

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()

    def open(self, path: Path, template_id: str | None = None, format_id: str | None = None) -> None:
        self._stop = threading.Event()
        task = _OcrTask(path, self._stop)
        task.signals.progressed.connect(self.progressed)
        task.signals.opened.connect(self._done_ok)
        task.signals.failed.connect(self._done_failed)
        self.busy = True
        self.pool.start(task)

    def cancel(self) -> None:
        """Stop after the page being read (a page takes about a second)."""
        self._stop.set()

    def wait(self) -> None:
        self._stop.set()
        super().wait()


class ScanOpener(QObject):
    """The window's side of OCR: a progress dialog the clerk can cancel, then the read review,
    or — when OCR is cancelled, not installed or finds no report — the empty grid as before.
    It tells the window by signals: ``opened(review, path)``, or ``fell_back(path, reason)``
    when the empty grid is what the clerk gets."""

    opened = Signal(object, object)  # Review, Path
    fell_back = Signal(object, str)  # Path, why the pages could not be read

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.worker = OcrWorker(self)
        self.worker.progressed.connect(self._progressed)
        self.worker.opened.connect(self._opened)
        self.worker.failed.connect(self._failed)
        self.dialog: QProgressDialog | None = None
        self.path: Path | None = None
        self.message = ""

    def start(self, path: Path, message: str) -> None:
        """OCR ``path``, whose text-layer reading failed with ``message``."""
        self.path, self.message = path, message
        dlg = QProgressDialog(
            QCoreApplication.translate("OcrWorker", "Reading the scanned pages by OCR…"),
            QCoreApplication.translate("OcrWorker", "Cancel"),
            0,
            0,
            self.window,
        )
        dlg.setObjectName("ocr_progress")
        dlg.setWindowTitle(QCoreApplication.translate("OcrWorker", "Scanned report"))
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(self.worker.cancel)
        dlg.show()
        self.dialog = dlg
        self.window.statusBar().showMessage(
            QCoreApplication.translate("OcrWorker", "Reading {name} by OCR…").format(name=path.name)
        )
        self.worker.open(path)

    def _progressed(self, done: int, total: int) -> None:
        dlg = self.dialog
        if dlg is not None:
            dlg.setLabelText(
                QCoreApplication.translate(
                    "OcrWorker", "Reading the scanned pages by OCR: page {done} of {total}"
                ).format(done=min(done + 1, total), total=total)
            )
            dlg.setMaximum(max(total, 1))
            # last: a window-modal dialog handles events here, and the OCR may end meanwhile
            dlg.setValue(done)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.worker.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _opened(self, review: object) -> None:
        self._close_dialog()
        path, self.path = self.path, None
        self.opened.emit(review, path)

    def _failed(self, message: str, kind: str) -> None:
        self._close_dialog()
        path, self.path = self.path, None
        if path is None:
            return
        # The pages can still be shown: the empty grid to type into, with both reasons.
        reason = self.message if kind == CANCELLED else f"{self.message}; {message}"
        self.fell_back.emit(path, reason)

    def shutdown(self) -> None:
        self.worker.wait()
