"""The review store: the document codec round trip, saved review files, autosave sessions,
recovery after a real SIGKILL, and the source-moved / source-changed results."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from tabledesk.core.document import CellStatus, ReviewStatus, UnmatchedRow
from tabledesk.core.edits import CellChange, Edit, EditReason
from tabledesk.core.provenance import Provenance
from tabledesk.exports.common import ExportError
from tabledesk.exports.json_export import document_json
from tabledesk.resources import user_data_dir as default_data_dir
from tabledesk.review.review import Review
from tabledesk.store.codec import CodecError, document_from_dict, document_from_export, document_to_dict
from tabledesk.store.errors import StoreError
from tabledesk.store.review_files import (
    load_review_file,
    open_recovery_store,
    save_review_file,
)
from tabledesk.store.review_store import ReviewStore
from tabledesk.store.source_check import SourceState, relink_source
from tabledesk.templates.registry import template_by_id
from tests.conftest import REPO
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec

SCHEMA = json.loads((REPO / "resources" / "export.schema.json").read_text(encoding="utf-8"))


def make_doc(seed: int = 3, fmt: str = "2021"):
    """A generated document with the details extraction gives: provenance, raw text, a blank,
    a non-number, a decimal with trailing zero, an unmatched row, sections."""
    doc = document_from_spec(random_spec(random.Random(seed), fmt))
    for n, (_row, _col, cell) in enumerate(doc.table("t3").iter_cells()):
        cell.prov = Provenance(page=3 + n % 2, bbox=(10.123456, 20.5 + n, 30.25, 40.0 + n / 3))
        cell.confidence = 0.875
    blank = doc.cell("t3", "carried", "natural")
    blank.raw, blank.status, blank.printed, blank.value = "-", CellStatus.BLANK, Decimal(0), Decimal(0)
    nan = doc.cell("t4", "all", "review.pending")
    nan.raw, nan.status, nan.printed, nan.value = "O", CellStatus.NOT_A_NUMBER, None, None
    fee = doc.cell("t2.item8", "fees", "amount")
    fee.raw, fee.printed, fee.value = "7730.50", Decimal("7730.50"), Decimal("7730.50")
    doc.table("t3").unmatched.append(UnmatchedRow("（八）其他", ["1", "2"], Provenance(line=7, chars=(0, 5))))
    doc.table("t3").rows[0] = replace(doc.table("t3").rows[0], source_label="一、本年新收", confidence=0.91)
    doc.warnings.append("表二 printed twice")
    return doc


def edit(doc, key, delta, **kw) -> Edit:
    old = doc.cell(*key).value
    return Edit((CellChange(*key, old, (old or Decimal(0)) + delta),), **kw)


def same(a, b) -> None:
    """Identical tables, cells, provenance, sections, edits, review status, source."""
    assert [t.id for t in a.tables] == [t.id for t in b.tables]
    for ta, tb in zip(a.tables, b.tables, strict=True):
        assert ta == tb, ta.id
        for (_, _, ca), (_, _, cb) in zip(ta.iter_cells(), tb.iter_cells(), strict=True):
            assert str(ca.value) == str(cb.value) and str(ca.printed) == str(cb.printed)  # 7730.50 stays
    assert a.sections == b.sections and a.warnings == b.warnings
    assert a.edits == b.edits and a.review_status is b.review_status
    assert a.source == b.source and (a.template_id, a.format_id, a.agency, a.year) == (
        b.template_id,
        b.format_id,
        b.agency,
        b.year,
    )


# ----------------------------------------------------------------------------- codec
def test_codec_round_trip_is_exact():
    doc = make_doc()
    doc.apply(edit(doc, ("t3", "new", "natural"), 5, reason=EditReason.SOURCE_INCONSISTENT, note="原文有误"))
    doc.apply(edit(doc, ("t2.item8", "fees", "amount"), Decimal("0.01")))
    doc.set_review_status(ReviewStatus.REVIEWED)
    data = document_to_dict(doc)
    back = document_from_dict(json.loads(json.dumps(data)))
    same(doc, back)
    assert document_to_dict(back) == data


def test_export_json_reopens_with_the_same_values_and_edits():
    doc = make_doc(4)
    template = template_by_id(doc.template_id)
    review = Review(doc, template)
    review.apply(edit(doc, ("t3", "new", "natural"), 2, reason=EditReason.OCR_ERROR))
    review.apply(edit(doc, ("t4", "all", "review.total"), 1))
    data = json.loads(json.dumps(document_json(doc, review.results)))
    jsonschema.validate(data, SCHEMA)
    back = document_from_export(data, template)
    assert back.values() == doc.values()
    assert [[str(c.value) for c in r] for r in back.table("t2.item8").cells] == [["7730.50"]]
    assert back.edits == doc.edits and back.review_status is doc.review_status
    assert [t.id for t in back.tables] == [t.id for t in doc.tables]
    assert back.table("t3").row_children == doc.table("t3").row_children
    again = Review(back, template)
    assert {r.uid: r.status for r in again.results} == {r.uid: r.status for r in review.results}
    with pytest.raises(CodecError):
        document_from_dict({"schema": "something-else"})


# ----------------------------------------------------------------------------- saved review files
def test_saved_review_file_reopens_the_same_grids_and_checks(tmp_path):
    src = tmp_path / "report.pdf"
    src.write_bytes(b"%PDF-1.4 pretend")
    doc = make_doc(5)
    doc.source.path, doc.source.sha256 = str(src), hashlib.sha256(src.read_bytes()).hexdigest()
    review = Review(doc, template_by_id(doc.template_id))
    review.apply(edit(doc, ("t3", "new", "natural"), 3))
    path = tmp_path / "work.tdreview"
    save_review_file(doc, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf", "work.tdreview"]  # one file, no temp
    restored = load_review_file(path)
    same(doc, restored.document)
    assert restored.source.state is SourceState.OK
    assert {r.uid: r.status for r in restored.review().results} == {r.uid: r.status for r in review.results}

    # moved: asked for, and a located copy is accepted when it is the same file
    moved = tmp_path / "elsewhere" / "report.pdf"
    moved.parent.mkdir()
    src.rename(moved)
    again = load_review_file(path)
    assert again.source.state is SourceState.MOVED and str(src) in again.source.message
    assert relink_source(again.document, moved).state is SourceState.OK and again.document.source.path == str(
        moved
    )
    # changed: same place, other bytes
    moved.rename(src)
    src.write_bytes(b"%PDF-1.4 another year")
    changed = load_review_file(path)
    assert changed.source.state is SourceState.CHANGED and "changed" in changed.source.message
    assert relink_source(changed.document, src).state is SourceState.CHANGED


def test_review_file_moved_together_with_its_source_finds_it(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    (a / "r.pdf").write_bytes(b"pdf bytes")
    doc = make_doc(6)
    doc.source.path, doc.source.sha256 = str(a / "r.pdf"), hashlib.sha256(b"pdf bytes").hexdigest()
    save_review_file(doc, a / "r.tdreview")
    a.rename(b)
    restored = load_review_file(b / "r.tdreview")
    assert restored.source.state is SourceState.OK and restored.document.source.path == str(b / "r.pdf")


def test_failed_save_keeps_the_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    doc = make_doc(7)
    path = tmp_path / "work.tdreview"
    save_review_file(doc, path)
    before = path.read_bytes()
    doc.apply(edit(doc, ("t3", "new", "natural"), 1))

    def locked(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportError) as err:
        save_review_file(doc, path)
    assert str(err.value).count("\n") == 0 and str(path) in str(err.value)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["work.tdreview"]


def test_not_a_review_file_is_one_clear_line(tmp_path):
    bad = tmp_path / "x.tdreview"
    bad.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StoreError) as err:
        load_review_file(bad)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(StoreError, match="not found"):
        load_review_file(tmp_path / "none.tdreview")


# ----------------------------------------------------------------------------- autosave sessions
def test_session_replays_edits_undos_status_and_rebuilds(tmp_path):
    doc = make_doc(8)
    store = open_recovery_store(tmp_path)
    session = store.start_session(doc)
    unsubscribe = session.attach(doc)
    e1 = edit(doc, ("t3", "new", "natural"), 4)
    doc.apply(e1)
    session.record_apply(e1)
    e2 = edit(doc, ("t4", "all", "review.total"), 2, reason=EditReason.SUGGESTED)
    doc.apply(e2)
    session.record_apply(e2)
    doc.revert(e2)  # undo
    session.record_revert(e2)
    doc.apply(e2)  # redo
    session.record_apply(e2)
    doc.set_review_status(ReviewStatus.REVIEWED)
    assert store.recoverable() == []  # its owner (this process) is alive
    same(doc, store.restore(session.id).document)
    doc.replace_tables(doc.tables[:-1], doc.template_id, doc.format_id)  # a rebuild: a new snapshot
    e3 = edit(doc, ("t3", "carried", "natural"), 1)
    doc.apply(e3)
    session.record_apply(e3)
    same(doc, store.restore(session.id).document)
    info = store.sessions()[0]
    assert info.operations == 1 and info.review_status == "reviewed" and info.agency in info.title
    unsubscribe()
    session.close()
    assert store.sessions() == [] and store.recoverable() == []


def test_default_data_dir_follows_the_platform_convention(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "name", "posix")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    if os.uname().sysname != "Darwin":
        assert default_data_dir() == tmp_path / "tabledesk"
        monkeypatch.delenv("XDG_DATA_HOME")
        assert default_data_dir() == Path.home() / ".local" / "share" / "tabledesk"


_CHILD = r"""
import random, sys
from decimal import Decimal
sys.path.insert(0, sys.argv[2])
from tabledesk.core.edits import CellChange, Edit
from tabledesk.store.review_files import open_recovery_store
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec

