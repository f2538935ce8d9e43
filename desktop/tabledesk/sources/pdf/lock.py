"""pdfium is not thread-safe — not even across documents — and the window renders pages on one
thread while a worker reads a report on another: every use of pdfium holds :data:`PDFIUM_LOCK`
(the reader per page, the renderer per page image), so their calls never interleave."""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
