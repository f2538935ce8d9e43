"""Scanned ruled tables under other layouts: a frame around every page, a table broken over
pages with a rule left out in the last row before the break, blank zeros, thousands separators,
fake bold, running heads and 续表 marks. The grid geometry is tested on drawn pages (no OCR);
one generated report goes through OCR end to end."""

from __future__ import annotations

import random
from decimal import Decimal

import cv2
import numpy as np
import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")

from tabledesk.mapping.mapper import map_source  # noqa: E402
from tabledesk.sources.scan.engine import _ctc, engine, numeric_like, tidy_number  # noqa: E402
from tabledesk.sources.scan.extract import read_page, read_scan  # noqa: E402
from tabledesk.sources.scan.grid import find_tables, ink_lines, line_masks  # noqa: E402
from tabledesk.sources.scan.page import PageImage  # noqa: E402
from tabledesk.templates.registry import load_templates  # noqa: E402
from tests.fixtures.pdf_report import render_pdf  # noqa: E402
from tests.fixtures.report_spec import Layout, iter_cells, random_spec  # noqa: E402
from tests.fixtures.scan_pdf import scan_pdf  # noqa: E402

DPI = 150.0
XS = [200, 400, 500, 600, 700]
YS = [300, 360, 400, 440, 480]


def _page(*, frame: bool, skip_last_row_rule: int | None = None) -> np.ndarray:
    """A white A4 page at 150 dpi with a ruled table (4 rows, 4 columns), optionally inside a
    frame that touches nothing, and optionally without the rule at XS[k] in the last row."""
    page = np.full((1754, 1240), 255, np.uint8)
    if frame:
        cv2.rectangle(page, (90, 120), (1150, 1650), 0, 2)
    for y in YS:
        cv2.line(page, (XS[0], y), (XS[-1], y), 0, 2)
    for k, x in enumerate(XS):
        bottom = YS[-2] if k == skip_last_row_rule else YS[-1]
        cv2.line(page, (x, YS[0]), (x, bottom), 0, 2)
    # prose inside the frame, above the table: strokes of about a character's size
    for x in range(200, 700, 24):
        cv2.rectangle(page, (x, 200), (x + 16, 216), 0, 2)
    return page


def _grids(page: np.ndarray):  # noqa: ANN202
    return find_tables(line_masks(page, DPI), DPI)


@pytest.mark.parametrize("frame", [False, True])
def test_a_frame_around_the_page_is_not_part_of_the_table_inside_it(frame: bool) -> None:
    regions = _grids(_page(frame=frame))
    assert len(regions.grids) == 1
    g = regions.grids[0]
    # the table's own rules only: a frame's sides would add columns and rows around it
    assert len(g.xs) == len(XS) and len(g.ys) == len(YS)
    assert all(abs(a - b) <= 3 for a, b in zip(g.xs, XS, strict=True))
    assert all(abs(a - b) <= 3 for a, b in zip(g.ys, YS, strict=True))
    assert len(g.cells) == (len(XS) - 1) * (len(YS) - 1)


@pytest.mark.parametrize("gap", [6, 9])
def test_a_double_border_adds_no_row_or_column(gap: int) -> None:
    page = _page(frame=False)
    cv2.rectangle(page, (XS[0] - gap, YS[0] - gap), (XS[-1] + gap, YS[-1] + gap), 0, 2)
    g = _grids(page).grids[0]
    # a ring of sliver cells around the table would be one cell spanning all of it
    assert len(g.xs) == len(XS) and len(g.ys) == len(YS)
    assert all(c.rs == 1 and c.cs == 1 for c in g.cells)


def test_a_rule_left_out_in_the_last_row_before_a_break_may_be_a_slip() -> None:
    g = _grids(_page(frame=True, skip_last_row_rule=2)).grids[0]
    last = [c for c in g.cells if c.r == len(YS) - 2]
    merged = [c for c in last if c.cs == 2]
    # one ruled cell over two columns, read apart if both halves hold numbers
    assert len(merged) == 1 and merged[0].c == 1 and merged[0].slips == [2]


