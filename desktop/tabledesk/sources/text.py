"""Reading a report copied as plain text: tab-separated (copied from Word, a browser or a PDF
viewer), pipe-separated (``| a | b |``, as web-to-text tools and markdown write tables) or lined
up with spaces (a PDF viewer's layout copy: ``aligned_text``, among the lines left as prose).

A run of table lines becomes one :class:`RawTable`; blank lines inside a run are allowed (copies
put them between rows), but a blank line between two solid blocks of clearly different widths
ends one table and starts the next (表三 then 表四 with the 四、 heading lost), as does a new
markdown header row. Every other line is prose (:class:`TextLine`).

Cells keep their positions: an empty field is an empty :class:`RawCell` (a blank cell, often a
blank zero), except fields beyond the table's last column with text anywhere, which are trimmed
(copies end rows with or without a stray tab at random); rows with fewer fields are padded with
``None`` to a rectangle. Provenance is the 1-based line and the ``[start, end)`` character range
of the text within that line, counted before normalisation, so it points at the file as the
user's editor shows it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import ExtractedSource, RawCell, RawTable, SourceKind, TextLine
from tabledesk.sources.aligned_text import find_aligned
from tabledesk.sources.encoding import read_text_file
from tabledesk.sources.sections import is_heading

# Characters that carry nothing: zero-width spaces and joiners, a BOM in mid-file (a second copy
# pasted after the first), soft hyphens.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A line without tabs can still be a table row: Word copies a row whose only cell spans the
# whole table ("第二十条第（一）项") without any tab. Only short lines between two table lines.
_MAX_SPANNING_ROW = 30


class _Kind(Enum):
    BLANK = "blank"
    TAB = "tab"  # two or more non-empty tab-separated fields
    TRAILING = "trailing"  # one field then tabs ("第二十条第（一）项\t\t\t"): a row next to a table
    INDENTED = "indented"  # one field after leading tabs, or only tabs: a row inside a table only
    PIPE = "pipe"  # | a | b |
    BARE_PIPE = "bare_pipe"  # a | b (no outer pipes): a row only next to pipe rows
    SEPARATOR = "separator"  # |---|---|
    CSV = "csv"  # a row of a comma-separated file (only when the file is a .csv)
    TEXT = "text"


@dataclass(slots=True)
class _Line:
    number: int  # 1-based
    raw: str
    kind: _Kind
    filled: int = 0  # non-empty tab fields
    # a pipe row in a file that writes rows without the opening bar: a bar at the start then
    # closes an empty first cell ("  | 3 |" under "规章 | 0 |")
    lead_cell: bool = False


def clean(text: str) -> str:
    """The normalisation every extracted string gets: NFKC (Kangxi radicals, full-width forms,
    ideographic spaces) and no invisible characters."""
    return unicodedata.normalize("NFKC", text.translate(_INVISIBLE))


def _line(number: int, raw: str) -> _Line:
    body = raw.strip(" \u3000\xa0")
    if not body.strip(" \u3000\xa0\r\n\f\v"):
        return _Line(number, raw, _Kind.BLANK)
    if "|" in body and _PIPE_SEPARATOR.match(body):
        return _Line(number, raw, _Kind.SEPARATOR)
    if "\t" in body:
        fields = [f for f in body.split("\t") if f.strip(" \u3000\xa0")]
        if len(fields) >= 2:
            return _Line(number, raw, _Kind.TAB, len(fields))
        if fields and "\t" in body.lstrip("\t"):
            return _Line(number, raw, _Kind.TRAILING, 1)
        if fields or body.count("\t") >= 2:
            return _Line(number, raw, _Kind.INDENTED, len(fields))
        return _Line(number, raw, _Kind.BLANK)
    if body.startswith("|") and body.count("|") >= 2:
        return _Line(number, raw, _Kind.PIPE)
    if "|" in body:
        return _Line(number, raw, _Kind.BARE_PIPE)
    return _Line(number, raw, _Kind.TEXT)


_TABBED = (_Kind.TAB, _Kind.TRAILING, _Kind.INDENTED)
_PIPED = (_Kind.PIPE, _Kind.BARE_PIPE, _Kind.SEPARATOR)


def _csv_line(number: int, raw: str) -> _Line:
    """A line of a CSV file: a row, unless nothing is in it (Excel writes ",,,," for an empty
    row) or its only text is a section heading in the first field."""
    texts = [raw[a:b].strip() for a, b in _split_csv(raw)]
    filled = [t for t in texts if t]
    if not filled:
        return _Line(number, raw, _Kind.BLANK)
    if len(filled) == 1 and texts[0] and is_heading(clean(texts[0])):
        return _Line(number, raw, _Kind.TEXT)
    return _Line(number, raw, _Kind.CSV, len(filled))


def _split_csv(raw: str) -> list[tuple[int, int]]:
    """Field ranges of a CSV line (RFC 4180 quoting on one line; a quoted field's range is its
    content inside the quotes)."""
    spans = []
    i, n = 0, len(raw)
    while True:
        if raw[i : i + 1] == '"':
            j = i + 1
            while j < n and not (raw[j] == '"' and raw[j + 1 : j + 2] != '"'):
                j += 2 if raw[j] == '"' else 1
            spans.append((i + 1, min(j, n)))
            k = raw.find(",", j)
        else:
            k = raw.find(",", i)
            spans.append((i, n if k < 0 else k))
        if k < 0:
            return spans
        i = k + 1


def _mark_runs(lines: list[_Line]) -> list[bool]:
    """Which lines belong to tables.

    Certain rows: pipe rows, separators, tab rows of three or more fields, and tab rows with
    another such row within two lines (blank lines not counted). A lone line with one tab in it
    is prose with a stray tab. Weaker lines join a table they touch, repeated until nothing changes:
    a one-field row ending in tabs or a bare-pipe row needs a table neighbour; a one-field
    indented row, a row of empty tabs, or a short line without tabs (Word copies a row of one
    merged cell without any tab) needs table neighbours on both sides. Section headings never
    join.
    """
    near = [(_neighbour(lines, i, -1), _neighbour(lines, i, +1)) for i in range(len(lines))]
    solid = [i for i, ln in enumerate(lines) if ln.kind is not _Kind.BLANK]
    in_table = [ln.kind in (_Kind.PIPE, _Kind.SEPARATOR, _Kind.CSV) or _bare_row(ln) for ln in lines]
    for k, i in enumerate(solid):
        if lines[i].kind is not _Kind.TAB:
            continue
        window = [lines[j].kind for j in solid[max(0, k - 2) : k + 3] if j != i]
        in_table[i] = lines[i].filled >= 3 or _Kind.TAB in window
    changed = True
    while changed:
        changed = False
        for i, ln in enumerate(lines):
            if in_table[i] or ln.kind in (_Kind.BLANK, _Kind.SEPARATOR):
                continue
            before, after = near[i]
            family = _PIPED if ln.kind is _Kind.BARE_PIPE else _TABBED
            sides = [j is not None and in_table[j] and lines[j].kind in family for j in (before, after)]
            if ln.kind in (_Kind.TAB, _Kind.TRAILING, _Kind.BARE_PIPE):
                join = any(sides)
            elif ln.kind is _Kind.INDENTED:
                # a full-width row of empty tabs may also end a table (表四 with blank zeros)
                join = all(sides) or (any(sides) and ln.filled == 0 and ln.raw.count("\t") >= 2)
            else:
                text = clean(ln.raw).strip()
                join = all(sides) and len(text) <= _MAX_SPANNING_ROW and not re.search(r"[。;]$", text)
            if join and not (ln.kind is not _Kind.INDENTED and is_heading(clean(ln.raw))):
                in_table[i] = changed = True
    return in_table


def _bare_row(ln: _Line) -> bool:
    """A pipe row written without its opening bar (``规章 | 0 | 0 | 0 |``): two bars, the
    last one closing the line, are a table row wherever they stand."""
    body = ln.raw.strip()
    return ln.kind is _Kind.BARE_PIPE and body.endswith("|") and body.count("|") >= 2


def _open_rows(lines: list[_Line]) -> None:
    """Copies that write pipe rows without the opening bar start a row with a bar only when
    its first cell is empty: there the bar closes that cell."""
    bare = sum(1 for ln in lines if _bare_row(ln))
    opened = sum(1 for ln in lines if ln.kind is _Kind.PIPE)
    if bare > opened:
        for ln in lines:
            ln.lead_cell = ln.kind is _Kind.PIPE


def _neighbour(lines: list[_Line], i: int, step: int) -> int | None:
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].kind is not _Kind.BLANK:
            return j
        j += step
    return None


def _split_tab(raw: str) -> list[tuple[int, int]]:
    """Field ranges of a tab-separated line."""
    spans = []
    start = 0
    for m in re.finditer("\t", raw):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(raw)))
    return spans


def _split_pipe(raw: str, lead_cell: bool = False) -> list[tuple[int, int]]:
    """Field ranges of a pipe row; ``\\|`` is a literal pipe inside a cell."""
    bars = [m.start() for m in re.finditer(r"(?<!\\)\|", raw)]
    body_start = len(raw) - len(raw.lstrip())
    body_end = len(raw.rstrip())
    edges = [body_start - 1, *bars, body_end]
    if bars and bars[0] == body_start and not lead_cell:
        edges = edges[1:]  # a leading pipe opens the row, it does not end an empty cell
    if bars and bars[-1] == body_end - 1:
        edges = edges[:-1]  # likewise a closing pipe
    return [(a + 1, b) for a, b in zip(edges, edges[1:], strict=False)]


def _cell(raw: str, span: tuple[int, int], number: int, pipe: bool) -> RawCell:
    a, b = span
    field_text = raw[a:b]
    lead = len(field_text) - len(field_text.lstrip())
    stripped = field_text.strip()
    start = a + lead
    text = stripped
    if pipe:
        text = _HTML_BREAK.sub("\n", text.replace("\\|", "|"))
    text = "\n".join(part.strip() for part in clean(text).split("\n")).strip()
    return RawCell(text, Provenance(line=number, chars=(start, start + len(stripped))))


def _row(ln: _Line) -> list[RawCell]:
    pipe = ln.kind in (_Kind.PIPE, _Kind.BARE_PIPE)
    if ln.kind is _Kind.CSV:
        return [_csv_cell(_cell(ln.raw, s, ln.number, False)) for s in _split_csv(ln.raw)]
    spans = _split_pipe(ln.raw, ln.lead_cell) if pipe else _split_tab(ln.raw)
    return [_cell(ln.raw, s, ln.number, pipe) for s in spans]


def _csv_cell(cell: RawCell) -> RawCell:
    cell.text = cell.text.replace('""', '"')
    return cell


def _fields(ln: _Line) -> int:
    # The untrimmed field count: the table's full width even when a row's tail is empty.
    if ln.kind in (_Kind.PIPE, _Kind.BARE_PIPE):
        return len(_split_pipe(ln.raw, ln.lead_cell))
    if ln.kind is _Kind.CSV:
        return len(_split_csv(ln.raw))
    return len(_split_tab(ln.raw.rstrip(" ")))


def _segments(run: list[_Line]) -> list[list[_Line]]:
    """The run cut at blank lines; separator lines stay with their segment."""
    segments: list[list[_Line]] = [[]]
    for ln in run:
        if ln.kind is _Kind.BLANK:
            if segments[-1]:
                segments.append([])
        else:
            segments[-1].append(ln)
    return [seg for seg in segments if seg]


def _new_table(before: list[_Line], after: list[_Line]) -> bool:
    """Whether the blank line between two segments of a run separates two tables.

    A markdown table starts with a header row and a ``|---|`` line. Otherwise only two solid
    segments of clearly different widths are different tables (表三 then 表四 with the heading
    between them lost); copies that put a blank line between every row, or around a one-line
    spanning row, give one-row segments and never split."""
    if len(after) >= 2 and after[1].kind is _Kind.SEPARATOR:
        return True
    rows_before = [ln for ln in before if ln.kind is not _Kind.SEPARATOR]
    rows_after = [ln for ln in after if ln.kind is not _Kind.SEPARATOR]
    if len(rows_before) < 2 or len(rows_after) < 2:
        return False
    wide_before = max(_fields(ln) for ln in rows_before)
    wide_after = max(_fields(ln) for ln in rows_after)
    # Copies vary a row's width by one (a trailing tab or not); tables of different shapes
    # differ by more: 表二 has 3-4 fields, 表三 9-10, 表四 15-16.
    return abs(wide_before - wide_after) >= 3


def _tables(run: list[_Line]) -> list[RawTable]:
    """One run of table lines (blank lines included) as one or more tables."""
    groups: list[list[_Line]] = []
    previous: list[_Line] = []
    for seg in _segments(run):
        if not groups or _new_table(previous, seg):
            groups.append([])
        groups[-1].extend(ln for ln in seg if ln.kind is not _Kind.SEPARATOR)
        previous = seg
    out = []
    for group in groups:
        if not group:
            continue
        rows = [_row(ln) for ln in group]
        # Empty fields inside the table's width are printed blanks (a blank zero) and stay;
        # empty fields beyond the last column that has text anywhere are a copy's stray tabs.
        width = max((i + 1 for r in rows for i, c in enumerate(r) if c.text), default=0)
        if all(ln.kind in (_Kind.PIPE, _Kind.BARE_PIPE) for ln in group):
            # Pipe rows close every cell with a bar: an empty cell at the end is a printed blank
            # (a row of blank zeros under two label cells, 表四 with no cases), not a stray tab.
            width = max(len(r) for r in rows)
        cells: list[list[RawCell | None]] = [[*r[:width], *([None] * (width - len(r)))] for r in rows]
        out.append(RawTable(cells, Provenance(line=group[0].number, chars=(0, len(group[0].raw)))))
    return out


def parse_text(text: str, csv: bool = False) -> tuple[list[RawTable], list[TextLine]]:
    """Tables and prose of decoded text (exposed for tests and for pasted text); ``csv`` reads
    every line as comma-separated (a spreadsheet saved as CSV has no prose)."""
    make = _csv_line if csv else _line
    lines = [make(i + 1, raw) for i, raw in enumerate(_LINE_BREAK.split(text))]
    _open_rows(lines)
    in_table = _mark_runs(lines)
    # What is left as text may hold tables lined up with spaces (a PDF viewer's layout copy).
    free = [
        ln.raw if ln.kind in (_Kind.TEXT, _Kind.BLANK) and not in_table[i] else None
        for i, ln in enumerate(lines)
    ]
    aligned = {} if csv else {t.first: t for t in find_aligned(free)}
    tables: list[RawTable] = []
    prose: list[TextLine] = []
    run: list[_Line] = []
    pending_blank: list[_Line] = []
    skip_to = 0
    for i, ln in enumerate(lines):
        if i < skip_to:
            continue
        if i in aligned:
            if run:
                tables.extend(_tables(run))
                run, pending_blank = [], []
            tables.append(aligned[i].table)
            skip_to = aligned[i].last + 1
        elif in_table[i]:
            run.extend(pending_blank)
            pending_blank = []
            run.append(ln)
        elif ln.kind is _Kind.BLANK and run:
            pending_blank.append(ln)
        else:
            if run:
                tables.extend(_tables(run))
                run, pending_blank = [], []
            if ln.kind is not _Kind.BLANK:
                prose.append(_prose(ln, csv))
    if run:
        tables.extend(_tables(run))
    return tables, prose


def _prose(ln: _Line, csv: bool = False) -> TextLine:
    raw = ln.raw
    if csv:  # a heading in the first field of a CSV row: the field, not the commas after it
        start, end = _split_csv(raw)[0]
        raw = " " * start + raw[start:end]
    lead = len(raw) - len(raw.lstrip())
    body = raw.strip()
    text = re.sub(r"[ \t]*\t[ \t]*| {2,}", " ", clean(body)).strip()
    return TextLine(text, Provenance(line=ln.number, chars=(lead, lead + len(body))))


def read_text(path: str | Path) -> ExtractedSource:
    """Read a text report; raises :class:`~tabledesk.core.source.SourceError` for a missing,
    empty or undecodable file."""
    decoded = read_text_file(path)
    tables, lines = parse_text(decoded.text, csv=Path(path).suffix.lower() == ".csv")
    # Text has no pages: 0 tells the window there is nothing to page through.
    return ExtractedSource(
        path=str(path),
        kind=SourceKind.TEXT,
        sha256=decoded.sha256,
        pages=0,
        tables=tables,
        lines=lines,
    )
