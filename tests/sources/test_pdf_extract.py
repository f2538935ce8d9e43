"""Reading report PDFs: generated reports for every layout knob, the real corpus, bad files."""

from __future__ import annotations

import difflib
import io
import json
import random
import re
import unicodedata
from pathlib import Path

import pytest

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import (
    ExtractedSource,
    RawCell,
    RawTable,
    SourceError,
    SourceKind,
    SourceProblem,
    TextLine,
)
from tabledesk.sources.pdf.extract import pdf_page_count, read_pdf
from tabledesk.sources.pdf.stitch import stitch as _stitch
from tabledesk.sources.pdf.tables import Grid, GridCell, to_raw_table
from tabledesk.sources.pdf.text import Glyph, cell_text, glyphs
from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.raw_pdf import write_type3_pdf
from tests.fixtures.report_spec import (
    T4_COLS,
    ReportSpec,
    format_value,
    iter_cells,
    random_spec,
)

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

# name -> (format, seed, knobs). Together they cover every rendering knob.
VARIANTS: dict[str, tuple[str, int, dict[str, object]]] = {
    "2021-break-split": (
        "2021",
        1,
        {"t3_break_before": "results.denied.law", "group_label_at_break": "split", "missing_vline": "new"},
    ),
    "2021-frame-repeat-bold": (
        "2021",
        2,
        {
            "page_frame": True,
            "repeat_header": True,
            "fake_bold": True,
            "t3_break_before": "results.unable.need_create",
            "group_label_at_break": "before",
        },
    ),
    "2021-horizontal": (
        "2021",
        3,
        {
            "rules": "horizontal",
            "t3_break_before": "results.not_handled.repeat",
            "group_label_at_break": "after",
        },
    ),
    "2021-other-split-misprint": (
        "2021",
        4,
        {
            "other_split": True,
            "t3_break_before": "results.other.overdue_fee",
            "repeat_header": True,
            "wrap_headers": False,
            "margin_mm": 20.0,
            "paragraph_boxes": True,
            "label_overrides": {"t3/row/results.denied.law": "2.其他法律行政止公开"},
        },
    ),
    "2019-blank-seps-extra": (
        "2019",
        5,
        {
            "blank_zeros": True,
            "thousands_sep": True,
            "extra_rows": True,
            "font_size": 8.0,
            "margin_mm": 15.0,
            "col_scale": 1.15,
            "scale": 2500,
            "paragraph_boxes": True,
        },
    ),
    "2019-frame-horizontal": (
        "2019",
        6,
        {
            "page_frame": True,
            "paragraph_boxes": True,  # shading boxes must not pass for horizontal rules
            "rules": "horizontal",
            "repeat_header": True,
            "fake_bold": True,
            "t3_break_before": "results.denied.safety",
        },
    ),
    "2021-big-type": (
        "2021",
        7,
        {
            "font_size": 10.5,
            "body_font_size": 14.0,
            "margin_mm": 31.8,
            "col_scale": 0.9,
            "t3_break_before": "carried_forward",
            "blank_zeros": True,
            "extra_rows": True,
            "running_head": True,
            "continued_mark": True,
        },
    ),
}


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[ReportSpec, ExtractedSource]]:
    out = {}
    root = tmp_path_factory.mktemp("pdf")
    for name, (fmt, seed, knobs) in VARIANTS.items():
        spec = random_spec(random.Random(seed), fmt, **dict(knobs))
        path = render_pdf(spec, root / f"{name}.pdf")
        out[name] = (spec, read_pdf(path))
    return out


# ---------------------------------------------------------------------------------------------
# A small test-only locator: row by label text, column by header text (x position)
# ---------------------------------------------------------------------------------------------


def norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def _cells(t: RawTable) -> list[tuple[int, RawCell]]:
    return [(r, c) for r, row in enumerate(t.cells) for c in row if c is not None]


def _x_centre(c: RawCell) -> float:
    assert c.prov.bbox
    return (c.prov.bbox[0] + c.prov.bbox[2]) / 2


