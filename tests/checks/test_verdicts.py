"""Verdicts a clerk can trust (issue 16): reports laid out in ordinary ways — 表三's groups on
rows of their own, zeros printed blank, totals left unfilled, 表四 split into three small
tables — come out with no failing check when they balance, every injected error flagged, and
totals left blank reported as *unfilled*, never as a printed 0."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tabledesk.checks.engine import CheckStatus
from tabledesk.checks.messages import render_message
from tabledesk.core.document import CellStatus
from tabledesk.review.review import Review
from tests.fixtures.html_report import write_html
from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.report_spec import LAYOUTS as ORDINARY_LAYOUTS
from tests.fixtures.report_spec import iter_cells, random_spec
from tests.fixtures.text_report import is_unfilled, write_text

LAYOUTS = {k: v for k, v in ORDINARY_LAYOUTS.items() if k != "plain"}


def _open(spec, tmp_path: Path, how: str) -> Review:
    path = tmp_path / f"report.{how}"
    if how == "pdf":
        render_pdf(spec, path)
    elif how == "html":
        write_html(spec, path)
    else:
        write_text(spec, path)
    return Review.open(path)


def _failing(review: Review) -> list[str]:
    return [
        render_message(r, "zh", review.document.table(r.instance.table_id).name)
        for r in review.results
        if r.status is CheckStatus.FAILED
    ]


def _specs(layout: str):
    for seed in range(3):
        for fmt in ("2019", "2021"):
            yield random_spec(random.Random(seed * 7 + 1), fmt, **LAYOUTS[layout])


@pytest.mark.parametrize("how", ["txt", "html"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_balanced_reports_have_no_failing_check_and_every_value_in_place(layout, how, tmp_path):
    for spec in _specs(layout):
        review = _open(spec, tmp_path, how)
        assert _failing(review) == [], (layout, spec.format)
        doc = review.document
        for cell in iter_cells(spec):
            got = doc.cell(cell.table, cell.row, cell.col)
            if is_unfilled(spec, cell.table, cell.row, cell.col) and cell.value != 0:
                assert got.status is CellStatus.UNFILLED and got.value is None, cell
            else:
                assert got.value == cell.value, (cell, got)
        assert all(not t.unmatched for t in doc.tables if t.id in ("t3", "t4"))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_injected_error_is_flagged(layout, tmp_path):
    from tests.fixtures.report_spec import inject_error

    rng = random.Random(5)
    tried = 0
    for spec in _specs(layout):
        for _ in range(3):
            bad = spec.copy()
            err = inject_error(bad, rng)
            c = err.cell
            if is_unfilled(bad, c.table, c.row, c.col):
                continue  # a total printed blank: the wrong number is not printed at all
            if bad.layout.blank_totals == "column" and c.table == "t4":
                continue  # 表四's one rule per group needs its 总计, which is not printed
            tried += 1
            review = _open(bad, tmp_path, "txt")
            assert _failing(review), (layout, err)
    assert tried >= 10


def test_a_blank_group_row_is_a_heading_not_a_row_of_zeros(tmp_path):
    """（三）不予公开 printed on a row of its own with blank cells was read as a printed 0 and
    summed instead of its items: a balanced report showed 3–7 red checks."""
    spec = random_spec(random.Random(11), "2021", flat_groups=True)
    doc = _open(spec, tmp_path, "txt").document
    rows = [r.id for r in doc.table("t3").rows]
    assert "results.denied" not in rows and "results" not in rows
    assert "results.denied.secret" in rows


def test_a_printed_subtotal_is_checked_against_its_items(tmp_path):
    spec = random_spec(random.Random(12), "2019", flat_groups=True, group_sums=True, scale=250)
    review = _open(spec, tmp_path, "txt")
    subtotals = [r for r in review.results if r.instance.rule.id == "t3.subtotal.results.denied"]
    assert len(subtotals) == 7 and all(r.status is CheckStatus.PASSED for r in subtotals)
    doc = review.document
    from tabledesk.core.edits import CellChange, Edit

    cell = doc.cell("t3", "results.denied", "natural")
    review.apply(Edit((CellChange("t3", "results.denied", "natural", cell.value, cell.value + 1),)))
    failing = _failing(review)
    assert any("（三）不予公开" in m and "应等于其各项之和" in m for m in failing), failing


def test_a_total_column_left_blank_is_unfilled_with_the_sum_of_its_parts(tmp_path):
    """A 总计 column printed blank failed every rule as "总计（0）应等于…（272）"."""
    spec = random_spec(random.Random(13), "2021", blank_totals="column", scale=250)
    review = _open(spec, tmp_path, "txt")
    new_total = spec.values["t3"]["new"]["total"]
    (row_total,) = [r for r in review.results if r.uid == ("t3", "t3.row_total", "new")]
    assert row_total.status is CheckStatus.UNFILLED and row_total.status.passed is None
    assert row_total.fill_in == new_total
    name = review.document.table("t3").name
    assert render_message(row_total, "zh", name).endswith(f"总计未填写；各项之和为 {new_total}")
    assert render_message(row_total, "en", name).endswith(
        f"Total not filled in; the items add up to {new_total}"
    )
    assert not _failing(review)


def test_a_blank_total_over_blank_parts_is_zero_not_unfilled(tmp_path):
    """A row printed all blank (二、上年结转 with nothing carried over) totals 0: no alarm."""
    spec = random_spec(random.Random(14), "2019", blank_totals="column", blank_zeros=True)
    t3 = spec.values["t3"]
    for col in t3["carried"]:  # nothing carried over; still balanced: it is all new
        t3["new"][col] += t3["carried"][col]
        t3["carried"][col] = 0
    review = _open(spec, tmp_path, "txt")
    cell = review.document.cell("t3", "carried", "total")
    assert cell.status is CellStatus.BLANK and cell.value == 0
    assert review.document.cell("t3", "new", "total").status is CellStatus.UNFILLED
    assert not _failing(review)


def test_a_blank_total_among_filled_ones_is_a_printed_zero_and_fails(tmp_path):
    """Zeros printed blank: a blank 总计 beside filled ones is a 0, so a wrong part is red —
    not taken for a total left unfilled."""
    spec = random_spec(random.Random(15), "2021", blank_zeros=True, scale=250)
    t3 = spec.values["t3"]
    row = next(r for r, v in t3.items() if v["total"] == 0 and r.startswith("results.denied."))
    t3[row]["natural"] = 5  # a misprint: the row's 总计 (blank, 0) no longer adds up
    review = _open(spec, tmp_path, "txt")
    cell = review.document.cell("t3", row, "total")
    assert cell.status is CellStatus.BLANK and cell.value == 0
    failing = [r for r in review.results if r.status is CheckStatus.FAILED]
    assert any(r.uid == ("t3", "t3.row_total", row) for r in failing)


PDF_LAYOUTS = [
    "flat_groups",
    "flat_group_sums",
    "blank_total_column",
    "blank_total_row",
    "split_t4",
    "split_t4_no_labels",
    "split_t4_blank_totals",
]


@pytest.mark.parametrize("layout", PDF_LAYOUTS)
def test_balanced_pdfs_of_these_layouts_have_no_failing_check(layout, tmp_path):
    for fmt in ("2019", "2021"):
        spec = random_spec(random.Random(40), fmt, **LAYOUTS[layout])
        review = _open(spec, tmp_path, "pdf")
        assert _failing(review) == [], (layout, fmt)
        doc = review.document
        for cell in iter_cells(spec):
            got = doc.cell(cell.table, cell.row, cell.col)
            if is_unfilled(spec, cell.table, cell.row, cell.col) and cell.value != 0:
                assert got.status is CellStatus.UNFILLED, cell
            else:
                assert got.value == cell.value, (cell, got)


@pytest.mark.parametrize("headers", [True, False])
def test_a_split_t4_pdf_reads_all_fifteen_cells(headers, tmp_path):
    """表四 printed as three small tables under the headings 行政复议 / 行政诉讼（未经复议直接起诉）
    / 行政诉讼（复议后起诉）, each one row of five numbers: every one of the 15 cells is read in
    its own group (no group left blank with its numbers unplaced), the balanced report has no
    failing check, and a wrong number in the last small table is flagged there."""
    spec = random_spec(random.Random(41), "2021", split_t4=True, split_t4_headers=headers)
    t4 = spec.values["t4"]["all"]
    # distinct non-zero numbers in every group, so a group read into the wrong place shows
    for k, group in enumerate(("review", "litigation_direct", "litigation_after_review")):
        parts = {"upheld": 3 + k, "corrected": 1, "other": 2 * k, "pending": 4 - k}
        for leaf, v in parts.items():
            t4[f"{group}.{leaf}"] = v
        t4[f"{group}.total"] = sum(parts.values())
    (tmp_path / "balanced").mkdir()
    (tmp_path / "slip").mkdir()
    review = _open(spec, tmp_path / "balanced", "pdf")
    doc = review.document
    cells = [c for c in iter_cells(spec) if c.table == "t4"]
    assert len(cells) == 15
    assert [doc.cell(c.table, c.row, c.col).value for c in cells] == [c.value for c in cells]
    assert not doc.table("t4").unmatched
    assert _failing(review) == []

    t4["litigation_after_review.upheld"] = 50  # a slip of 5
    review = _open(spec, tmp_path / "slip", "pdf")
    assert [m for m in _failing(review) if "复议后起诉" in m], _failing(review)
