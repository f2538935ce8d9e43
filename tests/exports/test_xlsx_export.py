"""The Excel export read back with openpyxl and pandas: the grids as numbers, the form's merged
headers, red cells where checks fail, blue where the clerk corrected, the 校验 / 修改记录 / 来源
sheets, and text that never turns into a formula."""

from __future__ import annotations

import random
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tabledesk.checks.engine import CheckStatus
from tabledesk.core.document import UnmatchedRow
from tabledesk.core.edits import CellChange, Edit, EditReason
from tabledesk.core.values import plain_number
from tabledesk.exports.common import ExportInput
from tabledesk.exports.writer import write_export
from tabledesk.exports.xlsx_export import (
    CHECKS_SHEET,
    EDITED_FILL,
    EDITS_SHEET,
    FAILED_FILL,
    LIKELY_FILL,
    SOURCE_SHEET,
    failing_cells,
    sheet_layouts,
    sheet_names,
)
from tabledesk.review.review import Review
from tabledesk.templates.registry import template_by_id
from tests.conftest import CORPUS
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import inject_error, random_spec


def _review() -> tuple[Review, str]:
    """Hongze 2023 (表四 fails twice as published) when the corpus is here, else a generated
    report with one injected error."""
    pdf = CORPUS / "hongze-district-2023.pdf"
    if pdf.is_file():
        return Review.open(pdf), "hongze"
    spec = random_spec(random.Random(7), "2021")
    inject_error(spec, random.Random(7))
    doc = document_from_spec(spec)
    return Review(doc, template_by_id(doc.template_id)), "generated"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    review, origin = _review()
    failing_before = [r for r in review.results if r.status is CheckStatus.FAILED]
    assert failing_before, "the fixture must have a failing check"
    if origin == "hongze":
        assert len(failing_before) == 2 and {r.instance.table_id for r in failing_before} == {"t4"}
    doc = review.document
    # A correction outside any rule (blue) and one that leaves its check failing (red wins).
    blue = ("t2.item1", "normative", "issued")
    old = doc.cell(*blue).value
    review.apply(
        Edit(
            (CellChange(*blue, old, (old or Decimal(0)) + 1),),
            reason=EditReason.SOURCE_INCONSISTENT,
            note="见正文",
        )
    )
    red = failing_before[0].cells[0]
    old = doc.cell(*red).value
    review.apply(Edit((CellChange(*red, old, (old or Decimal(0)) + 1000),)))
    path = tmp_path_factory.mktemp("xlsx") / "review.xlsx"
    assert write_export(review, path) == "xlsx"
    return review, path, openpyxl.load_workbook(path), blue, red


def test_sheets_are_the_tables_then_checks_edits_source(exported):
    review, _, wb, *_ = exported
    names = sheet_names(review.document)
    assert wb.sheetnames == [*dict.fromkeys(names.values()), CHECKS_SHEET, EDITS_SHEET, SOURCE_SHEET]
    assert names["t3"] == "表三" and names["t4"] == "表四"
    # 表二's blocks on one sheet, as the form prints them
    assert {names[t.id] for t in review.document.tables if t.id.startswith("t2.")} == {"表二"}


def test_grids_read_back_as_numbers_with_openpyxl_and_pandas(exported):
    review, path, wb, *_ = exported
    places = sheet_layouts(review.document)
    frames = pd.read_excel(path, sheet_name=None, header=None)
    for table in review.document.tables:
        name, lay = places[table.id]
        ws, frame = wb[name], frames[name]
        for i, row in enumerate(table.rows):
            for j, _col in enumerate(table.columns):
                want = plain_number(table.cells[i][j].value)
                r, c = lay.value_at(i, j)
                got = ws.cell(row=r, column=c).value
                assert got == want and type(got) is type(want), (table.id, i, j)
                cell = frame.iat[r - 1, c - 1]
                assert (pd.isna(cell) and want is None) or cell == want
            # the row's own label sits in its row, in the label columns
            labels = [
                ws.cell(row=lay.value_at(i, 0)[0], column=k).value for k in range(1, lay.label_cols + 1)
            ]
            assert row.leaf_label in labels


def test_header_and_row_groups_are_merged_like_the_form(exported):
    review, _, wb, *_ = exported
    t3 = review.document.table("t3")
    ws, lay = wb["表三"], sheet_layouts(review.document)["t3"][1]
    assert lay.header_rows == 3 and lay.label_cols == 3
    merged = {str(m): m for m in ws.merged_cells.ranges}

    def span_of(text: str) -> tuple[int, int, int, int]:
        for m in merged.values():
            if ws.cell(row=m.min_row, column=m.min_col).value == text:
                return m.min_row, m.min_col, m.max_row, m.max_col
        raise AssertionError(f"{text} not merged")

    first, last = lay.first_value_col, lay.first_value_col + lay.n_cols - 1
    assert span_of("申请人情况") == (2, first, 2, last)
    legal = [j for j, c in enumerate(t3.columns) if c.id.startswith("legal.")]
    assert span_of("法人或其他组织") == (3, first + legal[0], 3, first + legal[-1])
    assert span_of("自然人")[0::2] == (3, 4)  # a leaf header spans down to the values
    results = [i for i, r in enumerate(t3.rows) if r.id.startswith("results")]
    top = lay.first_value_row
    assert span_of("三、本年度办理结果") == (top + results[0], 1, top + results[-1], 1)
    assert span_of("一、本年新收政府信息公开申请数量") == (top, 1, top, 3)


