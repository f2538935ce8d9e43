"""Fitting an extracted source onto a template: the document's tables, cell by cell.

Each template table is found as segments (``mapping/segments.py``); its printed rows are aligned
with the template's rows in order (``mapping/alignment.py``); each number is read with its status
(ok / blank read as 0 / not a number) and provenance. Template rows the source does not print
are *missing*, never silently 0; printed rows that match nothing are kept as unmatched.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tabledesk.core.document import (
    Axis,
    Cell,
    CellStatus,
    Document,
    MappingOverrides,
    Section,
    SourceInfo,
    Table,
    UnmatchedRow,
)
from tabledesk.core.source import ExtractedSource, RawCell, SourceError, SourceProblem
from tabledesk.core.values import NumberKind, is_blank, parse_number
from tabledesk.mapping.alignment import align
from tabledesk.mapping.code_rows import read_code_rows
from tabledesk.mapping.derived import derived_parts, mark_unfilled
from tabledesk.mapping.detect import detect_template, read_title
from tabledesk.mapping.generic_tables import generic_document
from tabledesk.mapping.labels import best_similarity, tail_label
from tabledesk.mapping.segments import ColumnSlot, Row, Segment, SegmentFinder, leaf_columns
from tabledesk.mapping.side_by_side import split_side_by_side
from tabledesk.mapping.table_titles import lift_titles
from tabledesk.mapping.text_rows import with_line_tables
from tabledesk.mapping.text_stream import STREAMED, StreamReader, stream_reads_more
from tabledesk.sources.scan.numbers import read_number
from tabledesk.sources.sections import find_sections
from tabledesk.templates.codes import is_keyed_row
from tabledesk.templates.keyed import expand_rows
from tabledesk.templates.template import GENERIC_TEMPLATE_ID, AxisSpec, TableSpec, Template


@dataclass(slots=True)
class _Printed:
    """One printed data row, with its numbers placed under template columns."""

    row: Row
    values: dict[str, RawCell | None]
    col_conf: dict[str, float]
    # the template columns the row's table prints (its header's), None: all of them
    covers: set[str] | None = None


def map_source(
    src: ExtractedSource,
    templates: list[Template],
    *,
    template_id: str | None = None,
    format_id: str | None = None,
    overrides: MappingOverrides | None = None,
) -> Document:
    """The document for ``src``; raises SourceError(NO_TEMPLATE) when no template fits."""
    if template_id is not None:
        chosen = [t for t in templates if t.id == template_id]
        if not chosen:
            raise SourceError(src.path, f"unknown template '{template_id}'", SourceProblem.NO_TEMPLATE)
        det = detect_template(src, chosen)
        template = chosen[0]
        fmt = format_id or (det.format_id if det else template.formats[0].id)
    else:
        det = detect_template(src, templates)
        if det is None:
            raise SourceError(
                src.path, "no table of a known report template found", SourceProblem.NO_TEMPLATE
            )
        template, fmt = det.template, format_id or det.format_id
    specs = template.tables_for(fmt)
    finder = SegmentFinder(specs, fmt, template.empty_note, template.other_tables)
    blocks = lift_titles(with_line_tables(src.blocks()), finder.names_a_table)
    segments = finder.run(split_side_by_side(blocks, specs, finder.title_of))
    streamed = StreamReader(specs, fmt).read(src.blocks()) if src.kind in STREAMED else {}
    if template_id is None and not segments and not streamed:
        raise SourceError(src.path, "no table of a known report template found", SourceProblem.NO_TEMPLATE)
    overrides = overrides or MappingOverrides()
    tables = []
    for template_spec in specs:
        spec = _with_code_rows(template_spec, template, segments.get(template_spec.id, []))
        rows_ov, cols_ov = overrides.rows.get(spec.id), overrides.cols.get(spec.id)
        table = build_table(spec, fmt, segments.get(spec.id, []), None, rows_ov, cols_ov)
        if spec.id in streamed:
            seg, unplaced = streamed[spec.id]
            # Which reading wins is decided without the clerk's corrections, so that their row
            # numbers keep pointing at the same printed rows when the mapping is redone.
            plain = table if not (rows_ov or cols_ov) else build_table(spec, fmt, segments.get(spec.id, []))
            if stream_reads_more(build_table(spec, fmt, [seg], None, unplaced), plain):
                table = build_table(spec, fmt, [seg], None, {**unplaced, **(rows_ov or {})}, cols_ov)
        _notes(table, spec, finder, specs)
        tables.append(table)
    agency, year = read_title(src, template)
    sections = [Section(s.title, s.text, s.prov) for s in find_sections(src.lines)]
    info = SourceInfo(src.path, src.kind.value, src.sha256, src.pages)
    warnings = list(src.warnings)
    for spec, table in zip(specs, tables, strict=True):
        if not table.found and not table.empty_note and not spec.optional:
            # read by the clerk in the exports' 提示 (notes): in their language
            warnings.append(f"原文中未找到{spec.name.get('zh', spec.id)}")
    doc = Document(
        info, template.id, fmt, tables, agency=agency, year=year, sections=sections, warnings=warnings
    )
    doc.extracted = src
    doc.overrides = overrides.copy()
    return doc


def remap(
    document: Document,
    templates: list[Template],
    template_id: str,
    format_id: str,
    overrides: MappingOverrides,
) -> None:
    """Redo the mapping of a document's extracted source with another template, format or
    row assignment; its corrections carry over to the cells that still exist."""
    src = document.extracted
    if not document.can_remap():
        raise SourceError(
            document.source.path, "the source is not loaded: open it again to change the mapping"
        )
    if src is None:
        # Typed in by hand (an image-only PDF): the chosen template's empty tables.
        template = next((t for t in templates if t.id == template_id), None)
        if template is None:
            raise SourceError(
                document.source.path, f"unknown template '{template_id}'", SourceProblem.NO_TEMPLATE
            )
        tables = [build_table(spec, format_id, []) for spec in template.tables_for(format_id)]
        document.replace_tables(tables, template_id, format_id)
        return
    if not isinstance(src, ExtractedSource):
        raise SourceError(
            document.source.path, "the source is not loaded: open it again to change the mapping"
        )
    if template_id == GENERIC_TEMPLATE_ID:  # back to the tables as printed (undo of a first template)
        printed = generic_document(src)
        if printed is None:
            raise SourceError(document.source.path, "no tables found", SourceProblem.NO_TEMPLATE)
        document.overrides = MappingOverrides()
        document.replace_tables(printed.tables, GENERIC_TEMPLATE_ID, GENERIC_TEMPLATE_ID)
        return
    fresh = map_source(src, templates, template_id=template_id, format_id=format_id, overrides=overrides)
    document.overrides = overrides.copy()
    document.replace_tables(fresh.tables, fresh.template_id, fresh.format_id)


def _with_code_rows(spec: TableSpec, template: Template, segments: list[Segment]) -> TableSpec:
    """A table keyed by code with the rows its printed codes make (templates/keyed.py); the
    code cells of its printed rows folded into their labels."""
    if spec.keyed is None:
        return spec
    scheme = template.codes[spec.keyed.scheme]
    return expand_rows(spec, read_code_rows(spec, scheme, segments), scheme)


def _notes(table: Table, spec: TableSpec, finder: SegmentFinder, specs: list[TableSpec]) -> None:
    """The unit and the empty-table note the source prints around a table (a right half's
    are its left half's: one grid, one note). A table noted empty holds zeros, not gaps."""
    ids = [spec.id, *([spec.beside] if spec.beside else [])]
    table.unit = next((finder.units[i] for i in ids if i in finder.units), spec.unit)
    table.empty_note = next((finder.empty[i] for i in ids if i in finder.empty), "")
    if not table.empty_note:
        return
    for _, _, cell in table.iter_cells():
        if cell.status in (CellStatus.MISSING, CellStatus.UNFILLED):
            cell.printed = cell.value = Decimal(0)
            cell.status = CellStatus.BLANK


def _labels(a: AxisSpec) -> tuple[str, ...]:
    return (a.label, *a.aliases)


def _place_values(seg: Segment, row: Row, leaves: list[AxisSpec]) -> _Printed:
    """Which printed cell holds each template column's number in this row."""
    labels = row.label_cells()
    nums = row.numeric()
    first_value = nums[0] if nums else (labels[-1] + 1 if labels else 0)
    label_end = max([i for i in labels if i < first_value], default=-1)
    tail = [i for i in range(label_end + 1, len(row.cells)) if row.cells[i] is not None]
    values: dict[str, RawCell | None] = {}
    conf: dict[str, float] = {}
    slots = seg.slots
    geometric = bool(slots) and all(s.x is not None for s in slots)
    if geometric:
        for i in tail:
            cell = row.cells[i]
            if cell is None or cell.prov.bbox is None:
                continue
            cx = (cell.prov.bbox[0] + cell.prov.bbox[2]) / 2
            slot = min(slots, key=lambda s: _distance(cx, s.x))  # type: ignore[arg-type]
            if _distance(cx, slot.x) <= 4.0 and slot.col_id not in values:  # type: ignore[arg-type]
                values[slot.col_id] = cell
                conf[slot.col_id] = slot.confidence
        if values or not tail:
            return _Printed(row, values, conf)
    # Grid positions: text copies shift cells by a tab here and there, and web-to-text tools
    # write a merged header cell once, so header positions can be off. Value cells exactly as
    # many as the table's columns are the columns, in order; as many as the header's matched
    # columns, those columns in order; otherwise the header's positions are all we have.
    all_ids = [c.id for c in leaves]
    slot_ids = [s.col_id for s in slots]
    if slots:
        # Empty positions left of the header's first value column are the label's merged
        # cells, not blank values: dropped first, so that a blank last column (a total left
        # unfilled) is not what the trimming below takes away.
        first_slot = min(s.index for s in slots)
        tail = [i for i in tail if i >= first_slot or row.cells[i].text.strip()]  # type: ignore[union-attr]
    full = _trim(row, tail, len(all_ids))
    if len(full) == len(all_ids) or not slots:
        for col_id, i in zip(all_ids, full, strict=False):
            values[col_id] = row.cells[i]
            conf[col_id] = 0.9 if slots else 0.7
        return _Printed(row, values, conf)
    part = _trim(row, tail, len(slot_ids))
    if len(part) == len(slot_ids):
        for col_id, i in zip(slot_ids, part, strict=True):
            values[col_id] = row.cells[i]
            conf[col_id] = 0.9
        return _Printed(row, values, conf)
    for s in slots:
        values[s.col_id] = row.cells[s.index] if s.index < len(row.cells) else RawCell("", _any_prov(row))
        conf[s.col_id] = s.confidence * 0.9
    return _Printed(row, values, conf)


def _slots_from_data(seg: Segment, leaves: list[AxisSpec]) -> list[ColumnSlot]:
    """Column positions for a table printed without a usable header (a table with no ruling
    lines, or whose header was lost): from the first row that has a number in every column,
    each column reaching halfway to its neighbours."""
    for row in seg.rows:
        nums = row.numeric()
        boxes = [c.prov.bbox for i in nums if (c := row.cells[i]) is not None]
        if len(nums) != len(leaves) or len(boxes) != len(nums) or any(b is None for b in boxes):
            continue
        centres = [(b[0] + b[2]) / 2 for b in boxes if b is not None]
        if any(b <= a for a, b in zip(centres, centres[1:], strict=False)):
            continue
        edges = [centres[0] - (centres[1] - centres[0]) / 2 if len(centres) > 1 else centres[0] - 20]
        edges += [(a + b) / 2 for a, b in zip(centres, centres[1:], strict=False)]
        edges.append(centres[-1] + (centres[-1] - centres[-2]) / 2 if len(centres) > 1 else centres[0] + 20)
        return [
            ColumnSlot(leaf.id, i, (edges[k], edges[k + 1]), 0.8)
            for k, (leaf, i) in enumerate(zip(leaves, nums, strict=True))
        ]
    return []


def _trim(row: Row, tail: list[int], want: int) -> list[int]:
    """Drop empty cells at either end of the value cells while there are more than wanted."""
    tail = list(tail)
    while len(tail) > want and tail and not row.cells[tail[-1]].text.strip():  # type: ignore[union-attr]
        tail.pop()
    while len(tail) > want and tail and not row.cells[tail[0]].text.strip():  # type: ignore[union-attr]
        tail.pop(0)
    return tail


def _distance(x: float, span: tuple[float, float]) -> float:
    lo, hi = span
    if lo - 1 <= x <= hi + 1:
        return 0.0
    return min(abs(x - lo), abs(x - hi))


def _read_cell(raw: RawCell | None, kind: NumberKind, confidence: float, decimals: int | None = None) -> Cell:
    """The cell ``raw`` in a column of ``kind``: a scanned number is read by the column's type
    (:func:`~tabledesk.sources.scan.numbers.read_number`: a separator that can only be a
    thousands separator is one, a doubtful separator or sign lowers its confidence)."""
    if raw is None:
        return Cell(printed=None, value=None, status=CellStatus.MISSING, kind=kind)
    text = raw.text
    ocr = raw.confidence  # OCR only
    if is_blank(text):
        from decimal import Decimal

        zero = Decimal(0)
        return Cell(zero, zero, text, CellStatus.BLANK, raw.prov, confidence, kind, ocr)
    v = parse_number(text)
    chars = raw.char_confidence if len(raw.char_confidence) == len(text) else ()
    if ocr is not None:
        typed = read_number(text, chars, kind, decimals, raw.minus)
        v, chars = typed.value, typed.chars
        ocr = min(ocr, typed.confidence)
    if v is None:
        return Cell(
            None, None, text, CellStatus.NOT_A_NUMBER, raw.prov, confidence, kind, ocr, ocr_chars=chars
        )
    return Cell(v, v, text, CellStatus.OK, raw.prov, confidence, kind, ocr, ocr_chars=chars)


def build_table(
    spec: TableSpec,
    fmt: str,
    segments: list[Segment],
    printed_rows: set[str] | None = None,
    overrides: dict[int, str | None] | None = None,
    col_overrides: dict[str, str | None] | None = None,
) -> Table:
    """The document table of ``spec``: template rows resolved against what was printed
    (``printed_rows`` adds row ids to take as printed, for documents built by hand;
    ``overrides`` are the clerk's corrections: printed row index -> template row id or None)."""
    rows_spec = spec.rows_for(fmt)
    leaves = leaf_columns(spec, fmt)
    for seg in segments:
        if not seg.slots:
            seg.slots = _slots_from_data(seg, leaves)
    printed = [_place_values(seg, r, leaves) for seg in segments for r in seg.rows]
    owners = [sg for sg in segments for _ in sg.rows]
    for owner, each in zip(owners, printed, strict=True):
        if owner.slots and len(owner.slots) < len(leaves):
            each.covers = {sl.col_id for sl in owner.slots}
    if col_overrides:
        for each in printed:
            _move_columns(each, col_overrides)
    # An optional column no printed row fills (人员经费 | 公用经费 under 基本支出, printed by some
    # provinces only) is not the document's: not a column of missing cells.
    filled = {col for p in printed for col, raw in p.values.items() if raw is not None}
    shown = [c for c in leaves if not c.optional or c.id in filled or not segments]
    children: dict[str, list[str]] = {}
    for r in rows_spec:
        if r.parent:
            children.setdefault(r.parent, []).append(r.id)

    def fillable(j: int) -> bool:
        r = rows_spec[j]
        kids = children.get(r.id, [])
        return not kids or all(next(x for x in rows_spec if x.id == k).optional for k in kids)

    merged: set[int] = set()
    if len(rows_spec) == 1:
        first = next((i for i, p in enumerate(printed) if p.values), None)
        matches = {first: (0, 1.0)} if first is not None else {}
        if first is not None:
            merged = _merge_parts(printed, first)
    else:
        labels = [(p.row.label(), p.row.full_label(), tail_label(p.row.label())) for p in printed]
        groups = {r.parent for r in rows_spec if r.parent}

        def score(i: int, j: int) -> float:
            label, full, tail = labels[i]
            if is_keyed_row(rows_spec[j].id):
                # a code row is its code: 2010301 行政运行 is not 2010101 行政运行
                return 1.0 if label == rows_spec[j].label else 0.0
            names = _labels(rows_spec[j])
            if tail != label and rows_spec[j].id in groups:
                # "（三）不予公开1.属于国家秘密": a group label printed with its first row is
                # that row, not the group.
                return min(0.4, best_similarity(tail, names))
            return max(
                best_similarity(label, names),
                best_similarity(full, names) - 0.05,
                best_similarity(tail, names) - 0.02,
            )

        matches = align(len(printed), len(rows_spec), score, can_fill=fillable)
    if overrides:
        matches = _apply_overrides(matches, overrides, rows_spec, len(printed))
    by_template = {j: (i, sim) for i, (j, sim) in matches.items()}
    # A group row printed with no number at all ("（三）不予公开" on a row of its own above its
    # items) is a heading, not a row of zeros: its items carry the numbers.
    headings = {
        rows_spec[j].id
        for j, (i, _) in by_template.items()
        if rows_spec[j].id in children
        and all(c is None or is_blank(c.text) for c in printed[i].values.values())
    }
    data_ids = _resolve_rows(
        rows_spec, children, {rows_spec[j].id for j in by_template} | (printed_rows or set()), headings
    )
    index = {r.id: j for j, r in enumerate(rows_spec)}
    by_id = {r.id: r for r in rows_spec}
    rows: list[Axis] = []
    cells: list[list[Cell]] = []
    for rid in data_ids:
        j = index[rid]
        r = by_id[rid]
        hit = by_template.get(j)
        p = printed[hit[0]] if hit else None
        rows.append(
            Axis(
                rid,
                _path(r, by_id),
                r.en,
                printed=p is not None,
                source_label=p.row.full_label() if p else "",
                confidence=round(hit[1], 3) if hit else 1.0,
                printed_index=hit[0] if hit else None,
            )
        )
        line = []
        for c in shown:
            kind = r.kind or c.kind or spec.kind
            decimals = next((d for d in (r.decimals, c.decimals, spec.decimals) if d is not None), None)
            if p is None:
                line.append(Cell.missing(kind))
                continue
            raw = p.values.get(c.id)
            conf = (hit[1] if hit else 1.0) * p.col_conf.get(c.id, 1.0)
            if raw is None and p.values and c.id not in p.values and (p.covers is None or c.id in p.covers):
                # The row is printed but this column has no cell: printed blank. (A column the
                # clerk moved away is in p.values as None: missing; so is a column the row's
                # table does not print at all.)
                raw = RawCell("", p.row.cells[0].prov if p.row.cells[0] else _any_prov(p.row))
            line.append(_read_cell(raw, kind, round(conf, 3), decimals))
        cells.append(line)
    col_by_id = {c.id: c for c in spec.columns_for(fmt)}
    columns = [Axis(c.id, _path(c, col_by_id), c.en) for c in shown]
    unmatched = [
        UnmatchedRow(p.row.full_label(), [c.text if c else "" for c in p.row.cells], _any_prov(p.row), i)
        for i, p in enumerate(printed)
        if i not in matches and i not in merged
    ]
    col_children: dict[str, list[str]] = {}
    for c in spec.columns_for(fmt):
        if c.parent:
            col_children.setdefault(c.parent, []).append(c.id)
    table = Table(
        spec.id,
        spec.title,
        dict(spec.name),
        rows,
        columns,
        cells,
        unmatched=unmatched,
        found=bool(segments),
        row_children=children,
        col_children=col_children,
    )
    mark_unfilled(
        table,
        derived_parts(rows_spec, [r.id for r in rows]),
        derived_parts(spec.columns_for(fmt), [c.id for c in columns]),
        ({r.id for r in rows_spec if r.total}, {c.id for c in spec.columns_for(fmt) if c.total}),
    )
    return table


def _merge_parts(printed: list[_Printed], first: int) -> set[int]:
    """A one-row table printed in parts (表四 as three small tables under 行政复议, 行政诉讼
    （未经复议直接起诉）, 行政诉讼（复议后起诉）): later rows that print only columns not yet
    read join the first. Returns the indices of the rows merged."""
    head = printed[first]
    if head.covers is None:
        return set()
    out: set[int] = set()
    for i in range(first + 1, len(printed)):
        p = printed[i]
        if p.covers is None or not p.values or p.covers & head.covers:
            continue
        head.values.update(p.values)
        head.col_conf.update(p.col_conf)
        head.covers |= p.covers
        out.add(i)
    return out


def _move_columns(p: _Printed, moves: dict[str, str | None]) -> None:
    """The clerk's column corrections: what was read under column A is column B's (or none's).
    Moves apply all at once, so two columns can swap."""
    values = dict(p.values)
    for src in moves:
        p.values[src] = None
    for src, dst in moves.items():
        if dst is not None:
            p.values[dst] = values.get(src)
            p.col_conf[dst] = 1.0


def _apply_overrides(
    matches: dict[int, tuple[int, float]],
    overrides: dict[int, str | None],
    rows_spec: list[AxisSpec],
    n_printed: int,
) -> dict[int, tuple[int, float]]:
    """The clerk's word wins: a printed row assigned to a template row takes it (from whatever
    printed row had it), a printed row assigned to none is unmatched."""
    out = dict(matches)
    index = {r.id: j for j, r in enumerate(rows_spec)}
    for i, target in overrides.items():
        if not 0 <= i < n_printed:
            continue
        out.pop(i, None)
        if target is None or target not in index:
            continue
        j = index[target]
        for k in [k for k, (jj, _) in out.items() if jj == j]:
            del out[k]
        out[i] = (j, 1.0)
    return out


def _any_prov(row: Row):  # type: ignore[no-untyped-def]
    from tabledesk.core.provenance import Provenance

    return Provenance.union([c.prov for c in row.cells if c is not None])


def _path(a: AxisSpec, by_id: dict[str, AxisSpec]) -> tuple[str, ...]:
    if is_keyed_row(a.id):
        return (a.label,)  # a code says where it belongs; its parents' names are not its label
    out = [a.label]
    parent = a.parent
    while parent is not None and parent in by_id:
        out.append(by_id[parent].label)
        parent = by_id[parent].parent
    return tuple(reversed(out))


def _resolve_rows(
    rows_spec: list[AxisSpec],
    children: dict[str, list[str]],
    matched: set[str],
    headings: frozenset[str] | set[str] = frozenset(),
) -> list[str]:
    """The data rows of this document, in template order.

    A leaf is a data row (missing when not printed). A group printed with numbers and none of
    its children is itself the leaf (real 2021 reports print （六）其他处理 as one row); a
    group whose children are all optional and unprinted is a (missing) leaf too; otherwise a
    group is only a heading and its children are the data rows. A group printed with numbers
    above its printed children is a subtotal row (a derived row, checked against its items);
    printed blank above them (``headings``) it is a heading only.
    """
    by_id = {r.id: r for r in rows_spec}

    def any_printed(rid: str) -> bool:
        return rid in matched or any(any_printed(k) for k in children.get(rid, []))

    out: list[str] = []

    def visit(rid: str) -> None:
        kids = children.get(rid, [])
        if not kids:
            out.append(rid)
            return
        kids_printed = any(any_printed(k) for k in kids)
        if rid in matched and not kids_printed:
            out.append(rid)
            return
        if not kids_printed and all(by_id[k].optional for k in kids):
            out.append(rid)
            return
        if rid in matched and rid not in headings:
            out.append(rid)  # a printed subtotal above printed children
        for k in kids:
            # Once some children are printed, all are rows (unprinted ones missing); optional
            # children of a group that prints none of them are not rows at all.
            if kids_printed or not by_id[k].optional:
                visit(k)

    for r in rows_spec:
        if r.parent is None:
            visit(r.id)
    # in the form's order: a 合计 printed below the codes it totals stays below them
    order = {r.id: j for j, r in enumerate(rows_spec)}
    return sorted(out, key=order.__getitem__)


def blank_document(
    template: Template, fmt: str, source: SourceInfo, printed_rows: dict[str, set[str]] | None = None
) -> Document:
    """Every table of the template with every cell missing: for typing in numbers by hand
    (an image-only PDF) and for building documents in tests and benchmarks. ``printed_rows``
    (table id -> row ids) chooses between a group row and its optional sub-rows."""
    tables = [
        build_table(spec, fmt, [], (printed_rows or {}).get(spec.id)) for spec in template.tables_for(fmt)
    ]
    return Document(source, template.id, fmt, tables)