def _value_at(t: RawTable, r: int, x: float) -> RawCell:
    hits = [c for c in t.cells[r] if c is not None and c.prov.bbox and c.prov.bbox[0] < x < c.prov.bbox[2]]
    assert len(hits) == 1, (r, x, [c.text for c in t.cells[r] if c])
    return hits[0]


def _find(tables: list[RawTable], label: str) -> tuple[RawTable, int, RawCell]:
    want = norm(label)
    hits = [(t, r, c) for t in tables for r, c in _cells(t) if norm(c.text) == want]
    assert len(hits) == 1, (label, len(hits))
    return hits[0]


def locate(spec: ReportSpec, src: ExtractedSource) -> dict[tuple[str, str, str], str]:
    """(table, row, col) -> text of the raw cell at that row label and column header."""
    out: dict[tuple[str, str, str], str] = {}
    for shape in spec.shapes():
        if shape.id.startswith("t2."):
            t, r_head, _ = _find(src.tables, spec.printed_label(shape.id))
            header = r_head + 1
            for col in shape.cols:
                want = norm(spec.printed_label(f"{shape.id}/col/{col.id}"))
                hc = [c for c in t.cells[header] if c is not None and norm(c.text) == want]
                assert len(hc) == 1, want
                for k, row in enumerate(shape.rows):
                    r = header + 1 + k
                    assert norm(next(c.text for c in t.cells[r] if c)) == norm(
                        spec.printed_label(f"{shape.id}/row/{row.id}")
                    )
                    out[(shape.id, row.id, col.id)] = _value_at(t, r, _x_centre(hc[0])).text
        elif shape.id == "t3":
            t, _, _ = _find(src.tables, spec.printed_label("t3/row/new"))
            xs = {
                col.id: _x_centre(_find([t], spec.printed_label(f"t3/col/{col.id}"))[2]) for col in shape.cols
            }
            for row in shape.value_rows:
                _, r, _ = _find([t], spec.printed_label(f"t3/row/{row.id}"))
                for col in shape.cols:
                    out[("t3", row.id, col.id)] = _value_at(t, r, xs[col.id]).text
        else:
            t, _, _ = _find(src.tables, "未经复议直接起诉")
            subs = {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
            heads = sorted((c for _, c in _cells(t) if norm(c.text) in subs), key=_x_centre)
            assert len(heads) == 15
            for col, h in zip(T4_COLS, heads, strict=True):
                out[("t4", "all", col.id)] = _value_at(t, t.n_rows - 1, _x_centre(h)).text
    return out


def expected_text(spec: ReportSpec, table: str, value: object) -> str:
    lay = spec.layout
    if lay.blank_zeros and value == 0:
        return ""
    return format_value(value, thousands_sep=lay.thousands_sep and table.startswith("t2."))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Generated reports
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_generated_value_is_read_into_its_cell(generated, name: str) -> None:
    spec, src = generated[name]
    found = locate(spec, src)
    cells = list(iter_cells(spec))
    assert len(found) == len(cells)
    wrong = {
        (c.table, c.row, c.col): (found[(c.table, c.row, c.col)], expected_text(spec, c.table, c.value))
        for c in cells
        if found[(c.table, c.row, c.col)] != expected_text(spec, c.table, c.value)
    }
    assert not wrong


@pytest.mark.parametrize("name", list(VARIANTS))
def test_table_three_is_one_stitched_table_with_pages_kept(generated, name: str) -> None:
    spec, src = generated[name]
    t, _, _ = _find(src.tables, spec.printed_label("t3/row/new"))
    pages = {c.prov.page for _, c in _cells(t)}
    if spec.layout.t3_break_before:
        assert len(pages) >= 2
        _, r, first_after = _find([t], spec.printed_label(f"t3/row/{spec.layout.t3_break_before}"))
        before = next(c for c in t.cells[r - 1] if c is not None)
        assert first_after.prov.page == before.prov.page + 1
    # a repeated header is dropped: each column label occurs once
    assert sum(1 for _, c in _cells(t) if norm(c.text) == "自然人") == 1
    assert all(len(row) == t.n_cols for row in t.cells)
    assert t.col_edges is not None and len(t.col_edges) == t.n_cols
    for _, c in _cells(t):
        assert c.prov.bbox is not None and 0 <= c.prov.bbox[0] < c.prov.bbox[2] <= 595


def test_vertical_label_is_joined_and_split_by_the_break(generated) -> None:
    spec, src = generated["2021-break-split"]
    t, _, _ = _find(src.tables, spec.printed_label("t3/row/new"))
    col0 = "".join(row[0].text for row in t.cells if row[0] is not None and "\n" not in row[0].text)
    assert "三、本年度办理结果" in norm(col0)
    spec, src = generated["2021-frame-repeat-bold"]  # label all before the break
    _find(src.tables, "三、本年度办理结果")


def test_wrapped_header_keeps_its_line_break(generated) -> None:
    _, src = generated["2021-break-split"]
    texts = {c.text for t in src.tables for _, c in _cells(t)}
    assert any("\n" in t and norm(t) == "商业企业" for t in texts)


@pytest.mark.parametrize(
    "name", ["2021-frame-repeat-bold", "2021-other-split-misprint", "2019-blank-seps-extra"]
)
def test_framed_or_boxed_prose_goes_to_lines_in_reading_order(generated, name: str) -> None:
    spec, src = generated[name]
    assert all(t.n_cols > 1 for t in src.tables)
    cells = [norm(c.text) for t in src.tables for _, c in _cells(t)]
    assert not any("认真贯彻落实" in c or c.endswith("情况") and c.startswith("二、") for c in cells)
    text = "".join(norm(ln.text) for ln in src.lines)
    assert norm(spec.agency) in text and "二、主动公开政府信息情况" in text
    received = spec.values["t3"]["new"]["total"]
    assert f"收到政府信息公开申请{received}件" in text
    assert f"主动公开政府信息{spec.published_items}条" in text
    keys = [(ln.prov.page, ln.prov.bbox[1]) for ln in src.lines if ln.prov.bbox]
    assert keys == sorted(keys)
    # fake bold leaves no doubled characters; the title is the first line
    assert norm(src.lines[0].text) == norm(spec.agency)


def test_extra_rows_stay_as_unmatched_rows(generated) -> None:
    _, src = generated["2019-blank-seps-extra"]
    _find(src.tables, "合计")
    assert any(norm(ln.text).startswith("注:") for ln in src.lines) or any(
        norm(c.text).startswith("注:") for t in src.tables for _, c in _cells(t)
    )


def test_source_identity(generated, tmp_path: Path) -> None:
    spec, src = generated["2021-break-split"]
    assert src.kind is SourceKind.PDF and len(src.sha256) == 64 and src.pages >= 2
    path = render_pdf(spec, tmp_path / "again.pdf")
    assert pdf_page_count(path) == src.pages
    assert read_pdf(path).sha256 == src.sha256  # deterministic rendering


# ---------------------------------------------------------------------------------------------
# Text details without a PDF
# ---------------------------------------------------------------------------------------------


def _g(text: str, x0: float, top: float, size: float = 10.0) -> Glyph:
    return Glyph(text, x0, x0 + size * (0.5 if text.isascii() else 1), top, top + size, size)


def test_cell_text_joins_vertical_labels_and_split_numbers() -> None:
    assert cell_text([_g(ch, 10, 12 * i) for i, ch in enumerate("三、本年")]) == "三、本年"
    assert cell_text([_g("1", 10, 0), _g("2", 15, 0), _g("3", 10, 12), _g("4", 15, 12)]) == "1234"
    assert cell_text([_g("商", 10, 0), _g("业", 20, 0), _g("企", 10, 12), _g("业", 20, 12)]) == "商业\n企业"


def test_glyphs_normalise_and_drop_fake_bold() -> None:
    def ch(text: str, x0: float) -> dict:
        return {
            "text": text,
            "x0": x0,
            "x1": x0 + 10,
            "top": 0.0,
            "bottom": 10.0,
            "doctop": 0.0,
            "width": 10.0,
            "size": 10.0,
            "fontname": "F",
            "upright": True,
        }

    items, bad = glyphs([ch("⼀", 0), ch("⼀", 0.3), ch("（", 10), ch("(cid:12)", 20)])
    assert [g.text for g in items] == ["一", "(", "(cid:12)"] and bad == 1


def test_numbers_glued_by_a_missing_line_are_split_by_column() -> None:
    xs, ys = [0.0, 50.0, 80.0, 110.0], [0.0, 20.0]
    cell = GridCell(0, 1, 1, 2, (50.0, 0.0, 110.0, 20.0), [_g("1", 60, 5), _g("2", 65, 5), _g("7", 92, 5)])
    label = GridCell(0, 0, 1, 1, (0.0, 0.0, 50.0, 20.0), [_g("规", 5, 5)])
    t = to_raw_table(Grid(1, xs, ys, [label, cell]))
    assert [c.text if c else None for c in t.cells[0]] == ["规", "12", "7"]


def _table(page: int, top: float, edges: list[float], texts: list[list[str]]) -> RawTable:
    rows = []
    for r, row in enumerate(texts):
        y = top + 20 * r
        rows.append(
            [RawCell(t, Provenance(page, (edges[c], y, edges[c + 1], y + 20))) for c, t in enumerate(row)]
        )
    bbox = (edges[0], top, edges[-1], top + 20 * len(texts))
    return RawTable(rows, Provenance(page, bbox), col_edges=list(zip(edges, edges[1:], strict=False)))


def test_next_table_after_a_heading_at_the_page_top_is_not_stitched() -> None:
    # 表三 fills page 2; page 3 opens (inside the top margin zone) with the 表四 heading and
    # 表四, whose equal columns share many edges with 表三's value columns.
    t3_edges = [40.0, 60.0, 130.0, 280.0] + [280.0 + 34 * k for k in range(1, 8)]
    t4_edges = [40.0 + (t3_edges[-1] - 40.0) / 15 * k for k in range(16)]
    t3 = _table(2, 600.0, t3_edges, [["四、结转下年度继续办理", "", "", *"0000000"]])
    t4 = _table(3, 70.0, t4_edges, [["结果维持"] * 15, ["0"] * 15])
    heading = TextLine("四、政府信息公开行政复议、行政诉讼情况", Provenance(3, (60.0, 45.0, 300.0, 60.0)))
    assert len(_stitch([t3, t4], [heading], {2: 842.0, 3: 842.0})) == 2
    # without the heading, 15 new columns are still not a continuation of 10
    assert len(_stitch([t3, t4], [], {2: 842.0, 3: 842.0})) == 2


def test_continuation_under_a_running_head_and_continued_mark_is_stitched() -> None:
    edges = [40.0, 200.0, 300.0, 400.0]
    a = _table(1, 600.0, edges, [["规章", "1", "2"]])
    b = _table(2, 90.0, edges[:2] + edges[3:], [["行政许可", "3"]])  # merged cell: an edge fewer
    head = [
        TextLine(f"某局政府信息公开工作年度报告 {p}", Provenance(p, (300.0, 30.0, 500.0, 40.0)))
        for p in (1, 2)
    ]
    mark = TextLine("续表", Provenance(2, (40.0, 70.0, 70.0, 85.0)))
    (one,) = _stitch([a, b], [*head, mark], {1: 842.0, 2: 842.0})
    assert [[c.text if c else None for c in row] for row in one.cells] == [
        ["规章", "1", "2"],
        ["行政许可", "3", None],
    ]
    assert one.cells[1][1] is not None and one.cells[1][1].col_span == 2 and one.cells[1][1].prov.page == 2
    # a two-page report: the running head is on page 2 only, but set smaller than the body
    body = [
        TextLine("正文" * 10, Provenance(1, (40.0, 100.0 + 20 * k, 500.0, 116.0 + 20 * k))) for k in range(5)
    ]
    assert len(_stitch([a, b], [*body, head[1]], {1: 842.0, 2: 842.0})) == 1


def test_a_lone_number_under_a_rule_missing_in_one_row_goes_to_its_column() -> None:
    xs, ys = [0.0, 50.0, 80.0, 110.0], [0.0, 20.0, 40.0, 60.0]

    def grid(row0_merged: bool) -> Grid:
        cells = [
            GridCell(r, 0, 1, 1, (0.0, ys[r], 50.0, ys[r + 1]), [_g("规", 5, ys[r] + 5)]) for r in range(3)
        ]
        for r in (0, 2):
            if r == 0 and row0_merged:
                cells.append(GridCell(0, 1, 1, 2, (50.0, 0.0, 110.0, 20.0), []))
                continue
            cells += [GridCell(r, c, 1, 1, (xs[c], ys[r], xs[c + 1], ys[r + 1]), []) for c in (1, 2)]
        cells.append(GridCell(1, 1, 1, 2, (50.0, 20.0, 110.0, 40.0), [_g("5", 92, 25)]))
        return Grid(1, xs, ys, cells)

    assert [c.text if c else None for c in to_raw_table(grid(False)).cells[1]] == ["规", "", "5"]
    # merged in the row above too: a real merged cell, the number stays in it
    assert [c.text if c else None for c in to_raw_table(grid(True)).cells[1]] == ["规", "5", None]


# ---------------------------------------------------------------------------------------------
# Real reports
# ---------------------------------------------------------------------------------------------


def _fuzzy_row(t: RawTable, label: str) -> int:
    want = norm(label)
    best = max(
        ((difflib.SequenceMatcher(None, want, norm(c.text)).ratio(), r) for r, c in _cells(t) if c.text),
        key=lambda x: x[0],
    )
    assert best[0] > 0.8, label
    return best[1]


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["hongze-district-2023", "hongze-district-2024"])
def test_real_reports_match_the_truth(name: str) -> None:
    pdf = CORPUS / f"{name}.pdf"
    if not pdf.exists():
        pytest.skip("../shared/corpus not present")
    truth = json.loads((CORPUS / f"{name}.truth.json").read_text(encoding="utf-8"))["tables"]
    src = read_pdf(pdf)
    t3, _, _ = _find(src.tables, "一、本年新收政府信息公开申请数量")
    assert t3.n_cols == 10 and 25 <= t3.n_rows <= 30
    assert {c.prov.page for _, c in _cells(t3)} == {3, 4}
    heads = {norm(c.text): _x_centre(c) for _, c in _cells(t3)}
    for row_label, cols in truth["table3"].items():
        r = _fuzzy_row(t3, row_label.split("/")[-1])
        for col_label, value in cols.items():
            assert _value_at(t3, r, heads[norm(col_label.split("/")[-1])]).text == str(value), (
                row_label,
                col_label,
            )
    t4, _, _ = _find(src.tables, "未经复议直接起诉")
    numbers = [c.text for c in t4.cells[-1] if c is not None]
    assert numbers == [str(v) for v in next(iter(truth["table4"].values())).values()]
    for row_label, cols in truth["table2"].items():
        t2, r, _ = _find(src.tables, row_label)
        for col_label, value in cols.items():
            # the nearest header above the row with this column label
            hr, head = max(
                ((hr, c) for hr, c in _cells(t2) if hr < r and norm(c.text) == norm(col_label)),
                key=lambda x: x[0],
            )
            assert _value_at(t2, r, _x_centre(head)).text in (str(value), format(value, "g")), (
                row_label,
                col_label,
            )


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def _canvas(path: Path, **kw):  # noqa: ANN202
    from reportlab.pdfgen import canvas

    return canvas.Canvas(str(path), invariant=1, **kw)


