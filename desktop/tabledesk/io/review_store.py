"""The review store: one SQLite format for everything saved about a review.

* A **saved review file** (``*.tdreview``): one session holding a snapshot of the document —
  the source's identity and sha256, every extracted cell (printed and current value, provenance),
  the edits log and the review status. Written to a temp file and renamed over the target.
* The **recovery store** (``<data dir>/recovery.sqlite3``, WAL mode): each open review is a
  session; every edit is one appended row in one short transaction, so it is on disk before the
  window returns to the clerk. After a crash the sessions whose owner is gone are offered back.
* Later, the batch project: more sessions in one file.

A session is a snapshot (``io/document_codec.py``) plus the operations since, in order: an edit
applied, an edit reverted (undo), the review status set. Restoring replays them onto the
snapshot through :meth:`Document.apply`/:meth:`Document.revert`, the same calls the window makes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tabledesk.core.document import Document, ReviewStatus, SourceInfo
from tabledesk.core.edits import Edit
from tabledesk.core.events import Event, ReviewStatusChanged, StructureChanged
from tabledesk.io.document_codec import (
    CodecError,
    document_from_dict,
    document_to_dict,
    edit_from_dict,
    edit_to_dict,
)
from tabledesk.io.exporters import ExportError, describe_os_error

if TYPE_CHECKING:
    from tabledesk.review import Review

REVIEW_FILE_SUFFIX = ".tdreview"
RECOVERY_FILE = "recovery.sqlite3"
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


class StoreError(Exception):
    """A review file or store that cannot be read or written; ``str()`` is one line:
    ``"<path>: <problem>"``."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


def _now() -> str:
    return datetime.now(UTC).isoformat()


def default_data_dir() -> Path:
    """Where tabledesk keeps per-user data when the caller does not say (the window passes
    QStandardPaths' AppDataLocation): the platform's usual place, standard library only."""
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "tabledesk"
    if os.uname().sysname == "Darwin":
        return Path.home() / "Library" / "Application Support" / "tabledesk"
    xdg = os.environ.get("XDG_DATA_HOME")
    base_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base_dir / "tabledesk"


class SourceState(Enum):
    OK = "ok"  # the source is where the review says, unchanged
    MOVED = "moved"  # no file there any more: ask the clerk where it is
    CHANGED = "changed"  # a file is there, but not the one reviewed (its sha256 differs)


@dataclass(frozen=True, slots=True)
class SourceCheck:
    state: SourceState
    path: str  # where the source was looked for
    expected_sha256: str
    actual_sha256: str = ""

    @property
    def message(self) -> str:
        """One line for the window's banner."""
        if self.state is SourceState.MOVED:
            return f"{self.path}: the source file is no longer there; please locate it"
        if self.state is SourceState.CHANGED:
            return f"{self.path}: the source file has changed since this review was made"
        return f"{self.path}: source unchanged"


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:  # noqa: PLW1514 - binary
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_source(document: Document, beside: Path | None = None) -> SourceCheck:
    """Is the document's source still where it was, unchanged? When it is gone but a file of
    the same name and sha256 sits in ``beside`` (a review file moved together with its PDF),
    the document is pointed there and the source counts as found."""
    want = document.source.sha256
    path = document.source.path
    candidates = [Path(path)]
    if beside is not None:
        candidates.append(beside / Path(path.replace("\\", "/")).name)
    for n, p in enumerate(candidates):
        try:
            if not p.is_file():
                continue
            got = file_sha256(p)
        except OSError:
            continue
        if got == want:
            if n:
                document.source.path = str(p)
            return SourceCheck(SourceState.OK, str(p), want, got)
        if n == 0:
            return SourceCheck(SourceState.CHANGED, path, want, got)
    return SourceCheck(SourceState.MOVED, path, want)


