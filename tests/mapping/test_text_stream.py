"""Copies of reports in the layouts clerks actually receive, read as a token stream: every
layout recovers every printed value, raises no false alarm and reads no silent zero; a row whose
numbers cannot be placed unambiguously stays missing with its numbers shown."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from tabledesk.core.document import CellStatus
from tabledesk.mapping.mapper import build_table, map_source
from tabledesk.mapping.text_stream import StreamReader
from tabledesk.review.review import open_document
from tabledesk.sources.reader import read_source, sniff_kind
from tabledesk.sources.text import parse_text
from tabledesk.templates.registry import load_templates
from tests.fixtures.html_report import write_mht
from tests.fixtures.layout_sweep import ALL_LAYOUTS, sweep
from tests.fixtures.report_spec import iter_cells, random_spec
from tests.fixtures.text_layouts import render_layout

TEMPLATES, _ = load_templates()


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
def test_every_layout_recovers_every_value_without_false_alarms(layout: str, tmp_path: Path) -> None:
    """Both formats, blank zeros or not, clean and with an injected slip (caught)."""
    score = sweep((layout,), 4, tmp_path, seed=3)[layout]
    assert score.recovered == score.values, score.misses[:5]
    assert score.false_alarms == 0 and score.silent_zeros == 0
    assert score.caught == score.slips == 2
    assert score.titles_right == score.titles == 4


def _doc(text: str, tmp_path: Path, name: str = "report.txt"):  # noqa: ANN202
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return map_source(read_source(path), TEMPLATES, template_id="gov-disclosure-annual", format_id="2021")


def _values(table, row: str) -> list[Decimal | None]:  # noqa: ANN001
    return [table.cell(row, c.id).value for c in table.columns]


_T3_HEAD = (
    "收到和处理政府信息公开申请情况\n自然人\n商业企业\n科研机构\n社会公益组织\n法律服务机构\n其他\n总计\n"
)


def test_a_row_short_of_numbers_stays_missing_and_its_numbers_are_shown(tmp_path: Path) -> None:
    # bare labels and numbers: a blank cell leaves no trace, so 二's six numbers fit no row
    text = (
        "某县2023年政府信息公开工作年度报告\n"
        + _T3_HEAD
        + "一、本年新收政府信息公开申请数量\n5\n0\n0\n0\n0\n0\n5\n"
        + "二、上年结转政府信息公开申请数量\n1\n0\n0\n0\n0\n1\n"
        + "（七）总计\n5\n0\n0\n0\n0\n0\n5\n"
        + "四、结转下年度继续办理\n1\n1\n"  # the table's last row, short too
    )
    t3 = _doc(text, tmp_path).table("t3")
    assert _values(t3, "new") == [5, 0, 0, 0, 0, 0, 5]
    for row in ("carried", "carried_forward"):
        assert all(t3.cell(row, c.id).status is CellStatus.MISSING for c in t3.columns)
    assert [u.values[1:] for u in t3.unmatched] == [["1", "0", "0", "0", "0", "1"], ["1", "1"]]


def test_wrapped_label_beside_empty_cells_is_not_a_row_of_blank_zeros(tmp_path: Path) -> None:
    """A converter writes a wrapped label's first line as a row of empty cells: those blanks
    are not the row's numbers (they were read as 0 before)."""
    text = (
        "某县2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n\n"
        "| 一、本年新收政府信息公开 | | | | | | | |\n| 申请数量 | 3 | 1 | 0 | 0 | 0 | 0 | 4 |\n"
        "| （二）部分公开（区分处理的，只 | | | | | | | |\n"
        "| 计这一情形，不计其他情形） | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
    )
    t3 = _doc(text, tmp_path).table("t3")
    assert _values(t3, "new") == [3, 1, 0, 0, 0, 0, 4]
    assert _values(t3, "results.partial") == [2, 0, 0, 0, 0, 0, 2]


def test_torn_rows_skip_a_group_heading_printed_with_its_first_row(tmp_path: Path) -> None:
    """（六）其他处理 above its sub-rows is a heading, not the third of three rows' numbers."""
    spec = random_spec(random.Random(5), "2021", other_split=True)
    doc = _doc(render_layout(spec, "torn"), tmp_path)
    for cell in iter_cells(spec):
        assert doc.cell(cell.table, cell.row, cell.col).value == Decimal(cell.value), cell


