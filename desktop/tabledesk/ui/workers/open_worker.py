"""Reading and mapping a source off the UI thread: extraction of a long PDF takes seconds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from tabledesk.core.source import SourceError, SourceProblem
from tabledesk.review.review import Review


class _Signals(QObject):
    opened = Signal(object)  # Review
    failed = Signal(str, str)  # one-line message, SourceProblem value


class _OpenTask(QRunnable):
    def __init__(self, path: Path, template_id: str | None, format_id: str | None) -> None:
        super().__init__()
        self.path, self.template_id, self.format_id = path, template_id, format_id
        self.signals = _Signals()

    def run(self) -> None:
        try:
            review = Review.open(self.path, template_id=self.template_id, format_id=self.format_id)
        except SourceError as e:
            self.signals.failed.emit(str(e), e.kind.value)
        except Exception as e:  # noqa: BLE001 - a bug must reach the user as a message, not kill the app
            self.signals.failed.emit(f"{self.path}: unexpected error: {e}", SourceProblem.OTHER.value)
        else:
            self.signals.opened.emit(review)


class OpenWorker(QObject):
    """Opens one source at a time on a worker thread; results arrive as signals."""

    opened = Signal(object)
    failed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.busy = False

    def open(self, path: Path, template_id: str | None = None, format_id: str | None = None) -> None:
        task = _OpenTask(path, template_id, format_id)
        task.signals.opened.connect(self._done_ok)
        task.signals.failed.connect(self._done_failed)
        self.busy = True
        self.pool.start(task)

    def _done_ok(self, review: object) -> None:
        self.busy = False
        self.opened.emit(review)

    def _done_failed(self, message: str, kind: str) -> None:
        self.busy = False
        self.failed.emit(message, kind)

    def wait(self) -> None:
        self.pool.waitForDone()
