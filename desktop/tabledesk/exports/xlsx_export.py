"""The Excel export: one sheet per template table laid out like the printed form, plus 校验
(every check), 修改记录 (every edit) and 来源 (where the numbers came from).

Values are numbers (the corrected value, shown with its printed decimals); cells still failing
a rule are filled red with a comment naming the rule, edited cells blue with a comment
"原值 X → Y（原因）". Text is always written as text: a label or note that begins with = + - @
never becomes a formula in Excel or WPS.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tabledesk import __version__
from tabledesk.checks.engine import CheckResult, CheckStatus
from tabledesk.checks.messages import render_message, render_unplaced, side_json
from tabledesk.checks.suggest import analyse
from tabledesk.core.document import Axis, CellStatus, Document, Table
from tabledesk.core.values import format_number, plain_number
from tabledesk.exports.common import (
    REASON_LABELS,
    STATUS_LABELS,
    ExportInput,
    last_edits,
    results_by_cell,
)

# Excel's own "bad" red and a light blue that stays readable when printed in grey.
FAILED_FILL = "FFC7CE"
# A total the report left blank: its own colour, and a hatch that survives a black-and-white
# printer (the colour alone would print as plain white, like any blank cell).
UNFILLED_FILL = "B7E1E6"
EDITED_FILL = "BDD7EE"
HEADER_FILL = "F2F2F2"
CHECKS_SHEET = "校验"
EDITS_SHEET = "修改记录"
SOURCE_SHEET = "来源"
_RESERVED = {CHECKS_SHEET, EDITS_SHEET, SOURCE_SHEET}

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """Where a table's parts sit on its sheet (1-based rows and columns, as Excel counts).

    Row 1 is the title; the header occupies ``header_rows`` rows from row 2; the row labels
    ``label_cols`` columns from column A. Value (i, j) of the table is at :meth:`value_at`.
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

    def value_at(self, i: int, j: int) -> tuple[int, int]:
        return self.first_value_row + i, self.first_value_col + j


def table_layout(table: Table) -> SheetLayout:
    return SheetLayout(
        header_rows=max((len(c.path) for c in table.columns), default=1),
        label_cols=max((len(r.path) for r in table.rows), default=1),
        n_rows=len(table.rows),
        n_cols=len(table.columns),
    )


def safe_text(value: Any) -> str:
    """Text openpyxl can store: control characters other than tab and newline removed."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
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


def _merge(ws: Worksheet, r0: int, c0: int, r1: int, c1: int) -> None:
    if (r0, c0) != (r1, c1):
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)


def _write_frame(ws: Worksheet, table: Table, layout: SheetLayout, corner: str) -> None:
    """Title, corner, column headers and row labels with the form's merged cells."""
    title = f"{table.name.get('zh', table.id)}  {table.title.replace('/', ' ')}"
    width = layout.label_cols + layout.n_cols
    _put(ws, layout.title_row, 1, title).font = Font(bold=True, size=12)
    _merge(ws, layout.title_row, 1, layout.title_row, width)
    top = layout.title_row + 1
    c = _put(ws, top, 1, corner)
    c.alignment, c.font = _CENTER, Font(bold=True)
    _merge(ws, top, 1, top + layout.header_rows - 1, layout.label_cols)
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
            _put(ws, r, layout.first_value_col + a, text)
            _merge(ws, r, layout.first_value_col + a, last_r, layout.first_value_col + b)
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
            _put(ws, layout.first_value_row + a, col, text)
            _merge(ws, layout.first_value_row + a, col, layout.first_value_row + b, last_c)
    # Borders and header style over the whole form, merged parts included.
    for r in range(top, layout.first_value_row + layout.n_rows):
        for col in range(1, width + 1):
            cell = ws.cell(row=r, column=col)
            cell.border = _BORDER
            if r < layout.first_value_row or col < layout.first_value_col:
                cell.alignment = _CENTER if r < layout.first_value_row else _LEFT
                cell.fill = PatternFill(fill_type="solid", fgColor=HEADER_FILL)
    for level in range(layout.label_cols):
        ws.column_dimensions[get_column_letter(1 + level)].width = 16 if level < layout.label_cols - 1 else 36
    for j in range(layout.n_cols):
        ws.column_dimensions[get_column_letter(layout.first_value_col + j)].width = 11
    ws.freeze_panes = ws.cell(row=layout.first_value_row, column=layout.first_value_col)


