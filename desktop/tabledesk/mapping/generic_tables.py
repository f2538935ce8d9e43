"""Tables no template knows, read as printed: every extracted table with numbers becomes a
document table whose rows and columns are its own printed labels (template id "generic")."""

from __future__ import annotations

from decimal import Decimal

from tabledesk.core.document import Axis, Cell, CellStatus, Document, Section, SourceInfo, Table
from tabledesk.core.source import ExtractedSource, RawTable
from tabledesk.core.values import NumberKind, is_blank, parse_number
from tabledesk.mapping.segments import Row
from tabledesk.sources.sections import find_sections
from tabledesk.templates.template import GENERIC_TEMPLATE_ID

MAX_HEADER_ROWS = 4


def generic_document(src: ExtractedSource) -> Document | None:
    """The document of every table with numbers in ``src``; None when there is none."""
    tables: list[Table] = []
    for raw in src.tables:
        table = _table(raw, len(tables) + 1)
        if table is not None:
            tables.append(table)
    if not tables:
        return None
    info = SourceInfo(src.path, src.kind.value, src.sha256, src.pages)
    sections = [Section(s.title, s.text, s.prov) for s in find_sections(src.lines)]
    warnings = [*src.warnings, "no known report template: tables checked by their 合计/小计 rows and columns"]
    return Document(
        info, GENERIC_TEMPLATE_ID, GENERIC_TEMPLATE_ID, tables, sections=sections, warnings=warnings
    )


def _table(raw: RawTable, number: int) -> Table | None:
    rows = [Row(r) for r in raw.cells]
    header = 0
    while header < min(MAX_HEADER_ROWS, len(rows)) and not rows[header].numeric():
        header += 1
    body = [r for r in rows[header:] if r.numeric() or r.label()]
    data = [r for r in body if r.numeric()]
    if not data:
        return None
    width = max(len(r.cells) for r in rows)
    numeric_cols = [
        c
        for c in range(width)
        if sum(1 for r in data if c in r.numeric()) * 2 >= len(data)
        or (any(c in r.numeric() for r in data) and all(_blank_or_number(r, c) for r in data))
    ]
    if not numeric_cols:
        return None
    first_value = numeric_cols[0]
    fractional = any(
        (v := parse_number(r.cells[c].text)) is not None and v != v.to_integral_value()  # type: ignore[union-attr]
        for r in data
        for c in numeric_cols
        if c < len(r.cells) and r.cells[c] is not None
    )
    kind = NumberKind.DECIMAL if fractional else NumberKind.INTEGER
    columns = []
    for j, c in enumerate(numeric_cols):
        parts = []
        for r in rows[:header]:
            cell = r.cells[c] if c < len(r.cells) else None
            if cell is not None and cell.text.strip():
                parts.append(" ".join(cell.text.split()))
        columns.append(Axis(f"c{j + 1}", tuple(parts[-2:]) or (f"列{j + 1}",)))
    out_rows: list[Axis] = []
    cells: list[list[Cell]] = []
    for i, r in enumerate(body):
        label = "".join(r.cells[k].text for k in r.label_cells() if k < first_value).strip()  # type: ignore[union-attr]
        label = " ".join(label.split()) or f"行{i + 1}"
        out_rows.append(Axis(f"r{i + 1}", (label,)))
        line = []
        for c in numeric_cols:
            raw_cell = r.cells[c] if c < len(r.cells) else None
            if raw_cell is None:
                line.append(Cell.missing(kind))
            elif is_blank(raw_cell.text):
                zero = Decimal(0)  # blank means nothing to report: 0, as on the templates
                line.append(Cell(zero, zero, raw_cell.text, CellStatus.BLANK, raw_cell.prov, 1.0, kind))
            else:
                v = parse_number(raw_cell.text)
                status = CellStatus.OK if v is not None else CellStatus.NOT_A_NUMBER
                line.append(Cell(v, v, raw_cell.text, status, raw_cell.prov, 1.0, kind))
        cells.append(line)
    page = raw.prov.page
    where = f"（第 {page} 页）" if page else (f"（第 {raw.prov.line} 行起）" if raw.prov.line else "")
    title = f"表格 {number}{where}"
    return Table(
        f"g{number}", title, {"zh": f"表格 {number}", "en": f"Table {number}"}, out_rows, columns, cells
    )


def _blank_or_number(row: Row, c: int) -> bool:
    cell = row.cells[c] if c < len(row.cells) else None
    return cell is None or is_blank(cell.text) or parse_number(cell.text) is not None
