"""Tables lined up with spaces (a PDF viewer's layout copy, ``pdftotext -layout``): cells by
display column, blank cells kept in their columns, prose kept as prose."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from tabledesk.checks.engine import CheckStatus
from tabledesk.core.source import RawTable
from tabledesk.review.review import Review
from tabledesk.sources.aligned_text import chunks
from tabledesk.sources.text import parse_text
from tests.fixtures.final_accounts.generate import generate
from tests.fixtures.final_accounts.spec import iter_cells
from tests.fixtures.final_accounts.text import render_text, write_text
from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import render_text as render_disclosure

PROBLEMS = (CheckStatus.FAILED, CheckStatus.INCOMPLETE, CheckStatus.UNFILLED)


def display(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lined_up(rows: list[list[str]], right: set[int], width=display, gap: int = 2) -> str:  # noqa: ANN001
    """Rows padded into columns the way a layout copy pads them: ``right`` columns right-aligned,
    the rest left-aligned, columns ``gap`` apart, widths measured by ``width``."""
    widths = [max(width(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for c, (text, w) in enumerate(zip(row, widths, strict=True)):
            pad = " " * (w - width(text))
            cells.append(pad + text if c in right else text + pad)
        lines.append((" " * gap).join(cells).rstrip())
    return "\n".join(lines) + "\n"


def texts(table: RawTable) -> list[list[str | None]]:
    return [[None if c is None else c.text for c in row] for row in table.cells]


BALANCE = [
    ["项目", "行次", "金额", "项目", "行次", "金额"],
    ["一、一般公共预算财政拨款收入", "1", "10,434.93", "一般公共服务支出", "13", ""],
    ["二、事业收入", "2", "", "教育支出", "14", "500.00"],
    ["", "", "", "卫生健康支出", "15", "9,934.93"],
    ["总计", "3", "10,434.93", "总计", "16", "10,434.93"],
]


@pytest.mark.parametrize("seed", [0, 4, 40])
def test_a_space_aligned_final_accounts_report_is_read_whole_and_balances(tmp_path, seed):
    # seed 4 prints blank rows of figures, seed 40 a 三公 table whose only row is all blank
    spec = generate(seed)
    review = Review.open(write_text(spec, tmp_path / "copy.txt", style="spaces"))
    doc = review.document
    assert doc.template_id == "dept-final-accounts"
    wrong = [
        (c.table, c.row, c.col)
        for c in iter_cells(spec)
        if not doc.has_cell(c.table, c.row, c.col) or doc.cell(c.table, c.row, c.col).value != c.value
    ]
    assert wrong == []
    assert [r.instance.rule.id for r in review.results if r.status in PROBLEMS] == []


def test_blank_cells_stay_in_their_columns():
    tables, lines = parse_text("收入支出决算总表    公开01表\n" + lined_up(BALANCE, right={1, 2, 4, 5}))
    assert len(tables) == 1
    assert texts(tables[0]) == BALANCE
    assert [ln.text for ln in lines] == ["收入支出决算总表 公开01表"]  # the title stays prose


def test_cells_point_at_their_characters():
    text = lined_up(BALANCE, right={1, 2, 4, 5})
    (table,), _ = parse_text(text)
    raw = text.splitlines()
    for row in table.cells:
        for cell in row:
            assert cell is not None and cell.prov.line is not None and cell.prov.chars is not None
            a, b = cell.prov.chars
            assert raw[cell.prov.line - 1][a:b] == cell.text


def test_a_header_word_centred_over_its_column_is_its_header():
    text = (
        "项目                  金额      行次\n"
        "一、财政拨款收入  1,234.56         1\n"
        "二、事业收入                       2\n"
        "总计              1,234.56         3\n"
    )
    (table,), _ = parse_text(text)
    assert texts(table) == [
        ["项目", "金额", "行次"],
        ["一、财政拨款收入", "1,234.56", "1"],
        ["二、事业收入", "", "2"],
        ["总计", "1,234.56", "3"],
    ]


def test_a_merged_header_spreads_over_its_columns_without_cells_under_it():
    text = lined_up(
        [
            ["科目名称", "合计", "基本支出", "", "项目支出"],
            ["", "", "人员经费", "公用经费", ""],
            ["行政运行", "12.00", "10.00", "2.00", ""],
        ],
        right={1, 2, 3, 4},
    )
    (table,), _ = parse_text(text)
    assert texts(table)[:2] == [
        ["科目名称", "合计", "基本支出", None, "项目支出"],
        [None, None, "人员经费", "公用经费", None],
    ]
    assert texts(table)[2] == ["行政运行", "12.00", "10.00", "2.00", ""]


def test_text_padded_by_characters_is_read_by_characters():
    # pdftotext -layout pads one column a character: a CJK label then misaligns on screen
    text = lined_up(BALANCE, right={1, 2, 4, 5}, width=len, gap=3)
    (table,), _ = parse_text(text)
    assert texts(table) == BALANCE


def test_chunks_measure_cjk_two_columns_wide():
    found, _ = chunks("行政许可   550")
    assert [(c.text, c.start, c.end) for c in found] == [("行政许可", 0, 8), ("550", 11, 14)]
    found, _ = chunks("(一) 予以公开  3")  # one space stays inside a cell
    assert [c.text for c in found] == ["(一) 予以公开", "3"]


def test_a_header_over_an_all_blank_row_reads_that_row_as_blank_cells():
    header = [["预算数", "", "决算数", ""], ["合计", "公务接待费", "合计", "公务接待费"]]
    (table,), _ = parse_text(lined_up(header, right=set()) + "\n\n下一表    公开08表\n")
    assert texts(table) == [["预算数", None, "决算数", None], header[1], ["", "", "", ""]]


def test_a_header_alone_is_no_table():
    # an empty table's header, then its note: the note says it is empty, there is no row
    header = [["科目编码", "科目名称", "合计", "基本支出"], ["类", "", "", ""]]
    tables, _ = parse_text(lined_up(header, right=set()) + "注：本单位没有此项支出，故本表为空表。\n")
    assert tables == []


def test_prose_with_double_spaces_stays_prose():
    text = (
        "2023年，本机关认真贯彻落实《条例》。  全年主动公开信息1136条，\n"
        "收到申请21件，均在法定期限内答复。  未收取任何费用。\n"
        "联系人：张三  电话：0517-87222589\n"
        "地址：淮安市洪泽区  邮编：223100\n"
    )
    tables, lines = parse_text(text)
    assert tables == []
    assert len(lines) == 4


def test_words_separated_by_a_fixed_run_of_spaces_are_left_to_the_token_reading():
    spec = random_spec(random.Random(3), "2021")
    spaced = re.sub(r"\t+", "   ", render_disclosure(spec, "tab"))
    tables, _ = parse_text(spaced)
    assert tables == []


def test_a_label_wrapped_around_its_numbers_stays_prose():
    text = (
        "一、本年新收申请数量                 21   0   0   0   21\n"
        "二、上年结转申请数量                  0   0   0   0    0\n"
        "   （二）部分公开（区分处理的，只计这一\n"
        "                                      4   0   0   0    4\n"
        "   情形，不计其他情形）\n"
    )
    tables, lines = parse_text(text)
    assert [len(t.cells) for t in tables] == [2]
    assert "4 0 0 0 4" in [ln.text for ln in lines]


def _figure_rows(tables: list[RawTable]) -> list[tuple[str, ...]]:
    out = []
    for t in tables:
        for row in t.cells:
            cells = [c.text if c is not None else "" for c in row]
            while cells and not cells[-1]:
                cells.pop()
            if any(re.fullmatch(r"[\d,]*\.\d+", c) for c in cells):  # amounts, not 栏次 1 2 3
                out.append(tuple(cells))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_every_row_of_figures_reads_as_in_the_tab_copy(seed):
    spec = generate(seed)
    spaced, _ = parse_text(render_text(spec, "spaces"))
    tabbed, _ = parse_text(render_text(spec, "tab"))
    assert spaced and set(_figure_rows(spaced)) <= set(_figure_rows(tabbed))
    assert len(_figure_rows(spaced)) == len(_figure_rows(tabbed))
