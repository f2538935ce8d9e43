"""Reading copied text: the real Jining report, generated reports in both styles, encodings,
pipe tables and broken files."""

from __future__ import annotations

import random
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from tabledesk.core.source import ExtractedSource, SourceError, SourceKind, SourceProblem
from tabledesk.sources.encoding import UNDECODABLE, decode_bytes
from tabledesk.sources.sections import find_sections
from tabledesk.sources.text import parse_text, read_text
from tests.fixtures.report_spec import iter_cells, random_spec
from tests.fixtures.text_report import locate_values, norm, render_text, value_text, write_text

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
SEED = CORPUS / "jining-hitech-police-2020.txt"


@pytest.fixture(scope="session")
def seed() -> ExtractedSource:
    if not SEED.exists():
        pytest.skip("../shared/corpus not present")
    return read_text(SEED)


def _table_with(src: ExtractedSource, text: str):
    return next(t for t in src.tables if any(c and norm(c.text) == norm(text) for r in t.cells for c in r))


def _row(table, label: str) -> list[str | None]:
    for row in table.cells:
        if any(c and norm(c.text) == norm(label) for c in row):
            return [c.text if c else None for c in row]
    raise AssertionError(label)


def _col(table, label: str) -> int:
    return next(i for r in table.cells for i, c in enumerate(r) if c and norm(c.text) == norm(label))


# --- the real report ---------------------------------------------------------------------------


@pytest.mark.corpus
def test_seed_t3_rows_come_back_with_their_numbers(seed: ExtractedSource) -> None:
    t3 = _table_with(seed, "自然人")
    assert _row(t3, "一、本年新收政府信息公开申请数量")[2:9] == ["0"] * 7
    assert _row(t3, "二、上年结转政府信息公开申请数量")[2:9] == ["0"] * 7
    public = _row(t3, "(一) 予以公开")  # NFKC turned （一） into (一)
    assert public[_col(t3, "自然人")] == "1"
    assert public[_col(t3, "总计")] == "1"
    assert public[_col(t3, "商业企业")] == "0"
    # 表三 is cut short after 4.保护第三方合法权益: that row is the table's last.
    assert norm(t3.cells[-1][0].text) == norm("4. 保护第三方合法权益")
    assert seed.kind is SourceKind.TEXT


@pytest.mark.corpus
def test_seed_t4_fifteen_zeros_are_one_row(seed: ExtractedSource) -> None:
    rows = [[c.text for c in r if c is not None] for t in seed.tables for r in t.cells]
    assert ["0"] * 15 in rows
    # the scrambled vertical header is a row of its own, not glued onto 表三
    t4 = next(
        t
        for t in seed.tables
        if any(r == ["0"] * 15 for r in ([c.text for c in row if c] for row in t.cells))
    )
    assert t4.n_rows == 2 and t4.cells[0][0].text == "持"


@pytest.mark.corpus
def test_seed_t2_keeps_empty_cells_in_place(seed: ExtractedSource) -> None:
    t2 = _table_with(seed, "行政许可")
    assert _row(t2, "行政许可")[:4] == ["行政许可", "", "", "218"]
    assert _row(t2, "行政处罚")[:4] == ["行政处罚", "615", "", "651"]
    assert _row(t2, "政府集中采购")[:3] == ["政府集中采购", "21", "421913"]


@pytest.mark.corpus
def test_seed_prose_and_sections(seed: ExtractedSource) -> None:
    texts = [ln.text for ln in seed.lines]
    assert "一、总体情况" in texts
    assert not any("\t" in t or "421913" in t for t in texts)
    sections = find_sections(seed.lines)
    # the copy lost the heading 四、 (its table is there, its title is not)
    assert [(s.number, s.prov.line) for s in sections] == [(1, 5), (2, 15), (3, 37), (5, 54), (6, 58)]
    assert sections[-1].text == "无。"


