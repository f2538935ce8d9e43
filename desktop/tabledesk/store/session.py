"""One open review's recording into a review store, and the lock that says its owner lives.

A :class:`StoreSession` appends every operation on the document (an edit applied, an edit
reverted, the review status set) in one short transaction each, and snapshots the document when
its tables are rebuilt. While a window records into an autosave session it holds the session's
:class:`SessionLock`: a session whose lock is free was left behind, and is offered for recovery.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from tabledesk.core.document import Document, ReviewStatus, SourceInfo
from tabledesk.core.edits import Edit
from tabledesk.core.events import DecisionsChanged, Event, ReviewStatusChanged, StructureChanged
from tabledesk.exports.common import describe_os_error
from tabledesk.store.codec import document_to_dict, edit_to_dict
from tabledesk.store.errors import StoreError, sqlite_problem


class SessionStore(Protocol):
    """What a session needs of its store (``store/review_store.py``'s ReviewStore): short
    transactions, where its lock lives, and dropping a session."""

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...

    def lock_path(self, session_id: int) -> Path: ...

    def discard(self, session_id: int) -> None: ...


def now_iso() -> str:
    """The time stamp the store writes: UTC, ISO 8601."""
    return datetime.now(UTC).isoformat()


class SessionLock:
    """Held while a session's owner lives: an exclusive SQLite lock on a small file. The OS drops
    it when the process dies however it dies, on every platform SQLite runs on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    def acquire(self) -> bool:
        """True when we now hold it; False when a live owner does. StoreError when the lock
        file cannot be made at all."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        except (OSError, sqlite3.Error) as e:
            problem = describe_os_error(e) if isinstance(e, OSError) else sqlite_problem(e)
            raise StoreError(self.path, f"cannot create the lock file: {problem}") from None
        try:
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError:
            conn.close()
            return False
        self._conn = conn
        return True

    def release(self, *, remove: bool = True) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            self._conn.close()
            self._conn = None
        if remove:
            with contextlib.suppress(OSError):
                self.path.unlink()

    @staticmethod
    def held(path: Path) -> bool:
        """True while another live connection holds ``path`` (a lock file that is gone is free)."""
        if not path.exists():
            return False
        probe = SessionLock(path)
        if probe.acquire():
            probe.release(remove=False)
            return False
        return True


@dataclass
class StoreSession:
    """Records one open review's changes into its store, one short transaction each."""

    store: SessionStore
    id: int
    seq: int
    document: Document | None = None  # the live document: a snapshot of it heals a failed write
    _lock: SessionLock = field(init=False)
    _behind: bool = field(init=False, default=False)  # a write failed: the store lacks something

    def __post_init__(self) -> None:
        self._lock = SessionLock(self.store.lock_path(self.id))

    @property
    def behind(self) -> bool:
        """True after a failed write, until a later write (or :meth:`flush`) catches up."""
        return self._behind

    def flush(self) -> None:
        """Catch up after a failed write (full disk freed, file unlocked): snapshot the live
        document. The window may call it on a timer while :attr:`behind`. Raises StoreError."""
        if self._behind and self.document is not None:
            self.checkpoint(self.document)

    def _append(self, op: str, data: dict[str, Any], *updates: tuple[str, Any]) -> None:
        if self._behind and self.document is not None:
            # The caller changed the document before recording, so a snapshot now holds this
            # operation and whatever the failed writes missed.
            self.checkpoint(self.document)
            return
        now = now_iso()
        sets = "".join(f", {col} = ?" for col, _ in updates)
        try:
            with self.store.transaction() as c:
                c.execute(
                    "INSERT INTO ops VALUES (?, ?, ?, ?, ?)",
                    (self.id, self.seq + 1, op, json.dumps(data, ensure_ascii=False), now),
                )
                c.execute(
                    f"UPDATE sessions SET seq = ?, updated = ?{sets} WHERE id = ?",
                    (self.seq + 1, now, *(v for _, v in updates), self.id),
                )
        except StoreError:
            self._behind = True
            raise
        self.seq += 1

    def record_apply(self, edit: Edit) -> None:
        """After ``Review.apply(edit)`` (a new edit or a redo). Raises StoreError."""
        self._append("apply", edit_to_dict(edit))

    def record_revert(self, edit: Edit) -> None:
        """After ``Review.revert(edit)`` (an undo). Raises StoreError."""
        self._append("revert", edit_to_dict(edit))

    def record_status(self, status: ReviewStatus) -> None:
        self._append("status", {"status": status.value}, ("review_status", status.value))

    def checkpoint(self, document: Document) -> None:
        """A fresh snapshot (after the tables were rebuilt, or to keep replays short); the
        operations it covers are dropped in the same transaction."""
        now = now_iso()
        s = document.source
        seq = self.seq + 1  # its own number: a failed op may have left nothing between
        try:
            self._snapshot(document, seq, now, s)
        except StoreError:
            self._behind = True
            raise
        self.seq, self._behind = seq, False

    def _snapshot(self, document: Document, seq: int, now: str, s: SourceInfo) -> None:
        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO snapshots VALUES (?, ?, ?, ?)",
                (self.id, seq, now, json.dumps(document_to_dict(document), ensure_ascii=False)),
            )
            c.execute("DELETE FROM snapshots WHERE session_id = ? AND seq < ?", (self.id, seq))
            c.execute("DELETE FROM ops WHERE session_id = ? AND seq <= ?", (self.id, seq))
            c.execute(
                "UPDATE sessions SET seq = ?, updated = ?, source_path = ?, source_sha256 = ?,"
                " template_id = ?,"
                " format_id = ?, agency = ?, year = ?, review_status = ? WHERE id = ?",
                (
                    seq,
                    now,
                    s.path,
                    s.sha256,
                    document.template_id,
                    document.format_id,
                    document.agency,
                    document.year,
                    document.review_status.value,
                    self.id,
                ),
            )

    def set_saved_path(self, path: str | Path) -> None:
        with self.store.transaction() as c:
            c.execute("UPDATE sessions SET saved_path = ? WHERE id = ?", (str(path), self.id))

    def attach(
        self, document: Document, on_error: Callable[[StoreError], None] | None = None
    ) -> Callable[[], None]:
        """Record review-status changes, table rebuilds and decisions on checks as the document announces them
        (edits are recorded by the caller, who holds the Edit). Returns an unsubscribe."""
        self.document = document

        def listen(event: Event) -> None:
            try:
                if isinstance(event, ReviewStatusChanged):
                    self.record_status(ReviewStatus(event.status))
                elif isinstance(event, (StructureChanged, DecisionsChanged)):
                    self.checkpoint(document)  # a snapshot holds the decisions on checks too
            except StoreError as e:
                if on_error is None:
                    raise
                on_error(e)

        return document.events.subscribe(listen)

    def close(self, *, keep: bool = False) -> None:
        """End the session cleanly (the window closed it): drop it, or with ``keep`` mark it
        closed so it is never offered for recovery."""
        try:
            if keep:
                with self.store.transaction() as c:
                    c.execute(
                        "UPDATE sessions SET closed = 1, updated = ? WHERE id = ?", (now_iso(), self.id)
                    )
            else:
                self.store.discard(self.id)
        finally:
            self._lock.release()
