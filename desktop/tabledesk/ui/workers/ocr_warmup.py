"""Loading the OCR engine in the background before the first scan needs it.

Loading onnxruntime and the recognition model takes about two seconds on a clerk's laptop; a
scan opened later would wait for it before its first page. A few seconds after the window
shows (so the window itself and a report opened from the command line go first), the engine is
loaded on a pool thread; the scan reader then finds it ready (``engine()`` is shared and
locked). Nothing happens when OCR is not installed.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRunnable, QThreadPool, QTimer

from tabledesk.core.source import SourceError

log = logging.getLogger(__name__)

WARM_DELAY_MS = 3000


class _LoadEngine(QRunnable):
    def run(self) -> None:
        from tabledesk.sources.scan.engine import engine

        try:
            engine()
        except SourceError as e:  # a broken install: the scan reader will say so when asked
            log.info("OCR engine not loaded in the background: %s", e)


def warm_ocr_later(delay_ms: int = WARM_DELAY_MS) -> bool:
    """Schedule the engine's loading ``delay_ms`` from now; False when OCR is not installed."""
    from tabledesk.sources.scan.engine import available

    if not available():
        return False
    QTimer.singleShot(delay_ms, lambda: QThreadPool.globalInstance().start(_LoadEngine()))
    return True