@pytest.mark.corpus
def test_seed_provenance_points_at_the_text(seed: ExtractedSource) -> None:
    raw_lines = SEED.read_text(encoding="utf-8").split("\n")
    items = [c for t in seed.tables for r in t.cells for c in r if c is not None] + list(seed.lines)
    assert len(items) > 150
    for item in items:
        a, b = item.prov.chars
        printed = raw_lines[item.prov.line - 1][a:b]
        assert re.sub(r"\s+", " ", unicodedata.normalize("NFKC", printed)) == item.text


@pytest.mark.corpus
@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_seed_reads_the_same_in_other_encodings(seed: ExtractedSource, tmp_path: Path, encoding: str) -> None:
    copy = tmp_path / f"seed-{encoding}.txt"
    copy.write_bytes(SEED.read_text(encoding="utf-8").encode(encoding))
    other = read_text(copy)
    assert [t.cells for t in other.tables] == [t.cells for t in seed.tables]
    assert other.lines == seed.lines
    assert other.sha256 != seed.sha256


# --- generated reports -------------------------------------------------------------------------


def _specs():
    rng = random.Random(20260)
    return [
        random_spec(rng, "2019"),
        random_spec(rng, "2021", other_split=True),
        random_spec(rng, "2021", blank_zeros=True, thousands_sep=True),
        random_spec(rng, "2019", blank_zeros=True),
    ]


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory):
    out = []
    d = tmp_path_factory.mktemp("text_reports")
    for i, spec in enumerate(_specs()):
        for style in ("tab", "pipe"):
            path = write_text(spec, d / f"r{i}-{style}.txt", style)
            out.append((spec, path, read_text(path)))
    return out


def test_every_generated_value_is_at_its_row_and_column(rendered) -> None:
    checked = 0
    for spec, path, src in rendered:
        got = locate_values(src, spec)
        for cell in iter_cells(spec):
            assert (got[(cell.table, cell.row, cell.col)] or "") == value_text(spec, cell.value), (path, cell)
            checked += 1
    assert checked > 800


def test_generated_sections_and_prose(rendered) -> None:
    for spec, _, src in rendered:
        sections = find_sections(src.lines)
        assert [s.number for s in sections] == [1, 2, 3, 4, 5, 6]
        assert [s.title for s in sections] == [norm(s.heading) for s in spec.sections]
        assert len(src.tables) == 3  # 表二 (one table, blocks inside), 表三, 表四
        # "（一）主动公开。…" sub-headings stay in section 一's text
        assert "(一)主动公开" in sections[0].text


def test_generated_provenance(rendered) -> None:
    for _, path, src in rendered[:2]:
        raw = path.read_text(encoding="utf-8").split("\n")
        for t in src.tables:
            for row in t.cells:
                for c in row:
                    if c is not None:
                        a, b = c.prov.chars
                        assert unicodedata.normalize("NFKC", raw[c.prov.line - 1][a:b]) == c.text


# --- text shapes -------------------------------------------------------------------------------


def _cells(table) -> list[list[str | None]]:
    return [[c.text if c else None for c in row] for row in table.cells]


def test_pipe_rows_with_and_without_separators() -> None:
    text = "标题\n\n| 项目 | 甲 | 乙 |\n|---|:---:|---|\n| 规章 |  | 3 |\n| a \\| b | 1 |\n\n正文\n"
    tables, lines = parse_text(text)
    assert _cells(tables[0]) == [["项目", "甲", "乙"], ["规章", "", "3"], ["a | b", "1", None]]
    assert [ln.text for ln in lines] == ["标题", "正文"]
    no_sep, _ = parse_text("| 1 | 2 |\n| 3 | 4 |\n")
    assert _cells(no_sep[0]) == [["1", "2"], ["3", "4"]]
    bare, _ = parse_text("项目 | 数量\n---|---\n规章 | 2\n")  # html2text writes no outer pipes
    assert _cells(bare[0]) == [["项目", "数量"], ["规章", "2"]]
    assert tables[0].cells[1][2].prov.line == 5