def _number_format(value: Decimal) -> str:
    exp = value.as_tuple().exponent
    if isinstance(exp, int) and exp < 0:
        return "0." + "0" * -exp
    return "0"


def _comment(text: str) -> Comment:
    lines = text.count("\n") + 1
    c = Comment(safe_text(text), "tabledesk")
    c.width, c.height = 320, min(60 + 18 * lines, 400)
    return c


def edit_comment(printed: Decimal | None, value: Decimal | None, reason: str, note: str = "") -> str:
    """'原值 X → Y（原因）', the comment on an edited cell."""
    text = f"原值 {format_number(printed) or '空'} → {format_number(value) or '空'}（{reason}）"
    return text + (f"\n备注：{note}" if note else "")


def _write_table(ws: Worksheet, data: ExportInput, table: Table) -> None:
    spec = None
    if data.template is not None:
        try:
            spec = data.template.table(table.id)
        except KeyError:
            spec = None
    layout = table_layout(table)
    _write_frame(ws, table, layout, spec.corner if spec else "")
    edits = last_edits(data.document)
    by_cell = results_by_cell(data.results)
    for i, row in enumerate(table.rows):
        for j, col in enumerate(table.columns):
            src = table.cells[i][j]
            r, c = layout.value_at(i, j)
            cell = _put(ws, r, c, plain_number(src.value))
            if src.value is not None:
                cell.number_format = _number_format(src.value)
            cell.alignment = Alignment(horizontal="right", vertical="center")
            notes = []
            failing = [
                x for x in by_cell.get((table.id, row.id, col.id), []) if x.status is CheckStatus.FAILED
            ]
            if failing:
                cell.fill = PatternFill(fill_type="solid", fgColor=FAILED_FILL)
                notes.append("未通过校验：")
                notes += [f"[{x.instance.rule.id}] {render_message(x, 'zh', table.name)}" for x in failing]
            edit = edits.get((table.id, row.id, col.id))
            if src.edited:
                if not failing:
                    cell.fill = PatternFill(fill_type="solid", fgColor=EDITED_FILL)
                reason = REASON_LABELS[edit.reason]["zh"] if edit else "已修改"
                notes.insert(0, edit_comment(src.printed, src.value, reason, edit.note if edit else ""))
            elif src.status is CellStatus.NOT_A_NUMBER:
                notes.append(f"原文“{src.raw}”不是数字")
            elif src.status is CellStatus.UNFILLED and not failing:
                cell.fill = _unfilled_fill()
                unfilled = [
                    x
                    for x in by_cell.get((table.id, row.id, col.id), [])
                    if x.status is CheckStatus.UNFILLED and (table.id, row.id, col.id) in x.unfilled
                ]
                notes.append("原文此合计未填写（空白不是 0）")
                notes += [render_message(x, "zh", table.name) for x in unfilled if x.fill_in is not None][:2]
            if notes:
                cell.comment = _comment("\n".join(notes))
    if table.unmatched:
        r = layout.first_value_row + layout.n_rows + 1
        numbers = table.unplaced_numbers()
        if numbers:  # said above the rows, where the clerk reads first
            note = _put(ws, r, 1, render_unplaced(table.name, numbers, table.empty_cells(), "zh"))
            note.font = Font(bold=True, color="C00000")
            r += 1
        _put(ws, r, 1, "未能对应到模板的行（原样保留）：").font = Font(bold=True)
        for k, u in enumerate(table.unmatched, 1):
            _put(ws, r + k, 1, u.text)
            for m, v in enumerate(u.values):
                _put(ws, r + k, layout.first_value_col + m, v)


