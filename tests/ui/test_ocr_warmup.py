"""The OCR engine is loaded in the background after the window starts, so the first scan does
not wait for it."""

from __future__ import annotations

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")

from PySide6.QtCore import QThreadPool  # noqa: E402

from tabledesk.sources.scan import engine as engine_module  # noqa: E402
from tabledesk.ui.workers.ocr_warmup import warm_ocr_later  # noqa: E402


def test_the_engine_is_loaded_in_the_background(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "_engine", None)  # as in a fresh process
    assert warm_ocr_later(0)
    qtbot.waitUntil(lambda: engine_module._engine is not None, timeout=60_000)
    QThreadPool.globalInstance().waitForDone()
    assert engine_module.engine() is engine_module._engine  # the scan reader finds it loaded


def test_nothing_is_scheduled_without_ocr(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "available", lambda: False)
    assert not warm_ocr_later(0)
