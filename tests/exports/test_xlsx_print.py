"""The Excel export on paper: page setup, print titles, header and footer read back with
openpyxl; marks that survive a black-and-white printer; the 校验 sheet problems first; and (with
LibreOffice and the corpus) the real page count of hongze-2023's workbook."""

from __future__ import annotations

import random
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from tabledesk.checks.engine import CheckStatus
from tabledesk.core.document import CellStatus
from tabledesk.core.edits import CellChange, Edit
from tabledesk.exports.writer import write_export
from tabledesk.exports.xlsx_export import (
    CHECKS_SHEET,
    EDITS_SHEET,
    LIKELY_MARK,
    MISSING_NOTE,
    MISSING_PATTERN,
    SOURCE_SHEET,
    sheet_layouts,
)
from tabledesk.exports.xlsx_form import FONT
from tabledesk.exports.xlsx_records import CHECK_HEADERS
from tabledesk.review.review import Review
from tabledesk.templates.registry import template_by_id
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """A generated 2021 report with: a failing 表四 total (so a likeliest cell), an edited
    cell, a cell missing from the source and one printed blank."""
    doc = document_from_spec(random_spec(random.Random(5), "2021", agency="测试县人民政府", year=2023))
    review = Review(doc, template_by_id(doc.template_id))
    wrong = ("t4", "all", "review.total")
    old = doc.cell(*wrong).value
    review.apply(Edit((CellChange(*wrong, old, old + 7),)))
    edited = ("t2.item1", "normative", "issued")  # a correction outside any rule
    old = doc.cell(*edited).value
    review.apply(Edit((CellChange(*edited, old, old + 1),)))
    missing = ("t2.item5", "licensing", "decisions")
    cell = doc.cell(*missing)
    cell.printed = cell.value = None
    cell.status, cell.raw = CellStatus.MISSING, ""
    blank = ("t2.item1", "normative", "repealed")
    cell = doc.cell(*blank)
    cell.printed = cell.value = Decimal(0)
    cell.status, cell.raw = CellStatus.BLANK, "-"
    review = Review(doc, template_by_id(doc.template_id))  # re-checked with the missing cell
    path = tmp_path_factory.mktemp("print") / "report.xlsx"
    write_export(review, path)
    keys = {"wrong": wrong, "edited": edited, "missing": missing, "blank": blank}
    return review, path, openpyxl.load_workbook(path), keys


def _cell(wb, doc, key):
    name, lay = sheet_layouts(doc)[key[0]]
    t = doc.table(key[0])
    return wb[name].cell(*lay.value_at(t.row_index(key[1]), t.col_index(key[2])))


