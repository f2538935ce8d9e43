"""Rows of a scanned table that no rule parts: two rows printed in one band between two rules.

Pure image geometry (numpy), no OCR. A scan can lose a thin rule, and some tables rule only
every few rows. Two rows in one band show as lines of text with a blank across the whole table
between them as tall as a row's padding, while the lines of one wrapped cell (a long label, a
header of two lines) stand a line's leading apart, well under a character's height.
"""

from __future__ import annotations

import numpy as np

ROW_GAP = 0.8  # blank between two rows' text, in characters; a wrapped cell's leading is less


def unruled_rows(ink: np.ndarray, top: int, bottom: int, x0: int, x1: int, em: float) -> list[int]:
    """Page heights inside the band ``top``..``bottom`` (already clear of its rules) where one
    row of text ends and the next begins with no rule between them: the middle of every blank
    stripe across x0..x1 at least ROW_GAP characters high between two lines of text."""
    rows = ink[top:bottom, x0:x1].any(axis=1)
    padded = np.concatenate(([False], rows, [False])).astype(np.int8)
    d = np.diff(padded)
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    lines = [(int(a), int(b)) for a, b in zip(starts, ends, strict=True) if b - a >= em * 0.4]
    return [
        top + (a_end + b_start) // 2
        for (_a, a_end), (b_start, _b) in zip(lines, lines[1:], strict=False)
        if b_start - a_end >= ROW_GAP * em
    ]
