"""The review queue's persistence: a folder of reports and each one's review, in one review store.

The queue lives in a review store file (``store/review_store.py``: same SQLite format, same
application id) with one more table, ``queue_entries``: one row per document — its path, where
extraction got to, the agency and year (typed by the clerk when the title did not give them),
the dataset record (values and check counts, for the consolidated dataset, the cross-year checks
and the sort order) and the prose lines with their provenance (to highlight a narrative sentence
in a review restored without its source read again). Each extracted document is a session of
kind ``queue`` in the same file: its snapshot plus the clerk's edits and review status, recorded
one short transaction each exactly as autosave records them. Closing and reopening the store
gives back every entry and which one the clerk was on.

Consistency: an entry is ``extracting`` only while a run holds it; opening the store (after a
cancel, a crash or a kill) puts such entries back to ``pending`` and drops ``queue`` sessions no
entry points to (a document stored just before the run stopped, but not yet linked).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from tabledesk.core.document import Document
from tabledesk.core.edits import Edit
from tabledesk.core.provenance import Provenance
from tabledesk.core.source import TextLine
from tabledesk.exports.dataset import DocStatus, DocumentRecord
from tabledesk.store.codec import CodecError, document_from_dict
from tabledesk.store.review_store import Restored, ReviewStore
from tabledesk.store.session import StoreSession

if TYPE_CHECKING:
    from tabledesk.checks.across import YearReport
    from tabledesk.checks.engine import CheckResult

QUEUE_FILE = "queue.sqlite3"
SESSION_KIND = "queue"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS queue_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL UNIQUE,
    added TEXT NOT NULL,
    updated TEXT NOT NULL,
    state TEXT NOT NULL,                -- pending | extracting | ready | no_template | unreadable
    reason TEXT NOT NULL DEFAULT '',    -- why unreadable / no template (one line)
    agency TEXT NOT NULL DEFAULT '',
    year INTEGER,
    agency_set INTEGER NOT NULL DEFAULT 0,  -- 1: typed by the clerk (wins over the title)
    year_set INTEGER NOT NULL DEFAULT 0,
    session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
    record TEXT,                        -- the DocumentRecord as JSON
    prose TEXT                          -- [[text, provenance], ...] of the prose lines
);
CREATE TABLE IF NOT EXISTS queue_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class EntryState(Enum):
    PENDING = "pending"
    EXTRACTING = "extracting"
    READY = "ready"
    NO_TEMPLATE = "no_template"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class QueueEntry:
    id: int
    path: str
    state: EntryState
    reason: str
    agency: str
    year: int | None
    agency_set: bool
    year_set: bool
    session_id: int | None
    record: DocumentRecord | None
    review_status: str  # of its session: unreviewed | in_progress | reviewed ("" before extraction)

    @property
    def name(self) -> str:
        return Path(self.path.replace("\\", "/")).name

    @property
    def failing(self) -> int:
        return self.record.failed_checks if self.record is not None else 0

    @property
    def reviewed(self) -> bool:
        return self.review_status == "reviewed"

    def rank(self) -> tuple[int, int, str]:
        """Worst first: failing checks (most first), warnings or incomplete, no template,
        unreadable, passed, reviewed; documents still being read last."""
        rec = self.record
        if self.state in (EntryState.PENDING, EntryState.EXTRACTING):
            group = 7
        elif self.reviewed:
            group = 6
        elif self.state is EntryState.UNREADABLE:
            group = 4
        elif self.state is EntryState.NO_TEMPLATE or rec is None:
            group = 3
        elif rec.failed_errors:
            group = 0
        elif rec.status is DocStatus.WARNINGS:
            group = 1
        else:
            group = 5
        return (group, -self.failing, self.name)


# ----------------------------------------------------------------------------- records as JSON
def record_to_json(rec: DocumentRecord) -> str:
    d = {
        "file": rec.file,
        "status": rec.status.value,
        "reason": rec.reason,
        "problem": rec.problem,
        "agency": rec.agency,
        "year": rec.year,
        "template_id": rec.template_id,
        "format_id": rec.format_id,
        "pages": rec.pages,
        "sha256": rec.sha256,
        "failed_errors": rec.failed_errors,
        "failed_warnings": rec.failed_warnings,
        "incomplete": rec.incomplete,
        "unfilled": rec.unfilled,
        "unplaced": rec.unplaced,
        "failed_rules": list(rec.failed_rules),
        "incomplete_rules": list(rec.incomplete_rules),
        "accepted": rec.accepted,
        # exact decimals as strings; whole numbers as ints
        "values": {k: (str(v) if isinstance(v, Decimal) else v) for k, v in rec.values.items()},
    }
    return json.dumps(d, ensure_ascii=False)


def record_from_json(text: str) -> DocumentRecord:
    d = json.loads(text)
    d["status"] = DocStatus(d["status"])
    for key in ("failed_rules", "incomplete_rules"):  # absent from records stored before them
        d[key] = tuple(d.get(key, ()))
    d["values"] = {k: (Decimal(v) if isinstance(v, str) else v) for k, v in d["values"].items()}
    return DocumentRecord(**d)


def prose_json(lines: Iterable[TextLine]) -> str:
    return json.dumps([[ln.text, ln.prov.to_json()] for ln in lines], ensure_ascii=False)


def _prose_from(text: str | None) -> list[TextLine]:
    out = []
    for line, p in json.loads(text or "[]"):
        prov = Provenance(
            page=p.get("page"),
            bbox=tuple(p["bbox"]) if "bbox" in p else None,
            line=p.get("line"),
            chars=tuple(p["chars"]) if "chars" in p else None,
        )
        out.append(TextLine(line, prov))
    return out


def _now() -> str:
    return datetime.now(UTC).isoformat()


# ----------------------------------------------------------------------------- the store
class QueueStore:
    """The queue in one review store file. Like ReviewStore, used from one thread only."""

    def __init__(self, path: str | Path) -> None:
        self.store = ReviewStore(path)
        self.path = self.store.path
        with self.store.transaction() as c:
            for statement in _SCHEMA.split(";\n"):
                if statement.strip():
                    c.execute(statement)
            # An interrupted run (cancel, crash, kill): start those documents again.
            c.execute("UPDATE queue_entries SET state = 'pending' WHERE state = 'extracting'")
            c.execute(
                "DELETE FROM sessions WHERE kind = ? AND id NOT IN"
                " (SELECT session_id FROM queue_entries WHERE session_id IS NOT NULL)",
                (SESSION_KIND,),
            )

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> QueueStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- entries ---------------------------------------------------------------------------
    def add(self, paths: Sequence[str | Path]) -> list[QueueEntry]:
        """Add documents (a path already queued is kept as it is); returns the new entries."""
        now = _now()
        new: list[int] = []
        with self.store.transaction() as c:
            for p in paths:
                key = str(Path(p).resolve())
                cur = c.execute(
                    "INSERT OR IGNORE INTO queue_entries (path, added, updated, state)"
                    " VALUES (?, ?, ?, 'pending')",
                    (key, now, now),
                )
                if cur.rowcount:
                    new.append(int(cur.lastrowid or 0))
        return [e for e in self.entries() if e.id in new]

    def entries(self) -> list[QueueEntry]:
        """Every entry, in the order added."""
        rows = self.store.conn.execute(
            "SELECT q.id, q.path, q.state, q.reason, q.agency, q.year, q.agency_set, q.year_set,"
            " q.session_id,"
            " q.record, COALESCE(s.review_status, '') FROM queue_entries q"
            " LEFT JOIN sessions s ON s.id = q.session_id ORDER BY q.id"
        ).fetchall()
        return [
            QueueEntry(
                r[0],
                r[1],
                EntryState(r[2]),
                r[3],
                r[4],
                r[5],
                bool(r[6]),
                bool(r[7]),
                r[8],
                record_from_json(r[9]) if r[9] else None,
                r[10],
            )
            for r in rows
        ]

    def entry(self, entry_id: int) -> QueueEntry:
        found = next((e for e in self.entries() if e.id == entry_id), None)
        if found is None:
            raise KeyError(entry_id)
        return found

    def worst_first(self) -> list[QueueEntry]:
        """Every entry, its counts including the cross-year checks, worst first."""
        return sorted(self.with_cross_year(), key=QueueEntry.rank)

    def with_cross_year(self) -> list[QueueEntry]:
        """Every entry, its record counting the checks against the same agency's neighbouring
        years in the queue (checks/across.py), worked out afresh from the stored values."""
        from tabledesk.checks.across import check_reports
        from tabledesk.checks.engine import CheckStatus

        entries = self.entries()
        reports = self.year_reports()
        index = {e.path: e for e in entries}
        out = {e.id: e for e in entries}
        for i, (_, results) in check_reports(reports).items():
            e = index[reports[i].file]
            rec = e.record
            if rec is None:
                continue
            failed = [r for r in results if r.status is CheckStatus.FAILED]
            errors = sum(1 for r in failed if r.severity == "error")
            n_err, n_warn = rec.failed_errors + errors, rec.failed_warnings + len(failed) - errors
            n_inc = rec.incomplete + sum(1 for r in results if r.status is CheckStatus.INCOMPLETE)
            rec = rec.with_counts(n_err, n_warn, n_inc)
            out[e.id] = replace(e, record=rec)
        return [out[e.id] for e in entries]

    def pending(self) -> list[QueueEntry]:
        return [e for e in self.entries() if e.state is EntryState.PENDING]

    def mark_extracting(self, ids: Iterable[int]) -> None:
        with self.store.transaction() as c:
            c.executemany(
                "UPDATE queue_entries SET state = 'extracting', updated = ? WHERE id = ?",
                [(_now(), i) for i in ids],
            )

    def mark_pending(self, ids: Iterable[int]) -> None:
        """A run was cancelled before these were read."""
        with self.store.transaction() as c:
            c.executemany(
                "UPDATE queue_entries SET state = 'pending', updated = ?"
                " WHERE id = ? AND state = 'extracting'",
                [(_now(), i) for i in ids],
            )

    def store_result(
        self, entry_id: int, record: DocumentRecord, document_file: str | Path | None
    ) -> QueueEntry:
        """A run's result for an entry: the document (read from the worker's file, which is then
        removed) becomes the entry's session; the record its row."""
        state = {
            DocStatus.UNREADABLE: EntryState.UNREADABLE,
            DocStatus.NO_TEMPLATE: EntryState.NO_TEMPLATE,
        }.get(record.status, EntryState.READY)
        session_id: int | None = None
        prose = None
        current = self.entry(entry_id)
        if document_file is not None and state is EntryState.READY:
            p = Path(document_file)
            try:
                data = json.loads(p.read_text(encoding="utf-8"))
                doc = document_from_dict(data["document"])
            except (OSError, ValueError, KeyError, CodecError) as e:  # the worker's file is damaged
                p.unlink(missing_ok=True)
                bad = replace(
                    record, status=DocStatus.UNREADABLE, reason=f"internal error: {e}", problem="other"
                )
                return self.store_result(entry_id, bad, None)
            if current.agency_set:
                doc.agency = current.agency
            if current.year_set:
                doc.year = current.year
            session_id = self.store.start_session(doc, kind=SESSION_KIND).id
            prose = json.dumps(data.get("prose", []), ensure_ascii=False)
            p.unlink(missing_ok=True)
        with self.store.transaction() as c:
            old = c.execute("SELECT session_id FROM queue_entries WHERE id = ?", (entry_id,)).fetchone()
            c.execute(
                "UPDATE queue_entries SET state = ?, reason = ?, record = ?, session_id = ?, prose = ?,"
                " updated = ?,"
                " agency = CASE WHEN agency_set THEN agency ELSE ? END,"
                " year = CASE WHEN year_set THEN year ELSE ? END WHERE id = ?",
                (
                    state.value,
                    record.reason,
                    record_to_json(record),
                    session_id,
                    prose,
                    _now(),
                    record.agency,
                    record.year,
                    entry_id,
                ),
            )
            if old and old[0] is not None and old[0] != session_id:
                c.execute("DELETE FROM sessions WHERE id = ?", (old[0],))
        return self.entry(entry_id)

    def set_agency_year(self, entry_id: int, agency: str | None = None, year: int | None = None) -> None:
        """The clerk typed the agency or year (the title did not give them, or gave them wrong)."""
        with self.store.transaction() as c:
            if agency is not None:
                c.execute(
                    "UPDATE queue_entries SET agency = ?, agency_set = 1 WHERE id = ?", (agency, entry_id)
                )
            if year is not None:
                c.execute("UPDATE queue_entries SET year = ?, year_set = 1 WHERE id = ?", (year, entry_id))

    def update_record(self, entry_id: int, document: Document, results: Iterable[CheckResult]) -> None:
        """After the clerk's edits: the entry's values and check counts as they now are."""
        entry = self.entry(entry_id)
        # the cross-year checks are worked out afresh from every entry's values (with_cross_year)
        own = [r for r in results if not r.instance.rule.id.startswith("across.")]
        rec = DocumentRecord.from_review(entry.path, document, own)
        with self.store.transaction() as c:
            c.execute(
                "UPDATE queue_entries SET record = ?, updated = ? WHERE id = ?",
                (record_to_json(rec), _now(), entry_id),
            )

    def remove(self, ids: Iterable[int]) -> None:
        with self.store.transaction() as c:
            for i in ids:
                row = c.execute("SELECT session_id FROM queue_entries WHERE id = ?", (i,)).fetchone()
                c.execute("DELETE FROM queue_entries WHERE id = ?", (i,))
                if row and row[0] is not None:
                    c.execute("DELETE FROM sessions WHERE id = ?", (row[0],))

    # -- where the clerk is ------------------------------------------------------------------
    @property
    def current(self) -> int | None:
        row = self.store.conn.execute("SELECT value FROM queue_state WHERE key = 'current'").fetchone()
        return int(row[0]) if row else None

    def set_current(self, entry_id: int | None) -> None:
        with self.store.transaction() as c:
            if entry_id is None:
                c.execute("DELETE FROM queue_state WHERE key = 'current'")
            else:
                c.execute("INSERT OR REPLACE INTO queue_state VALUES ('current', ?)", (str(entry_id),))

    # -- reviewing ---------------------------------------------------------------------------
    def open(self, entry_id: int) -> tuple[Restored, QueueSession]:
        """The entry's document as the clerk left it, and a session recording further changes."""
        entry = self.entry(entry_id)
        if entry.session_id is None:
            raise KeyError(f"{entry.name} has not been read")
        restored, session = self.store.resume(entry.session_id)
        doc = restored.document
        if entry.agency_set:
            doc.agency = entry.agency
        if entry.year_set:
            doc.year = entry.year
        return restored, QueueSession(self, entry_id, session, list(doc.edits))

    def prose(self, entry_id: int) -> list[TextLine]:
        row = self.store.conn.execute("SELECT prose FROM queue_entries WHERE id = ?", (entry_id,)).fetchone()
        return _prose_from(row[0] if row else None)

    def year_reports(self) -> list[YearReport]:
        """Every read entry, for the cross-year checks (the clerk's agency and year win)."""
        from tabledesk.checks.across import YearReport

        out = []
        for e in self.entries():
            rec = e.record
            if rec is not None and rec.status.read:
                out.append(YearReport(e.path, e.agency, e.year, rec.template_id, rec.format_id, rec.values))
        return out

    def records(self) -> list[DocumentRecord]:
        """The dataset's records, one per entry in the order added (unread ones as pending)."""
        out = []
        for e in self.with_cross_year():
            rec = e.record or DocumentRecord(e.path, DocStatus.UNREADABLE, "not read yet", "pending")
            out.append(
                replace(rec, agency=e.agency or rec.agency, year=e.year if e.year is not None else rec.year)
            )
        return out


@dataclass
class QueueSession:
    """Records one open queue document's changes into its session, as autosave does."""

    queue: QueueStore
    entry_id: int
    session: StoreSession
    known: list[Edit]

    def sync(self, document: Document) -> None:
        """After an apply or revert: record what changed in the document's edit log (one
        operation), or a snapshot when the log changed some other way. Raises StoreError."""
        now, known = document.edits, self.known
        if len(now) == len(known) and all(a is b for a, b in zip(now, known, strict=True)):
            return
        self.known = list(now)
        if len(now) == len(known) + 1 and all(a is b for a, b in zip(known, now[:-1], strict=True)):
            self.session.record_apply(now[-1])
        elif len(now) == len(known) - 1:
            gone = next((i for i, e in enumerate(now) if e is not known[i]), len(now))
            self.session.record_revert(known[gone])
        else:
            self.session.checkpoint(document)

    def close(self) -> None:
        self.session.close(keep=True)