def _expect(path: Path, kind: SourceProblem, problem: str, capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SourceError) as err:
        read_pdf(path)
    assert err.value.kind is kind and problem in err.value.problem
    assert str(err.value) == f"{path}: {err.value.problem}"
    assert capfd.readouterr().err == ""  # pdfminer warnings stay in logging


def test_missing_file(tmp_path: Path, capfd) -> None:
    _expect(tmp_path / "nope.pdf", SourceProblem.NOT_FOUND, "not found", capfd)


def test_not_a_pdf_and_corrupt_bytes(tmp_path: Path, capfd) -> None:
    p = tmp_path / "x.pdf"
    p.write_bytes(b"PK\x03\x04 this is a zip, not a report")
    _expect(p, SourceProblem.CORRUPT, "not a PDF", capfd)
    p.write_bytes(b"%PDF-1.4\n" + bytes(random.Random(1).randrange(256) for _ in range(3000)) + b"\n%%EOF\n")
    _expect(p, SourceProblem.CORRUPT, "corrupt", capfd)


def test_truncated_pdf(generated, tmp_path: Path, capfd) -> None:
    spec, _ = generated["2021-break-split"]
    data = render_pdf(spec, tmp_path / "full.pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[: len(data) // 2])
    _expect(p, SourceProblem.CORRUPT, "truncated", capfd)


def test_encrypted_pdf(tmp_path: Path, capfd) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    p = tmp_path / "locked.pdf"
    c = _canvas(p, encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "locked")
    c.save()
    _expect(p, SourceProblem.ENCRYPTED, "encrypted PDF: remove the password first", capfd)


def test_image_only_pdf(tmp_path: Path, capfd) -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    img = Image.new("RGB", (200, 100), "white")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    p = tmp_path / "scan.pdf"
    c = _canvas(p)
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 50, 500, 400, 200)
    c.save()
    _expect(p, SourceProblem.NO_TEXT_LAYER, "no text layer: OCR needed", capfd)