doc = document_from_spec(random_spec(random.Random(5), "2021"))
session = open_recovery_store(sys.argv[1]).start_session(doc)
cells = [(t.id, r.id, c.id) for t in doc.tables for r, c, _ in t.iter_cells()]
i = 0
while True:
    key = cells[i % len(cells)]
    e = Edit((CellChange(*key, doc.cell(*key).value, Decimal(1000 + i)),))
    doc.apply(e)
    session.record_apply(e)
    print(i, flush=True)  # committed
    i += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_every_edit_committed_before_a_sigkill_is_restored(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "desktop"), str(REPO)])}
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(tmp_path), str(REPO)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        committed = -1
        assert proc.stdout is not None
        while committed < 40:
            line = proc.stdout.readline()
            assert line, "the writer died early"
            committed = int(line)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    store = ReviewStore(tmp_path / "recovery.sqlite3")
    sessions = store.recoverable()
    assert len(sessions) == 1
    restored, session = store.resume(sessions[0].id)  # restore, and carry on in the same session
    doc = restored.document
    assert len(doc.edits) >= committed + 1  # every edit reported committed is there (and maybe more)
    expected = document_from_spec(random_spec(random.Random(5), "2021"))
    cells = [(t.id, r.id, c.id) for t in expected.tables for r, c, _ in t.iter_cells()]
    for i, e in enumerate(doc.edits):
        (ch,) = e.changes
        assert (ch.table_id, ch.row_id, ch.col_id) == cells[i % len(cells)] and ch.new == Decimal(1000 + i)
    for key in cells[: len(doc.edits)]:
        last = max(i for i in range(len(doc.edits)) if cells[i % len(cells)] == key)
        assert doc.cell(*key).value == Decimal(1000 + last)
    more = edit(doc, cells[0], 1)
    doc.apply(more)
    session.record_apply(more)
    assert store.recoverable() == []  # ours now
    assert store.restore(session.id).document.edits == doc.edits
    session.close()
    assert store.sessions() == []
    store.close()


