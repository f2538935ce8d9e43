"""PDF page rendering with pypdfium2 on one dedicated worker thread.

pdfium is not thread-safe, so every pdfium call (open, page sizes, render, close) happens on the
single :class:`QThread` owned by a :class:`PageRenderer`; the UI thread never touches pdfium and
never waits for it except in :meth:`PageRenderer.shutdown`.

Requests are *pulled*, not pushed: the UI replaces a small priority list of wanted
``(page, scale)`` keys (:meth:`PageRenderer.request`) and pokes the worker with a queued signal;
the worker pops one key at a time and renders it. Scrolling away or zooming again therefore
supersedes requests that have not started yet instead of queueing up stale work.

Page numbers are 1-based everywhere in the public API (as in ``core.provenance.Provenance``).
Page sizes are in PDF points, width x height as displayed (rotation applied), and the rendered
area is the page's *MediaBox*, the same frame pdfplumber measures ``bbox`` coordinates in. The
sizes announced at open come from the page dictionaries without parsing content (fast for long
documents); a page whose CropBox differs from its MediaBox announces its corrected size with
``page_resized`` just before its first image.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QImage

from tabledesk.sources.pdf.lock import PDFIUM_LOCK

# pdfium's BGRx is Qt's native 0xffRRGGBB on little-endian machines, the fastest format to paint;
# big-endian machines get byte-order RGBx instead.
_LITTLE_ENDIAN = sys.byteorder == "little"
_QIMAGE_FORMAT = QImage.Format.Format_RGB32 if _LITTLE_ENDIAN else QImage.Format.Format_RGBX8888

PageSize = tuple[float, float]
RenderKey = tuple[int, float]


def normalise_scale(scale: float) -> float:
    """Scales are cache keys: round them so 1.2500000001 and 1.25 hit the same entry."""
    return round(float(scale), 3)


@dataclass(frozen=True, slots=True)
class _Request:
    generation: int
    page: int
    scale: float


class _RequestQueue:
    """The wanted keys, shared between the UI thread (writer) and the worker (reader).

    The key being rendered stays "in flight" until the UI thread has received its image, so a
    request repeated meanwhile (every scroll step re-requests the visible pages) is not
    rendered twice.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._items: list[RenderKey] = []
        self._in_flight: RenderKey | None = None

    def new_generation(self) -> int:
        with self._lock:
            self._generation += 1
            self._items = []
            self._in_flight = None
            return self._generation

    def replace(self, items: list[RenderKey]) -> None:
        with self._lock:
            self._items = [key for key in items if key != self._in_flight]

    def pop(self) -> _Request | None:
        with self._lock:
            if not self._items:
                return None
            page, scale = self._in_flight = self._items.pop(0)
            return _Request(self._generation, page, scale)

    def done(self, key: RenderKey) -> None:
        with self._lock:
            if self._in_flight == key:
                self._in_flight = None

    def generation(self) -> int:
        with self._lock:
            return self._generation

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


