"""The printed form on a sheet: where a table's title, headers, row labels and values sit, the
merged cells of its grouped headers, and how the sheets are printed (A4 landscape, one page
wide, repeated headers, a header naming the agency, year and table, page numbers below).

``xlsx_export.py`` fills the values and marks; this module knows only the frame.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tabledesk.core.document import Axis, Table

# SimSun: on every Chinese Windows, in Excel and WPS alike, and the face printed forms use.
FONT = "宋体"
HEADER_FILL = "F2F2F2"
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LABEL_WIDTH, GROUP_WIDTH, VALUE_WIDTH, MAX_VALUE_WIDTH = 36, 16, 11, 18
LINE_HEIGHT = 14.0  # points per line of 11-point text


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """Where a table's parts sit on its sheet (1-based rows and columns, as Excel counts).

    ``title_row`` holds the table's (or block's) title; the header occupies ``header_rows``
    rows below it; the row labels ``label_cols`` columns from column A. Value (i, j) of the
    table is at :meth:`value_at`.
    """

    header_rows: int
    label_cols: int
    n_rows: int
    n_cols: int
    title_row: int = 1

    @property
    def first_value_row(self) -> int:
        return self.title_row + 1 + self.header_rows

    @property
    def first_value_col(self) -> int:
        return self.label_cols + 1

    @property
    def last_row(self) -> int:
        return self.first_value_row + self.n_rows - 1

    @property
    def width(self) -> int:
        return self.label_cols + self.n_cols

    def value_at(self, i: int, j: int) -> tuple[int, int]:
        return self.first_value_row + i, self.first_value_col + j


def table_layout(table: Table, title_row: int = 1) -> SheetLayout:
    return SheetLayout(
        header_rows=max((len(c.path) for c in table.columns), default=1),
        label_cols=max((len(r.path) for r in table.rows), default=1),
        n_rows=len(table.rows),
        n_cols=len(table.columns),
        title_row=title_row,
    )


def safe_text(value: Any) -> str:
    """Text openpyxl can store: control characters other than tab and newline removed."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))


def put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write a value; strings are forced to stay strings (openpyxl would otherwise store
    "=…" as a formula)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _spans(keys: list[Any]) -> list[tuple[int, int]]:
    """Runs of equal consecutive keys as (start, end) index pairs."""
    out = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out.append((start, i - 1))
            start = i
    return out


def _axis_grid(axes: list[Axis], depth: int) -> list[list[tuple[Any, str]]]:
    """For each axis and each level: a merge key and the text shown there.

    An axis's path prints one level per header row (label column); its last label fills the
    remaining levels. Group labels merge along the axis where neighbours share the group.
    """
    grid = []
    for n, a in enumerate(axes):
        path = a.path or (a.id,)
        levels: list[tuple[Any, str]] = []
        for level in range(depth):
            if level < len(path) - 1:
                levels.append((("group", path[: level + 1]), path[level]))
            else:
                levels.append((("leaf", n), path[-1]))
        grid.append(levels)
    return grid


def merge(ws: Worksheet, r0: int, c0: int, r1: int, c1: int) -> None:
    if (r0, c0) != (r1, c1):
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)


def write_frame(ws: Worksheet, table: Table, layout: SheetLayout, corner: str, title: str, span: int) -> None:
    """Title (merged over ``span`` columns), corner, column headers and row labels with the
    form's merged cells."""
    bold = layout.title_row == 1
    _title = put(ws, layout.title_row, 1, title)
    _title.font = Font(bold=True, size=12 if bold else 11)
    merge(ws, layout.title_row, 1, layout.title_row, span)
    top = layout.title_row + 1
    c = put(ws, top, 1, corner)
    c.alignment, c.font = CENTER, Font(bold=True)
    merge(ws, top, 1, top + layout.header_rows - 1, layout.label_cols)
    # Column headers: level = sheet row, merge runs along the row, a leaf spans downwards.
    cols = _axis_grid(table.columns, layout.header_rows)
    for level in range(layout.header_rows):
        keys = [cols[j][level][0] for j in range(len(cols))]
        for a, b in _spans(keys):
            key, text = cols[a][level]
            if key[0] == "leaf" and level > 0 and cols[a][level - 1][0] == key:
                continue  # covered by the leaf's merge from the level above
            r = top + level
            last_r = top + layout.header_rows - 1 if key[0] == "leaf" else r
            put(ws, r, layout.first_value_col + a, text)
            merge(ws, r, layout.first_value_col + a, last_r, layout.first_value_col + b)
    # Row labels: level = label column, merge runs down the column, a leaf spans rightwards.
    rows = _axis_grid(table.rows, layout.label_cols)
    for level in range(layout.label_cols):
        keys = [rows[i][level][0] for i in range(len(rows))]
        for a, b in _spans(keys):
            key, text = rows[a][level]
            if key[0] == "leaf" and level > 0 and rows[a][level - 1][0] == key:
                continue
            col = 1 + level
            last_c = layout.label_cols if key[0] == "leaf" else col
            put(ws, layout.first_value_row + a, col, text)
            merge(ws, layout.first_value_row + a, col, layout.first_value_row + b, last_c)
    # Borders and header style over the whole form, merged parts included.
    for r in range(top, layout.last_row + 1):
        for col in range(1, layout.width + 1):
            cell = ws.cell(row=r, column=col)
            cell.border = BORDER
            if r < layout.first_value_row or col < layout.first_value_col:
                cell.alignment = CENTER if r < layout.first_value_row else LEFT
                cell.fill = PatternFill(fill_type="solid", fgColor=HEADER_FILL)


