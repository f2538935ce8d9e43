"""Scanned tables ruled with horizontal lines only: columns from the gutters between columns of
ink (pure geometry, on drawn images), and every number of a generated scan read into its cell."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pytest

from tabledesk.sources.scan.columns import band_runs, column_edges, column_spans, drawn_edges, split_at_edges
from tabledesk.sources.scan.rows import unruled_rows
from tests.fixtures.fonts import SONG


def _band(marks: list[tuple[int, int, int]], width: int = 600, height: int = 24) -> np.ndarray:
    """A band of ink (255 on 0) with a solid mark (x0, x1, height) per run."""
    band = np.zeros((height, width), np.uint8)
    for x0, x1, h in marks:
        top = (height - h) // 2
        band[top : top + h, x0:x1] = 255
    return band


def test_a_group_header_centred_over_its_columns_does_not_swallow_their_gutters() -> None:
    # columns of numbers at 100, 200, 300, 400; a header from just right of the first column's
    # numbers to just left of the last overlaps only the middle ones' ink in its own row
    header = _band([(112, 390, 14)])
    rows = [_band([(x - 4, x + 4, 12) for x in (100, 200, 300, 400)]) for _ in range(6)]
    bands = [band_runs(b, 0, 600, 20, 3) for b in [header, *rows]]
    spans = column_spans(bands, bands, 0, 600)
    assert len(spans) == 4
    xs = column_edges(spans, 0, 600, [], bands)
    assert [sum(1 for e in xs if e < x) for x in (100, 200, 300, 400)] == [1, 2, 3, 4]


def test_a_column_blank_in_every_row_is_found_from_its_header() -> None:
    # five columns; the third holds no number at all (blank zeros), only its header
    header = _band([(x - 15, x + 15, 14) for x in (100, 200, 300, 400, 500)])
    rows = [_band([(x - 4, x + 4, 12) for x in (100, 200, 400, 500)]) for _ in range(6)]
    bands = [band_runs(b, 0, 600, 20, 3) for b in [header, *rows]]
    assert len(column_spans(bands, bands, 0, 600)) == 5


def test_a_label_set_close_to_the_group_label_is_cut_at_the_rule_end_only_where_paper_shows() -> None:
    band = _band([(10, 60, 16), (68, 200, 16)])  # a 8-pixel blank at x 60..68
    runs = band_runs(band, 0, 600, 20, 3)
    assert len(runs) == 1
    cut = split_at_edges(band, runs, [64], 6, 5)
    assert [(r.x0, r.x1) for r in cut] == [(10, 60), (68, 200)]
    # one label spaced like any other text over the same edge stays whole
    assert len(split_at_edges(band, runs, [64], 6, 10)) == 1


def test_dust_in_a_gutter_opens_no_column() -> None:
    rows = [_band([(x - 4, x + 4, 12) for x in (100, 200, 300)]) for _ in range(5)]
    rows[2][10:12, 150:152] = 255  # a speck between two columns
    bands = [band_runs(b, 0, 600, 20, 3) for b in rows]
    assert len(column_spans(bands, bands, 0, 600)) == 3


def _spans_and_edges(bands_ink: list[np.ndarray]) -> tuple[list[tuple[int, int]], list[int]]:
    bands = [band_runs(b, 0, 600, 20, 3) for b in bands_ink]
    spans = column_spans(bands, bands, 0, 600)
    return spans, column_edges(spans, 0, 600, [], bands)


def _inside(xs: list[int], a: int, b: int) -> list[int]:
    return [e for e in xs if a < e < b]


def test_columns_blank_side_by_side_are_found_from_their_headers() -> None:
    # a label column and five value columns 50 apart; the second and third hold no number in
    # any row, so the gap they leave is only three pitches against the label's wide one
    header = _band([(10, 90, 14), *((x - 12, x + 12, 14) for x in (150, 200, 250, 300, 350))])
    rows = [_band([(10, 90, 12), *((x - 4, x + 4, 12) for x in (150, 300, 350))]) for _ in range(6)]
    spans, xs = _spans_and_edges([header, *rows])
    assert len(spans) == 6
    assert all(len(_inside(xs, x - 12, x + 12)) == 0 for x in (150, 200, 250, 300, 350))


def test_a_section_whose_numbers_stand_where_other_rows_show_paper_keeps_its_column() -> None:
    # one section has three values at 300, 400, 500; the rows of the others hold a single
    # value centred at 400, so at 300 and 500 most rows show paper between label and value
    header = _band([(10, 90, 14), *((x - 30, x + 30, 14) for x in (300, 400, 500))])
    full = _band([(10, 90, 12), *((x - 4, x + 4, 12) for x in (300, 400, 500))])
    single = [_band([(10, 90, 12), (396, 404, 12)]) for _ in range(6)]
    spans, xs = _spans_and_edges([header, full, *single])
    assert len(spans) == 4
    assert all(len(_inside(xs, x - 30, x + 30)) == 0 for x in (300, 400, 500))


def test_a_number_centred_under_two_columns_opens_none_and_moves_no_edge() -> None:
    # columns at 300, 400, 500 with their headers; a section of two values puts its second
    # number midway between the last two columns, its header reaching over the last one
    header = _band([(10, 90, 14), *((x - 40, x + 40, 14) for x in (300, 400, 500))])
    rows = [_band([(10, 90, 12), *((x - 4, x + 4, 12) for x in (300, 400, 500))]) for _ in range(4)]
    section = [
        _band([(10, 90, 14), (260, 340, 14), (430, 500, 14)]),
        _band([(10, 90, 12), (296, 304, 12), (446, 454, 12)]),
    ]
    spans, xs = _spans_and_edges([header, *rows, *section])
    assert len(spans) == 4
    # each header stays whole in its column
    assert all(len(_inside(xs, x - 40, x + 40)) == 0 for x in (300, 400, 500))


def test_rule_ends_are_edges_where_several_rules_end_or_one_ends_clear_of_a_break() -> None:
    em = 12.0
    full = [(0, 600)]
    rules = [
        full,
        [(200, 600)],  # a group's inner rules start at its items' column
        [(201, 600)],
        full,
        [(0, 300), (308, 600)],  # a rule the scan broke: both ends face each other
        [(0, 590)],  # a stroke fading near the table's side
        [(0, 100), (440, 600)],  # a header's rule under its columns only, ending on its own
        full,
    ]
    assert drawn_edges(rules, 0, 600, em) == [100, 201, 440]
    # one fading end alone is no edge, two rules ending together are
    assert drawn_edges([full, [(0, 590)], full], 0, 600, em) == []
    assert drawn_edges([full, [(0, 590)], [(0, 591)], full], 0, 600, em) == [591]


def _group_rows() -> tuple[list[np.ndarray], list[list[tuple[int, int]]]]:
    """Horizontally ruled rows of a table whose label columns show no gutter, as in Song type:
    a group label (x 110..196) to the left of its items (from x 205), items' column edge
    drawn at x 200 by the group's inner rules; rows above and below it have one label over
    both columns, whose numbering mark (一、 and 四、) stands clear of the rest by a wide blank
    (the mark's own paper), and one of them a label set in two pieces that cross x 200.
    Numbers at 400 and 500."""
    nums = [(396, 404, 12), (496, 504, 12)]
    rows = [
        _band([(110, 130, 14), (152, 320, 14), *nums]),  # 一、本年新收…
        _band([(110, 130, 14), (152, 320, 14), *nums]),  # 二、上年结转…
        _band([(112, 140, 14), (150, 260, 14), (270, 330, 14), *nums]),  # (二)部分公开…
        _band([(205, 300, 14), *nums]),  # 1.…
        _band([(205, 280, 14), *nums]),  # 2.…
        _band([(104, 196, 14), (205, 320, 14), *nums]),  # (三)不予公开 | 3.…
        _band([(104, 196, 14), (205, 290, 14), *nums]),  # (三)不予公开 | 4.…
        _band([(205, 310, 14), *nums]),  # 5.…
        _band([(150, 165, 14), (187, 300, 14), *nums]),  # 四、结转…
    ]
    full = [(0, 600)]
    rules = [full, full, full, full, [(200, 600)], [(200, 600)], [(200, 600)], [(200, 600)], full, full]
    return rows, rules


def test_a_group_label_beside_its_items_keeps_them_apart_where_the_rules_draw_their_edge() -> None:
    rows, rules = _group_rows()
    bands = [band_runs(b, 0, 600, 13, 3) for b in rows]
    spans = column_spans(bands, bands, 0, 600)
    # the gutters alone run one column over the group labels and the items (the control)
    blind = column_edges(spans, 0, 600, [], bands)
    assert not _inside(blind, 196, 205)
    xs = column_edges(spans, 0, 600, [], bands, drawn_edges(rules, 0, 600, 12.0), 6)
    # the group label ends a column and its items open the next, none cut in two
    assert _inside(xs, 196, 205) == [200]
    assert not _inside(xs, 205, 330)


def test_two_rows_in_one_band_are_parted_only_at_a_row_sized_blank() -> None:
    em = 12.0
    band = np.zeros((120, 400), np.uint8)
    band[10:22, 20:200] = 255  # a row's label
    band[60:72, 20:200] = 255  # the next row's label, a row's padding below
    assert unruled_rows(band, 0, 120, 0, 400, em) == [41]
    wrapped = np.zeros((120, 400), np.uint8)
    wrapped[10:22, 20:200] = 255
    wrapped[25:37, 20:120] = 255  # a label wrapped onto a second line, a leading below
    assert unruled_rows(wrapped, 0, 120, 0, 400, em) == []


# ---------------------------------------------------------------------------------------------
# A generated scan, end to end
# ---------------------------------------------------------------------------------------------

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")


@pytest.mark.parametrize(
    ("seed", "fmt", "knobs"),
    [
        (3, "2021", {}),
        (100, "2021", {}),
        # 2019: sections of 表二 with fewer columns than the table, and 表三 with whole
        # applicant columns left blank (zeros not printed) in small type
        (101, "2019", {"blank_zeros": True, "thousands_sep": True, "font_size": 8.0}),
        (103, "2019", {}),
        # Song type: the group label （三）不予公开 stands against its items with no gutter
        # between them, and 、 leaves a gutter-wide blank inside 一、本年新收…: four rows a report
        # lost their labels to the group label beside them
        (2102, "2021", {"font": SONG.name, "thousands_sep": True}),
    ],
)
def test_every_number_of_a_horizontally_ruled_scan_is_read_into_its_cell(tmp_path, seed, fmt, knobs) -> None:
    from tabledesk.mapping.mapper import map_source
    from tabledesk.sources.scan.extract import page_image, read_scan
    from tabledesk.sources.scan.grid import find_tables, line_masks
    from tabledesk.templates.registry import load_templates
    from tests.fixtures.pdf_report import render_pdf
    from tests.fixtures.report_spec import iter_cells, random_spec
    from tests.fixtures.scan_pdf import scan_pdf

    spec = random_spec(random.Random(seed), fmt, rules="horizontal", **knobs)
    pdf = render_pdf(spec, tmp_path / "h.pdf")
    scan = scan_pdf(pdf, tmp_path / "h-scan.pdf", seed=seed, skew_deg=0.3)
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(scan))
    img = page_image(doc, 2)
    doc.close()
    regions = find_tables(line_masks(img.gray, img.dpi), img.dpi)
    assert not regions.grids and regions.rules_only  # no full grid: this module's case
    src = read_scan(scan)
    assert all(c.confidence is not None for t in src.tables for row in t.cells for c in row if c and c.text)
    templates, _ = load_templates()
    mapped = map_source(src, templates)
    bad = []
    for c in iter_cells(spec):
        got = mapped.cell(c.table, c.row, c.col) if mapped.has_cell(c.table, c.row, c.col) else None
        if got is None or got.value is None or Decimal(got.value) != Decimal(str(c.value)):
            if got is None or not got.uncertain:
                bad.append((c.table, c.row, c.col, c.value, None if got is None else got.raw))
    assert not bad, bad[:10]


def _headerless_t3():  # noqa: ANN202 - a ReportSpec
    """表三 breaking over a page with its header not repeated, zeros blank, in small type."""
    from tests.fixtures.report_spec import random_spec

    return random_spec(
        random.Random(101),
        "2019",
        rules="horizontal",
        t3_break_before="results.denied.process",
        repeat_header=False,
        blank_zeros=True,
        font_size=8.0,
    )


def test_a_continuation_without_its_header_is_cut_at_the_columns_of_the_page_before(tmp_path) -> None:
    # 表三 breaks over a page and the header is not repeated: the next page's gutters show only
    # the columns that hold numbers (blank zeros, small type), so without the previous page's
    # columns a value lands in its neighbour's column (legal.other for legal.legal_service)
    from tabledesk.mapping.mapper import map_source
    from tabledesk.sources.scan.extract import read_scan
    from tabledesk.templates.registry import load_templates
    from tests.fixtures.pdf_report import render_pdf
    from tests.fixtures.report_spec import iter_cells
    from tests.fixtures.scan_pdf import scan_pdf

    spec = _headerless_t3()
    pdf = render_pdf(spec, tmp_path / "h.pdf")
    scan = scan_pdf(pdf, tmp_path / "h-scan.pdf", seed=101, skew_deg=0.3)
    src = read_scan(scan)
    assert {t.prov.page for t in src.tables} >= {2, 3}  # 表三 runs on onto page 3
    mapped = map_source(src, load_templates()[0])
    bad = []
    for c in iter_cells(spec):
        if c.table != "t3":
            continue
        got = mapped.cell(c.table, c.row, c.col) if mapped.has_cell(c.table, c.row, c.col) else None
        if got is None or got.value is None or Decimal(got.value) != Decimal(str(c.value)):
            bad.append((c.row, c.col, c.value, None if got is None else got.raw))
    assert not bad, bad[:10]


def test_a_continuation_the_page_before_cannot_confirm_has_its_numbers_doubted(tmp_path) -> None:
    # the same headerless continuation of 表三, but the table closing the page before is set
    # at another width: no header says where its blank columns are, so a number may stand one
    # column over, and every number is shown to the clerk as uncertain instead
    import pypdfium2 as pdfium

    from tabledesk.sources.scan.engine import engine
    from tabledesk.sources.scan.extract import page_image, read_page
    from tests.fixtures.pdf_report import render_pdf
    from tests.fixtures.scan_pdf import scan_pdf

    spec = _headerless_t3()
    scan = scan_pdf(render_pdf(spec, tmp_path / "h.pdf"), tmp_path / "h-scan.pdf", seed=101, skew_deg=0.3)
    ocr = engine()
    doc = pdfium.PdfDocument(str(scan))
    try:
        img = page_image(doc, 3, ocr)
    finally:
        doc.close()
    alone, _ = read_page(img, ocr)
    edges = alone[0].col_edges
    assert edges
    numbers = [c for row in alone[0].cells for c in row if c is not None and c.text.strip().isdigit()]
    assert numbers and all(c.confidence is not None and c.confidence >= 0.9 for c in numbers)
    # the table before: a third narrower, its columns squeezed to the left
    x0 = edges[0][0]
    narrower = [(x0 + (a - x0) * 0.66, x0 + (b - x0) * 0.66) for a, b in edges]
    tables, _ = read_page(img, ocr, follows=narrower)
    doubted = [c for row in tables[0].cells for c in row if c is not None and c.text.strip().isdigit()]
    assert len(doubted) == len(numbers)
    assert all(c.confidence is not None and c.confidence < 0.9 for c in doubted)


def test_a_label_run_on_into_the_next_column_leaves_that_column_its_number(tmp_path) -> None:
    # narrow columns and small type (the benchmark's random layout 1105): the wrapped label
    # （二）部分公开（区分处理的，只计这一情形，不计其他情形） runs on into 自然人 up to
    # that column's number. Read as one cell, the number was the label's last word and
    # 自然人 came out blank (0), sure
    from tabledesk.mapping.mapper import map_source
    from tabledesk.sources.scan.extract import read_scan
    from tabledesk.templates.registry import load_templates
    from tests.fixtures.pdf_report import render_pdf
    from tests.fixtures.report_spec import iter_cells, random_layout, random_spec
    from tests.fixtures.scan_pdf import scan_pdf

    rng = random.Random(1105)
    layout = random_layout(rng)
    layout.rules = "horizontal"
    spec = random_spec(rng, "2019", layout=layout)
    assert layout.col_scale < 1 and layout.font_size < 9
    scan = scan_pdf(render_pdf(spec, tmp_path / "h.pdf"), tmp_path / "h-scan.pdf", seed=105)
    mapped = map_source(read_scan(scan), load_templates()[0])
    bad = []
    for c in iter_cells(spec):
        got = mapped.cell(c.table, c.row, c.col) if mapped.has_cell(c.table, c.row, c.col) else None
        if got is None or got.value is None or Decimal(got.value) != Decimal(str(c.value)):
            if got is None or not got.uncertain:
                bad.append((c.table, c.row, c.col, c.value, None if got is None else got.raw))
    assert not bad, bad[:10]
    want = spec.values["t3"]["results.partial"]["natural"]
    assert want != 0 and mapped.cell("t3", "results.partial", "natural").value == want