class _RenderWorker(QObject):
    """Lives on the render thread; the only object that calls pdfium."""

    opened = Signal(int, list)  # generation, [(width, height), ...] in points
    failed = Signal(int, str)  # generation, reason
    rendered = Signal(int, int, float, QImage)  # generation, page (1-based), scale, image
    resized = Signal(int, int, float, float)  # generation, page, width, height: see _render
    more_work = Signal()  # queued to itself: render the next wanted key

    def __init__(self, queue: _RequestQueue) -> None:
        super().__init__()
        self._queue = queue
        self._doc: pdfium.PdfDocument | None = None
        self._sizes: list[tuple[float, ...]] = []
        self._generation = 0
        # Queued, not direct (sender and receiver share a thread): the next page is rendered
        # from the event loop, after any open/close request that arrived in between.
        self.more_work.connect(self.process, Qt.ConnectionType.QueuedConnection)

    @Slot(str, int)
    def open_document(self, path: str, generation: int) -> None:
        self.close_document()
        try:
            with PDFIUM_LOCK:
                doc = pdfium.PdfDocument(path)
                # Sizes from the page dictionaries, without parsing any page's content: a few ms
                # for hundreds of pages. A page whose CropBox differs from its MediaBox is corrected
                # when it is first rendered (page_resized).
                sizes = [tuple(map(float, doc.get_page_size(i))) for i in range(len(doc))]
        except (pdfium.PdfiumError, OSError) as exc:
            self.failed.emit(generation, str(exc))
            return
        self._doc = doc
        self._sizes = sizes
        self._generation = generation
        self.opened.emit(generation, sizes)
        self.process()

    @Slot()
    def close_document(self) -> None:
        if self._doc is not None:
            with PDFIUM_LOCK:
                self._doc.close()
            self._doc = None
            self._sizes = []

    @Slot()
    def process(self) -> None:
        """Render one wanted key, then come back through the event loop for the next, so that
        open/close requests and a replaced queue are seen between pages."""
        request = self._queue.pop()
        if request is None:
            return
        if self._doc is not None and request.generation == self._generation:
            image = self._render(request.page, request.scale)
            if image is not None:
                self.rendered.emit(request.generation, request.page, request.scale, image)
            else:
                self._queue.done((request.page, request.scale))
        else:
            self._queue.done((request.page, request.scale))
        if len(self._queue):
            self.more_work.emit()

    def _render(self, page_number: int, scale: float) -> QImage | None:
        assert self._doc is not None
        if not 1 <= page_number <= len(self._doc):
            return None
        # pdfium is not thread-safe: the reader may be reading a report on another thread
        with PDFIUM_LOCK:
            page = self._doc[page_number - 1]
            try:
                return self._render_page(page, page_number, scale)
            except pdfium.PdfiumError:
                return None
            finally:
                page.close()

    def _render_page(self, page: pdfium.PdfPage, page_number: int, scale: float) -> QImage:
        # Show the MediaBox, the frame pdfplumber's coordinates refer to, even where a
        # CropBox would hide a margin: outlines and clicks must line up exactly.
        if tuple(page.get_cropbox()) != tuple(page.get_mediabox()):
            page.set_cropbox(*page.get_mediabox())
            size = (float(page.get_width()), float(page.get_height()))
            known = self._sizes[page_number - 1]
            if abs(size[0] - known[0]) > 0.01 or abs(size[1] - known[1]) > 0.01:
                self._sizes[page_number - 1] = size
                self.resized.emit(self._generation, page_number, *size)
        bitmap = page.render(
            scale=scale,
            prefer_bgrx=True,
            rev_byteorder=not _LITTLE_ENDIAN,
            fill_color=(255, 255, 255, 255),
        )
        try:
            view = memoryview(bitmap.buffer).cast("B")
            # .copy() detaches the image from pdfium's buffer, which dies with the bitmap.
            return QImage(view, bitmap.width, bitmap.height, bitmap.stride, _QIMAGE_FORMAT).copy()
        finally:
            bitmap.close()


