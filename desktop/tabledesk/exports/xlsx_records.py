"""The record sheets of the Excel export: 校验 (every check, problems first, filterable),
修改记录 (every edit) and 来源 (the source by file name and hash, the template, the program)."""

from __future__ import annotations

from datetime import datetime

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tabledesk import __version__
from tabledesk.checks.engine import CheckResult, CheckStatus
from tabledesk.checks.messages import render_message, render_unplaced, side_json
from tabledesk.checks.suggest import Analysis, Suggestion
from tabledesk.core.document import Document, Table
from tabledesk.core.values import plain_number
from tabledesk.exports.common import ACCEPTED_LABEL, REASON_LABELS, STATUS_LABELS, ExportInput, document_name
from tabledesk.exports.xlsx_form import BORDER, HEADER_FILL, fit_row, print_setup, put

FAILED_FILL = "FFC7CE"  # Excel's own "bad" red
UNFILLED_FILL = "B7E1E6"  # a total the report left blank: its own colour
ACCEPTED_FILL = "E7E6E6"  # a failure accepted as printed (原文如此): light grey, not red
CHECKS_SHEET = "校验"
EDITS_SHEET = "修改记录"
SOURCE_SHEET = "来源"


def heading(doc: Document, what: str) -> str:
    """The printed page header: agency, year, sheet."""
    year = f"{doc.year}年度" if doc.year else ""
    return "  ".join(x for x in (doc.agency, year, what) if x)


def _header_row(ws: Worksheet, headers: list[str], widths: list[int]) -> None:
    for col, (h, w) in enumerate(zip(headers, widths, strict=True), 1):
        cell = put(ws, 1, col, h)
        cell.font, cell.fill, cell.border = (
            Font(bold=True),
            PatternFill(fill_type="solid", fgColor=HEADER_FILL),
            BORDER,
        )
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = "A2"


def _axis_label(table: Table, row_id: str, cols: bool = False) -> str:
    axes = table.columns if cols else table.rows
    return next((a.label for a in axes if a.id == row_id), row_id)


# Problems first (what a reviewer works through), then what passed.
_CHECK_ORDER = {
    CheckStatus.FAILED: 0,
    CheckStatus.UNFILLED: 1,
    CheckStatus.INCOMPLETE: 2,
    CheckStatus.WITHIN_ROUNDING: 3,
    CheckStatus.PASSED: 4,
}
CHECK_HEADERS = [
    "表",
    "状态",
    "级别",
    "说明",
    "左边",
    "右边",
    "差额",
    "建议更正",
    "处理",
    "涉及单元格",
    "规则编号",
]
CHECK_WIDTHS = [8, 12, 6, 50, 8, 8, 8, 30, 16, 30, 16]


