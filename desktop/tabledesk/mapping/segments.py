"""Finding a template's tables in a source: titles, header rows and data rows.

The extractors hand over raw grids and prose lines in reading order. Here that stream is
walked once: a title (第二十条第（一）项, 收到和处理政府信息公开申请情况 …) or a header row
opens a *segment* for one template table, data rows fill it, and a table continued on the
next page (with or without a repeated header) continues the same segment. Which printed
column holds which template column is decided once per header, by position on the page when
the source has one, else by column order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tabledesk.core.source import RawCell, RawTable, TextLine
from tabledesk.core.values import is_blank, parse_number
from tabledesk.mapping.alignment import align
from tabledesk.mapping.labels import best_similarity, normalize
from tabledesk.templates.template import AxisSpec, TableSpec

HEADER_SIM = 0.8
TITLE_MAX_LEN = 48  # a heading is short; a prose line that mentions a table is not a title
# The unit a table's amounts are printed in, as its note says ("单位：万元", "金额单位:元").
UNIT = re.compile(r"单位[:：]?(万元|千元|亿元|元)")


@dataclass(slots=True)
class Row:
    """A printed row: its cells as the grid has them (None under merged cells). What the
    mapping asks of a row (its numbers, its label) is worked out once, here."""

    cells: list[RawCell | None]
    _numeric: list[int] = field(init=False, repr=False)
    _labels: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._numeric, self._labels = [], []
        for i, c in enumerate(self.cells):
            if c is None:
                continue
            if parse_number(c.text) is not None:
                self._numeric.append(i)
            elif c.text.strip() and not is_blank(c.text):
                self._labels.append(i)

    def texts(self) -> list[str | None]:
        return [c.text if c is not None else None for c in self.cells]

    def numeric(self) -> list[int]:
        return self._numeric

    def label_cells(self) -> list[int]:
        return self._labels

    def _label_span(self) -> list[int]:
        first_num = self._numeric[0] if self._numeric else len(self.cells)
        return [i for i in self._labels if i < first_num] or self._labels

    def label(self) -> str:
        """The most specific label: the rightmost text cell left of the numbers."""
        labels = self._label_span()
        return self.cells[labels[-1]].text if labels else ""  # type: ignore[union-attr]

    def full_label(self) -> str:
        first_num = self._numeric[0] if self._numeric else len(self.cells)
        return "".join(self.cells[i].text for i in self._labels if i < first_num)  # type: ignore[union-attr]

    def column_numbers(self) -> bool:
        """The form's column numbers under a header ("栏次 | 1 | 2 | 3 …", or unlabelled 1, 2,
        3 … across every value column): not data."""
        label = normalize(self.full_label())
        if label in ("栏次", "行次"):
            return True
        nums = [self.cells[i].text.strip() for i in self._numeric]  # type: ignore[union-attr]
        return not label and len(nums) >= 3 and nums == [str(k) for k in range(1, len(nums) + 1)]

    def single_text(self) -> str | None:
        """The text of a row with exactly one non-empty cell (a heading inside a table)."""
        texts = [c.text for c in self.cells if c is not None and c.text.strip()]
        return texts[0] if len(texts) == 1 else None


@dataclass(slots=True)
class ColumnSlot:
    """Where one template column is printed: its grid index and, for PDFs, its x-range."""

    col_id: str
    index: int
    x: tuple[float, float] | None
    confidence: float


@dataclass(slots=True)
class Segment:
    spec: TableSpec
    slots: list[ColumnSlot]  # empty: columns by position
    rows: list[Row] = field(default_factory=list)
    header_width: int = 0


def leaf_columns(spec: TableSpec, fmt: str) -> list[AxisSpec]:
    cols = spec.columns_for(fmt)
    parents = {c.parent for c in cols if c.parent}
    return [c for c in cols if c.id not in parents]


def _axis_labels(a: AxisSpec) -> tuple[str, ...]:
    return (a.label, *a.aliases)


def _group_leaves(spec: TableSpec, fmt: str) -> dict[str, list[AxisSpec]]:
    """Column group id -> the leaf columns under it, in order."""
    cols = spec.columns_for(fmt)
    by_id = {c.id: c for c in cols}
    out: dict[str, list[AxisSpec]] = {}
    for leaf in leaf_columns(spec, fmt):
        parent = leaf.parent
        while parent is not None and parent in by_id:
            out.setdefault(parent, []).append(leaf)
            parent = by_id[parent].parent
    return out


class SegmentFinder:
    """Walks the reading-order stream of one source and collects segments per template table."""

    def __init__(
        self, specs: list[TableSpec], fmt: str, empty_note: str = "", other_tables: tuple[str, ...] = ()
    ) -> None:
        self.specs = specs
        self.fmt = fmt
        self.other_tables = tuple(k for k in (normalize(t) for t in other_tables) if k)
        # under the title of a table the template does not read: its rows are skipped
        self.skipping = False
        self.empty_note = re.compile(empty_note) if empty_note else None
        # What the notes around the tables say: the unit ("万元") and "本表为空表", by table id.
        self.units: dict[str, str] = {}
        self.empty: dict[str, str] = {}
        self.pending_unit: str | None = None
        self.leaves = {s.id: leaf_columns(s, fmt) for s in specs}
        self.header_words = {
            s.id: [_axis_labels(c) for c in s.columns_for(fmt)] + ([(s.corner,)] if s.corner else [])
            for s in specs
        }
        self.segments: dict[str, list[Segment]] = {}
        self.current: Segment | None = None
        self.pending_title: TableSpec | None = None
        # A heading naming a column group ("行政复议", "行政诉讼（复议后起诉）") above a small
        # table that prints only that group's columns (表四 split in three): spec id, group id.
        self.pending_group: tuple[str, str] | None = None
        self.last_spec: TableSpec | None = None
        self.group_leaves: dict[str, dict[str, list[AxisSpec]]] = {s.id: _group_leaves(s, fmt) for s in specs}

    # -- classification -----------------------------------------------------------------
    def title_of(self, text: str) -> TableSpec | None:
        """The table a heading names: the one with the longest name the heading contains
        (一般公共预算财政拨款支出决算表 is not the 支出决算表)."""
        n = normalize(text)
        if not n or len(n) > TITLE_MAX_LEN:
            return None
        best: tuple[int, TableSpec] | None = None
        for spec in self.specs:
            for t in (*spec.aliases, spec.title.split("/")[-1]):
                k = normalize(t) if t else ""
                if k and k in n and (best is None or len(k) > best[0]):
                    best = (len(k), spec)
        if best is not None and any(len(k) > best[0] and k in n for k in self.other_tables):
            return None  # 项目支出决算表: another table, not the 支出决算表
        return best[1] if best else None

    def other_table(self, text: str) -> bool:
        """A heading naming a table of the set the template does not read."""
        n = normalize(text)
        return bool(n) and len(n) <= TITLE_MAX_LEN and self.title_of(text) is None and any(
            k in n for k in self.other_tables
        )

    def names_a_table(self, text: str) -> bool:
        return self.title_of(text) is not None or self.other_table(text)

    def _skip_from(self, text: str) -> bool:
        """Under another table's title: nothing is read until a title of the template's."""
        if not self.other_table(text):
            return False
        self.skipping = True
        self.current = None
        self.pending_title = None
        self.pending_group = None
        return True

    def _says_empty(self, text: str) -> bool:
        return self.empty_note is not None and self.empty_note.search(normalize(text)) is not None

    def _note(self, text: str) -> bool:
        """A unit ("单位：万元") or a note that the table is empty on purpose: remembered for
        the table it belongs to. True when the line was one."""
        n = normalize(text)
        unit = UNIT.search(n)
        if unit is not None and len(n) <= TITLE_MAX_LEN:
            opened = self.current.spec if self.current and not self.current.rows else None
            spec = self.pending_title or opened
            if spec is not None:
                self.units[spec.id] = unit.group(1)
            else:
                self.pending_unit = unit.group(1)
            return not self.title_of(text)
        if self._says_empty(text):
            spec = self.pending_title or (self.current.spec if self.current else self.last_spec)
            if spec is not None:
                self.empty[spec.id] = text.strip()
            return True
        return False

    def group_of(self, text: str) -> tuple[TableSpec, str] | None:
        """The column group a short heading names, of the table being read (the longest
        group label the heading contains: "行政诉讼（复议后起诉）" is 复议后起诉)."""
        n = normalize(text)
        if not n or len(n) > TITLE_MAX_LEN:
            return None
        context = [
            s for s in (self.pending_title, self.current.spec if self.current else None, self.last_spec) if s
        ]
        best: tuple[int, TableSpec, str] | None = None
        seen: set[str] = set()
        for spec in context:
            if spec.id in seen:
                continue
            seen.add(spec.id)
            for a in spec.columns_for(self.fmt):
                if a.id not in self.group_leaves[spec.id]:
                    continue
                for label in _axis_labels(a):
                    k = normalize(label)
                    # mostly the label: a heading, not a line that mentions the group
                    if k and k in n and len(n) - len(k) <= 8 and (best is None or len(k) > best[0]):
                        best = (len(k), spec, a.id)
        return (best[1], best[2]) if best else None

    def _heading(self, text: str) -> bool:
        """A column group's heading: the next table prints that group's columns."""
        found = self.group_of(text)
        if found is None:
            return False
        spec, group = found
        self.pending_group = (spec.id, group)
        self.pending_title = spec
        self.current = None
        return True

    def header_score(self, row: Row, spec: TableSpec) -> int:
        hits = 0
        for text in row.texts():
            if text and text.strip():
                if any(best_similarity(text, words) >= HEADER_SIM for words in self.header_words[spec.id]):
                    hits += 1
        return hits

    def is_header(self, row: Row) -> bool:
        if row.numeric() and len(row.numeric()) > 1:
            return False
        if self.current is not None and self.current.spec.keyed is not None and row.numeric():
            first = next((c.text.strip() for c in row.cells if c is not None and c.text.strip()), "")
            if first.isdigit():
                return False  # "30217 | 公务接待费 | -": a code row whose name is also a column's
        hits = max(self.header_score(row, s) for s in self.specs)
        if hits >= 2:
            return True
        # One matching cell could as well be a row label ("3.其他" is also a column's "其他"):
        # a header only if the row's label is not a row of the table being read.
        return hits == 1 and not self._is_row_label(row)

    def _is_row_label(self, row: Row) -> bool:
        label = row.label()
        if not label:
            return False
        specs = [self.current.spec] if self.current is not None else self.specs
        return any(
            best_similarity(label, _axis_labels(r)) >= 0.85 for s in specs for r in s.rows_for(self.fmt)
        )

    # -- the walk -------------------------------------------------------------------------
    def feed_line(self, line: TextLine) -> None:
        spec = self.title_of(line.text) if not self._says_empty(line.text) else None
        if spec is None and self._skip_from(line.text):
            return
        if spec is not None:
            self.skipping = False
            self.pending_title = spec
            self.pending_group = None
            self.current = None
            self._note(line.text)  # "收入支出决算总表  单位：万元" on one line
        elif self._note(line.text):
            pass
        elif self._heading(line.text):
            pass
        elif len(normalize(line.text)) > 15:
            # Prose between tables ends the table; short lines (page numbers) do not.
            self.current = None

    def feed_table(self, table: RawTable) -> None:
        rows = [Row(r) for r in table.cells]
        i = 0
        while i < len(rows):
            row = rows[i]
            single = row.single_text()
            if single is not None and not row.numeric():
                spec = self.title_of(single) if not self._says_empty(single) else None
                if spec is None and self._skip_from(single):
                    i += 1
                    continue
                if spec is not None:
                    self.skipping = False
                    self.pending_title = spec
                    self.pending_group = None
                    self.current = None
                    self._note(single)
                    i += 1
                    continue
                if self._note(single):
                    i += 1
                    continue
                if self._heading(single):
                    i += 1
                    continue
            if self.skipping:
                i += 1
                continue
            if self.is_header(row):
                j = i
                while j < len(rows) and self.is_header(rows[j]) and not self._is_title_row(rows[j]):
                    j += 1
                self._open_from_header(rows[i:j], rows[j : j + 4])
                i = j
                continue
            if row.column_numbers():
                pass
            elif row.numeric() or self._blank_data_row(row):
                self._data(row)
            i += 1

    def _is_title_row(self, row: Row) -> bool:
        single = row.single_text()
        return single is not None and self.title_of(single) is not None

    def _blank_data_row(self, row: Row) -> bool:
        """A row printed with every number blank (blank means 0): labelled, or unlabelled under
        a header whose columns it fills with empty cells (表四 with no cases at all)."""
        if self.current is None:
            return False
        if not row.label():
            slots = self.current.slots
            cells = [row.cells[s.index] if s.index < len(row.cells) else None for s in slots]
            empty = [c for c in cells if c is not None and (not c.text.strip() or is_blank(c.text))]
            return bool(slots) and len(empty) >= max(1, (len(slots) + 1) // 2)
        empties = [c for c in row.cells[1:] if c is not None and (not c.text.strip() or is_blank(c.text))]
        if not empties:
            return False
        spec = self.current.spec
        if spec.keyed is not None:
            return True  # a code row printed with no amounts (a 类 the department did not use)
        return any(best_similarity(row.label(), _axis_labels(r)) >= 0.7 for r in spec.rows_for(self.fmt))

    def _open_from_header(self, header: list[Row], lookahead: list[Row]) -> None:
        best: tuple[float, TableSpec | None, list[ColumnSlot]] = (0.0, None, [])
        group = self.pending_group
        for spec in self.specs:
            only = self.group_leaves[spec.id][group[1]] if group and group[0] == spec.id else None
            slots = self._columns(spec, header, only)
            if not slots:
                continue
            n_leaves = len(only or self.leaves[spec.id])
            score = sum(s.confidence for s in slots) / max(n_leaves, 1)
            if self.pending_title is spec:
                score += 1.0
            data = [r for r in lookahead if r.numeric()]
            if data:
                rows = spec.rows_for(self.fmt)
                score += sum(
                    max(best_similarity(r.label(), _axis_labels(a)) for a in rows) for r in data
                ) / len(data)
            if score > best[0]:
                best = (score, spec, slots)
        _, chosen, slots = best
        if chosen is None:
            return
        self.current = Segment(chosen, slots, header_width=max(len(r.cells) for r in header))
        self.segments.setdefault(chosen.id, []).append(self.current)
        self._take_unit(chosen)
        self.pending_title = None
        self.pending_group = None
        self.last_spec = chosen

    def _columns(
        self, spec: TableSpec, header: list[Row], only: list[AxisSpec] | None = None
    ) -> list[ColumnSlot]:
        """Template leaf columns matched to printed header columns, in order."""
        width = max(len(r.cells) for r in header)
        printed: list[tuple[int, str, tuple[float, float] | None]] = []
        for c in range(width):
            # The lowest header text in a column is its most specific label.
            for r in reversed(header):
                cell = r.cells[c] if c < len(r.cells) else None
                if cell is not None and cell.text.strip():
                    x = (cell.prov.bbox[0], cell.prov.bbox[2]) if cell.prov.bbox else None
                    printed.append((c, cell.text, x))
                    break
        leaves = only or self.leaves[spec.id]
        matches = align(
            len(printed),
            len(leaves),
            lambda i, j: best_similarity(printed[i][1], _axis_labels(leaves[j])),
            floor=0.6,
        )
        return [
            ColumnSlot(leaves[j].id, printed[i][0], printed[i][2], sim)
            for i, (j, sim) in sorted(matches.items())
        ]

    def _fits(self, seg: Segment, row: Row) -> bool:
        """Whether a row has room in a segment: an unlabelled row with more numbers than the
        table has columns belongs to another table (表四 printed under 表三 without a title)."""
        if row.label():
            return True
        width = max(len(seg.slots), len(self.leaves[seg.spec.id]))
        return len(row.numeric()) <= width

    def _data(self, row: Row) -> None:
        if self.current is not None and self._fits(self.current, row):
            self.current.rows.append(row)
            return
        self.current = None
        if not row.label() and self.pending_title is None:
            # Only the count of numbers says which table this is: a one-row table of exactly
            # that many columns that has not been seen yet.
            n = len(row.numeric())
            fits = [
                s
                for s in self.specs
                if len(s.rows_for(self.fmt)) == 1
                and len(self.leaves[s.id]) == n
                and s.id not in self.segments
            ]
            if len(fits) == 1:
                self.pending_title = fits[0]
        # A data row with no header in force: a table whose header was lost or not printed
        # (表四 under its title), or rows that clearly belong to one table by their labels.
        spec = self.pending_title
        if spec is None:
            label = row.label()
            if not label:
                return
            scored = [
                (max(best_similarity(label, _axis_labels(a)) for a in s.rows_for(self.fmt)), s)
                for s in self.specs
            ]
            sim, spec = max(scored, key=lambda x: x[0])
            if sim < 0.85:
                return
        slots: list[ColumnSlot] = []
        group = self.pending_group
        if group is not None and group[0] == spec.id:
            # a group's small table printed without its header: its numbers in order
            part = self.group_leaves[spec.id][group[1]]
            values = [i for i, c in enumerate(row.cells) if c is not None]
            while len(values) > len(part) and not row.cells[values[-1]].text.strip():  # type: ignore[union-attr]
                values.pop()  # a copy's trailing tab
            if len(values) == len(part):
                slots = [ColumnSlot(a.id, i, None, 0.8) for a, i in zip(part, values, strict=True)]
        self.current = Segment(spec, slots)
        self.segments.setdefault(spec.id, []).append(self.current)
        self._take_unit(spec)
        self.pending_title = None
        self.pending_group = None
        self.last_spec = spec
        self.current.rows.append(row)

    def _take_unit(self, spec: TableSpec) -> None:
        if self.pending_unit is not None:
            self.units.setdefault(spec.id, self.pending_unit)
            self.pending_unit = None

    def run(self, blocks: list[RawTable | TextLine]) -> dict[str, list[Segment]]:
        for b in blocks:
            if isinstance(b, TextLine):
                self.feed_line(b)
            else:
                self.feed_table(b)
        return self.segments
