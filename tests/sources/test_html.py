"""Reading web pages: spans, tag soup, layout tables, encodings, saved pages, generated reports."""

from __future__ import annotations

import random
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from tabledesk.core.source import SourceError, SourceKind, SourceProblem
from tabledesk.sources.encoding import declared_charset
from tabledesk.sources.html import parse_html, read_html
from tabledesk.sources.sections import find_sections
from tests.fixtures.html_report import render_html, write_html, write_mht
from tests.fixtures.report_spec import iter_cells, random_spec
from tests.fixtures.text_report import locate_values, norm, value_text


def _cells(table) -> list[list[str | None]]:
    return [[c.text if c else None for c in row] for row in table.cells]


def test_spans_expand_into_a_rectangular_grid() -> None:
    page = """<table>
<tr><td rowspan="2" colspan="2">申请人</td><td colspan=3>法人</td></tr>
<tr><td>商业</td><td>科研</td><td rowspan=3>其他</td></tr>
<tr><td>一</td><td>1</td><td>2</td><td>3</td></tr>
<tr><td colspan=2>二</td><td>4</td><td>5</td></tr>
</table>"""
    (table,), _ = parse_html(page)
    assert _cells(table) == [
        ["申请人", None, "法人", None, None],
        [None, None, "商业", "科研", "其他"],
        ["一", "1", "2", "3", None],
        ["二", None, "4", "5", None],
    ]
    origin = table.cells[0][0]
    assert (origin.row_span, origin.col_span) == (2, 2)
    assert table.cells[1][4].row_span == 3
    assert table.prov.line == 1


def test_spans_past_the_end_are_clipped_and_zero_means_to_the_end() -> None:
    (table,), _ = parse_html("<table><tr><td rowspan=9>a<td>1<tr><td>2<tr><td rowspan=0>b<td>3</table>")
    assert table.cells[0][0].row_span == 3
    assert _cells(table) == [["a", "1", None], [None, "2", None], [None, "b", "3"]]
    assert table.cells[2][1].row_span == 1  # rowspan=0 on the last row: one row


def test_tag_soup_unclosed_cells_rows_and_paragraphs() -> None:
    page = (
        "<p>一、总体情况<p>正文第一段<table border=1><tr><td>规章<td>1<tr><td>规范性文件<td>2</table><p>后记"
    )
    (table,), lines = parse_html(page)
    assert _cells(table) == [["规章", "1"], ["规范性文件", "2"]]
    assert [ln.text for ln in lines] == ["一、总体情况", "正文第一段", "后记"]


def test_cells_keep_line_breaks_and_nbsp_is_space() -> None:
    page = (
        "<table><tr><td>行政规范性<br>文件</td><td>&nbsp;</td>"
        "<td><p>本年</p><p>制发&nbsp;件数</p></td><td>&#65297;&#x32;</td></tr></table>"
    )
    (table,), _ = parse_html(page)
    assert _cells(table) == [["行政规范性\n文件", "", "本年\n制发 件数", "12"]]


def test_scripts_styles_head_and_hidden_parts_are_ignored() -> None:
    page = """<html><head><title>标题栏</title><style>p{}</style>
<script>var s = "<table><tr><td>9</td></tr></table>";</script></head>
<body><div style="display: none">隐藏</div><div hidden>也隐藏</div>
<noscript>请启用脚本</noscript><select><option>2020</option></select>
<h2>可见</h2><script>document.write('<p>x</p>')</script></body></html>"""
    tables, lines = parse_html(page)
    assert tables == []
    assert [ln.text for ln in lines] == ["可见"]


def test_layout_tables_read_as_flow_and_nested_data_tables_as_tables() -> None:
    page = """<table width=100%><tr><td>导航</td></tr><tr><td>
<h3>二、主动公开政府信息情况</h3>
<table border=1><tr><td>规章</td><td>1</td></tr><tr><td>规范性文件</td><td>2</td></tr></table>
<p>说明</p></td></tr></table>
<table><tr><td><p>单元格里的一段话。</p></td></tr></table>"""
    tables, lines = parse_html(page)
    assert [_cells(t) for t in tables] == [[["规章", "1"], ["规范性文件", "2"]]]
    assert [ln.text for ln in lines] == ["导航", "二、主动公开政府信息情况", "说明", "单元格里的一段话。"]


def test_prose_by_blocks_and_breaks_with_chinese_line_joins() -> None:
    page = "<div>第一行<br/>第二\n行</div><ul><li>甲</li><li>乙 丙</li></ul><h1>标 题</h1>"
    _, lines = parse_html(page)
    assert [ln.text for ln in lines] == ["第一行", "第二行", "甲", "乙 丙", "标 题"]