def test_bare_pipe_row_starting_with_an_empty_cell_keeps_its_columns() -> None:
    tables, _ = parse_text("结果维持 | 结果纠正 | 总计 |\n1 | 0 | 1 |\n | 2 | 2 |\n")
    (table,) = tables
    assert [[c.text if c else None for c in row] for row in table.cells] == [
        ["结果维持", "结果纠正", "总计"],
        ["1", "0", "1"],
        ["", "2", "2"],
    ]
    # the same row in a file that writes the opening bar: the bar opens the row
    tables, _ = parse_text("| 结果维持 | 结果纠正 |\n| 1 | 0 |\n| 2 | 2 |\n")
    assert [c.text for c in tables[0].cells[2] if c] == ["2", "2"]


def test_bare_pipe_rows_without_a_separator_are_a_table() -> None:
    tables, lines = parse_text("一、总体情况\n信息内容 | 本年制发件数 |\n规章 | 0 |\n")
    assert [ln.text for ln in lines] == ["一、总体情况"]
    assert [[c.text for c in row if c] for row in tables[0].cells] == [
        ["信息内容", "本年制发件数"],
        ["规章", "0"],
    ]


def test_base64_web_archive_is_read_as_a_page(tmp_path: Path) -> None:
    spec = random_spec(random.Random(6), "2019")
    path = write_mht(spec, tmp_path / "report.mht", base64=True)
    assert b"<table" not in path.read_bytes()[:4096].lower()
    assert sniff_kind(path) == "html"
    assert sniff_kind(path.rename(tmp_path / "report.tmp")) == "html"  # by content, not by name
    doc = open_document(tmp_path / "report.tmp")
    assert all(doc.cell(c.table, c.row, c.col).value == Decimal(c.value) for c in iter_cells(spec))


