"""The review queue's worker: read and check one document in a batch worker process and hand the
whole document (``tabledesk-document/1``) and its prose lines to the queue
(``store/queue.py``), which stores it the moment it is read."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from tabledesk.batch.pool import Job, JobResult, check_one
from tabledesk.exports.dataset import DocumentRecord
from tabledesk.exports.json_export import write_json
from tabledesk.review.review import Review
from tabledesk.store.codec import document_to_dict
from tabledesk.store.queue import prose_json


def extract_job(job: Job) -> JobResult:
    """A batch worker (``BatchRun(..., worker=extract_job)``): read and check one document and
    write the whole document (``tabledesk-document/1``) and its prose lines to ``job.json_path``
    for the queue to store. Never raises for bad input."""
    if job.json_path is None:
        return check_one(job)
    try:
        review = Review.open(job.path, template_id=job.template_id, format_id=job.format_id, ocr=job.ocr)
    except Exception:  # noqa: BLE001 - check_one says why, in the usual form
        return check_one(replace(job, json_path=None))
    record = DocumentRecord.from_review(job.path, review.document, review.results)
    lines = getattr(review.document.extracted, "lines", None) or []
    data = {"document": document_to_dict(review.document), "prose": json.loads(prose_json(lines))}
    Path(job.json_path).parent.mkdir(parents=True, exist_ok=True)
    write_json(job.json_path, data)
    return JobResult(job.index, record, job.json_path)