def _unfilled_fill() -> PatternFill:
    return PatternFill(fill_type="lightUp", fgColor="117A85", bgColor=UNFILLED_FILL)


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'")[:31] or "表"
    out, n = base, 2
    while out in taken or out in _RESERVED:
        suffix = f"({n})"
        out, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(out)
    return out


def _header_row(ws: Worksheet, headers: list[str], widths: list[int]) -> None:
    for col, (h, w) in enumerate(zip(headers, widths, strict=True), 1):
        cell = _put(ws, 1, col, h)
        cell.font, cell.fill, cell.border = (
            Font(bold=True),
            PatternFill(fill_type="solid", fgColor=HEADER_FILL),
            _BORDER,
        )
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = "A2"


def _axis_label(table: Table, row_id: str, cols: bool = False) -> str:
    axes = table.columns if cols else table.rows
    return next((a.label for a in axes if a.id == row_id), row_id)


def _write_checks(ws: Worksheet, data: ExportInput) -> None:
    headers = [
        "表",
        "规则",
        "位置",
        "状态",
        "左边",
        "右边",
        "差额",
        "级别",
        "说明",
        "单元格",
        "实例",
        "建议更正",
    ]
    _header_row(ws, headers, [10, 18, 24, 14, 9, 9, 9, 8, 70, 40, 24, 50])
    hints = _suggestion_hints(data)
    tables = {t.id: t for t in data.document.tables}
    order = {t.id: i for i, t in enumerate(data.document.tables)}
    results = sorted(data.results, key=lambda x: order.get(x.instance.table_id, len(order)))
    for n, res in enumerate(results, 2):
        inst = res.instance
        table = tables.get(inst.table_id)
        name = table.name if table else {}
        row = [
            name.get("zh", inst.table_id),
            inst.rule.id,
            inst.where.get("zh", inst.key),
            STATUS_LABELS[res.status],
            side_json(res, True),
            side_json(res, False),
            plain_number(res.difference),
            {"error": "错误", "warning": "警告"}.get(inst.rule.severity, "提示"),
            render_message(res, "zh", name),
            "；".join(
                f"{_axis_label(table, r)} × {_axis_label(table, c, cols=True)}" if table else f"{r}:{c}"
                for _, r, c in inst.cells()
            ),
            inst.key,
            hints.get(res.uid, "") if res.status is CheckStatus.FAILED else _fill_in_hint(res),
        ]
        for col, v in enumerate(row, 1):
            cell = _put(ws, n, col, v)
            if res.red:
                cell.fill = PatternFill(fill_type="solid", fgColor=FAILED_FILL)
            elif res.status is CheckStatus.UNFILLED:
                cell.fill = PatternFill(fill_type="solid", fgColor=UNFILLED_FILL)
    n = len(results) + 2
    for table in data.document.tables:
        numbers = table.unplaced_numbers()
        if not numbers:
            continue
        message = render_unplaced(table.name, numbers, table.empty_cells(), "zh")
        line = [table.name.get("zh", table.id), "unplaced", "", "数字未放入表格", "", "", "", "警告", message]
        for col, v in enumerate(line, 1):
            _put(ws, n, col, v).fill = PatternFill(fill_type="solid", fgColor=FAILED_FILL)
        n += 1


def _fill_in_hint(res: CheckResult) -> str:
    """An unfilled total's suggested fill-in: the value its parts give."""
    fill = res.fill_in
    if fill is None or res.instance.defines is None:
        return ""
    return f"填入 {plain_number(fill)}（各项之和）"


def _suggestion_hints(data: ExportInput) -> dict[tuple[str, str, str], str]:
    """Failing check -> its group's best correction (checks/suggest.py), or why there is none."""
    analysis = analyse((data.document, data.results))
    out: dict[tuple[str, str, str], str] = {}
    for s in analysis.best():
        text = f"{s.message(data.document, 'zh')}（可信度 {s.score:.0%}）"
        out.update(dict.fromkeys(s.rules, text))
    for u in analysis.unexplained:
        out.update(dict.fromkeys(u.rules, u.message("zh")))
    return out


