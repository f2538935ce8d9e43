"""The review store's one error, and SQLite's failures put as one line a clerk can act on."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """A review file or store that cannot be read or written; ``str()`` is one line:
    ``"<path>: <problem>"``."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


def sqlite_problem(e: sqlite3.Error) -> str:
    text = str(e)
    if "disk is full" in text or "disk I/O" in text:
        return "the disk is full or failing"
    if "not a database" in text or "malformed" in text or "Could not decode" in text:
        return "not a tabledesk review file, or the file is damaged"
    if "locked" in text or "busy" in text:
        return "the file is locked by another program"
    if "readonly" in text or "unable to open" in text:
        return "cannot write here (read-only or no permission)"
    return text.splitlines()[0][:160] if text else type(e).__name__
