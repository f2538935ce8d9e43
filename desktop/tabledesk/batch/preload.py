"""Libraries the end of a run needs, imported while the workers read.

``tabledesk check --out`` writes its dataset through pandas (and openpyxl for .xlsx): half a
second and more of imports that the parent process, idle until the workers' first results,
can pay on a thread meanwhile instead of after the last one. Nothing else changes: a module
imported on both threads at once is imported once (Python's import lock), and a library that
fails to import here fails again, with its message, where it is used.
"""

from __future__ import annotations

import importlib
import logging
import threading
from pathlib import Path

log = logging.getLogger(__name__)


def dataset_libraries(out: str | Path) -> tuple[str, ...]:
    """The modules writing the dataset to ``out`` imports."""
    return ("pandas", "openpyxl") if str(out).lower().endswith(".xlsx") else ("pandas",)


def preload(modules: tuple[str, ...]) -> threading.Thread:
    """Import ``modules`` on a daemon thread (started; returned for tests to join)."""

    def run() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - reported where the library is used
                log.debug("preloading %s failed", name, exc_info=True)

    thread = threading.Thread(target=run, name="tabledesk-preload", daemon=True)
    thread.start()
    return thread