def test_provenance_is_line_and_columns_of_the_text() -> None:
    page = (
        '<html>\n<body>\n  <p class="x">一、总体情况</p>\n'
        "<table><tr>\n<td>  规章 </td><td>&nbsp;1</td></tr></table>\n"
    )
    (table,), lines = parse_html(page)
    src = page.split("\n")
    line = lines[0]
    assert line.prov.line == 3 and src[2][slice(*line.prov.chars)] == "一、总体情况"
    label = table.cells[0][0]
    assert label.prov.line == 5 and src[4][slice(*label.prov.chars)] == "规章"
    one = table.cells[0][1]
    assert src[4][slice(*one.prov.chars)] == "1"


# --- encodings ---------------------------------------------------------------------------------


PAGE = (
    "<html><head>{meta}</head><body><p>三、收到和处理政府信息公开申请情况</p>"
    "<table><tr><td>自然人</td><td>5</td></tr></table></body></html>"
)


@pytest.mark.parametrize(
    ("meta", "encoding"),
    [
        ('<meta charset="gbk">', "gbk"),
        ('<meta http-equiv=Content-Type content="text/html; charset=gb2312">', "gbk"),
        ("<meta http-equiv='Content-Type' content='text/html;charset=GB18030'>", "gb18030"),
        ("", "gbk"),  # no declaration: detected from the bytes
        ('<meta charset="utf-8">', "gbk"),  # a wrong declaration: the bytes decide
        ('<meta charset="gb2312">', "utf-8"),  # re-saved as UTF-8 with the old meta kept
        ("", "utf-8-sig"),
        ('<meta charset="gbk">', "utf-16"),  # the BOM wins
    ],
)
def test_page_encodings(tmp_path: Path, meta: str, encoding: str) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(PAGE.format(meta=meta).encode(encoding))
    src = read_html(path)
    assert src.kind is SourceKind.HTML
    assert [ln.text for ln in src.lines] == ["三、收到和处理政府信息公开申请情况"]
    assert _cells(src.tables[0]) == [["自然人", "5"]]


def test_declared_charset_sniffing() -> None:
    assert declared_charset(b'<?xml version="1.0" encoding="gb2312"?><html>') == "gb2312"
    assert declared_charset(b"<META HTTP-EQUIV=content-type CONTENT='text/html; charset=GBK'>") == "GBK"
    assert declared_charset(b"<html><body>charset</body>") is None


# --- generated reports -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory):
    rng = random.Random(4242)
    specs = [
        random_spec(rng, "2021", other_split=True),
        random_spec(rng, "2019", thousands_sep=True),
        random_spec(rng, "2021", blank_zeros=True),
    ]
    d = tmp_path_factory.mktemp("html_reports")
    out = []
    for i, spec in enumerate(specs):
        for saved in (False, True):
            sub = d / f"r{i}-{'saved' if saved else 'bare'}"
            sub.mkdir()
            path = write_html(spec, sub / "report.htm", saved_by_browser=saved)
            out.append((spec, saved, path, read_html(path)))
    return out


def test_every_generated_value_is_at_its_row_and_column(pages) -> None:
    checked = 0
    for spec, _saved, path, src in pages:
        got = locate_values(src, spec)
        for cell in iter_cells(spec):
            assert (got[(cell.table, cell.row, cell.col)] or "") == value_text(spec, cell.value), (path, cell)
            checked += 1
    assert checked > 600


def test_generated_merged_header_cells(pages) -> None:
    spec, _, _, src = pages[0]
    t3 = next(t for t in src.tables if any(c and c.text == "自然人" for r in t.cells for c in r))
    note = t3.cells[0][0]
    assert (note.row_span, note.col_span) == (3, 3)
    assert t3.cells[0][3].text == "申请人情况" and t3.cells[0][3].col_span == 7
    group = next(c for r in t3.cells for c in r if c and c.text == "三、本年度办理结果")
    assert group.row_span == len([r for r in spec.shape("t3").value_rows if r.id.startswith("results.")])
    assert all(len(row) == t3.n_cols for row in t3.cells)


def test_saved_page_reads_like_the_bare_one(pages) -> None:
    for (_spec, saved, path, src), (_, _, _, bare) in zip(pages[1::2], pages[0::2], strict=True):
        assert saved and (path.parent / "report_files").is_dir()
        assert path.read_bytes().decode("gbk")  # the saved page really is GBK
        assert [_cells(t) for t in src.tables] == [_cells(t) for t in bare.tables]
        texts = [ln.text for ln in src.lines]
        assert not any("不应出现" in t or "分享到" in t or "国务院" in t for t in texts)
        report = [ln.text for ln in bare.lines]
        assert texts[texts.index(report[0]) :][: len(report)] == report