def _type3_pdf(path: Path) -> None:
    """A page whose text uses a Type3 font with made-up glyph names and no ToUnicode map, as
    some converters write: pdfminer can only report (cid:N) for every glyph."""
    write_type3_pdf(path, b"BT /F1 12 Tf 72 700 Td <" + b"0102030405060708090a" * 4 + b"> Tj ET")


def test_unreadable_text_layer(tmp_path: Path, capfd) -> None:
    p = tmp_path / "cid.pdf"
    _type3_pdf(p)
    _expect(p, SourceProblem.UNREADABLE_TEXT, "text layer unreadable: OCR needed", capfd)


def test_prose_without_tables(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    p = tmp_path / "prose.pdf"
    c = _canvas(p)
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(
        ["一、总体情况", "本年度共收到申请12件，办结11件。", "二、主动公开政府信息情况"]
    ):
        c.drawString(72, 760 - 20 * i, line)
    c.line(72, 690, 520, 690)  # a lone rule is not a table
    c.save()
    src = read_pdf(p)
    assert src.tables == []
    assert [ln.text for ln in src.lines] == [
        "一、总体情况",
        "本年度共收到申请12件,办结11件。",
        "二、主动公开政府信息情况",
    ]


# ---------------------------------------------------------------------------------------------
# Full pipeline: read + the template mapping, every value by id
# ---------------------------------------------------------------------------------------------


def test_end_to_end_every_value_recovered_by_id(generated) -> None:
    from decimal import Decimal

    mapping = pytest.importorskip("tabledesk.mapping.mapper")
    registry = pytest.importorskip("tabledesk.templates.registry")
    if not hasattr(mapping, "map_source"):
        pytest.skip("mapping/mapper.py has no map_source yet")
    templates, _ = registry.load_templates()
    for name, (spec, src) in generated.items():
        doc = mapping.map_source(src, templates)
        assert doc.format_id == spec.format, name
        values = doc.values()
        for cell in iter_cells(spec):
            got = values.get((cell.table, cell.row, cell.col))
            assert got is not None and Decimal(got) == Decimal(cell.value), (name, cell, got)


def test_a_header_repeated_after_the_break_and_misread_by_ocr_is_still_dropped() -> None:
    edges = [40.0, 200.0, 260.0, 320.0]
    first = _table(2, 600.0, edges, [["申请人情况", "自然人", "商业企业"], ["一、本年新收", "5", "1"]])
    second = _table(3, 70.0, edges, [["申请人情况", "自然人", "1商业企业"], ["二、上年结转", "2", "0"]])
    for t in (first, second):
        for row in t.cells:
            for c in row:
                c.confidence = 0.97  # read by OCR
    (merged,) = _stitch([first, second], [], {2: 842.0, 3: 842.0})
    assert [row[0].text for row in merged.cells] == ["申请人情况", "一、本年新收", "二、上年结转"]
    # a text layer repeats its header exactly: a near match there is a row of its own
    for row in second.cells:
        for c in row:
            c.confidence = None
    (kept,) = _stitch([first, second], [], {2: 842.0, 3: 842.0})
    assert [row[0].text for row in kept.cells] == ["申请人情况", "一、本年新收", "申请人情况", "二、上年结转"]
