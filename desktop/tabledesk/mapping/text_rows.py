"""Table rows hidden in prose lines: what a table without any ruling lines, or text lined up
with spaces (``pdftotext -layout``, a PDF viewer's copy), looks like once extracted — a label
followed by its numbers on one line. Such lines become one-row raw tables in place, so the
template mapping can read them like any other table (by label, and by position for the
numbers). Runs of text lines whose columns line up are read as whole tables already, blank
cells in place, by ``sources/aligned_text``; what reaches here is a lone row, or a copy whose
columns do not line up (figures a single space apart), read word by word."""

from __future__ import annotations

import re

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import RawCell, RawTable, TextLine
from tabledesk.core.values import parse_number

MAX_SHORT_LABEL = 20  # a label followed by a single number must be short: prose is not
_TOKEN = re.compile(r"\S+")


def line_row(line: TextLine) -> RawTable | None:
    """The line as a one-row table, or None when it is prose."""
    return fragment_row([line])


def _part(line: TextLine, start: int, end: int) -> Provenance:
    """Where characters [start, end) of the line are: exact for text, estimated along the line's
    box for PDFs (the line keeps no per-character positions)."""
    p = line.prov
    if p.bbox is not None:
        x0, top, x1, bottom = p.bbox
        width = max(len(line.text), 1)
        return Provenance(
            page=p.page, bbox=(x0 + (x1 - x0) * start / width, top, x0 + (x1 - x0) * end / width, bottom)
        )
    if p.line is not None:
        base = p.chars[0] if p.chars else 0
        return Provenance(line=p.line, chars=(base + start, base + end))
    return p


def _same_row(a: TextLine, b: TextLine) -> bool:
    """Two PDF line fragments side by side on one printed row (a table with no rules comes
    out of the PDF as one fragment per cell)."""
    pa, pb = a.prov, b.prov
    if pa.page is None or pa.page != pb.page or pa.bbox is None or pb.bbox is None:
        return False
    ca, cb = (pa.bbox[1] + pa.bbox[3]) / 2, (pb.bbox[1] + pb.bbox[3]) / 2
    height = max(pa.bbox[3] - pa.bbox[1], pb.bbox[3] - pb.bbox[1], 1.0)
    return abs(ca - cb) < height * 0.5


def fragment_row(parts: list[TextLine]) -> RawTable | None:
    """Fragments of one printed row (in x order) as a one-row table when the row ends in
    numbers: every word its own cell, so numbers a fragment runs together ("0 36159.39") and a
    group label printed with its row label each get their place."""
    parts = sorted(parts, key=lambda t: t.prov.bbox[0] if t.prov.bbox else 0.0)
    words = [
        RawCell(m.group(0), _part(p, m.start(), m.end())) for p in parts for m in _TOKEN.finditer(p.text)
    ]
    n = 0
    while n < len(words) and parse_number(words[len(words) - 1 - n].text) is not None:
        n += 1
    label = "".join(w.text for w in words[: len(words) - n])
    if n == 0 or (n == 1 and not 0 < len(label) <= MAX_SHORT_LABEL) or (not label and n < 3):
        return None
    if label and parse_number(label[-1]) is not None:
        return None  # a number glued to words ("第2023 5") is not a row
    cells: list[RawCell | None] = list(words)
    return RawTable([cells], Provenance.union([p.prov for p in parts]))


def with_line_tables(blocks: list[RawTable | TextLine]) -> list[RawTable | TextLine]:
    out: list[RawTable | TextLine] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if not isinstance(b, TextLine):
            out.append(b)
            i += 1
            continue
        j = i + 1
        while j < len(blocks) and isinstance(blocks[j], TextLine) and _same_row(b, blocks[j]):  # type: ignore[arg-type]
            j += 1
        group = [x for x in blocks[i:j] if isinstance(x, TextLine)]
        row = fragment_row(group)
        if row is not None:
            out.append(row)
        else:
            out.extend(group)
        i = j
    return out