def text_width(text: str) -> int:
    """Width in Excel's character units: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide."""
    return sum(max(1, -(-text_width(part) // max(1, int(width) - 2))) for part in text.split("\n"))


def set_widths(ws: Worksheet, tables: list[tuple[Table, SheetLayout]]) -> None:
    """Label columns wide enough for the form's labels, value columns for the numbers and their
    headers (up to a limit, then wrapped); each header row as tall as its longest wrapped label.
    Without explicit heights Excel, WPS and LibreOffice cut wrapped text off."""
    widths: dict[int, float] = {}
    for table, lay in tables:
        # the leaf labels' column only as wide as its longest label (表四's 件数 needs little:
        # every character saved there makes the fitted page's print larger)
        longest = max((text_width(r.path[-1] if r.path else r.id) for r in table.rows), default=0)
        for level in range(lay.label_cols):
            w = GROUP_WIDTH if level < lay.label_cols - 1 else min(LABEL_WIDTH, max(10, longest + 2))
            widths[1 + level] = max(widths.get(1 + level, 0), w)
        for j, axis in enumerate(table.columns):
            col = lay.first_value_col + j
            want = min(MAX_VALUE_WIDTH, text_width(axis.path[-1] if axis.path else axis.id) + 2)
            widths[col] = max(widths.get(col, 0), VALUE_WIDTH, want)
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    for _, lay in tables:
        for r in range(lay.title_row + 1, lay.last_row + 1):
            fit_row(ws, r, widths)


def fit_row(ws: Worksheet, row: int, widths: dict[int, float]) -> None:
    """Make ``row`` tall enough for its wrapped texts (a merged cell counts in its first row
    over the columns it spans)."""
    spans = {
        (m.min_row, m.min_col): sum(widths.get(c, 9) for c in range(m.min_col, m.max_col + 1))
        for m in ws.merged_cells.ranges
        if m.min_row == m.max_row == row
    }
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.value:
            width = spans.get((row, cell.column), widths.get(cell.column, 9))
            lines = max(lines, lines_needed(cell.value, width))
    if lines > 1:
        ws.row_dimensions[row].height = LINE_HEIGHT * lines


def print_setup(
    ws: Worksheet,
    heading: str,
    *,
    title_rows: tuple[int, int] | None = None,
    title_cols: int = 0,
    landscape: bool = True,
) -> None:
    """How the sheet prints: A4, landscape unless told, fitted to one page wide (as many pages
    down as it needs), the header rows ``title_rows`` and the first ``title_cols`` columns
    repeated on every page, ``heading`` at the top and 第&P页/共&N页 at the bottom."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0: as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows is not None:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if title_cols:
        ws.print_title_cols = f"A:{get_column_letter(title_cols)}"
    # "&" starts a code in a header (&P page, &N pages): a literal one is doubled.
    ws.oddHeader.center.text = heading.replace("&", "&&")
    ws.oddHeader.center.font = f"{FONT},Regular"
    ws.oddHeader.center.size = 10
    ws.oddFooter.center.text = "第&P页/共&N页"
    ws.oddFooter.center.font = f"{FONT},Regular"
    ws.oddFooter.center.size = 9


def apply_font(wb: Workbook) -> None:
    """Every written cell in :data:`FONT` (keeping its bold, size and colour): openpyxl's
    default Calibri has no Chinese glyphs, so Excel and WPS would each substitute their own."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                font = copy(cell.font)
                font.name = FONT
                cell.font = font