def test_two_markdown_tables_separated_by_a_blank_line_stay_apart() -> None:
    tables, _ = parse_text("| a | b |\n|---|---|\n| 1 | 2 |\n\n| c | d |\n|---|---|\n| 3 | 4 |\n")
    assert [_cells(t) for t in tables] == [[["a", "b"], ["1", "2"]], [["c", "d"], ["3", "4"]]]


def test_tab_runs_allow_blank_lines_and_spanning_rows() -> None:
    text = "\n".join(
        [
            "第二十条第（一）项",  # Word copies a row of one merged cell without any tab
            "信息内容\t本年制发件数\t本年废止件数",
            "",
            "规章\t1\t2",
            "\t\t",
            "规范性文件\t\t4\t",
            "",
            "说明：以上数据截至12月31日。",
        ]
    )
    tables, lines = parse_text(text)
    assert len(tables) == 1
    # the first line has no table line above it: it stays prose
    assert _cells(tables[0]) == [
        ["信息内容", "本年制发件数", "本年废止件数"],
        ["规章", "1", "2"],
        ["", "", ""],  # a row of empty cells keeps its place
        ["规范性文件", "", "4"],
    ]
    assert [ln.text for ln in lines] == ["第二十条第(一)项", "说明:以上数据截至12月31日。"]
    sandwiched, _ = parse_text("a\t1\n第二十条第（五）项\nb\t2\n")
    assert _cells(sandwiched[0]) == [["a", "1"], ["第二十条第(五)项", None], ["b", "2"]]


def test_an_indented_paragraph_is_prose() -> None:
    tables, lines = parse_text("\t2020年，本机关认真落实条例。\n")
    assert tables == [] and lines[0].text == "2020年,本机关认真落实条例。"
    assert lines[0].prov.chars == (1, 17)


def test_normalisation_and_line_ends() -> None:
    tables, lines = parse_text("⼀、总体情况\r\n\r\n规章\t１２\t\u200b3\r\n规范\t4\t5\r\n")
    assert lines[0].text == "一、总体情况" and lines[0].prov.line == 1
    assert _cells(tables[0]) == [["规章", "12", "3"], ["规范", "4", "5"]]
    assert tables[0].prov.line == 3
    assert all("\r" not in (c.text if c else "") for r in tables[0].cells for c in r)


# --- broken files ------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        read_text(tmp_path / "nope.txt")
    assert err.value.kind is SourceProblem.NOT_FOUND


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n  \n"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(SourceError) as err:
        read_text(path)
    assert err.value.kind is SourceProblem.CORRUPT and err.value.problem == "empty file"
    assert str(err.value) == f"{path}: empty file"


@pytest.mark.parametrize("seed_", range(6))
def test_binary_garbage_is_corrupt(tmp_path: Path, seed_: int) -> None:
    rng = random.Random(seed_)
    data = [
        bytes(rng.randrange(256) for _ in range(4000)),
        b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(300)),
        b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(60)),
        bytes(64),
        b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(rng.randrange(256) for _ in range(500)),
        "正文".encode() + b"\x00\x01\x02\x03\x04" * 20,
    ][seed_]
    path = tmp_path / "garbage.txt"
    path.write_bytes(data)
    with pytest.raises(SourceError) as err:
        read_text(path)
    assert err.value.kind is SourceProblem.CORRUPT


def test_decode_order() -> None:
    gbk = "三、收到和处理政府信息公开申请情况".encode("gbk")
    assert decode_bytes(gbk, "x").encoding == "gb18030"
    assert decode_bytes("三、收到".encode(), "x").encoding == "utf-8"
    assert decode_bytes("\ufeff三、收到".encode("utf-16-le"), "x").text == "三、收到"
    # a page that says gb2312 but was re-saved as UTF-8 is UTF-8
    assert decode_bytes("三、收到".encode(), "x", "gb2312").text == "三、收到"
    with pytest.raises(SourceError, match=re.escape(UNDECODABLE)):
        decode_bytes(b"\xff\xfe\xfd\x00\x81\x00" * 10 + b"\x80", "x")