def test_red_where_checks_fail_blue_where_corrected(exported):
    review, _, wb, blue, red = exported
    doc = review.document
    places = sheet_layouts(doc)
    failing = failing_cells(review.results)
    assert red in failing and blue not in failing
    seen_red, seen_blue = set(), set()
    for table in doc.tables:
        name, lay = places[table.id]
        ws = wb[name]
        for i, row in enumerate(table.rows):
            for j, col in enumerate(table.columns):
                cell = ws.cell(*lay.value_at(i, j))
                color = cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else None
                key = (table.id, row.id, col.id)
                if color in (FAILED_FILL, LIKELY_FILL):
                    seen_red.add(key)
                    rules = {
                        r.instance.rule.id
                        for r in review.results
                        if key in r.cells and r.status is CheckStatus.FAILED
                    }
                    assert all(f"[{rule}]" in cell.comment.text for rule in rules)
                elif color == EDITED_FILL:
                    seen_blue.add(key)
    assert seen_red == failing
    assert seen_blue == {blue}
    t2 = doc.table("t2.item1")
    name, lay = places["t2.item1"]
    note = wb[name].cell(*lay.value_at(t2.row_index("normative"), t2.col_index("issued")))
    printed = doc.cell(*blue).printed
    assert note.comment.text.startswith(f"原值 {printed} → {printed + 1}（原文数据有误）")
    r_table = doc.table(red[0])
    name, lay = places[red[0]]
    r_cell = wb[name].cell(*lay.value_at(r_table.row_index(red[1]), r_table.col_index(red[2])))
    assert r_cell.comment.text.startswith("原值 ") and "未通过校验" in r_cell.comment.text


def test_checks_edits_and_source_sheets(exported):
    review, path, wb, blue, red = exported
    checks = pd.read_excel(path, sheet_name=CHECKS_SHEET)
    assert len(checks) == len(review.results)
    n_failed = sum(r.status is CheckStatus.FAILED for r in review.results)
    assert (checks["状态"] == "未通过").sum() == n_failed
    edits = pd.read_excel(path, sheet_name=EDITS_SHEET)
    assert len(edits) == 2
    first = edits.iloc[0]
    printed = review.document.cell(*blue).printed
    assert first["原值"] == printed and first["更正值"] == printed + 1
    assert first["原因"] == "原文数据有误" and first["备注"] == "见正文"
    assert first["用户"] == review.document.edits[0].user or pd.isna(first["用户"])
    assert isinstance(first["时间（本地）"], pd.Timestamp)
    src = {r[0]: r[1] for r in wb[SOURCE_SHEET].iter_rows(values_only=True)}
    s = review.document.source
    assert src["SHA-256"] == s.sha256 and src["页数"] == s.pages
    # the file's name, never the clerk's local folder
    assert src["文件"] == Path(s.path).name and str(Path(s.path).parent) not in src["文件"]
    assert "2021" in src["格式"] and src["年度"] == review.document.year
    assert src["程序版本"].startswith("tabledesk ")


def test_text_starting_with_formula_characters_stays_text(tmp_path):
    doc = document_from_spec(random_spec(random.Random(11), "2021", agency='=HYPERLINK("http://x","点我")'))
    doc.source.path = "+cmd|' -C calc'!A0.pdf"
    doc.warnings.append("-2+3")
    key = ("t3", "new", "natural")
    old = doc.cell(*key).value
    doc.apply(Edit((CellChange(*key, old, old + 1),), note="@SUM(A1:A2)"))
    doc.table("t3").unmatched.append(UnmatchedRow("=1+1", ["=2+2", "-3"]))
    path = tmp_path / "inject.xlsx"
    review = Review(doc, template_by_id(doc.template_id))
    write_export(review, path)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    wb = openpyxl.load_workbook(path)
    texts = {c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for t in (
        '=HYPERLINK("http://x","点我")',
        "+cmd|' -C calc'!A0.pdf",
        "-2+3",
        "@SUM(A1:A2)",
        "=1+1",
        "=2+2",
    ):
        assert t in texts
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f"


def test_decimals_keep_their_printed_places(tmp_path):
    doc = document_from_spec(random_spec(random.Random(2), "2021"))
    cell = doc.cell("t2.item8", "fees", "amount")
    cell.printed = cell.value = Decimal("7730.50")
    path = tmp_path / "amount.xlsx"
    write_export(ExportInput(doc, [], template_by_id(doc.template_id)), path)
    name, lay = sheet_layouts(doc)["t2.item8"]
    c = openpyxl.load_workbook(path)[name].cell(*lay.value_at(0, 0))
    assert c.value == 7730.5 and c.number_format == "0.00"
