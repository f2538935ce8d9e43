"""Tables lined up with spaces: a PDF viewer's "layout" copy or ``pdftotext -layout``, where each
row is one line and the columns are padded to line up, a blank cell being only more spaces.

A line falls into *chunks* at every run of two or more columns of white space (a single space
stays inside a cell: "(一) 予以公开"). Columns are counted two ways: in display columns, as an
editor in a CJK font shows the text (CJK characters and full-width forms two wide, by
``unicodedata.east_asian_width`` W or F; a viewer's copy pads that way), and one per character
(``pdftotext`` pads that way). A document is read the way under which more cells line up with
another row's cell in their column; display columns on a tie.

A table is a run of lines whose chunks line up: the union of the chunks' extents over the run
(its *ink*) leaves white gaps, and the stretches of ink between the gaps are the columns. A
chunk is the cell of the column it lies in, so a blank cell becomes an empty cell in its own
column whatever the alignment of its neighbours — numbers right-aligned, labels left-aligned, a
header word centred. In the header, above the first figures, a gap is no cell (``None``, as
under a merged header); below, it is a blank cell.

A table grows down from a *seed* (a line of two or more chunks with a number in it, or of three
or more chunks) while each new line keeps every line so far one chunk per column; a header row
whose words would merge two columns (a word spanning several, or centred wider than its
column) joins without adding ink when each word still falls clearly in one column. Header rows
join upwards from the seed the same way; a title and a unit line above a table do not line up
with its columns and stay prose. A line with one chunk joins only between two rows (a row whose
other cells are blank), and one blank line may sit between rows (copies that double-space). A
table needs figures (a row numbering the columns, 栏次 1 2 3, is header), or else a blank line
right under its header: its one row, all blank.

Prose stays prose, for the token reading of the mapping (``mapping/text_rows``,
``mapping/text_tokens``) as before: a sentence (。！？); a run whose gaps all have the same width
(words separated by a fixed number of spaces, not padded into columns); figures set off by
single spaces (a tight copy whose columns do not line up); and a label wrapped over lines
around its row's numbers (words on one line, the figures alone on the next).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import RawCell, RawTable
from tabledesk.core.values import parse_number

_SPACE = " \u3000\xa0"
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_SENTENCE = re.compile(r"[。！？]")
# A header word mostly over one column belongs to it (a centred word a little wider than its
# column), unless it covers another column whole; one spread more evenly over several is a
# spanning header or not a header at all.
_MOSTLY = 0.6
_MAX_BLANKS = 1  # blank lines allowed between two rows of one table


def char_width(ch: str) -> int:
    """Display columns of one character."""
    if ch in _ZERO_WIDTH or unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


@dataclass(frozen=True, slots=True)
class Chunk:
    """Text between gaps of two or more columns: ``[start, end)`` display columns and
    ``[first, last)`` characters of its line."""

    start: int
    end: int
    first: int
    last: int
    text: str


@dataclass(slots=True)
class _Row:
    index: int  # 0-based line index
    raw: str
    chunks: list[Chunk]
    starts: list[int]  # display column where each character starts, and the line's end
    ink: bool = True  # whether its chunks shape the columns

    @property
    def has_number(self) -> bool:
        return any(parse_number(c.text) is not None for c in self.chunks)

    def char_at(self, column: int) -> int:
        """The character index at or after a display column (the line's end beyond it)."""
        return min(bisect.bisect_left(self.starts, column), len(self.raw))


@dataclass(frozen=True, slots=True)
class AlignedTable:
    """A table found at lines ``[first, last]`` (0-based, inclusive)."""

    first: int
    last: int
    table: RawTable


def chunks(raw: str, wide: bool = True) -> tuple[list[Chunk], list[int]]:
    """The chunks of a line and the column of each of its characters: display columns, or with
    ``wide`` False one column a character (``pdftotext -layout`` pads by characters)."""
    out: list[Chunk] = []
    starts: list[int] = []
    col = 0
    begin: tuple[int, int] | None = None  # (column, char) of the open chunk
    end = (0, 0)  # (column, char) just after the open chunk's last non-space character
    gap = 0
    for i, ch in enumerate(raw):
        starts.append(col)
        w = char_width(ch) if wide else min(char_width(ch), 1)
        if ch in _SPACE:
            gap += w
        elif w == 0 and begin is None:
            pass  # an invisible character starts nothing
        else:
            if begin is not None and gap >= 2:
                out.append(Chunk(begin[0], end[0], begin[1], end[1], raw[begin[1] : end[1]]))
                begin = None
            if begin is None:
                begin = (col, i)
            end = (col + w, i + 1)
            gap = 0
        col += w
    starts.append(col)
    if begin is not None:
        out.append(Chunk(begin[0], end[0], begin[1], end[1], raw[begin[1] : end[1]]))
    return out, starts


def _regions(rows: Sequence[_Row]) -> list[tuple[int, int]]:
    """The columns: stretches of the ink of the rows that shape them."""
    return _merge([(c.start, c.end) for r in rows if r.ink for c in r.chunks])


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _place(c: Chunk, regions: list[tuple[int, int]]) -> int | None:
    """The column of a chunk, or None when it falls clearly in none."""
    over = [
        (min(c.end, b) - max(c.start, a), k) for k, (a, b) in enumerate(regions) if a < c.end and c.start < b
    ]
    if len(over) == 1:
        return over[0][1]
    if not over:
        return None
    best, k = max(over)
    covered = any(c.start <= a and b <= c.end for j, (a, b) in enumerate(regions) if j != k)
    if best >= _MOSTLY * (c.end - c.start) and not covered:
        return k
    # a merged header's text at its top-left: it starts its first column and ends at the end of
    # one of the columns it covers, or in a gap
    first = over[0][1]
    ends_clean = not any(a < c.end < b - 1 for a, b in regions)
    return first if abs(c.start - regions[first][0]) <= 1 and ends_clean else None


def _layout(rows: Sequence[_Row], regions: list[tuple[int, int]]) -> list[list[int]] | None:
    """Each row's chunk columns, or None when a chunk has no column or two share one."""
    out = []
    for r in rows:
        cols = [_place(c, regions) for c in r.chunks]
        if None in cols or len(set(cols)) < len(cols):
            return None
        out.append([k for k in cols if k is not None])
    return out


@dataclass(slots=True)
class _Growth:
    """A table being grown: its rows in line order and their columns."""

    rows: list[_Row]
    regions: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.regions = _regions(self.rows)

    def admit(self, row: _Row, top: bool, placed: bool = True) -> bool:
        """Take the row when it lines up: shaping the columns if it can, else (``placed``)
        placed in them."""
        rows = [row, *self.rows] if top else [*self.rows, row]
        row.ink = True
        regions = _merge([*self.regions, *((c.start, c.end) for c in row.chunks)])
        # Columns only widened or added leave every shaping row one chunk a column; where two
        # columns merged, every row is placed again (and two chunks of one row may now meet).
        merged = len(regions) < len(self.regions) + sum(
            1 for c in row.chunks if not any(a < c.end and c.start < b for a, b in self.regions)
        )
        if _layout(rows if merged else [r for r in rows if not r.ink or r is row], regions) is not None:
            self.rows, self.regions = rows, regions
            return True
        row.ink = False
        if placed and _layout([row], self.regions) is not None:
            self.rows = rows
            return True
        row.ink = True
        return False


def _prose(row: _Row) -> bool:
    """A line that is no row of an aligned table: a sentence, or a line whose figures are set
    off by single spaces (a tight copy whose columns do not line up, read word by word as
    before)."""
    return any(_SENTENCE.search(c.text) or _tight(c.text) for c in row.chunks)


def _tight(text: str) -> bool:
    """Figures a single space apart ("1,256.42 1,256.42", "208 05 02 行政运行"), a label and its
    figure ("行政运行 1,300.91"), an amount and the next label ("10,434.93 外交支出"); a code
    before its name ("204 公共安全支出") is one cell."""
    words = text.split()
    numbers = [parse_number(w) is not None for w in words]
    amount = any(n and re.search(r"[.,]", w) for n, w in zip(numbers, words, strict=True))
    return sum(numbers) >= 2 or (len(words) >= 2 and (amount or (numbers[-1] and not numbers[-2])))


def _seed(row: _Row | None) -> bool:
    if row is None or _prose(row) or len(row.chunks) < 2:
        return False
    return len(row.chunks) >= 3 or row.has_number


def _grow(rows: list[_Row | None], seed: int, floor: int) -> _Growth:
    """The table from the seed line down, then up to ``floor`` (the first line it may take)."""
    first = rows[seed]
    assert first is not None
    first.ink = True
    growth = _Growth([first])
    blanks = 0
    j = seed + 1
    while j < len(rows):
        r = rows[j]
        if r is None or _prose(r):
            break
        if not r.chunks:
            blanks += 1
            if blanks > _MAX_BLANKS:
                break
            j += 1
            continue
        # after a blank line, only a row that shapes the columns goes on with the table
        if (blanks and len(r.chunks) < 2) or not growth.admit(r, top=False, placed=not blanks):
            break
        blanks = 0
        j += 1
    keep = next(
        (k for k, pair in enumerate(zip(growth.rows, growth.rows[1:], strict=False)) if _torn(*pair)), None
    )
    if keep == 0:
        return _Growth([first])  # the seed is itself a piece of a wrapped row
    growth.rows = growth.rows[:keep]
    # a one-chunk row only between two rows: one at the end is a note or a heading after it
    while len(growth.rows[-1].chunks) < 2:
        growth.rows.pop()
    growth.regions = _regions(growth.rows)
    k = seed - 1
    blanks = 0
    while k >= floor:
        r = rows[k]
        if r is not None and not r.chunks and blanks < _MAX_BLANKS:
            blanks += 1
        elif r is None or len(r.chunks) < 2 or _prose(r) or _torn(r, growth.rows[0]):
            break
        elif not growth.admit(r, top=True, placed=not blanks):
            break
        else:
            blanks = 0
        k -= 1
    return growth


def _torn(a: _Row, b: _Row) -> bool:
    """Two lines of one printed row whose label is wrapped around its numbers (``pdftotext`` of
    a table with wrapped cells): words only on one line, figures only on the other, the words
    all to the left of the figures. The stream reading joins such a label to its numbers; a
    grid would keep them apart. (Header words stand over their figures' columns.)"""
    for words, figures in ((a, b), (b, a)):
        if _content(words) == "words" and _content(figures) == "figures":
            return max(c.end for c in words.chunks) <= figures.chunks[0].start
    return False


def _content(row: _Row) -> str:
    numbers = sum(1 for c in row.chunks if parse_number(c.text) is not None)
    return "words" if not numbers else "figures" if numbers == len(row.chunks) else "both"


def _gaps(row: _Row) -> list[int]:
    return [b.start - a.end for a, b in zip(row.chunks, row.chunks[1:], strict=False)]


def _is_table(growth: _Growth) -> bool:
    """Whether the grown rows are a table: two or more lines of several cells, with gaps of
    varying width (padding, not a fixed separator)."""
    multi = [r for r in growth.rows if len(r.chunks) >= 2]
    if len(multi) < 2 or len(growth.regions) < 2:
        return False
    widths = {g for r in multi for g in _gaps(r)}
    return len(widths) >= 2


def _has_body(growth: _Growth, rows: list[_Row | None]) -> bool:
    """Whether the table has a body: figures (column numbers aside), or else a blank line right
    under its header, which is its row of blank cells (blank zeros) — a layout copy prints such
    a row as nothing at all. Words alone are no table: a header over nothing (an empty table
    says so in a note under it) or lines of a wrapped header stay prose."""
    if any(r.has_number and not _column_numbers(r) for r in growth.rows):
        return True
    after = growth.rows[-1].index + 1
    below = rows[after] if after < len(rows) else None
    if below is None or below.chunks or len(growth.regions) < 3:
        return False
    growth.rows.append(below)
    return True


def _column_numbers(row: _Row) -> bool:
    """A row numbering the columns (栏次 1 2 3 …): part of the header, not figures."""
    numbers = [parse_number(c.text) for c in row.chunks]
    found = [n for n in numbers if n is not None]
    return len(found) >= 3 and len(numbers) - len(found) <= 1 and found == list(range(1, len(found) + 1))


def _table(growth: _Growth) -> RawTable:
    layout = _layout(growth.rows, growth.regions)
    assert layout is not None
    grid: list[list[RawCell | None]] = []
    figures = False
    for r, cols in zip(growth.rows, layout, strict=True):
        number = r.index + 1
        cells: list[RawCell | None] = []
        # In a header a gap is no cell (under a merged header); below, a blank cell (a blank
        # zero), in a row of words only too (a row whose figures are all blank).
        figures = figures or r.has_number
        words_only = not figures and bool(r.chunks)
        for a, _b in growth.regions:
            at = r.char_at(a)
            cells.append(None if words_only else RawCell("", Provenance(line=number, chars=(at, at))))
        for c, k in zip(r.chunks, cols, strict=True):
            cells[k] = RawCell(_clean(c.text), Provenance(line=number, chars=(c.first, c.last)))
        grid.append(cells)
    top = growth.rows[0]
    return RawTable(grid, Provenance(line=top.index + 1, chars=(0, len(top.raw))))


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", "".join(ch for ch in text if ch not in _ZERO_WIDTH)).strip()


def find_aligned(lines: Sequence[str | None]) -> list[AlignedTable]:
    """The space-aligned tables among ``lines`` (0-based; None marks a line that is not free
    text, such as a row of a tab-separated table, and ends any table).

    Columns are measured both ways, in display columns and in characters, and the document is
    read the way under which more cells line up with an edge of their column (display columns
    on a tie): one tool wrote the whole copy."""
    readings = [_find(_rows(lines, wide)) for wide in (True, False)]
    best = max(readings, key=lambda found: sum(_lined_up(g) for g in found))  # max keeps the first on a tie
    return [AlignedTable(g.rows[0].index, g.rows[-1].index, _table(g)) for g in best]


def _find(rows: list[_Row | None]) -> list[_Growth]:
    out: list[_Growth] = []
    floor = 0
    i = 0
    while i < len(rows):
        if rows[i] is None:
            floor = i + 1
        growth = _grow(rows, i, floor) if _seed(rows[i]) else None
        if growth is None:
            i += 1
            continue
        if not _is_table(growth) or not _has_body(growth, rows):
            # no part of it would be a table either (its gaps are as even, its words as bare)
            i = max(i + 1, growth.rows[-1].index + 1)
            continue
        out.append(growth)
        i = floor = growth.rows[-1].index + 1
    return out


def _lined_up(growth: _Growth) -> int:
    """Cells that start or end where another row's cell in their column does (left- or
    right-aligned together): what the right measure has many of, and the wrong one few."""
    layout = _layout(growth.rows, growth.regions)
    assert layout is not None
    starts: dict[tuple[int, int], int] = {}
    ends: dict[tuple[int, int], int] = {}
    placed = [
        (c, k)
        for r, cols in zip(growth.rows, layout, strict=True)
        for c, k in zip(r.chunks, cols, strict=True)
    ]
    for c, k in placed:
        starts[k, c.start] = starts.get((k, c.start), 0) + 1
        ends[k, c.end] = ends.get((k, c.end), 0) + 1
    return sum(1 for c, k in placed if starts[k, c.start] > 1 or ends[k, c.end] > 1)


def _rows(lines: Sequence[str | None], wide: bool) -> list[_Row | None]:
    rows: list[_Row | None] = []
    for i, raw in enumerate(lines):
        if raw is None:
            rows.append(None)
        else:
            found, starts = chunks(raw, wide)
            rows.append(_Row(i, raw, found, starts))
    return rows
