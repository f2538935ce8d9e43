"""Titles and notes printed as rows of a grid: lifted out before the tables are looked for.

A copy pasted from a web page or a spreadsheet runs several printed tables into one grid: the
title of each is a row of its own with its form number beside it ("收入决算表 | 公开02表"), and
the note under it another ("部门：某某局 | 金额单位：万元"). Such a row is a heading, not data, and
the grid is really several tables: :func:`lift_titles` cuts the grid at every title row and
turns title and note rows into prose lines, so that the rest of the mapping sees what a PDF
shows — a title, a unit, a table. A title row is one whose first text names a table
(``title_of``: one of the template's, or of the set it does not read) and whose other texts are
form numbers or notes; a note row has only notes (单位, 部门, 编制单位).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import RawCell, RawTable, TextLine
from tabledesk.core.values import parse_number
from tabledesk.mapping.labels import normalize

Block = RawTable | TextLine
# what is printed beside a title or above a table: the form's number, the unit, the unit's name
_NOTE = re.compile(
    r"^(?:公开)?(?:\d{1,2}|[一二三四五六七八九十]+)表$|^表[一二三四五六七八九十\d]+$|单位[:：]|^部门[:：]|^编制单位"
)


def lift_titles(blocks: Sequence[Block], title_of: Callable[[str], object]) -> list[Block]:
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, TextLine):
            out.append(b)
            continue
        rows: list[list[RawCell | None]] = []
        for row in b.cells:
            line = _heading(row, title_of)
            if line is None:
                rows.append(row)
                continue
            if rows:
                out.append(RawTable(rows, b.prov, b.col_edges))
                rows = []
            out.append(TextLine(line, Provenance.union([c.prov for c in row if c is not None])))
        if rows:
            out.append(RawTable(rows, b.prov, b.col_edges) if len(rows) < len(b.cells) else b)
    return out


def _heading(row: list[RawCell | None], title_of: Callable[[str], object]) -> str | None:
    """The text of a title or note row, or None for a row of the table."""
    texts = [c.text.strip() for c in row if c is not None and c.text.strip()]
    if len(texts) < 2 or any(parse_number(t) is not None for t in texts):
        return None  # a single text is the segment finder's to judge
    notes = [bool(_NOTE.search(normalize(t))) for t in texts]
    if all(notes) or (title_of(texts[0]) and all(notes[1:])):
        return "  ".join(texts)
    return None
