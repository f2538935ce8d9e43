"""The Excel export: the template's tables laid out like the printed form (表二's blocks on one
sheet, as the form prints them; every other table on its own sheet), plus 校验 (every check,
problems first), 修改记录 (every edit) and 来源 (where the numbers came from).

Values are numbers (the corrected value, shown with its printed decimals). The marks survive a
black-and-white printer, each a border or symbol beside its fill: a cell still failing a rule
is framed in a thick border (with a comment naming the rule); the cell the suggestions think
most likely wrong in a failing group is framed in a double border, darker, its number followed
by "？"; a cell whose failing rules the clerk all accepted as printed (原文如此) is light grey
with a comment saying so and the note; an edited cell is framed dashed, blue, with a comment
"原值 X → Y（原因）"; a cell the source does not list is hatched grey with the comment 原文未列出
(a cell printed blank or with a dash holds 0, unmarked). A legend under each form says so.
Text is always written as text: a label or note that begins with = + - @ never becomes a
formula in Excel or WPS.

Every sheet prints on A4 landscape, one page wide, headers repeated (``xlsx_form.print_setup``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

import tabledesk.exports.lean_openpyxl  # noqa: F401 - before openpyxl: openpyxl without numpy

# isort: split
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tabledesk import __version__
from tabledesk.checks.engine import CheckResult, CheckStatus
from tabledesk.checks.messages import render_message, render_unplaced
from tabledesk.checks.suggest import Analysis, analyse
from tabledesk.core.decisions import Acceptance
from tabledesk.core.document import CellStatus, Document, Table
from tabledesk.core.edits import Edit
from tabledesk.core.values import format_number, plain_number
from tabledesk.exports.common import (
    ACCEPTED_LABEL,
    REASON_LABELS,
    ExportInput,
    document_name,
    last_edits,
    results_by_cell,
)
from tabledesk.exports.xlsx_form import (
    LINE_HEIGHT,
    SheetLayout,
    apply_font,
    lines_needed,
    print_setup,
    put,
    safe_text,
    set_widths,
    table_layout,
    write_frame,
)
from tabledesk.exports.xlsx_records import (
    ACCEPTED_FILL,
    CHECKS_SHEET,
    EDITS_SHEET,
    FAILED_FILL,
    SOURCE_SHEET,
    UNFILLED_FILL,
    heading,
    suggestion_text,
    write_checks,
    write_edits,
    write_source,
)

# Excel's own "bad" red, a darker red for the likeliest wrong cell and a light blue that stays
# readable when printed in grey; missing cells are hatched (a pattern prints in black and white).
LIKELY_FILL = "FF8B94"
EDITED_FILL = "BDD7EE"
MISSING_PATTERN = "gray125"
MISSING_NOTE = "原文未列出"
LIKELY_MARK = "？"
_RESERVED = {CHECKS_SHEET, EDITS_SHEET, SOURCE_SHEET}
LEGEND = (
    "图例：粗框 = 未通过校验；双线框加“？” = 该组校验中最可能有误的单元格；虚线框 = 已修改（批注为原值）；"
    "灰色网纹 = 原文未列出；浅灰 = 原文如此（按原文导出）；原文空白或“-”记为 0。"
)

_BLACK = "000000"
FAILED_BORDER = Border(*(Side(style="thick", color=_BLACK),) * 4)
LIKELY_BORDER = Border(*(Side(style="double", color=_BLACK),) * 4)
EDITED_BORDER = Border(*(Side(style="dashed", color=_BLACK),) * 4)


@dataclass(slots=True)
class SheetPlan:
    """One sheet of tables: its name, its title and where each table sits on it."""

    name: str
    title: str
    tables: list[Table]
    layouts: dict[str, SheetLayout] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return max((lay.width for lay in self.layouts.values()), default=1)


def _group(table: Table) -> str:
    # 表二's blocks share the title before the slash ("主动公开政府信息情况/第二十条第（一）项").
    return table.title.split("/")[0] if "/" in table.title else f"#{table.id}"


def sheet_plans(document: Document) -> list[SheetPlan]:
    """The table sheets in order: consecutive tables of one form (表二's blocks) share a sheet,
    a block title above each block, as the form prints them."""
    taken: set[str] = set()
    plans = []
    for _, run in groupby(document.tables, key=_group):
        tables = list(run)
        first = tables[0]
        zh = first.name.get("zh") or first.id
        if len(tables) == 1:
            plan = SheetPlan(_sheet_name(zh, taken), f"{zh}  {first.title.replace('/', ' ')}", tables)
            plan.layouts[first.id] = table_layout(first)
        else:
            common = re.sub(r"（[^（）]*）$", "", zh)  # 表二（一） -> 表二
            plan = SheetPlan(_sheet_name(common, taken), f"{common}  {_group(first)}", tables)
            row = 2
            for t in tables:
                plan.layouts[t.id] = lay = table_layout(t, title_row=row)
                row = lay.last_row + 1
        plans.append(plan)
    return plans


def sheet_layouts(document: Document) -> dict[str, tuple[str, SheetLayout]]:
    """Table id -> (its sheet's name, where it sits on that sheet)."""
    return {tid: (p.name, lay) for p in sheet_plans(document) for tid, lay in p.layouts.items()}


def sheet_names(document: Document) -> dict[str, str]:
    """Table id -> the name of its sheet (as :func:`build_workbook` names them)."""
    return {tid: name for tid, (name, _) in sheet_layouts(document).items()}


def _number_format(value: Decimal | None, mark: str = "") -> str:
    fmt = "0"
    exp = value.as_tuple().exponent if value is not None else 0
    if isinstance(exp, int) and exp < 0:
        fmt = "0." + "0" * -exp
    return f'{fmt}"{mark}"' if mark else fmt


def _comment(text: str) -> Comment:
    lines = text.count("\n") + 1
    c = Comment(safe_text(text), "tabledesk")
    c.width, c.height = 320, min(60 + 18 * lines, 400)
    return c


def edit_comment(printed: Decimal | None, value: Decimal | None, reason: str, note: str = "") -> str:
    """'原值 X → Y（原因）', the comment on an edited cell."""
    text = f"原值 {format_number(printed) or '空'} → {format_number(value) or '空'}（{reason}）"
    return text + (f"\n备注：{note}" if note else "")


@dataclass(frozen=True, slots=True)
class _Marks:
    """What the table sheets mark, worked out once per workbook."""

    by_cell: dict[tuple[str, str, str], list[CheckResult]]
    likely: dict[tuple[str, str, str], str]  # cell -> its group's best suggestion, in words
    edits: dict[tuple[str, str, str], Edit]
    accepted: dict[tuple[str, str, str], Acceptance]  # check uid -> 原文如此


def _likely_cells(data: ExportInput, analysis: Analysis) -> dict[tuple[str, str, str], str]:
    out: dict[tuple[str, str, str], str] = {}
    for s in analysis.best():
        for key in s.cells():
            out.setdefault(key, f"最可能有误：建议 {suggestion_text(data.document, analysis, s)}")
    return out


def _write_values(ws: Worksheet, table: Table, layout: SheetLayout, marks: _Marks) -> None:
    edits = marks.edits
    accepted = marks.accepted
    for i, row in enumerate(table.rows):
        for j, col in enumerate(table.columns):
            src = table.cells[i][j]
            key = (table.id, row.id, col.id)
            cell = put(ws, *layout.value_at(i, j), plain_number(src.value))
            cell.alignment = Alignment(horizontal="right", vertical="center")
            notes = []
            failed = [x for x in marks.by_cell.get(key, []) if x.status is CheckStatus.FAILED]
            # failures accepted as printed (原文如此) are no longer marked as failing
            failing = [x for x in failed if x.uid not in accepted]
            kept = [x for x in failed if x.uid in accepted]
            likely = marks.likely.get(key) if failing else None
            if src.value is not None:
                cell.number_format = _number_format(src.value, LIKELY_MARK if likely else "")
            if likely:
                cell.fill = PatternFill(fill_type="solid", fgColor=LIKELY_FILL)
                cell.border = LIKELY_BORDER
                cell.font = Font(bold=True)
                notes.append(likely)
            elif failing:
                cell.fill = PatternFill(fill_type="solid", fgColor=FAILED_FILL)
                cell.border = FAILED_BORDER
            elif kept:
                cell.fill = PatternFill(fill_type="solid", fgColor=ACCEPTED_FILL)
            if failing:
                notes.append("未通过校验：")
                notes += [f"[{x.instance.rule.id}] {render_message(x, 'zh', table.name)}" for x in failing]
            for x in kept:
                notes.append(
                    f"{ACCEPTED_LABEL}：[{x.instance.rule.id}] {render_message(x, 'zh', table.name)}"
                )
                if note := accepted[x.uid].note:
                    notes.append(f"备注：{note}")
            edit = edits.get(key)
            if src.edited:
                if not failed:
                    cell.fill = PatternFill(fill_type="solid", fgColor=EDITED_FILL)
                    cell.border = EDITED_BORDER
                reason = REASON_LABELS[edit.reason]["zh"] if edit else "已修改"
                notes.insert(0, edit_comment(src.printed, src.value, reason, edit.note if edit else ""))
            elif src.status is CellStatus.NOT_A_NUMBER:
                notes.append(f"原文“{src.raw}”不是数字")
            elif src.status is CellStatus.MISSING:
                if not failed:
                    cell.fill = PatternFill(fill_type=MISSING_PATTERN, fgColor="808080", bgColor="FFFFFF")
                notes.append(MISSING_NOTE)
            elif src.status is CellStatus.UNFILLED and not failing:
                cell.fill = _unfilled_fill()
                unfilled = [
                    x
                    for x in marks.by_cell.get(key, [])
                    if x.status is CheckStatus.UNFILLED and key in x.unfilled
                ]
                notes.append("原文此合计未填写（空白不是 0）")
                notes += [render_message(x, "zh", table.name) for x in unfilled if x.fill_in is not None][:2]
            if notes:
                cell.comment = _comment("\n".join(notes))


def _unfilled_fill() -> PatternFill:
    # a total the report left blank: its own colour, and a hatch that survives a black-and-white
    # printer (the colour alone would print as plain white, like any blank cell)
    return PatternFill(fill_type="lightUp", fgColor="117A85", bgColor=UNFILLED_FILL)


def _write_unmatched(ws: Worksheet, table: Table, layout: SheetLayout, row: int) -> int:
    """The source's rows that matched no template row, below the form (and the source's note
    that the table is empty on purpose); returns the next row."""
    if table.empty_note:
        put(ws, row, 1, f"原文注明：{table.empty_note}")
        row += 1
    if not table.unmatched:
        return row
    numbers = table.unplaced_numbers()
    if numbers:  # said above the rows, where the clerk reads first
        note = put(ws, row, 1, render_unplaced(table.name, numbers, table.empty_cells(), "zh"))
        note.font = Font(bold=True, color="C00000")
        row += 1
    put(ws, row, 1, f"{table.name.get('zh', table.id)} 未能对应到模板的行（原样保留）：").font = Font(
        bold=True
    )
    for k, u in enumerate(table.unmatched, 1):
        put(ws, row + k, 1, u.text)
        for m, v in enumerate(u.values):
            put(ws, row + k, layout.first_value_col + m, v)
    return row + len(table.unmatched) + 1


def _write_plan(ws: Worksheet, data: ExportInput, plan: SheetPlan, marks: _Marks) -> None:
    doc = data.document
    grouped = len(plan.tables) > 1
    if grouped:
        put(ws, 1, 1, plan.title).font = Font(bold=True, size=12)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=plan.width)
    for table in plan.tables:
        layout = plan.layouts[table.id]
        spec = None
        if data.template is not None:
            try:
                spec = data.template.table(table.id)
            except KeyError:
                spec = None
        title = table.title.split("/", 1)[1] if grouped else plan.title
        if table.unit:  # the form prints its unit by its title: so does the sheet
            title += f"（单位：{table.unit}）"
        write_frame(
            ws, table, layout, spec.corner if spec else "", title, layout.width if grouped else plan.width
        )
        _write_values(ws, table, layout, marks)
    layouts = list(plan.layouts.values())
    set_widths(ws, [(t, plan.layouts[t.id]) for t in plan.tables])
    last = max(lay.last_row for lay in layouts)
    row = last + 2
    for table in plan.tables:
        row = _write_unmatched(ws, table, plan.layouts[table.id], row)
    legend = put(ws, row, 1, LEGEND)
    legend.font = Font(size=9)
    legend.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=plan.width)
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, plan.width + 1))
    ws.row_dimensions[row].height = LINE_HEIGHT * lines_needed(LEGEND, width * 11 / 9)  # 9-point text
    first = layouts[0]
    if not grouped:
        ws.freeze_panes = ws.cell(row=first.first_value_row, column=first.first_value_col)
    print_setup(
        ws,
        heading(doc, plan.title),
        title_rows=None if grouped else (1, first.first_value_row - 1),
        title_cols=max(lay.label_cols for lay in layouts),
    )


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'")[:31] or "表"
    out, n = base, 2
    while out in taken or out in _RESERVED:
        suffix = f"({n})"
        out, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(out)
    return out