def relink_source(document: Document, new_path: str | Path, *, accept_changed: bool = False) -> SourceCheck:
    """The clerk located the source: point the document at it when it is the same file (or,
    with ``accept_changed``, whatever it is). Returns the check of the new place."""
    p = Path(new_path)
    try:
        got = file_sha256(p)
    except OSError:
        return SourceCheck(SourceState.MOVED, str(p), document.source.sha256)
    state = SourceState.OK if got == document.source.sha256 else SourceState.CHANGED
    if state is SourceState.OK or accept_changed:
        document.source.path = str(p)
    return SourceCheck(state, str(p), document.source.sha256, got)


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
        from tabledesk.review import Review, template_for

        return Review(self.document, template_for(self.document.template_id))


class _Lock:
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
            problem = describe_os_error(e) if isinstance(e, OSError) else _sqlite_problem(e)
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
        probe = _Lock(path)
        if probe.acquire():
            probe.release(remove=False)
            return False
        return True


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
            raise StoreError(self.path, _sqlite_problem(e)) from None
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
            with self._tx():
                for statement in _SCHEMA.split(";\n"):  # executescript would commit early
                    if statement.strip():
                        c.execute(statement)
                c.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                c.execute(f"PRAGMA user_version = {_VERSION}")
                c.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (STORE_FORMAT,))

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
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
            raise StoreError(self.path, _sqlite_problem(e)) from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions --------------------------------------------------------------------------
    def _lock_path(self, session_id: int) -> Path:
        return self.path.with_name(self.path.name + ".locks") / f"{session_id}.lock"

    def start_session(
        self, document: Document, *, kind: str = "autosave", saved_path: str = ""
    ) -> StoreSession:
        """Begin storing a review: a snapshot of ``document`` now; record its changes next."""
        now = _now()
        s = document.source
        with self._tx() as c:
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
        rows = self.conn.execute(
            "SELECT s.*, (SELECT count(*) FROM ops o WHERE o.session_id = s.id AND o.seq >"
            " (SELECT max(seq) FROM snapshots n WHERE n.session_id = s.id)) FROM sessions s ORDER BY s.id"
        ).fetchall()
        return [_info(r) for r in rows]

    def recoverable(self) -> list[SessionInfo]:
        """Autosave sessions left behind by a window that did not close cleanly (crashed,
        killed, power lost) and whose owner is no longer running."""
        return [
            s
            for s in self.sessions()
            if s.kind == "autosave" and not s.closed and not _Lock.held(self._lock_path(s.id))
        ]

    def restore(self, session_id: int) -> Restored:
        """The document of a session: its last snapshot with every later operation replayed."""
        info = next((s for s in self.sessions() if s.id == session_id), None)
        if info is None:
            raise StoreError(self.path, f"no stored review {session_id}")
        seq, text = self.conn.execute(
            "SELECT seq, document FROM snapshots WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
            (session_id,),
        ).fetchone()
        try:
            doc = document_from_dict(json.loads(text))
            ops = self.conn.execute(
                "SELECT op, data FROM ops WHERE session_id = ? AND seq > ? ORDER BY seq", (session_id, seq)
            ).fetchall()
            for op, data in ops:
                _replay(doc, op, json.loads(data))
        except (CodecError, ValueError, KeyError) as e:
            raise StoreError(self.path, f"damaged review {session_id}: {e}") from None
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
        with self._tx() as c:
            c.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        with contextlib.suppress(OSError):
            self._lock_path(session_id).unlink()


def _replay(doc: Document, op: str, data: dict[str, Any]) -> None:
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


def _sqlite_problem(e: sqlite3.Error) -> str:
    text = str(e)
    if "disk is full" in text or "disk I/O" in text:
        return "the disk is full or failing"
    if "not a database" in text or "malformed" in text:
        return "not a tabledesk review file, or the file is damaged"
    if "locked" in text or "busy" in text:
        return "the file is locked by another program"
    if "readonly" in text or "unable to open" in text:
        return "cannot write here (read-only or no permission)"
    return text


