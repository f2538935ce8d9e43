"""A pool worker for the orphan test (a module of its own: spawned workers import it by name).
It says which process it is, then keeps "reading" and writing, as a worker on a long OCR does."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tabledesk.batch.pool import Job, JobResult
from tabledesk.exports.dataset import DocStatus, DocumentRecord


def slow(job: Job) -> JobResult:
    marker = Path(job.path)
    (marker.parent / f"{marker.name}.{os.getpid()}.pid").write_text("", encoding="utf-8")
    beat = marker.with_suffix(".beat")
    for i in range(600):
        beat.write_text(str(i), encoding="utf-8")
        time.sleep(0.1)
    return JobResult(job.index, DocumentRecord(job.path, DocStatus.PASSED))