def write_checks(ws: Worksheet, data: ExportInput, analysis: Analysis) -> None:
    """One line per check: failed, then incomplete (cells missing), then passed; the cells a
    problem involves are listed (a passed check's are not: they would fill pages). A failed
    check the clerk accepted as printed says 原文如此 (status, and 处理 with the note), grey."""
    _header_row(ws, CHECK_HEADERS, CHECK_WIDTHS)
    widths = {n: float(w) for n, w in enumerate(CHECK_WIDTHS, 1)}
    hints = _suggestion_hints(data, analysis)
    tables = {t.id: t for t in data.document.tables}
    order = {t.id: i for i, t in enumerate(data.document.tables)}
    results = sorted(
        data.results,
        key=lambda x: (_CHECK_ORDER[x.status], order.get(x.instance.table_id, len(order))),
    )
    wrap = Alignment(vertical="top", wrap_text=True)
    for n, res in enumerate(results, 2):
        inst = res.instance
        table = tables.get(inst.table_id)
        name = table.name if table else {}
        problem = res.status in (CheckStatus.FAILED, CheckStatus.INCOMPLETE, CheckStatus.UNFILLED)
        failed = res.status is CheckStatus.FAILED
        decision = data.document.accepted.get(res.uid) if failed else None
        row = [
            name.get("zh", inst.table_id),
            ACCEPTED_LABEL if decision is not None else STATUS_LABELS[res.status],
            {"error": "错误", "warning": "警告"}.get(inst.rule.severity, "提示"),
            render_message(res, "zh", name),
            side_json(res, True),
            side_json(res, False),
            plain_number(res.difference),
            (hints.get(res.uid, "") if decision is None else "") if failed else _fill_in_hint(res),
            (f"{ACCEPTED_LABEL}（{decision.note}）" if decision.note else ACCEPTED_LABEL) if decision else "",
            "；".join(
                f"{_axis_label(table, r)} × {_axis_label(table, c, cols=True)}" if table else f"{r}:{c}"
                for _, r, c in inst.cells()
            )
            if problem
            else "",
            inst.rule.id,
        ]
        for col, v in enumerate(row, 1):
            cell = put(ws, n, col, v)
            cell.alignment = wrap
            cell.border = BORDER
            if decision is not None:
                cell.fill = PatternFill(fill_type="solid", fgColor=ACCEPTED_FILL)
            elif res.red:
                cell.fill = PatternFill(fill_type="solid", fgColor=FAILED_FILL)
            elif res.status is CheckStatus.UNFILLED:
                cell.fill = PatternFill(fill_type="solid", fgColor=UNFILLED_FILL)
        if decision is None and (res.red or res.status is CheckStatus.UNFILLED):
            ws.cell(row=n, column=2).font = Font(bold=True)  # in bold: visible in grey too
        fit_row(ws, n, widths)
    n = len(results) + 2
    for table in data.document.tables:
        numbers = table.unplaced_numbers()
        if not numbers:
            continue
        message = render_unplaced(table.name, numbers, table.empty_cells(), "zh")
        line = [
            table.name.get("zh", table.id),
            "数字未放入表格",
            "警告",
            message,
            "",
            "",
            "",
            "",
            "",
            "unplaced",
        ]
        for col, v in enumerate(line, 1):
            cell = put(ws, n, col, v)
            cell.alignment, cell.border = wrap, BORDER
            cell.fill = PatternFill(fill_type="solid", fgColor=FAILED_FILL)
        fit_row(ws, n, widths)
        n += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(CHECK_HEADERS))}{max(2, n - 1)}"
    print_setup(ws, heading(data.document, CHECKS_SHEET), title_rows=(1, 1))


def _fill_in_hint(res: CheckResult) -> str:
    """An unfilled total's suggested fill-in: the value its parts give."""
    fill = res.fill_in
    if fill is None or res.instance.defines is None:
        return ""
    return f"填入 {plain_number(fill)}（各项之和）"


def _suggestion_hints(data: ExportInput, analysis: Analysis) -> dict[tuple[str, str, str], str]:
    """Failing check -> its group's best correction with its confidence (checks/suggest.py) —
    or, where several single changes explain the group about equally well, each of them — or
    why there is none."""
    out: dict[tuple[str, str, str], str] = {}
    for s in analysis.best():
        out.update(dict.fromkeys(s.rules, suggestion_text(data.document, analysis, s)))
    for u in analysis.unexplained:
        out.update(dict.fromkeys(u.rules, u.message("zh")))
    return out


def suggestion_text(document: Document, analysis: Analysis, s: Suggestion) -> str:
    """'… 0 → 11？（各项之和）（可信度 98%）', or '可能是以下之一：1. …（可信度 62%）2. …'."""
    alternatives = analysis.alternatives(s)
    if not alternatives:
        return s.described(document, "zh")
    return "可能是以下之一：\n" + "\n".join(
        f"{k}. {x.described(document, 'zh')}" for k, x in enumerate(alternatives, 1)
    )


def _local(t: datetime) -> datetime:
    # Excel has no time zones: the clerk's local time, said so in the header.
    return t.astimezone().replace(tzinfo=None, microsecond=0)


def write_edits(ws: Worksheet, document: Document) -> None:
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
                cell = put(ws, n, col, v)
                cell.border = BORDER
                if isinstance(v, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
            n += 1
    print_setup(ws, heading(document, EDITS_SHEET), title_rows=(1, 1))


def write_source(ws: Worksheet, data: ExportInput) -> None:
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
        # the file's name and its hash identify it; the clerk's local folder is nobody's business
        ("文件", document_name(data)),
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
        put(ws, n, 1, k).font = Font(bold=True)
        cell = put(ws, n, 2, v)
        cell.alignment = Alignment(horizontal="left", wrap_text=True)
        if isinstance(v, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
    print_setup(ws, heading(doc, SOURCE_SHEET), landscape=False)