def test_stray_tabs_in_prose_do_not_make_tables() -> None:
    tables, lines = parse_text("一、总体情况\t\n\n联系电话：\t0537-1234567\n\n本机关认真落实条例。\n")
    assert tables == []
    assert [ln.text for ln in lines] == ["一、总体情况", "联系电话: 0537-1234567", "本机关认真落实条例。"]
    assert [s.number for s in find_sections(lines)] == [1]


def test_end_to_end_every_value_recovered_by_id(rendered) -> None:
    mapping = pytest.importorskip("tabledesk.mapping.mapper")
    registry = pytest.importorskip("tabledesk.templates.registry")
    if not hasattr(mapping, "map_source"):
        pytest.skip("mapping/mapper.py has no map_source yet")
    templates, _ = registry.load_templates()
    for spec, path, src in [rendered[i] for i in (0, 3, 4, 7)]:  # every spec, both styles
        values = mapping.map_source(src, templates).values()
        for cell in iter_cells(spec):
            got = values.get((cell.table, cell.row, cell.col))
            assert got is not None and Decimal(got) == Decimal(cell.value), (path, cell, got)


def test_merged_cells_written_once_still_map_every_value(rendered, tmp_path: Path) -> None:
    """html2text and markdownify write a merged header cell once, with no padding: the header
    positions are then off, and the values must still land under their columns."""
    from tests.fixtures.text_report import render_text

    mapping = pytest.importorskip("tabledesk.mapping.mapper")
    registry = pytest.importorskip("tabledesk.templates.registry")
    templates, _ = registry.load_templates()
    for spec, _path, _src in [rendered[i] for i in (0, 3)]:
        path = tmp_path / "collapsed.txt"
        path.write_text(render_text(spec, "pipe", spans="collapse"), encoding="utf-8")
        values = mapping.map_source(read_text(path), templates).values()
        for cell in iter_cells(spec):
            got = values.get((cell.table, cell.row, cell.col))
            assert got is not None and Decimal(got) == Decimal(cell.value), (cell, got)


def test_csv_files(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    text = '一、总体情况,,,\n信息内容,本年制发件数,"本年废止件数"\n规章,"1,234",\n"说""明""",,\n'
    path.write_bytes(text.encode("gbk"))  # Excel on a Chinese Windows saves CSV as GBK
    src = read_text(path)
    assert [ln.text for ln in src.lines] == ["一、总体情况"] and src.lines[0].prov.chars == (0, 6)
    (table,) = src.tables
    assert _cells(table) == [
        ["信息内容", "本年制发件数", "本年废止件数"],
        ["规章", "1,234", ""],
        ['说"明"', "", ""],
    ]
    assert table.cells[1][1].prov.chars == (4, 9)


@pytest.mark.parametrize("variant", ["double_spaced", "crlf_gbk", "bom_pipe_no_separators"])
def test_generated_copy_variants(tmp_path: Path, variant: str) -> None:
    spec = random_spec(random.Random(77), "2021", other_split=True)
    path = tmp_path / f"{variant}.txt"
    if variant == "double_spaced":  # some pages copy with a blank line after every line
        path.write_text(render_text(spec).replace("\n", "\n\n"), encoding="utf-8")
    elif variant == "crlf_gbk":  # Notepad on a Chinese Windows
        path.write_bytes(render_text(spec).replace("\n", "\r\n").encode("gbk"))
    else:
        path.write_bytes(render_text(spec, "pipe", separators=False).encode("utf-8-sig"))
    src = read_text(path)
    got = locate_values(src, spec)
    for cell in iter_cells(spec):
        assert (got[(cell.table, cell.row, cell.col)] or "") == value_text(spec, cell.value), cell
    assert [s.number for s in find_sections(src.lines)] == [1, 2, 3, 4, 5, 6]