def test_generated_sections(pages) -> None:
    for spec, _, _, src in pages:
        sections = find_sections(src.lines)
        assert [s.title for s in sections] == [norm(s.heading) for s in spec.sections]


def test_generated_provenance(pages) -> None:
    _, _, path, src = pages[0]
    raw = path.read_text(encoding="utf-8").split("\n")
    n = 0
    for t in src.tables:
        for row in t.cells:
            for c in row:
                if c is not None and c.text and "\n" not in c.text:
                    printed = raw[c.prov.line - 1][slice(*c.prov.chars)]
                    assert unicodedata.normalize("NFKC", printed) == c.text
                    n += 1
    assert n > 100


# --- broken files ------------------------------------------------------------------------------


def test_missing_empty_and_garbage_pages(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        read_html(tmp_path / "missing.htm")
    assert err.value.kind is SourceProblem.NOT_FOUND
    empty = tmp_path / "empty.htm"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="empty file") as err:
        read_html(empty)
    assert err.value.kind is SourceProblem.CORRUPT
    garbage = tmp_path / "garbage.htm"
    rng = random.Random(7)
    garbage.write_bytes(b"<html>" + bytes(rng.randrange(256) for _ in range(3000)))
    with pytest.raises(SourceError) as err:
        read_html(garbage)
    assert err.value.kind is SourceProblem.CORRUPT


def test_a_page_with_nothing_visible_warns(tmp_path: Path) -> None:
    path = tmp_path / "blank.htm"
    path.write_text(
        "<html><head><title>x</title><script>1</script></head><body></body></html>", encoding="utf-8"
    )
    src = read_html(path)
    assert src.tables == [] and src.lines == [] and src.warnings


def test_render_html_is_a_string_with_the_title() -> None:
    spec = random_spec(random.Random(1), "2019")
    assert spec.title in render_html(spec)


def test_single_file_web_archive(tmp_path: Path) -> None:
    spec = random_spec(random.Random(5), "2021")
    src = read_html(write_mht(spec, tmp_path / "report.mht"))
    got = locate_values(src, spec)
    assert all((got[(c.table, c.row, c.col)] or "") == value_text(spec, c.value) for c in iter_cells(spec))
    assert [s.number for s in find_sections(src.lines)] == [1, 2, 3, 4, 5, 6]
    assert src.warnings  # positions are in the archived page, not the file


def test_end_to_end_every_value_recovered_by_id(pages) -> None:
    mapping = pytest.importorskip("tabledesk.mapping.mapper")
    registry = pytest.importorskip("tabledesk.templates.registry")
    if not hasattr(mapping, "map_source"):
        pytest.skip("mapping/mapper.py has no map_source yet")
    templates, _ = registry.load_templates()
    for spec, _saved, path, src in pages[::2] + pages[1:2]:  # every spec, one saved page
        values = mapping.map_source(src, templates).values()
        for cell in iter_cells(spec):
            got = values.get((cell.table, cell.row, cell.col))
            assert got is not None and Decimal(got) == Decimal(cell.value), (path, cell, got)


_SOUP = [
    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<td rowspan=3>", "<td colspan=0>",
    '<th colspan="2" rowspan="2">', '<td rowspan="x">', "<td colspan=99999>", "<tbody>", "<caption>",
    "<p>", "</p>", "<br>", "</br>", "<div>", "</div>", "<span>", "<font>", "<li>", "<pre>", "</pre>",
    "<script>", "</script>", "<style>", "<head>", "</head>", "<body>", "<select>", "<!--", "-->",
    "<![if x]>", "&nbsp;", "&amp", "&#x41;", "&#99999999;", "&", "<", ">", '"', "一、总体情况",
    "规章", "1", "\t", "\n", "\r", "|", "---", "\u3000", "⼀",
]  # fmt: skip


def test_tag_soup_never_raises_and_grids_stay_rectangular() -> None:
    rng = random.Random(99)
    for _ in range(300):
        page = "".join(rng.choice(_SOUP) for _ in range(rng.randint(1, 60)))
        tables, lines = parse_html(page)
        find_sections(lines)
        for t in tables:
            assert all(len(row) == t.n_cols for row in t.cells)
            for row in t.cells:
                for c in row:
                    assert c is None or (c.prov.line is not None and c.prov.chars is not None)
