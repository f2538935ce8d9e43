"""Characters to text for the PDF reader: normalisation, fake-bold removal, lines and cell text.

pdfplumber gives one dict per glyph. We turn them once into small :class:`Glyph` records
(NFKC-normalised, duplicates from fake bold removed) and build every piece of text from those,
so a page is never re-extracted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_CID = re.compile(r"^\(cid:\d+\)$")
NUMBER = re.compile(r"^[-+−]?[\d,，.]+%?$")


@dataclass(slots=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    # set in a bold face: its font's name says so ("…-Bold", "…,Bold", "…SemiBold"), as both
    # readers report it (fake bold, a glyph drawn twice, is removed instead)
    bold: bool = False

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def is_unreadable(text: str) -> bool:
    """A glyph pdfminer could not map to Unicode: ``(cid:123)`` or a private-use code point."""
    if text.startswith("(cid:") and _CID.match(text):
        return True
    for ch in text:  # a plain loop: called for every glyph of every page
        if "\ue000" <= ch <= "\uf8ff" or "\U000f0000" <= ch:
            return True
    return False


def is_bold(fontname: str) -> bool:
    """Whether a font's name (pdfminer's ``fontname``, pdfium's font info) names a bold face."""
    return "bold" in fontname.lower()


def _dedupe(chars: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop fake-bold copies: the same glyph drawn again less than a point away. One pass with
    buckets by text and rounded top (pdfplumber's ``dedupe_chars`` sorts the page and costs as
    much as a fifth of the table search)."""
    seen: dict[tuple[str, int], list[tuple[float, float]]] = {}
    out: list[dict[str, Any]] = []
    for ch in chars:
        text, x0, top = ch["text"], ch["x0"], ch["top"]
        row = round(top)
        dup = False
        for r in (row, row - 1, row + 1):
            near = seen.get((text, r))
            if near:  # plain loops: a generator per glyph costs more than the test itself
                for a, b in near:
                    if -1.0 < x0 - a < 1.0 and -1.0 < top - b < 1.0:
                        dup = True
                        break
                if dup:
                    break
        if not dup:
            seen.setdefault((text, row), []).append((x0, top))
            out.append(ch)
    return out


def glyphs(chars: Sequence[dict[str, Any]]) -> tuple[list[Glyph], int]:
    """Page chars as glyphs (whitespace dropped: spacing is rebuilt from positions), and how
    many of them were unreadable."""
    chars = _dedupe(chars)
    out: list[Glyph] = []
    bad = 0
    bold: dict[str, bool] = {}  # a page sets its text in a handful of fonts
    for ch in chars:
        text = ch["text"]
        if not text or text.isspace():
            continue
        if is_unreadable(text):
            bad += 1
        else:
            text = unicodedata.normalize("NFKC", text)
        # some producers scale text with the matrix and set a font size of 0 or 1: the glyph
        # height is then the better measure for spacing thresholds
        size = max(ch.get("size") or 0.0, ch["bottom"] - ch["top"], 1.0)
        font = ch.get("fontname") or ""
        if not isinstance(font, str):  # pdfminer keeps a name it cannot decode as bytes
            font = bytes(font).decode("utf-8", "replace")
        heavy = bold.get(font)
        if heavy is None:
            heavy = bold[font] = is_bold(font)
        out.append(Glyph(text, ch["x0"], ch["x1"], ch["top"], ch["bottom"], size, heavy))
    return out, bad


def group_lines(items: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines (top to bottom, each left to right). Glyphs whose vertical
    centres are within 40 % of the font size share a line (mixed fonts sit a point apart)."""
    lines: list[list[Glyph]] = []
    centres: list[float] = []
    for g in sorted(items, key=lambda g: (g.cy, g.x0)):
        if lines and abs(g.cy - centres[-1]) <= 0.4 * max(g.size, 4.0):
            lines[-1].append(g)
            n = len(lines[-1])
            centres[-1] += (g.cy - centres[-1]) / n
        else:
            lines.append([g])
            centres.append(g.cy)
    for ln in lines:
        ln.sort(key=lambda g: g.x0)
    return lines


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def line_text(line: Sequence[Glyph]) -> str:
    """Glyphs of one line as text. A space is inserted only for a real gap: about a quarter
    em between Latin letters/digits, more than half an em elsewhere (justified CJK text has
    stretched spacing that is not a word break)."""
    parts: list[str] = []
    prev: Glyph | None = None
    for g in line:
        if prev is not None:
            gap = g.x0 - prev.x1
            both_ascii = _ascii_word(prev.text[-1]) and _ascii_word(g.text[0])
            if gap > (0.2 if both_ascii else 0.6) * max(g.size, prev.size):
                parts.append(" ")
        parts.append(g.text)
        prev = g
    return "".join(parts)


def split_runs(line: Sequence[Glyph], gap_em: float = 0.8) -> list[list[Glyph]]:
    """A line cut into runs at gaps wider than ``gap_em`` (words/numbers in separate columns)."""
    runs: list[list[Glyph]] = []
    for g in line:
        if runs and g.x0 - runs[-1][-1].x1 <= gap_em * max(g.size, 4.0):
            runs[-1].append(g)
        else:
            runs.append([g])
    return runs


def cell_text(items: Sequence[Glyph]) -> str:
    """Text of a table cell: lines joined by ``\\n``; a vertical label (one glyph per line) and
    a number wrapped over lines are joined without breaks."""
    if not items:
        return ""
    texts = [line_text(ln) for ln in group_lines(items)]
    if len(texts) > 1 and all(len(t) == 1 for t in texts):
        return "".join(texts)
    if len(texts) > 1 and all(NUMBER.match(t) for t in texts):
        return "".join(texts)
    return "\n".join(texts)
