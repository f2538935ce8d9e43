"""The review store: one SQLite format for everything saved about a review.

* A **saved review file** (``*.tdreview``): one session holding a snapshot of the document —
  the source's identity and sha256, every extracted cell (printed and current value, provenance),
  the edits log and the review status (written by ``store/review_files.py``).
* The **recovery store** (``<data dir>/recovery.sqlite3``, WAL mode): each open review is a
  session; every edit is one appended row in one short transaction, so it is on disk before the
  window returns to the clerk. After a crash the sessions whose owner is gone are offered back.
* The review queue (``store/queue.py``): more sessions in one file.

A session is a snapshot (``store/codec.py``) plus the operations since, in order: an edit
applied, an edit reverted (undo), the review status set. This module is the store itself: the
schema, opening a store file, listing, restoring and resuming its sessions. Recording into a
session is ``store/session.py``; whether a restored review's source is still there is
``store/source_check.py``. Restoring replays the operations onto the snapshot through
:meth:`Document.apply`/:meth:`Document.revert`, the same calls the window makes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tabledesk.core.document import Document, ReviewStatus
from tabledesk.exports.common import describe_os_error
from tabledesk.store.codec import (
    CodecError,
    document_from_dict,
    document_to_dict,
    edit_from_dict,
)
from tabledesk.store.errors import StoreError, sqlite_problem
from tabledesk.store.session import SessionLock, StoreSession, now_iso
from tabledesk.store.source_check import SourceCheck, check_source

if TYPE_CHECKING:
    from tabledesk.review.review import Review

log = logging.getLogger(__name__)

STORE_FORMAT = "tabledesk-review-store/1"
_APPLICATION_ID = 0x54444B31  # "TDK1": lets `file` and other tools recognise our databases
_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                -- 'autosave' | 'review' (a saved review file)
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0, -- 1 once ended cleanly: never offered for recovery
    owner TEXT NOT NULL DEFAULT '',    -- host:pid, informative (liveness is the lock file)
    saved_path TEXT NOT NULL DEFAULT '',
    source_path TEXT NOT NULL, source_sha256 TEXT NOT NULL,
    template_id TEXT NOT NULL, format_id TEXT NOT NULL,
    agency TEXT NOT NULL, year INTEGER, review_status TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0     -- the last operation's number
);
CREATE TABLE IF NOT EXISTS snapshots (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,              -- operations up to here are inside the snapshot
    created TEXT NOT NULL,
    document TEXT NOT NULL,            -- tabledesk-document/1 JSON
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE IF NOT EXISTS ops (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    op TEXT NOT NULL,                  -- 'apply' | 'revert' | 'status'
    data TEXT NOT NULL,
    written TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
"""


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One stored review, as the recovery dialog lists it."""

    id: int
    kind: str
    created: datetime
    updated: datetime
    closed: bool
    source_path: str
    source_sha256: str
    template_id: str
    format_id: str
    agency: str
    year: int | None
    review_status: str
    saved_path: str
    operations: int  # edits, undos and status changes since the last snapshot

    @property
    def title(self) -> str:
        name = Path(self.source_path.replace("\\", "/")).name
        head = " ".join(x for x in (self.agency, str(self.year) if self.year else "") if x)
        return f"{head} — {name}" if head else name


@dataclass(slots=True)
class Restored:
    """A reopened review: the document as it was, and whether its source is still there."""

    document: Document
    source: SourceCheck
    session: SessionInfo | None = None

    def review(self) -> Review:
        """The live review (checks recomputed from the restored values)."""
        from tabledesk.review.review import Review
        from tabledesk.templates.registry import template_by_id

        return Review(self.document, template_by_id(self.document.template_id))


class ReviewStore:
    """One store file. Not shared between threads: the window uses it from its own thread."""

    def __init__(self, path: str | Path, *, wal: bool = True, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        try:
            if readonly:
                uri = self.path.resolve().as_uri() + "?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=5)
            self._prepare(wal)
        except sqlite3.DatabaseError as e:
            raise StoreError(self.path, sqlite_problem(e)) from None
        except OSError as e:
            raise StoreError(self.path, f"cannot open: {describe_os_error(e)}") from None

    def _prepare(self, wal: bool) -> None:
        c = self.conn
        app_id = c.execute("PRAGMA application_id").fetchone()[0]
        has_tables = c.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        if (has_tables or self.readonly) and app_id != _APPLICATION_ID:
            raise StoreError(self.path, "not a tabledesk review file")
        version = c.execute("PRAGMA user_version").fetchone()[0]
        if version > _VERSION:
            raise StoreError(self.path, "written by a newer tabledesk: update tabledesk to open it")
        c.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            return
        # WAL: an edit is one small append to the log, and readers never block the writer.
        # synchronous=FULL: a commit is on disk when it returns (one fsync of the log).
        c.execute(f"PRAGMA journal_mode = {'WAL' if wal else 'DELETE'}")
        c.execute("PRAGMA synchronous = FULL")
        if not has_tables:
            with self.transaction():
                for statement in _SCHEMA.split(";\n"):  # executescript would commit early
                    if statement.strip():
                        c.execute(statement)
                c.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                c.execute(f"PRAGMA user_version = {_VERSION}")
                c.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (STORE_FORMAT,))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                # SQLite may already have rolled back (a full disk does): keep the first error.
                with contextlib.suppress(sqlite3.Error):
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.Error as e:
            with contextlib.suppress(sqlite3.Error):
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
            raise StoreError(self.path, sqlite_problem(e)) from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions --------------------------------------------------------------------------
    def lock_path(self, session_id: int) -> Path:
        return self.path.with_name(self.path.name + ".locks") / f"{session_id}.lock"

    def start_session(
        self, document: Document, *, kind: str = "autosave", saved_path: str = ""
    ) -> StoreSession:
        """Begin storing a review: a snapshot of ``document`` now; record its changes next."""
        now = now_iso()
        s = document.source
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO sessions (kind, created, updated, owner, saved_path, source_path, source_sha256,"
                " template_id, format_id, agency, year, review_status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    kind,
                    now,
                    now,
                    f"{socket.gethostname()}:{os.getpid()}",
                    saved_path,
                    s.path,
                    s.sha256,
                    document.template_id,
                    document.format_id,
                    document.agency,
                    document.year,
                    document.review_status.value,
                ),
            )
            session_id = int(cur.lastrowid or 0)
            c.execute(
                "INSERT INTO snapshots VALUES (?, 0, ?, ?)",
                (session_id, now, json.dumps(document_to_dict(document), ensure_ascii=False)),
            )
            session = StoreSession(self, session_id, 0, document)
            # Locked before the row is committed: no other window can take it for an orphan.
            if kind == "autosave" and not session._lock.acquire():  # pragma: no cover - a fresh id
                raise StoreError(self.path, f"session {session_id} is in use")
        return session

    def sessions(self) -> list[SessionInfo]:
        """The stored reviews; a row too damaged to describe (a bad timestamp, a missing
        field) is left out, so the others are still offered. StoreError when the store itself
        cannot be read."""
        try:
            rows = self.conn.execute(
                "SELECT s.*, (SELECT count(*) FROM ops o WHERE o.session_id = s.id AND o.seq >"
                " (SELECT max(seq) FROM snapshots n WHERE n.session_id = s.id)) FROM sessions s ORDER BY s.id"
            ).fetchall()
        except sqlite3.Error as e:
            raise StoreError(self.path, sqlite_problem(e)) from None
        out = []
        for r in rows:
            try:
                out.append(_info(r))
            except (ValueError, TypeError, IndexError) as e:
                log.warning("%s: stored review %s left out: %s", self.path, r[0] if r else "?", e)
        return out

    def recoverable(self) -> list[SessionInfo]:
        """Autosave sessions left behind by a window that did not close cleanly (crashed,
        killed, power lost) and whose owner is no longer running."""
        return [
            s
            for s in self.sessions()
            if s.kind == "autosave" and not s.closed and not SessionLock.held(self.lock_path(s.id))
        ]

    def restore(self, session_id: int) -> Restored:
        """The document of a session: its last snapshot with every later operation replayed."""
        info = next((s for s in self.sessions() if s.id == session_id), None)
        if info is None:
            raise StoreError(self.path, f"no stored review {session_id}")
        try:
            row = self.conn.execute(
                "SELECT seq, document FROM snapshots WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
                (session_id,),
            ).fetchone()
            if row is None:
                raise StoreError(self.path, f"damaged review {session_id}: its snapshot is missing")
            seq, text = row
            doc = document_from_dict(json.loads(text))
            ops = self.conn.execute(
                "SELECT op, data FROM ops WHERE session_id = ? AND seq > ? ORDER BY seq", (session_id, seq)
            ).fetchall()
            for op, data in ops:
                _replay(doc, op, json.loads(data))
        except sqlite3.Error as e:
            raise StoreError(self.path, sqlite_problem(e)) from None
        except _DAMAGE as e:
            # a tampered or half-written row: what it is, in one line (no traceback)
            if isinstance(e, KeyError):
                detail = f"the field {e} is missing"
            else:
                detail = str(e).splitlines()[0][:120] if str(e) else type(e).__name__
            raise StoreError(self.path, f"damaged review {session_id}: {detail}") from None
        base = self.path.parent if info.kind == "review" else None
        return Restored(doc, check_source(doc, beside=base), info)

    def resume(self, session_id: int) -> tuple[Restored, StoreSession]:
        """Restore a left-behind session and carry on recording into it."""
        session = StoreSession(self, session_id, 0)
        if not session._lock.acquire():
            raise StoreError(self.path, f"review {session_id} is open in another tabledesk window")
        try:
            restored = self.restore(session_id)
        except StoreError:
            session._lock.release()
            raise
        session.document = restored.document
        session.seq = int(
            self.conn.execute("SELECT seq FROM sessions WHERE id = ?", (session_id,)).fetchone()[0]
        )
        return restored, session

    def discard(self, session_id: int) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        with contextlib.suppress(OSError):
            self.lock_path(session_id).unlink()


# What a damaged row's data raises on the way into a document: wrong types, bad numbers or
# dates, cells or tables that are not there.
_DAMAGE = (CodecError, ValueError, KeyError, TypeError, ArithmeticError, IndexError, AttributeError)


def _replay(doc: Document, op: str, data: dict[str, Any]) -> None:
    if not isinstance(data, dict):
        raise ValueError(f"operation '{op}' holds no data")
    if op == "apply":
        doc.apply(edit_from_dict(data))
    elif op == "revert":
        edit = edit_from_dict(data)
        # Edits are values (frozen, timestamped to the microsecond): the latest equal one.
        target = next((e for e in reversed(doc.edits) if e == edit), None)
        if target is not None:
            doc.revert(target)
    elif op == "status":
        doc.set_review_status(ReviewStatus(data["status"]))
    else:
        raise ValueError(f"unknown operation '{op}'")


def _info(r: tuple[Any, ...]) -> SessionInfo:
    return SessionInfo(
        id=r[0],
        kind=r[1],
        created=datetime.fromisoformat(r[2]),
        updated=datetime.fromisoformat(r[3]),
        closed=bool(r[4]),
        saved_path=r[6],
        source_path=r[7],
        source_sha256=r[8],
        template_id=r[9],
        format_id=r[10],
        agency=r[11],
        year=r[12],
        review_status=r[13],
        operations=int(r[15] or 0),
    )
