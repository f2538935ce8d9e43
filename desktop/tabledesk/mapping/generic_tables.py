"""Tables no template knows, read as printed: every extracted table with numbers becomes a
document table whose rows and columns are its own printed labels (template id "generic")."""

from __future__ import annotations

import re
from decimal import Decimal

from tabledesk.core.document import Axis, Cell, CellStatus, Document, Section, SourceInfo, Table
from tabledesk.core.source import ExtractedSource, RawCell, RawTable, TextLine
from tabledesk.core.values import NumberKind, is_blank, parse_number
from tabledesk.mapping.segments import Row
from tabledesk.sources.sections import find_sections
from tabledesk.templates.structure import Role, label_role, leading_code
from tabledesk.templates.template import GENERIC_TEMPLATE_ID

MAX_HEADER_ROWS = 4
TITLE_MAX_LEN = 40  # a table's title is a short line; prose that mentions a table is not
_NOTE = re.compile(r"^(金额)?(单位|计量单位)\s*[:：]|^(注|说明)\s*[:：]|^第\s*\d+\s*页|^-?\s*\d+\s*-?$")


def generic_document(src: ExtractedSource) -> Document | None:
    """The document of every table with numbers in ``src``; None when there is none."""
    tables: list[Table] = []
    title = ""
    for block in src.blocks():
        if isinstance(block, TextLine):
            text = " ".join(block.text.split())
            if text and len(text) <= TITLE_MAX_LEN and not _NOTE.match(text):
                title = text  # the last short line before a table: its printed title
            continue
        for side in _sides(block):
            table = _table(side, len(tables) + 1, title)
            if table is not None:
                tables.append(table)
        title = ""
    if not tables:
        return None
    info = SourceInfo(src.path, src.kind.value, src.sha256, src.pages)
    sections = [Section(s.title, s.text, s.prov) for s in find_sections(src.lines)]
    warnings = [*src.warnings, "no known report template: tables checked by their 合计/小计 rows and columns"]
    doc = Document(
        info, GENERIC_TEMPLATE_ID, GENERIC_TEMPLATE_ID, tables, sections=sections, warnings=warnings
    )
    doc.extracted = src  # kept like a mapped source's: a template can be chosen or drafted later
    return doc


def _sides(raw: RawTable) -> list[RawTable]:
    """A table printed as two side by side (收入 | 金额 | 支出 | 金额: a column of labels between
    columns of numbers) as its two sides, each with its own labels: a total on one side says
    nothing of the numbers on the other."""
    rows = [Row(r) for r in raw.cells]
    body = [r for r in rows if r.numeric()]
    if len(body) < 2:
        return [raw]
    width = max(len(r.cells) for r in rows)

    def share(c: int, numeric: bool) -> float:
        hits = 0
        for r in body:
            cell = r.cells[c] if c < len(r.cells) else None
            if cell is not None and not is_blank(cell.text):
                hits += (parse_number(cell.text) is not None) == numeric
        return hits / len(body)

    numeric_cols = [c for c in range(width) if share(c, True) >= 0.5]
    cuts = [
        c
        for c in range(width)
        if numeric_cols and numeric_cols[0] < c < numeric_cols[-1] and share(c, False) >= 0.5
    ]
    # the left side must have its own labels: a code column before the names (科目编码 |
    # 科目名称 | 金额) is one table, not two
    if not cuts or not any(share(c, False) >= 0.5 for c in range(numeric_cols[0])):
        return [raw]
    bounds = [0, *cuts, width]
    return [
        RawTable([line[a:b] for line in raw.cells], raw.prov)
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]


def _table(raw: RawTable, number: int, printed_title: str = "") -> Table | None:
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
    # a code or year column printed before the values (科目编码, 年度) names the row: a label
    while numeric_cols and label_role(" ".join(_header_path(raw, header, numeric_cols[0]))) in (
        Role.CODE,
        Role.YEAR,
    ):
        numeric_cols.pop(0)
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
        parts = _header_path(raw, header, c)
        columns.append(Axis(f"c{j + 1}", tuple(parts[-2:]) or (f"列{j + 1}",)))
    out_rows: list[Axis] = []
    cells: list[list[Cell]] = []
    for i, r in enumerate(body):
        texts = [t for k in range(min(first_value, len(r.cells))) if (t := _text(r.cells[k]))]
        # "201" and "一般公共服务支出" from a code column and a name column: "201 一般公共服务支出"
        label = " ".join(texts) if len(texts) > 1 and leading_code(texts[0]) == texts[0] else "".join(texts)
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
    title = printed_title or f"表格 {number}{where}"
    return Table(
        f"g{number}", title, {"zh": f"表格 {number}", "en": f"Table {number}"}, out_rows, columns, cells
    )


def _text(cell: RawCell | None) -> str:
    return cell.text.strip() if cell is not None else ""


def _header_path(raw: RawTable, header: int, c: int) -> list[str]:
    """The header texts printed over column ``c``, top down (a band, then the column's own)."""
    parts: list[str] = []
    for h in range(header):
        cell = _covering(raw, h, c)
        text = " ".join(cell.text.split()) if cell is not None else ""
        if text and (not parts or parts[-1] != text):  # a cell spanning rows counts once
            parts.append(text)
    return parts


def _covering(raw: RawTable, r: int, c: int) -> RawCell | None:
    """The cell printed over slot (r, c): its own, or a merged one reaching it from the left or
    above (a header band "本年累计" over its sub-columns)."""
    for rr in range(r, -1, -1):
        line = raw.cells[rr]
        for cc in range(min(c, len(line) - 1), -1, -1):
            cell = line[cc]
            if cell is not None:
                if cc + cell.col_span > c and rr + cell.row_span > r:
                    return cell
                break
    return None


def _blank_or_number(row: Row, c: int) -> bool:
    cell = row.cells[c] if c < len(row.cells) else None
    return cell is None or is_blank(cell.text) or parse_number(cell.text) is not None
