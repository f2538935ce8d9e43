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
from pathlib import Path

from tabledesk.core.document import Document
from tabledesk.exports.common import ExportError, describe_os_error
from tabledesk.resources import user_data_dir
from tabledesk.store.errors import StoreError
from tabledesk.store.review_store import Restored, ReviewStore

REVIEW_FILE_SUFFIX = ".tdreview"
RECOVERY_FILE = "recovery.sqlite3"


def open_recovery_store(data_dir: str | Path | None = None) -> ReviewStore:
    """The autosave store under the user's data folder (created when missing)."""
    folder = Path(data_dir) if data_dir is not None else user_data_dir()
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
