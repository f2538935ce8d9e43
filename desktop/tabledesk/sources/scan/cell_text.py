"""The text of a cell cut from a scan: its lines as read, joined the way the text PDF reader
joins them, with every character's confidence kept in step (so the grid can show the clerk the
very digit OCR doubted)."""

from __future__ import annotations

import unicodedata

Chars = tuple[float, ...]


def join_lines(parts: list[tuple[str, Chars]]) -> tuple[str, Chars]:
    """Lines of a cell, each with its characters' confidences: a vertical label (one character
    a line) and a number wrapped over lines run together, anything else keeps its line breaks
    (which count as sure). The confidences come back one per character, or empty when NFKC
    changed a line's length and positions no longer line up."""
    norm = [(unicodedata.normalize("NFKC", t), c) for t, c in parts]
    chars: Chars | None = ()
    glue = "" if len(norm) > 1 and all(len(t) <= 2 for t, _c in norm) else "\n"
    for k, (t, c) in enumerate(norm):
        if chars is not None and len(c) != len(t):
            chars = None
        if chars is not None:
            chars += ((1.0,) if k and glue else ()) + c
    return glue.join(t for t, _c in norm), (chars or ())


def stripped(text: str, chars: Chars) -> tuple[str, Chars]:
    """``text.strip()`` with its characters' confidences kept in step."""
    if len(chars) != len(text):
        return text.strip(), ()
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return text[start:end], chars[start:end]