def test_folder_scans_take_web_archives_and_xhtml(tmp_path: Path) -> None:
    from tabledesk.batch.pool import find_inputs

    for name in ("a.mht", "b.MHTML", "c.xhtml", "d.htm", "e.txt", "f.csv", "g.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [i.rel.name for i in find_inputs([tmp_path])] == ["a.mht", "b.MHTML", "c.xhtml", "d.htm", "e.txt"]


@pytest.mark.parametrize(
    ("title", "name", "agency", "year"),
    [
        ("标题:沭阳县发展和改革局2023年政府信息公开工作年度报告", "r.txt", "沭阳县发展和改革局", 2023),
        ("#沐阳县人民政府2022年度政府信息公开工作年度报告", "r.txt", "沐阳县人民政府", 2022),
        ("沭阳县发展和改革局政府信息公开工作年度报告", "发改局2024年度报告.txt", "沭阳县发展和改革局", 2024),
        ("首页 > 政务公开\n发布时间：2025-01-20\n字号：大 中 小\n打印 关闭\n" * 3
         + "沭阳县人民政府2024年政府信息公开工作年度报告", "r.txt", "沭阳县人民政府", 2024),
    ],
)  # fmt: skip
def test_title_noise(title: str, name: str, agency: str, year: int, tmp_path: Path) -> None:
    table = "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t3\n"
    text = f"{title}\n\n二、主动公开政府信息情况\n{table}"
    doc = _doc(text, tmp_path, name)
    assert (doc.agency, doc.year) == (agency, year)


def test_a_closing_quote_wrapped_alone_keeps_the_row_its_numbers(tmp_path: Path) -> None:
    """ "3.危及“三安全一稳定" is a whole label once quotes are ignored: the numbers on the next
    line (after the lone ”) are still its own, not a row of blanks before them."""
    text = (
        "某县2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n\n"
        "| 3.危及“三安全一稳定 | | | | | | | |\n| ” | | | | | | 1 | 1 |\n"
        "| 4.保护第三方合法权益 | | | | | | | |\n"
    )
    t3 = _doc(text, tmp_path).table("t3")
    assert _values(t3, "results.denied.safety") == [0, 0, 0, 0, 0, 1, 1]
    assert _values(t3, "results.denied.third_party") == [0] * 7


def test_pipe_row_of_blanks_keeps_its_last_cell() -> None:
    """A row of blank zeros under two label cells has one field more than the rows around it:
    its last blank is a cell, not a stray separator (the row was read one value short)."""
    tables, _ = parse_text("| 一、本年新收 | 6 | 6 |\n| 三、本年度办理结果 | （一）予以公开 |  |  |\n")
    assert [len(row) for row in tables[0].cells] == [4, 4]


def test_torn_rows_skip_the_unprinted_sub_rows_of_a_group_printed_as_one_row(tmp_path: Path) -> None:
    """（六）其他处理 printed as one row (2021 form, its three sub-rows optional and absent),
    then （七）总计 and 四: their labels, then their three rows of numbers."""
    text = (
        "某县2023年政府信息公开工作年度报告\n"
        + _T3_HEAD
        + "（六）其他处理\n（七）总计\n四、结转下年度继续办理\n"
        "1 0 0 0 0 0 1\n9 0 0 0 0 0 9\n2 0 0 0 0 0 2\n"
    )
    t3 = _doc(text, tmp_path).table("t3")
    assert _values(t3, "results.other") == [1, 0, 0, 0, 0, 0, 1]
    assert _values(t3, "results.total") == [9, 0, 0, 0, 0, 0, 9]
    assert _values(t3, "carried_forward") == [2, 0, 0, 0, 0, 0, 2]


def test_a_label_wrapped_over_five_lines_keeps_its_numbers(tmp_path: Path) -> None:
    """The longest labels, wrapped at eight characters, take five lines: the empty cells beside
    the first four are not the row's numbers (they were read as blank zeros)."""
    label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    parts = [label[i : i + 8] for i in range(0, len(label), 8)]
    rows = [f"| | {p} |" + " |" * 7 for p in parts[:-1]] + [f"| | {parts[-1]} | 4 | | | | | | 4 |"]
    text = (
        "某县2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n\n" + "\n".join(rows) + "\n"
    )
    t3 = _doc(text, tmp_path).table("t3")
    assert len(parts) == 5
    assert _values(t3, "results.other.overdue_correction") == [4, 0, 0, 0, 0, 0, 4]


def _streamed(text: str, tmp_path: Path, fmt: str = "2021"):  # noqa: ANN202
    """The stream reading alone (what ``map_source`` weighs against the table reading):
    table id -> the table it reads."""
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    specs = next(t for t in TEMPLATES if t.id == "gov-disclosure-annual").tables_for(fmt)
    read = StreamReader(specs, fmt).read(read_source(path).blocks())
    by_id = {s.id: s for s in specs}
    return {k: build_table(by_id[k], fmt, [seg], None, over) for k, (seg, over) in read.items()}


def test_a_tab_row_with_a_covered_label_cell_and_a_blank_total_is_not_shifted(tmp_path: Path) -> None:
    """A tab copy writes a merged label's covered cells empty, and a total left unfilled empty
    too (or not at all: the copy drops a line's trailing tabs). Dropping a covered cell to fit
    the row to its seven columns put 78 under 商业企业 and 1 under 总计 (总计（6）应等于各类申请人
    之和（50）in a balanced report): an empty cell before the numbers is a cell, so the row
    fits no way and its numbers are shown, not placed."""
    rows = (
        "一、本年新收政府信息公开申请数量\t\t\t78\t0\t0\t1\t2\t1\t\n"
        "二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
    )
    t3 = _streamed("某县2023年政府信息公开工作年度报告\n" + _T3_HEAD + rows, tmp_path)["t3"]
    assert all(t3.cell("new", c.id).status is CellStatus.MISSING for c in t3.columns)
    assert _values(t3, "carried") == [1, 0, 0, 0, 0, 0, 1]
    assert [[v for v in u.values[1:] if v] for u in t3.unmatched] == [["78", "0", "0", "1", "2", "1"]]
    assert "一、本年新收" in t3.unmatched[0].text
    # in the whole mapping the table reading, which knows the columns from the header, wins
    header = "\t\t\t" + "\t".join(_T3_HEAD.split()[1:]) + "\n"
    title = "某县2023年政府信息公开工作年度报告\n收到和处理政府信息公开申请情况\n"
    doc = _doc(title + header + rows.splitlines()[0] + "\n", tmp_path)
    assert _values(doc.table("t3"), "new")[:6] == [78, 0, 0, 1, 2, 1]
    assert doc.table("t3").cell("new", "total").status is CellStatus.UNFILLED


def test_small_tables_without_their_groups_headings_are_not_joined_into_table_four(tmp_path: Path) -> None:
    """表四 printed as three small tables of 结果维持…总计: under the headings 行政复议,
    行政诉讼（未经复议直接起诉）, 行政诉讼（复议后起诉）they are its three groups; without
    them nothing says whose numbers they are, and the stream reading does not guess."""
    spec = random_spec(random.Random(8), "2021")
    t4 = spec.values["t4"]["all"]
    for k, col in enumerate(t4):
        t4[col] = k + 1  # fifteen different numbers: a wrong place cannot go unnoticed
    text = render_layout(spec, "split_t4")
    doc = _streamed(text, tmp_path)
    assert [doc["t4"].cell("all", c.id).value for c in doc["t4"].columns] == list(range(1, 16))
    bare = "\n".join(line for line in text.splitlines() if not line.startswith("####"))
    doc = _streamed(bare, tmp_path)
    assert "t4" not in doc or all(c.status is CellStatus.MISSING for _, _, c in doc["t4"].iter_cells())