def test_empty_or_foreign_sqlite_file_is_not_a_review(tmp_path):
    import sqlite3

    empty = tmp_path / "empty.tdreview"
    empty.write_bytes(b"")
    other = tmp_path / "other.tdreview"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    for path in (empty, other):
        with pytest.raises(StoreError, match="not a tabledesk review file"):
            load_review_file(path)


def test_an_edit_is_committed_when_record_returns_and_quickly(tmp_path):
    import time

    doc = make_doc(9)
    writer = open_recovery_store(tmp_path)
    reader = open_recovery_store(tmp_path)  # another connection: sees only what is committed
    session = writer.start_session(doc)
    slowest = 0.0
    for i in range(20):
        e = edit(doc, ("t3", "new", "natural"), 1)
        doc.apply(e)
        start = time.perf_counter()
        session.record_apply(e)
        slowest = max(slowest, time.perf_counter() - start)
        if i % 5 == 0:
            assert reader.restore(session.id).document.edits == doc.edits
    assert slowest < 2.0  # the bound; typically a few milliseconds (one fsync)
    session.close()
    reader.close()
    writer.close()


def test_a_full_disk_is_one_line_and_the_store_catches_up_afterwards(tmp_path):
    doc = make_doc(10)
    store = open_recovery_store(tmp_path)
    session = store.start_session(doc)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"
    e1 = edit(doc, ("t3", "new", "natural"), 1, note="x" * 20000)  # needs new pages
    doc.apply(e1)
    with pytest.raises(StoreError) as err:
        session.record_apply(e1)
    assert str(err.value) == f"{tmp_path / 'recovery.sqlite3'}: the disk is full or failing"
    assert session.behind and doc.edits == [e1]  # the work stays in memory
    store.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    e2 = edit(doc, ("t3", "carried", "natural"), 2)
    doc.apply(e2)
    session.record_apply(e2)  # catches up: a snapshot holding both
    assert not session.behind
    same(doc, store.restore(session.id).document)
    e3 = edit(doc, ("t3", "new", "natural"), 3)
    doc.apply(e3)
    session.record_apply(e3)
    session.checkpoint(doc)
    session.checkpoint(doc)  # twice in a row is fine
    same(doc, store.restore(session.id).document)
    session.close()
