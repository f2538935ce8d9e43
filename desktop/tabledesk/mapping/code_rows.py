"""Reading the code rows of a table keyed by classification code (templates/codes.py).

A 收入决算表 prints each row's 功能分类科目 code in one of several ways, and the mapping must see
one label per row whatever the way:

* one 科目编码 column ("2010101") beside a 科目名称 column;
* three columns 类 | 款 | 项 ("201" | "01" | "01"), the 类 and 款 cells often merged over the rows
  below them (or left blank there), so a row prints only its last two digits;
* code and name in one cell ("2010101 行政运行", "2010101行政运行");
* the name only, for the 类 rows of a 收入支出决算总表 ("一、一般公共服务支出"): the scheme knows
  the names of its top-level codes.

:func:`read_code_rows` rewrites the printed rows of a keyed table's segments in place: the code
cells are folded into one label cell ("2010101 行政运行") and taken out of the row, so that they
are never read as amounts; and it returns the code rows in printed order for
:func:`~tabledesk.templates.keyed.expand_rows`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tabledesk.core.source import RawCell
from tabledesk.mapping.labels import best_similarity, normalize
from tabledesk.mapping.segments import Row, Segment
from tabledesk.templates.codes import CodeRow, CodeScheme
from tabledesk.templates.template import TableSpec

_DIGITS = re.compile(r"\d{2,7}")
_CODE_AND_NAME = re.compile(r"^\s*(\d{3,7})\s*(\D.*)$", re.S)
# Header words left over in a data row: not data.
_NOT_DATA = re.compile(r"^(科目编码|功能分类科目编码|经济分类科目编码|类款项|科目名称|项目)$")
FIXED_LABEL_SIM = 0.85


def read_code_rows(spec: TableSpec, scheme: CodeScheme, segments: list[Segment]) -> list[CodeRow]:
    """Fold the code cells of every printed row into its label; the code rows in order."""
    reader = _CodeReader(spec, scheme)
    out: list[CodeRow] = []
    for seg in segments:
        kept: list[Row] = []
        for row in seg.rows:
            if _NOT_DATA.match(normalize(row.full_label())):
                continue
            code_row, rewritten = reader.read(row)
            kept.append(rewritten)
            if code_row is not None:
                out.append(code_row)
        seg.rows = kept
    return out


class _CodeReader:
    """Reads codes row after row, remembering the codes above (for rows printing only the last
    digits of theirs) and which printed column holds which level."""

    def __init__(self, spec: TableSpec, scheme: CodeScheme) -> None:
        self.scheme = scheme
        self.fixed = [(r.label, *r.aliases) for r in spec.rows]
        self.context: list[str] = []  # the code at each level on the rows above
        self.level_col: dict[int, int] = {}  # printed column index -> level

    def read(self, row: Row) -> tuple[CodeRow | None, Row]:
        cells = list(row.cells)
        fragments = self._fragments(row)
        labels = [i for i in row.label_cells() if not fragments or i > fragments[-1]]
        name_at = labels[0] if labels else None
        name = " ".join(cells[i].text.strip() for i in labels if cells[i] is not None) if labels else ""  # type: ignore[union-attr]
        if len(labels) > 1:
            name = cells[labels[-1]].text.strip()  # type: ignore[union-attr]
        code = self._code(fragments, cells) if fragments else ""
        if not code and name:
            m = _CODE_AND_NAME.match(name)
            if m and self.scheme.level(m.group(1)) is not None:
                code, name = m.group(1), m.group(2).strip()
        coded = bool(code)
        if not code:
            if not name or any(best_similarity(name, f) >= FIXED_LABEL_SIM for f in self.fixed):
                return None, row  # a fixed row of the template (合计, 本年支出合计 …)
            code = self.scheme.code_of_name(name) or ""
        if code:
            self._remember(code)
        code_row = CodeRow(code, _clean_name(name), coded)
        at = name_at if name_at is not None else (fragments[0] if fragments else 0)
        base = cells[at] or next(c for c in cells if c is not None)
        for i in fragments:
            cells[i] = None
        for i in labels:
            cells[i] = None
        cells[at] = replace(base, text=code_row.label) if isinstance(base, RawCell) else base
        return code_row, Row(cells)

    def _fragments(self, row: Row) -> list[int]:
        """The printed cells left of the name that hold (parts of) the row's code."""
        out: list[int] = []
        labels = row.label_cells()
        first_label = labels[0] if labels else None
        total = 0
        for i, c in enumerate(row.cells):
            if c is None or not c.text.strip():
                continue
            if first_label is not None and i >= first_label:
                break
            t = c.text.strip()
            if not _DIGITS.fullmatch(t):
                break
            # the first part: a whole code or its last two digits; later parts: two digits each
            if out and len(t) != 2:
                break
            if not out and len(t) != 2 and self.scheme.level(t) is None:
                break
            if first_label is None and not out and len(t) < self.scheme.levels[0]:
                break  # no name printed: only a whole code, never an amount, starts the row
            total += len(t)
            if total > self.scheme.levels[-1]:
                break
            out.append(i)
        return out

    def _code(self, fragments: list[int], cells: list[RawCell | None]) -> str:
        texts = [cells[i].text.strip() for i in fragments]  # type: ignore[union-attr]
        joined = "".join(texts)
        if len(texts[0]) >= self.scheme.levels[0] and self.scheme.level(joined) is not None:
            first_level = self.scheme.level(texts[0]) or 0
            for k, i in enumerate(fragments):
                self.level_col.setdefault(i, first_level + k)
            return joined
        # the last digits only: the code above at the level before the first printed part
        level = self.level_col.get(fragments[0])
        if level is None:
            # no column seen yet: under the deepest code above that gives a code of the scheme
            for depth in range(len(self.context), 0, -1):
                prefix = self.context[depth - 1]
                if self.scheme.level(prefix + joined) is not None:
                    return prefix + joined
            return ""
        if level == 0 or level - 1 >= len(self.context):
            return ""
        code = self.context[level - 1] + joined
        return code if self.scheme.level(code) is not None else ""

    def _remember(self, code: str) -> None:
        self.context = [code[:n] for n in self.scheme.levels if n <= len(code)]


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", "", name).strip()
