"""The review queue's store: documents read in the batch pool are stored with their review; the
queue (entries, agency/year typed by the clerk, edits, review status, where the clerk was)
comes back after a restart; a cancelled or killed run leaves the store consistent; the queue
exports as the consolidated dataset."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from tabledesk.batch.pool import BatchOptions, BatchRun, find_inputs
from tabledesk.batch.queue_job import extract_job
from tabledesk.core.document import ReviewStatus
from tabledesk.core.edits import CellChange, Edit
from tabledesk.exports.dataset import build_dataset, write_dataset
from tabledesk.store.queue import SESSION_KIND, EntryState, QueueStore
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import inject_error, random_spec
from tests.fixtures.text_report import write_text


@pytest.fixture(scope="session")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("queue") / "reports"
    d.mkdir()
    write_text(random_spec(random.Random(1), "2021", agency="甲县人民政府", year=2023), d / "a-good.txt")
    bad = random_spec(random.Random(2), "2021", agency="乙县人民政府", year=2023)
    inject_error(bad, random.Random(3))
    write_text(bad, d / "b-failing.txt")
    (d / "c-note.txt").write_text("会议纪要\n今天开会。\n", encoding="utf-8")
    return d


def run_queue(q: QueueStore, work, cancel_after: int | None = None) -> int:
    """Extract the pending entries as the window does; returns how many were stored."""
    pending = q.pending()
    inputs = find_inputs([e.path for e in pending])
    q.mark_extracting([e.id for e in pending])
    stored = 0
    with BatchRun(inputs, BatchOptions(jobs=1, json_dir=work), worker=extract_job) as run:
        for res in run:
            q.store_result(pending[res.index].id, res.record, res.json_path)
            stored += 1
            if cancel_after is not None and stored >= cancel_after:
                run.cancel()
    q.mark_pending([e.id for e in pending])
    return stored


def queue_sessions(q: QueueStore) -> int:
    return q.store.conn.execute("SELECT count(*) FROM sessions WHERE kind = ?", (SESSION_KIND,)).fetchone()[0]


def test_the_queue_resumes_after_a_restart(folder, tmp_path):
    path = tmp_path / "queue.sqlite3"
    with QueueStore(path) as q:
        assert len(q.add([folder / n for n in ("a-good.txt", "b-failing.txt", "c-note.txt")])) == 3
        assert q.add([folder / "a-good.txt"]) == []  # already queued
        assert run_queue(q, tmp_path / "work") == 3
        assert not list((tmp_path / "work").glob("*.json"))  # the worker files were taken in
        states = {e.name: e.state for e in q.entries()}
        assert states == {
            "a-good.txt": EntryState.READY,
            "b-failing.txt": EntryState.READY,
            "c-note.txt": EntryState.NO_TEMPLATE,
        }
        worst = [e.name for e in q.worst_first()]
        assert worst[0] == "b-failing.txt" and worst[-1] == "a-good.txt"
        good = next(e for e in q.entries() if e.name == "a-good.txt")
        q.set_agency_year(good.id, agency="甲县政府办", year=2022)
        restored, qs = q.open(good.id)
        doc = restored.document
        assert doc.agency == "甲县政府办" and doc.year == 2022
        unsub = qs.session.attach(doc)
        cell = doc.cell("t3", "new", "natural")
        edit = Edit((CellChange("t3", "new", "natural", cell.value, cell.value + 1),))
        doc.apply(edit)
        qs.sync(doc)
        doc.set_review_status(ReviewStatus.REVIEWED)
        q.update_record(good.id, doc, [])
        q.set_current(good.id)
        unsub()
        qs.close()
        before = cell.value
    with QueueStore(path) as q:  # a restart
        assert q.current == good.id
        e = q.entry(good.id)
        assert (e.agency, e.year, e.reviewed) == ("甲县政府办", 2022, True)
        assert e.rank()[0] == 6  # reviewed: near the end
        restored, qs = q.open(good.id)
        assert restored.document.cell("t3", "new", "natural").value == before
        assert restored.document.review_status is ReviewStatus.REVIEWED
        assert len(restored.document.edits) == 1
        qs.close()
        assert e.record is not None and e.record.values["t3.new.natural"] == int(before)


def test_cancel_leaves_the_store_consistent(folder, tmp_path):
    path = tmp_path / "queue.sqlite3"
    with QueueStore(path) as q:
        q.add(sorted(folder.iterdir()))
        assert run_queue(q, tmp_path / "work", cancel_after=1) == 1
        states = [e.state for e in q.entries()]
        assert states.count(EntryState.PENDING) == 2
        ready = [e for e in q.entries() if e.state is EntryState.READY]
        assert queue_sessions(q) == len(ready) == sum(1 for e in q.entries() if e.session_id is not None)
        assert not [p for p in (tmp_path / "work").iterdir() if p.suffix in (".json", ".tmp")]
        # the rest is read on the next run
        assert run_queue(q, tmp_path / "work") == 2
        assert not q.pending()


def test_a_killed_run_is_repaired_when_the_store_opens(folder, tmp_path):
    path = tmp_path / "queue.sqlite3"
    with QueueStore(path) as q:
        q.add([folder / "a-good.txt", folder / "b-failing.txt"])
        q.mark_extracting([e.id for e in q.entries()])
        # a document stored, but the process died before the entry pointed to it
        q.store.start_session(document_from_spec(random_spec(random.Random(9), "2021")), kind=SESSION_KIND)
        assert queue_sessions(q) == 1
    with QueueStore(path) as q:
        assert [e.state for e in q.entries()] == [EntryState.PENDING, EntryState.PENDING]
        assert queue_sessions(q) == 0


def test_the_queue_exports_as_the_consolidated_dataset(folder, tmp_path):
    with QueueStore(tmp_path / "queue.sqlite3") as q:
        q.add(sorted(folder.iterdir()))
        run_queue(q, tmp_path / "work")
        e = q.entries()[0]
        q.set_agency_year(e.id, year=2020)
        ds = build_dataset(q.records())
        write_dataset(ds, tmp_path / "dataset.csv")
    frame = pd.read_csv(tmp_path / "dataset.csv")
    assert len(frame) == 3
    assert list(frame["status"]) == ["passed", "failed", "no_template"]
    assert frame["year"].iloc[0] == 2020
    assert frame["t3.new.total"].iloc[0] > 0


def test_a_damaged_worker_file_makes_the_entry_unreadable_not_the_queue(folder, tmp_path):
    from tabledesk.exports.dataset import DocStatus, DocumentRecord

    with QueueStore(tmp_path / "queue.sqlite3") as q:
        (e,) = q.add([folder / "a-good.txt"])
        bad = tmp_path / "worker.json"
        bad.write_text("{not json", encoding="utf-8")
        got = q.store_result(e.id, DocumentRecord(e.path, DocStatus.PASSED), bad)
        assert got.state is EntryState.UNREADABLE and "internal error" in got.reason
        assert not bad.exists() and queue_sessions(q) == 0


def test_a_scan_in_the_queue_is_read_by_ocr_and_stored_with_its_review(tmp_path):
    """The queue's worker reads scans by OCR as ``check`` does: a scanned report ends READY with
    its document stored (before, it was read without OCR, fell back to a bare record and came
    out READY with no session: nothing to review)."""
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")
    from tests.fixtures.pdf_report import render_pdf
    from tests.fixtures.scan_pdf import scan_pdf

    spec = random_spec(random.Random(7), "2021", agency="丙县人民政府", year=2023)
    (tmp_path / "reports").mkdir()
    scan = scan_pdf(render_pdf(spec, tmp_path / "src.pdf"), tmp_path / "reports" / "d-scan.pdf", seed=7)
    with QueueStore(tmp_path / "queue.sqlite3") as q:
        q.add([scan])
        assert run_queue(q, tmp_path / "work") == 1
        (entry,) = q.entries()
        assert entry.state is EntryState.READY
        assert entry.session_id is not None
        assert queue_sessions(q) == 1