def _local(t: datetime) -> datetime:
    # Excel has no time zones: the clerk's local time, said so in the header.
    return t.astimezone().replace(tzinfo=None, microsecond=0)


def _write_edits(ws: Worksheet, document: Document) -> None:
    headers = ["表", "行", "列", "原值", "修改前", "更正值", "原因", "备注", "时间（本地）", "用户", "编号"]
    _header_row(ws, headers, [10, 40, 28, 9, 9, 9, 14, 24, 20, 12, 6])
    n = 2
    for k, edit in enumerate(document.edits):
        for ch in edit.changes:
            table = document.table(ch.table_id) if document.has_table(ch.table_id) else None
            printed = (
                table.cell(ch.row_id, ch.col_id).printed
                if table and table.has_cell(ch.row_id, ch.col_id)
                else None
            )
            row = [
                table.name.get("zh", ch.table_id) if table else ch.table_id,
                _axis_label(table, ch.row_id) if table else ch.row_id,
                _axis_label(table, ch.col_id, cols=True) if table else ch.col_id,
                plain_number(printed),
                plain_number(ch.old),
                plain_number(ch.new),
                REASON_LABELS[edit.reason]["zh"],
                edit.note,
                _local(edit.time),
                edit.user,
                k + 1,
            ]
            for col, v in enumerate(row, 1):
                cell = _put(ws, n, col, v)
                if isinstance(v, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
            n += 1


def _write_source(ws: Worksheet, data: ExportInput) -> None:
    doc = data.document
    s = doc.source
    template_name = data.template.name.get("zh", doc.template_id) if data.template else doc.template_id
    fmt_name = doc.format_id
    if data.template is not None:
        try:
            fmt_name = data.template.format(doc.format_id).name.get("zh", doc.format_id)
        except KeyError:
            pass
    rows = [
        ("文件", s.path),
        ("类型", s.kind),
        ("SHA-256", s.sha256),
        ("页数", s.pages),
        ("模板", f"{template_name}（{doc.template_id}）"),
        ("格式", f"{fmt_name}（{doc.format_id}）"),
        ("单位", doc.agency),
        ("年度", doc.year),
        (
            "审核状态",
            {"unreviewed": "未审核", "in_progress": "审核中", "reviewed": "已审核"}[doc.review_status.value],
        ),
        ("修改次数", len(doc.edits)),
        ("导出时间（本地）", datetime.now().replace(microsecond=0)),
        ("程序版本", f"tabledesk {__version__}"),
    ]
    rows += [("提示", w) for w in doc.warnings]
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 80
    for n, (k, v) in enumerate(rows, 1):
        _put(ws, n, 1, k).font = Font(bold=True)
        cell = _put(ws, n, 2, v)
        cell.alignment = Alignment(horizontal="left")
        if isinstance(v, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm:ss"


def build_workbook(data: ExportInput) -> Workbook:
    wb = Workbook()
    default = wb.active
    taken: set[str] = set()
    for table in data.document.tables:
        _write_table(wb.create_sheet(_sheet_name(table.name.get("zh") or table.id, taken)), data, table)
    _write_checks(wb.create_sheet(CHECKS_SHEET), data)
    _write_edits(wb.create_sheet(EDITS_SHEET), data.document)
    _write_source(wb.create_sheet(SOURCE_SHEET), data)
    wb.remove(default)
    return wb


def sheet_names(document: Document) -> dict[str, str]:
    """Table id -> the name of its sheet (as :func:`build_workbook` names them)."""
    taken: set[str] = set()
    return {t.id: _sheet_name(t.name.get("zh") or t.id, taken) for t in document.tables}


def workbook_bytes(data: ExportInput) -> bytes:
    buf = io.BytesIO()
    build_workbook(data).save(buf)
    return buf.getvalue()


def failing_cells(results: list[CheckResult]) -> set[tuple[str, str, str]]:
    """The cells the export fills red."""
    return {k for r in results if r.status is CheckStatus.FAILED for k in r.cells}