@pytest.mark.parametrize("edge", ["bottom", "top"])
def test_a_row_left_open_at_a_page_break_is_still_a_row(edge: str) -> None:
    """Word and WPS draw no rule under the last row before a page break (or over the first
    row after it): the column rules run on and end together, and that is the row's edge."""
    page = _page(frame=False)
    y = YS[-1] if edge == "bottom" else YS[0]
    page[y - 2 : y + 3, XS[0] + 3 : XS[-1] - 2] = 255  # the rule gone between the columns
    g = _grids(page).grids[0]
    assert len(g.ys) == len(YS) and abs((g.ys[-1] if edge == "bottom" else g.ys[0]) - y) <= 3
    assert len(g.cells) == (len(XS) - 1) * (len(YS) - 1)
    # a table that simply ends on its last rule gains no row
    assert len(_grids(_page(frame=False)).grids[0].ys) == len(YS)


def test_a_header_cell_over_several_columns_in_the_top_row_keeps_its_span() -> None:
    page = _page(frame=False)
    # the top row's inner rules removed: one header over all columns (rules drawn below)
    for x in XS[1:-1]:
        page[YS[0] + 3 : YS[1] - 2, x - 2 : x + 3] = 255
    g = _grids(page).grids[0]
    top = [c for c in g.cells if c.r == 0]
    assert len(top) == 1 and top[0].cs == len(XS) - 1


@pytest.mark.parametrize("gap_row", [1, 2])
def test_two_numbers_sharing_a_ruled_cell_are_read_apart(gap_row: int) -> None:
    """The rule between two value columns left out in one row (the middle one, or the last
    one, as before a page break): a number set right against the gap and a speck of dust on
    it still make two cells."""
    xs, ys = [200, 420, 500, 580, 660], [300, 350, 400, 450]
    page = np.full((1754, 1240), 255, np.uint8)
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), 0, 2)
    for x in (xs[0], xs[1], xs[3], xs[4]):
        cv2.line(page, (x, ys[0]), (x, ys[-1]), 0, 2)
    for r in range(3):  # the rule at xs[2], in every row but one
        if r != gap_row:
            cv2.line(page, (xs[2], ys[r]), (xs[2], ys[r + 1]), 0, 2)
    font = cv2.FONT_HERSHEY_SIMPLEX
    values = [("3", "5", "8"), ("4", "6", "10"), ("9", "2", "11")]
    values[gap_row] = ("12", "7", "19")
    for r, (a, b, total) in enumerate(values):
        y = ys[r] + 33
        cv2.putText(page, f"row {r}", (210, y), font, 0.7, 0, 2, cv2.LINE_AA)
        (w, _h), _ = cv2.getTextSize(a, font, 0.7, 2)
        cv2.putText(page, a, (xs[2] - 6 - w, y), font, 0.7, 0, 2, cv2.LINE_AA)  # right-aligned
        cv2.putText(page, b, (xs[2] + 32, y), font, 0.7, 0, 2, cv2.LINE_AA)
        cv2.putText(page, total, (xs[3] + 25, y), font, 0.7, 0, 2, cv2.LINE_AA)
    page[ys[gap_row] + 8 : ys[gap_row] + 10, xs[2] - 1 : xs[2] + 1] = 90  # dust on the gap
    img = PageImage(1, page, np.array([[72 / DPI, 0, 0], [0, 72 / DPI, 0]]), DPI)
    tables, _lines = read_page(img, engine())
    assert len(tables) == 1
    got = [[c.text if c else None for c in row[1:]] for row in tables[0].cells]
    assert got == [list(v) for v in values]


def _cell(*marks: tuple[int, int, int, int]) -> np.ndarray:
    """A cut-out cell (ink = 255) with filled boxes (x0, y0, x1, y1)."""
    ink = np.zeros((60, 120), np.uint8)
    for x0, y0, x1, y1 in marks:
        ink[y0:y1, x0:x1] = 255
    return ink


def test_dust_beside_a_number_stays_out_of_its_line_and_a_decimal_point_stays_in() -> None:
    digit = (50, 20, 58, 36)  # a digit 8 x 16 pixels: an outline, as a stroke is
    ring = _cell(digit)
    ring[22:34, 52:56] = 0
    dust_up = ring.copy()
    dust_up[22:24, 40:42] = 255  # a speck up beside it, where no point goes
    assert ink_lines(dust_up, min_mark=5, min_char=14) == [(50, 20, 58, 36)]
    point = ring.copy()
    point[33:35, 61:63] = 255  # low beside it: a decimal point
    assert ink_lines(point, min_mark=5, min_char=14) == [(50, 20, 63, 36)]