def build_workbook(data: ExportInput) -> Workbook:
    wb = Workbook()
    default = wb.active
    analysis = analyse((data.document, data.results))
    marks = _Marks(
        results_by_cell(data.results),
        _likely_cells(data, analysis),
        last_edits(data.document),
        data.document.accepted,
    )
    for plan in sheet_plans(data.document):
        _write_plan(wb.create_sheet(plan.name), data, plan, marks)
    write_checks(wb.create_sheet(CHECKS_SHEET), data, analysis)
    write_edits(wb.create_sheet(EDITS_SHEET), data.document)
    write_source(wb.create_sheet(SOURCE_SHEET), data)
    wb.remove(default)
    apply_font(wb)
    doc = data.document
    wb.properties.creator = wb.properties.lastModifiedBy = f"tabledesk {__version__}"
    wb.properties.title = " ".join(
        x for x in (doc.agency, f"{doc.year}年度" if doc.year else "", "政府信息公开工作年度报告 报表") if x
    )
    wb.properties.subject = document_name(data)
    wb.properties.keywords = "tabledesk"
    return wb


def workbook_bytes(data: ExportInput) -> bytes:
    buf = io.BytesIO()
    build_workbook(data).save(buf)
    return buf.getvalue()


def failing_cells(results: list[CheckResult]) -> set[tuple[str, str, str]]:
    """The cells the export marks as failing."""
    return {k for r in results if r.status is CheckStatus.FAILED for k in r.cells}
