"""Is a review's source still there, unchanged? The check a reopened review makes, and the
relink when the clerk locates a source that moved.

A source is identified by its sha256 (``SourceInfo.sha256``), so a file that was moved or renamed
is recognised, and a file of the same name with other contents is told apart.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from tabledesk.core.document import Document


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
