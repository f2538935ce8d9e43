"""Reading and mapping a source off the UI thread: extraction of a long PDF takes seconds.

While a long PDF is read, the tables of the pages read so far are mapped on the reading thread
and sent as ``partly_read(review, pages read, pages)`` — the first after ``early_after_s`` of
reading, then at most every ``early_every_s`` (each costs a mapping, 20-50 ms, and the window
rebuilds its grids, as much again) — before the complete review arrives with ``opened``. A
document read faster than ``early_after_s`` arrives whole, with no early display to flicker
past."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from tabledesk.core.source import ExtractedSource, SourceError, SourceProblem
from tabledesk.mapping.fit import document_for
from tabledesk.review.review import Review


class _Signals(QObject):
    partly_read = Signal(object, int, int)  # Review of the pages read so far, pages read, pages
    opened = Signal(object)  # Review
    failed = Signal(str, str)  # one-line message, SourceProblem value


class _EarlyReviews:
    """The reader's :class:`~tabledesk.sources.pdf.early.EarlyTables`: maps the pages read so
    far as the whole document will be mapped and sends them to the window."""

    def __init__(self, task: _OpenTask, after_s: float, every_s: float) -> None:
        self.task = task
        self.every_s = every_s
        self.next_at = time.monotonic() + after_s

    def wants(self, pages_read: int, pages: int) -> bool:
        return time.monotonic() >= self.next_at

    def take(self, source: ExtractedSource) -> None:
        task = self.task
        try:
            doc = document_for(source, template_id=task.template_id, format_id=task.format_id)
        except SourceError:  # no table of any template yet: wait for more pages
            return
        self.next_at = time.monotonic() + self.every_s
        # No template: its checks would judge tables whose rest is still being read (the window
        # shows none of them before the whole document is in).
        task.signals.partly_read.emit(Review(doc, None), len(source.page_heights), source.pages)


class _OpenTask(QRunnable):
    def __init__(
        self,
        path: Path,
        template_id: str | None,
        format_id: str | None,
        early: tuple[float, float] | None,
    ) -> None:
        super().__init__()
        self.path, self.template_id, self.format_id = path, template_id, format_id
        self.early = early
        self.signals = _Signals()

    def run(self) -> None:
        early = _EarlyReviews(self, *self.early) if self.early is not None else None
        try:
            review = Review.open(
                self.path, template_id=self.template_id, format_id=self.format_id, early=early
            )
        except SourceError as e:
            self.signals.failed.emit(str(e), e.kind.value)
        except Exception as e:  # noqa: BLE001 - a bug must reach the user as a message, not kill the app
            self.signals.failed.emit(f"{self.path}: unexpected error: {e}", SourceProblem.OTHER.value)
        else:
            self.signals.opened.emit(review)


class OpenWorker(QObject):
    """Opens one source at a time on a worker thread; results arrive as signals."""

    partly_read = Signal(object, int, int)  # Review of the pages read so far, pages read, pages
    opened = Signal(object)
    failed = Signal(str, str)

    def __init__(
        self, parent: QObject | None = None, *, early_after_s: float | None = 0.25, early_every_s: float = 1.0
    ) -> None:
        """``early_after_s`` None: no early tables, only the whole review."""
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.busy = False
        self.early_after_s = early_after_s
        self.early_every_s = early_every_s

    def open(self, path: Path, template_id: str | None = None, format_id: str | None = None) -> None:
        early = None if self.early_after_s is None else (self.early_after_s, self.early_every_s)
        task = _OpenTask(path, template_id, format_id, early)
        task.signals.partly_read.connect(self.partly_read)
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
