"""The review store's files: saved review files (``*.tdreview``) and the recovery store.

* A **saved review file** holds one closed session: a snapshot of the document, written to a
  temp file beside the target, synced and renamed over it, so a failed save leaves the previous
  file as it was.
* The **recovery store** is ``<data dir>/recovery.sqlite3``, in the user's data folder.

Both are review stores (``store/review_store.py``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from tabledesk.core.document import Document
from tabledesk.exports.atomic import mode_for, temp_prefix
from tabledesk.exports.common import ExportError, describe_os_error
from tabledesk.resources import user_data_dir
from tabledesk.store.errors import StoreError
from tabledesk.store.review_store import Restored, ReviewStore

REVIEW_FILE_SUFFIX = ".tdreview"
RECOVERY_FILE = "recovery.sqlite3"


def open_recovery_store(data_dir: str | Path | None = None) -> ReviewStore:
    """The autosave store under the user's data folder (created when missing). It holds the
    clerk's unsaved work: the folder and the files are private to the user (0700 / 0600;
    SQLite gives its -wal and -shm files the database's permissions)."""
    folder = Path(data_dir) if data_dir is not None else user_data_dir()
    path = folder / RECOVERY_FILE
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        if os.name != "nt":
            os.chmod(path, 0o600)  # a store made by an older version, or under another umask
    except OSError as e:
        raise StoreError(path, f"cannot open: {describe_os_error(e)}") from None
    return ReviewStore(path)


def save_review_file(document: Document, path: str | Path) -> None:
    """Save a review as one self-contained file, atomically: the database is written to a
    temp file beside ``path`` (an unpredictable, short name: ``exports/atomic.py``), synced and
    renamed over it. Temp files a killed save left beside ``path`` are removed first. Raises
    ExportError (one line)."""
    target = Path(path)
    tmp: Path | None = None
    try:
        _remove_left_temps(target)
        fd, name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(name)
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode_for(target))
        store = ReviewStore(tmp, wal=False)
        try:
            store.start_session(document, kind="review", saved_path=str(target))
            with store.transaction() as c:
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


def _remove_left_temps(target: Path) -> None:
    """Temp files of earlier saves to ``target`` that were killed before they could clean up."""
    if not target.parent.is_dir():
        return
    for left in target.parent.glob(temp_prefix(target) + "*.tmp"):
        _unlink_quietly(left)


def _unlink_quietly(p: Path | None) -> None:
    if p is None:
        return
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
            raise StoreError(p, "holds no review that can be read (a damaged or foreign file)")
        return store.restore(reviews[-1].id)
    finally:
        store.close()