class _ImageCache:
    """LRU of rendered images keyed by (page, scale), bounded by total bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[RenderKey, QImage] = OrderedDict()
        self._bytes = 0

    def get(self, key: RenderKey) -> QImage | None:
        image = self._items.get(key)
        if image is not None:
            self._items.move_to_end(key)
        return image

    def put(self, key: RenderKey, image: QImage) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self._bytes -= old.sizeInBytes()
        self._items[key] = image
        self._bytes += image.sizeInBytes()
        # Keep at least the newest image even if it alone exceeds the budget.
        while self._bytes > self.max_bytes and len(self._items) > 1:
            _, dropped = self._items.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()

    def clear(self) -> None:
        self._items.clear()
        self._bytes = 0

    def keys(self) -> list[RenderKey]:
        return list(self._items)

    @property
    def size_bytes(self) -> int:
        return self._bytes


class PageRenderer(QObject):
    """Asynchronous page images for one PDF at a time.

    Usage: ``open(path)`` -> ``document_opened(page_sizes)`` (or ``document_failed(reason)``);
    then ``request([(page, scale), ...])`` -> ``page_rendered(page, scale, image)`` per key, in
    the order given (preceded by ``page_resized`` for a page whose size had to be corrected).
    ``cached(page, scale)`` answers from the LRU cache without any rendering.
    Call :meth:`shutdown` before the application quits (it is also hooked to ``aboutToQuit``
    and to this object's destruction, so the thread is never destroyed while running).
    """

    document_opened = Signal(list)  # [(width, height), ...] in PDF points, page 1 first
    document_failed = Signal(str)  # reason, for the user
    document_closed = Signal()
    page_rendered = Signal(int, float, QImage)  # page (1-based), scale, image
    # A page's size was corrected (CropBox smaller than MediaBox), before its first image.
    page_resized = Signal(int, float, float)  # page, width, height in points

    # Internal, queued to the worker thread.
    _open_requested = Signal(str, int)
    _close_requested = Signal()
    _work_requested = Signal()

    DEFAULT_CACHE_BYTES = 256 * 1024 * 1024

    def __init__(self, parent: QObject | None = None, cache_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        super().__init__(parent)
        self._queue = _RequestQueue()
        self._cache = _ImageCache(cache_bytes)
        self._page_sizes: list[PageSize] = []
        self._path: Path | None = None
        self._thread: QThread | None = None
        self._worker: _RenderWorker | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # --- lifecycle -------------------------------------------------------------------------

    def _ensure_thread(self) -> _RenderWorker:
        if self._worker is not None and self._thread is not None and self._thread.isRunning():
            return self._worker
        thread = QThread()
        thread.setObjectName("tabledesk-pdf-render")
        worker = _RenderWorker(self._queue)
        worker.moveToThread(thread)
        # finished is emitted *from the worker thread* just before it ends: the last chance to
        # close the pdfium document on the thread that opened it.
        thread.finished.connect(worker.close_document, type=Qt.ConnectionType.DirectConnection)
        self._open_requested.connect(worker.open_document)
        self._close_requested.connect(worker.close_document)
        self._work_requested.connect(worker.process)
        worker.opened.connect(self._on_opened)
        worker.failed.connect(self._on_failed)
        worker.rendered.connect(self._on_rendered)
        worker.resized.connect(self._on_resized)
        thread.start()
        # Stop the thread when this object dies even if nobody called shutdown(); the closure
        # holds the Python references, not self.
        queue = self._queue
        self.destroyed.connect(lambda *_: _stop_thread(thread, queue))
        self._thread, self._worker = thread, worker
        return worker

    @Slot()
    def shutdown(self) -> None:
        """Drop pending work, close the document on its thread and stop the thread (blocks at
        most for the one page being rendered). Safe to call twice; ``open`` restarts it."""
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if thread is not None:
            _stop_thread(thread, self._queue)
        if worker is not None:
            self._open_requested.disconnect(worker.open_document)
            self._close_requested.disconnect(worker.close_document)
            self._work_requested.disconnect(worker.process)
        self._cache.clear()
        self._page_sizes = []
        self._path = None

    # --- documents -------------------------------------------------------------------------

    def open(self, path: str | Path) -> None:
        """Start opening ``path``; the previous document is closed and its pending renders and
        late results are discarded."""
        worker = self._ensure_thread()
        assert worker is not None
        generation = self._queue.new_generation()
        self._cache.clear()
        self._page_sizes = []
        self._path = Path(path)
        self._open_requested.emit(str(path), generation)

    def close(self) -> None:
        """Close the current document (asynchronously, on the render thread)."""
        self._queue.new_generation()
        self._cache.clear()
        had_document = self._path is not None
        self._page_sizes = []
        self._path = None
        if self._worker is not None:
            self._close_requested.emit()
        if had_document:
            self.document_closed.emit()

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def page_sizes(self) -> list[PageSize]:
        """Sizes in points of the open document's pages (empty until ``document_opened``)."""
        return list(self._page_sizes)

    @property
    def page_count(self) -> int:
        return len(self._page_sizes)

    # --- rendering -------------------------------------------------------------------------

    def request(self, keys: list[RenderKey]) -> None:
        """Want these ``(page, scale)`` images, most urgent first. Replaces every request not
        yet started; keys already in the cache are skipped (use :meth:`cached` for them)."""
        wanted: list[RenderKey] = []
        for page, scale in keys:
            key = (page, normalise_scale(scale))
            if key not in wanted and self._cache.get(key) is None:
                wanted.append(key)
        self._queue.replace(wanted)
        if wanted and self._worker is not None:
            self._work_requested.emit()

    def cached(self, page: int, scale: float) -> QImage | None:
        return self._cache.get((page, normalise_scale(scale)))

    def pending_count(self) -> int:
        return len(self._queue)

    @property
    def cache(self) -> _ImageCache:
        return self._cache

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    # --- results from the worker (UI thread) ------------------------------------------------

    @Slot(int, list)
    def _on_opened(self, generation: int, sizes: list[Any]) -> None:
        if generation != self._queue.generation():
            return
        self._page_sizes = [(float(w), float(h)) for w, h in sizes]
        self.document_opened.emit(self.page_sizes)

    @Slot(int, str)
    def _on_failed(self, generation: int, reason: str) -> None:
        if generation != self._queue.generation():
            return
        self._path = None
        self.document_failed.emit(reason)

    @Slot(int, int, float, float)
    def _on_resized(self, generation: int, page: int, width: float, height: float) -> None:
        if generation != self._queue.generation() or not 1 <= page <= len(self._page_sizes):
            return
        self._page_sizes[page - 1] = (width, height)
        self.page_resized.emit(page, width, height)

    @Slot(int, int, float, QImage)
    def _on_rendered(self, generation: int, page: int, scale: float, image: QImage) -> None:
        if generation != self._queue.generation():
            return
        self._cache.put((page, scale), image)
        self._queue.done((page, scale))
        self.page_rendered.emit(page, scale, image)


def _stop_thread(thread: QThread, queue: _RequestQueue) -> None:
    queue.new_generation()  # nothing more to render; a render in progress finishes alone
    # At interpreter exit the C++ thread may already be gone: then there is nothing to stop.
    if shiboken6.isValid(thread) and thread.isRunning():
        thread.quit()
        thread.wait()
