"""Scanned numbers read by the type of their column: thousands separators and decimal points
the recogniser confused, minus signs it half saw or never got to see."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pytest

from tabledesk.core.values import NumberKind
from tabledesk.mapping.mapper import map_source
from tabledesk.sources.reader import read_source
from tabledesk.sources.scan.grid import ink_lines
from tabledesk.sources.scan.numbers import DOUBT, read_number
from tabledesk.templates.registry import load_templates
from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.report_spec import iter_cells, random_spec

COUNT, INTEGER, AMOUNT = NumberKind.COUNT, NumberKind.INTEGER, NumberKind.AMOUNT
SURE = 0.99


def _read(text: str, kind: NumberKind, decimals: int | None = None, minus: float = 0.0):  # noqa: ANN202
    return read_number(text, (SURE,) * len(text), kind, decimals, minus)


def _doubted(text: str, chars: tuple[float, ...]) -> str:
    return "".join(ch for ch, p in zip(text, chars, strict=True) if p < 0.9)


@pytest.mark.parametrize("text", ["2.938", "2,938", "1.234.567", "1,234.567"])
def test_a_separator_that_groups_by_three_in_a_count_is_a_thousands_separator(text) -> None:
    got = _read(text, COUNT)
    assert got.value == Decimal(text.replace(",", "").replace(".", ""))
    assert got.confidence == SURE


@pytest.mark.parametrize(("text", "value"), [("29.38", 2938), ("2,93", 293), ("1.2345", 12345)])
def test_a_separator_that_cannot_stand_in_a_count_is_marked(text, value) -> None:
    got = _read(text, COUNT)
    assert got.value == value
    assert got.confidence < 0.9 and _doubted(text, got.chars) in ",."


@pytest.mark.parametrize(
    ("text", "value"), [("47.947.78", "47947.78"), ("47,947,78", "47947.78"), ("1234.56", "1234.56")]
)
def test_the_decimal_point_of_an_amount_is_where_its_column_prints_it(text, value) -> None:
    got = _read(text, AMOUNT, decimals=2)
    assert got.value == Decimal(value) and str(got.value) == value
    assert got.confidence == SURE


@pytest.mark.parametrize(("text", "decimals"), [("7.730", 2), ("7,730", 2), ("7.730", None)])
def test_three_digits_after_a_separator_in_an_amount_are_never_silently_decimals(text, decimals) -> None:
    got = _read(text, AMOUNT, decimals)
    assert got.value == 7730
    assert got.confidence == DOUBT and _doubted(text, got.chars) == text[1]


def test_an_amount_with_fewer_places_than_its_column_prints_is_marked() -> None:
    got = _read("7730.2", AMOUNT, decimals=2)
    assert got.value == Decimal("7730.2") and _doubted("7730.2", got.chars) == "."
    # where the template does not say, any number of places but three is a decimal point
    assert _read("7730.2", AMOUNT).confidence == SURE


def test_a_minus_the_recogniser_half_saw_marks_a_signed_cell_only() -> None:
    half = _read("1", INTEGER, minus=0.2)
    assert half.value == 1 and half.chars == (DOUBT,)
    assert _read("1", INTEGER, minus=0.001).confidence == SURE
    assert _read("1", COUNT, minus=0.2).confidence == SURE  # a count has no sign to doubt
    assert _read("-1", INTEGER).value == -1 and _read("-1", INTEGER).confidence == SURE


def test_a_minus_in_a_count_is_marked_and_not_taken() -> None:
    """Regression (font matrix, Noto Serif): a 1 in a count column read as -1, flagged only
    because negative counts fail the checks."""
    got = _read("-1", COUNT)
    assert got.value == 1 and _doubted("-1", got.chars) == "-"


@pytest.mark.parametrize("text", ["0 0", "15%", "12件"])
def test_text_that_is_no_plain_number_is_read_as_any_reader_reads_it(text) -> None:
    from tabledesk.core.values import parse_number

    assert _read(text, COUNT).value == parse_number(text)


def test_a_number_wrapped_over_two_lines_is_one_number() -> None:
    got = read_number("2,9\n38", (SURE, SURE, SURE, 1.0, SURE, SURE), COUNT)
    assert got.value == 2938 and got.confidence == SURE


def test_a_small_minus_before_a_digit_stays_in_its_line_and_dust_does_not() -> None:
    """Regression: at 8 points and 150 dpi the minus of "-1" is a 5 x 1 pixel dash, smaller
    than a decimal point; it was dropped as dust and the number lost its sign unflagged."""
    ink = np.zeros((60, 120), np.uint8)
    ink[20:36, 50:53] = 255  # a "1", 3 x 16 pixels
    minus = ink.copy()
    minus[28:29, 42:47] = 255  # a dash at mid-height just before it
    assert ink_lines(minus, min_mark=5, min_char=14) == [(42, 20, 53, 36)]
    dust = ink.copy()
    dust[28:30, 45:47] = 255  # a square speck in the same place is still dust
    assert ink_lines(dust, min_mark=5, min_char=14) == [(50, 20, 53, 36)]


def test_a_scanned_count_read_with_a_point_for_its_comma_is_mapped_to_the_right_value(tmp_path) -> None:
    """Regression (font matrix): 2,938 in a count column was read as 2.938 and mapped as
    2.938, wrong a thousandfold and not marked; 25,186 in an amount column as 25.186. The
    printed cells are made to look as the recogniser read them: a point for every thousands
    comma, every character sure."""
    spec = random_spec(random.Random(4), "2019", thousands_sep=True)
    src = read_source(render_pdf(spec, tmp_path / "r.pdf"))
    changed = 0
    for t in src.tables:
        for row in t.cells:
            for c in row:
                if c is not None and "," in c.text:
                    c.text = c.text.replace(",", ".")
                    changed += 1
                if c is not None:
                    c.confidence, c.char_confidence = SURE, (SURE,) * len(c.text)
    assert changed
    doc = map_source(src, load_templates()[0])
    big = [c for c in iter_cells(spec) if c.value >= 1000]
    assert big
    for c in big:
        got = doc.cell(c.table, c.row, c.col)
        assert got.value == c.value, (c, got.raw)
        # an amount printed whole (25,186 for 25186.00) read as 25.186 could be either: marked
        assert got.uncertain == (got.kind is AMOUNT and "." in got.raw), (c, got.raw)
    assert any(not doc.cell(c.table, c.row, c.col).uncertain for c in big)