def test_every_sheet_prints_a4_one_page_wide_with_agency_year_and_page_numbers(printed):
    review, _, wb, _ = printed
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4) == 9, ws.title
        assert setup.orientation == ("portrait" if ws.title == SOURCE_SHEET else "landscape"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        header = ws.oddHeader.center.text
        assert "测试县人民政府" in header and "2023年度" in header, ws.title
        assert ws.oddFooter.center.text == "第&P页/共&N页", ws.title
    assert (
        "表三" in wb["表三"].oddHeader.center.text and CHECKS_SHEET in wb[CHECKS_SHEET].oddHeader.center.text
    )


def test_form_headers_and_row_labels_repeat_on_every_page(printed):
    review, _, wb, _ = printed
    name, lay = sheet_layouts(review.document)["t3"]
    ws = wb[name]
    # the title and the three header rows of 表三, and its three label columns
    assert ws.print_title_rows == f"$1:${lay.first_value_row - 1}" == "$1:$4"
    assert ws.print_title_cols == "$A:$C"
    assert wb[CHECKS_SHEET].print_title_rows == "$1:$1"
    assert wb[EDITS_SHEET].print_title_rows == "$1:$1"


def test_b_and_w_marks_failing_likeliest_edited_missing_blank(printed):
    review, _, wb, keys = printed
    doc = review.document
    failing = {k for r in review.results if r.status is CheckStatus.FAILED for k in r.cells}
    assert keys["wrong"] in failing
    likely = _cell(wb, doc, keys["wrong"])
    # the cell the suggestion names stands out: double border, bold, its number followed by ？
    assert likely.border.left.style == "double" and likely.font.b
    assert likely.number_format.endswith(f'"{LIKELY_MARK}"') and isinstance(likely.value, int)
    assert "最可能有误" in likely.comment.text
    others = [k for k in failing if k != keys["wrong"] and not doc.cell(*k).edited]
    assert others
    for k in others:  # the rest of the failing rule: a thick border, no ？
        c = _cell(wb, doc, k)
        assert c.border.left.style == "thick" and LIKELY_MARK not in c.number_format
    miss = _cell(wb, doc, keys["missing"])
    assert miss.value is None and miss.fill.fill_type == MISSING_PATTERN
    assert MISSING_NOTE in miss.comment.text
    blank = _cell(wb, doc, keys["blank"])  # printed as a dash: 0, intentionally empty, unmarked
    assert blank.value == 0 and blank.fill.fill_type is None and blank.comment is None
    edited = _cell(wb, doc, keys["edited"])
    assert edited.border.left.style == "dashed" and edited.comment.text.startswith("原值 ")
    # the legend says what the marks mean, below each form
    for name in {name for name, _ in sheet_layouts(doc).values()}:
        ws = wb[name]
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert any(t.startswith("图例") and MISSING_NOTE in t for t in texts), ws.title


def test_checks_sheet_lists_problems_first_with_filters_and_chinese_labels(printed):
    review, _, wb, _ = printed
    ws = wb[CHECKS_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == CHECK_HEADERS
    status = [r[CHECK_HEADERS.index("状态")] for r in rows[1:]]
    rank = {"未通过": 0, "数据不全": 1, "通过（四舍五入误差内）": 2, "通过": 3}
    assert status[0] == "未通过" and [rank[s] for s in status] == sorted(rank[s] for s in status)
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(CHECK_HEADERS))}{len(rows)}"
    # no instance ids such as all/review; cells named by their labels
    for r in rows[1:]:
        assert "all/review" not in " ".join(str(v) for v in r if v is not None)
    failed = rows[1]
    assert "行政复议" in failed[CHECK_HEADERS.index("涉及单元格")]
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGHIJ"]
    assert min(widths) >= 6 and widths[CHECK_HEADERS.index("说明")] >= 40


def test_font_renders_chinese_and_properties_name_tabledesk(printed):
    review, _, wb, _ = printed
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    assert c.font.name == FONT, (ws.title, c.coordinate)
    assert wb.properties.creator.startswith("tabledesk")
    assert "测试县人民政府" in wb.properties.title and "2023" in wb.properties.title


# ----------------------------------------------------------------------------- on paper
def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    return exe


@pytest.mark.corpus
def test_hongze_2023_prints_on_at_most_ten_pages_each_table_one_page_wide(tmp_path, corpus):
    """Converted to PDF by LibreOffice headless: was 20 pages (表三 across three, numbers without
    labels); now each table fits one page wide, with its labels, and the lot at most 10 pages."""
    pdfium = pytest.importorskip("pypdfium2")
    soffice = _soffice()
    review = Review.open(corpus / "hongze-district-2023.pdf")
    xlsx = tmp_path / "hongze.xlsx"
    write_export(review, xlsx)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(xlsx)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = pdfium.PdfDocument(tmp_path / "hongze.pdf")
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert len(texts) <= 10, len(texts)
    # Each table on one page (its title in the page header): its first and last row labels
    # and its last columns all on that page, so no page shows numbers without labels.
    for title, wanted in (
        (
            "主动公开政府信息情况",
            ("第二十条第（一）项", "现行有效件数", "第二十条第（八）项", "行政事业性收费"),
        ),
        (
            "收到和处理政府信息公开申请情况",
            ("一、本年新收政府信息公开申请数量", "四、结转下年度继续办理", "总计"),
        ),
        ("政府信息公开行政复议、行政诉讼情况", ("件数", "行政复议", "复议后起诉", "尚未审结")),
    ):
        pages = [t for t in texts if title in t]
        assert len(pages) == 1, (title, len(pages))
        assert all(w in pages[0] for w in wanted), title
    assert all("洪泽区人民政府" in t and "2023年度" in t for t in texts)