@dataclass
class StoreSession:
    """Records one open review's changes into its store, one short transaction each."""

    store: ReviewStore
    id: int
    seq: int
    document: Document | None = None  # the live document: a snapshot of it heals a failed write
    _lock: _Lock = field(init=False)
    _behind: bool = field(init=False, default=False)  # a write failed: the store lacks something

    def __post_init__(self) -> None:
        self._lock = _Lock(self.store._lock_path(self.id))

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
        now = _now()
        sets = "".join(f", {col} = ?" for col, _ in updates)
        try:
            with self.store._tx() as c:
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
        now = _now()
        s = document.source
        seq = self.seq + 1  # its own number: a failed op may have left nothing between
        try:
            self._snapshot(document, seq, now, s)
        except StoreError:
            self._behind = True
            raise
        self.seq, self._behind = seq, False

    def _snapshot(self, document: Document, seq: int, now: str, s: SourceInfo) -> None:
        with self.store._tx() as c:
            c.execute(
                "INSERT INTO snapshots VALUES (?, ?, ?, ?)",
                (self.id, seq, now, json.dumps(document_to_dict(document), ensure_ascii=False)),
            )
            c.execute("DELETE FROM snapshots WHERE session_id = ? AND seq < ?", (self.id, seq))
            c.execute("DELETE FROM ops WHERE session_id = ? AND seq <= ?", (self.id, seq))
            c.execute(
                "UPDATE sessions SET seq = ?, updated = ?, source_path = ?, source_sha256 = ?, template_id = ?,"
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
        with self.store._tx() as c:
            c.execute("UPDATE sessions SET saved_path = ? WHERE id = ?", (str(path), self.id))

    def attach(
        self, document: Document, on_error: Callable[[StoreError], None] | None = None
    ) -> Callable[[], None]:
        """Record review-status changes and table rebuilds as the document announces them
        (edits are recorded by the caller, who holds the Edit). Returns an unsubscribe."""
        self.document = document

        def listen(event: Event) -> None:
            try:
                if isinstance(event, ReviewStatusChanged):
                    self.record_status(ReviewStatus(event.status))
                elif isinstance(event, StructureChanged):
                    self.checkpoint(document)
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
                with self.store._tx() as c:
                    c.execute("UPDATE sessions SET closed = 1, updated = ? WHERE id = ?", (_now(), self.id))
            else:
                self.store.discard(self.id)
        finally:
            self._lock.release()


# ----------------------------------------------------------------------------- files
def open_recovery_store(data_dir: str | Path | None = None) -> ReviewStore:
    """The autosave store under the user's data folder (created when missing)."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    return ReviewStore(folder / RECOVERY_FILE)


def save_review_file(document: Document, path: str | Path) -> None:
    """Save a review as one self-contained file, atomically: the database is written to a
    temp file beside ``path``, synced and renamed over it. Raises ExportError (one line)."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        store = ReviewStore(tmp, wal=False)
        try:
            store.start_session(document, kind="review", saved_path=str(target))
            with store._tx() as c:
                c.execute("UPDATE sessions SET closed = 1")
        finally:
            store.close()
        with open(tmp, "rb+") as f:  # noqa: PLW1514 - binary
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except StoreError as e:
        _unlink_quietly(tmp)
        raise ExportError(target, f"cannot save: {e.problem}") from None
    except OSError as e:
        _unlink_quietly(tmp)
        raise ExportError(target, f"cannot save: {describe_os_error(e)}") from None
    with contextlib.suppress(OSError):
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _unlink_quietly(p: Path) -> None:
    for q in (p, p.with_name(p.name + "-journal")):
        with contextlib.suppress(OSError):
            q.unlink()


def load_review_file(path: str | Path) -> Restored:
    """Reopen a saved review file. Raises StoreError (one line) when it is not one of ours.

    The result says whether the source is still where it was (``source.state``): when it moved
    the window asks for it (:func:`relink_source`); when its sha256
    differs it says the source changed since the review was saved.
    """
    p = Path(path)
    if not p.is_file():
        raise StoreError(p, "file not found")
    store = ReviewStore(p, readonly=True)
    try:
        reviews = [s for s in store.sessions() if s.kind == "review"] or store.sessions()
        if not reviews:
            raise StoreError(p, "holds no review")
        return store.restore(reviews[-1].id)
    finally:
        store.close()
