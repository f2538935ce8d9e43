"""A web page shown as its text (what a browser shows, not its markup), with every piece of that
text still linked to its place in the page: the extracted source's prose lines and table rows in
reading order, a row's cells joined by `` | ``. Provenance of cells (line and characters in the
page) converts to places in the shown text and back, so a grid cell and its number on the
"page" still find each other. Plain Python: the view only receives the lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import ExtractedSource, RawTable, TextLine

CELL_GAP = " | "


@dataclass(frozen=True, slots=True)
class _Piece:
    src_line: int
    src_chars: tuple[int, int] | None
    line: int  # shown line, 1-based
    chars: tuple[int, int]  # in the shown line


@dataclass(slots=True)
class RenderedText:
    lines: list[str] = field(default_factory=list)
    pieces: list[_Piece] = field(default_factory=list)
    _by_src: dict[int, list[_Piece]] = field(default_factory=dict)
    _by_line: dict[int, list[_Piece]] = field(default_factory=dict)

    def add(self, text: str, provs: list[tuple[int, int, Provenance]]) -> None:
        """A shown line; ``provs`` are ``(start, end, provenance)`` of its pieces."""
        self.lines.append(text)
        n = len(self.lines)
        for start, end, prov in provs:
            if prov.line is None:
                continue
            piece = _Piece(prov.line, prov.chars, n, (start, end))
            self.pieces.append(piece)
            self._by_src.setdefault(prov.line, []).append(piece)
            self._by_line.setdefault(n, []).append(piece)

    def to_view(self, prov: Provenance) -> tuple[int, tuple[int, int] | None] | None:
        """Where a place in the page is shown: (line, chars), or None when it is not."""
        if prov.line is None:
            return None
        pieces = self._by_src.get(prov.line, [])
        if not pieces:
            return None
        if prov.chars is None:
            return pieces[0].line, None
        lo, hi = prov.chars
        for p in pieces:
            if p.src_chars == prov.chars:
                return p.line, p.chars
        for p in pieces:  # part of a piece (a word of a prose line)
            if p.src_chars is not None and p.src_chars[0] <= lo < max(p.src_chars[1], p.src_chars[0] + 1):
                a = p.chars[0] + lo - p.src_chars[0]
                b = p.chars[0] + hi - p.src_chars[0]
                return p.line, (min(a, p.chars[1]), min(max(a, b), p.chars[1]))
        return pieces[0].line, None

    def to_source(self, line: int, char: int) -> tuple[int, int] | None:
        """The page place shown at (line, char): (page line, character), nearest piece."""
        pieces = self._by_line.get(line, [])
        if not pieces:
            return None
        best = min(pieces, key=lambda p: 0 if p.chars[0] <= char <= p.chars[1] else min(
            abs(char - p.chars[0]), abs(char - p.chars[1])
        ))  # fmt: skip
        if best.src_chars is None:
            return best.src_line, 0
        offset = max(0, min(char - best.chars[0], best.src_chars[1] - best.src_chars[0]))
        return best.src_line, best.src_chars[0] + offset

    def view_line(self, src_line: int) -> int | None:
        pieces = self._by_src.get(src_line)
        return pieces[0].line if pieces else None


def render_source(src: ExtractedSource) -> RenderedText:
    """The source's text as a reader sees it: prose lines, and each table row on a line of its
    own with a blank line around each table."""
    out = RenderedText()
    for block in src.blocks():
        if isinstance(block, TextLine):
            out.add(block.text, [(0, len(block.text), block.prov)])
            continue
        _table(out, block)
    return out


def _table(out: RenderedText, table: RawTable) -> None:
    if out.lines and out.lines[-1]:
        out.add("", [])
    for row in table.cells:
        text = ""
        provs: list[tuple[int, int, Provenance]] = []
        for cell in row:
            if cell is None:
                continue
            if provs:
                text += CELL_GAP
            shown = " ".join(cell.text.split())
            provs.append((len(text), len(text) + len(shown), cell.prov))
            text += shown
        out.add(text, provs)
    out.add("", [])