def test_a_speck_between_two_lines_of_a_label_is_no_line_of_its_own() -> None:
    # 商业 / 企业: two lines of two characters, a speck between them under the first
    chars = [(30, 5, 44, 19), (48, 5, 62, 19), (30, 30, 44, 44), (48, 30, 62, 44)]
    ink = _cell(*chars)
    ink[23:25, 36:38] = 255
    assert ink_lines(ink, min_mark=5, min_char=14) == [(30, 5, 62, 19), (30, 30, 62, 44)]


@pytest.mark.parametrize(
    ("read", "tidy"),
    [
        ("1-", "1"),
        ("3.", "3"),
        ("-12", "-12"),
        ("1,234", "1,234"),
        ("24,285.99", "24,285.99"),
        ("-", "-"),
        ("", ""),
    ],
)
def test_a_mark_no_number_has_there_is_dropped(read: str, tidy: str) -> None:
    assert tidy_number(read) == tidy


@pytest.mark.parametrize("text", ["0", "○", "〇", "O", "12", "1,234"])
def test_a_round_zero_alone_in_a_cell_is_read_again_as_a_number(text: str) -> None:
    assert numeric_like(text)


@pytest.mark.parametrize("text", ["自然人", "二〇二三年", "合计", ""])
def test_words_are_not_numbers(text: str) -> None:
    assert not numeric_like(text)


def test_a_bold_zero_half_read_as_the_letter_o_is_a_sure_zero() -> None:
    chars = ["blank", "0", "1", "O", "o", "8"]
    probs = np.zeros((3, len(chars)))
    probs[0, 0] = probs[2, 0] = 1.0
    probs[1, [1, 3, 4]] = [0.8, 0.15, 0.05]
    digits = np.array([0, 1, 2, 5])
    assert _ctc(probs, chars, digits) == ("0", pytest.approx(0.8))
    assert _ctc(probs, chars, digits, {1: np.array([3, 4])}) == ("0", pytest.approx(1.0))
    # a digit the model doubts for another digit stays doubtful
    probs[1, [1, 3, 4, 5]] = [0.6, 0.1, 0.0, 0.3]
    assert _ctc(probs, chars, digits, {1: np.array([3, 4])})[1] == pytest.approx(0.7)


def test_a_framed_report_broken_over_pages_is_read_whole(tmp_path) -> None:
    """Page frames, 表三 broken before （二）部分公开 without a repeated header, and the rule
    between 自然人 and 商业企业 left out in （一）予以公开, the last row before the break."""
    layout = Layout(
        page_frame=True,
        t3_break_before="results.partial",
        missing_vline="results.public",
        group_label_at_break="split",
        blank_zeros=True,
        thousands_sep=True,
        fake_bold=True,
        running_head=True,
        continued_mark=True,
        font_size=10.5,
    )
    spec = random_spec(random.Random(15), "2019", layout=layout)
    row = spec.values["t3"]["results.public"]
    assert row["natural"] and row["legal.business"]  # a number on either side of the gap
    pdf = render_pdf(spec, tmp_path / "r.pdf")
    src = read_scan(scan_pdf(pdf, tmp_path / "scan.pdf", seed=7))
    templates, _ = load_templates()
    doc = map_source(src, templates)
    bad, uncertain, n = [], 0, 0
    for c in iter_cells(spec):
        n += 1
        cell = doc.cell(c.table, c.row, c.col) if doc.has_cell(c.table, c.row, c.col) else None
        if cell is None or cell.value is None or Decimal(cell.value) != Decimal(str(c.value)):
            bad.append((c.table, c.row, c.col, c.value, None if cell is None else cell.raw))
        elif cell.uncertain:
            uncertain += 1
    assert not bad, bad[:10]
    # bold digits are read as surely as plain ones: a handful of cells to check, not a column
    assert uncertain <= 0.03 * n
