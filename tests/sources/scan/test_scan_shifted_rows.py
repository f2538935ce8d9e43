"""The safety net under the column finding of scans: a printed row whose label matches no row of
the form and whose numbers stand a column out of line (a label set wider than its column, or
a row the scan reader cut wrongly) is never placed by guesswork. Each of its cells comes out
marked uncertain, or left empty with the printed row kept as unmatched, its numbers shown
unplaced; no cell anywhere in the report holds a wrong value marked sure."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.report_spec import iter_cells, random_spec
from tests.fixtures.scan_shifted import shifted_scan

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")

ROW = "results.denied.third_party"
UNMATCHABLE = "4.某某某某某某"  # what a smudged or misread label gives: no row of the form


@pytest.mark.parametrize("columns", [-1, 1], ids=["left", "right"])
def test_a_row_matching_no_label_with_its_numbers_out_of_line_is_unplaced_never_silently_wrong(
    tmp_path, columns
) -> None:
    from tabledesk.core.document import CellStatus
    from tabledesk.mapping.mapper import map_source
    from tabledesk.sources.scan.extract import read_scan
    from tabledesk.templates.registry import load_templates

    spec = random_spec(
        random.Random(5), "2021", rules="horizontal", label_overrides={f"t3/row/{ROW}": UNMATCHABLE}
    )
    pdf = render_pdf(spec, tmp_path / "r.pdf")
    shifted = shifted_scan(pdf, tmp_path / "s.pdf", UNMATCHABLE[:4], columns, seed=5)
    assert any(n != "0" for n in shifted.numbers)  # the row prints something to lose
    doc = map_source(read_scan(tmp_path / "s.pdf"), load_templates()[0])

    silent = []
    for c in iter_cells(spec):
        got = doc.cell(c.table, c.row, c.col) if doc.has_cell(c.table, c.row, c.col) else None
        right = got is not None and got.value is not None and Decimal(got.value) == Decimal(str(c.value))
        if not right and (got is None or not got.uncertain) and (got is None or got.value is not None):
            silent.append((c.table, c.row, c.col, c.value, None if got is None else got.raw))
    assert not silent, silent

    # the shifted row itself: nothing placed, the printed row kept with its numbers
    t3 = doc.table("t3")
    cells = [t3.cell(ROW, col.id) for col in t3.columns]
    assert all(cell.status is CellStatus.MISSING or cell.uncertain for cell in cells)
    kept = [u for u in t3.unmatched if "某" in u.text]
    assert len(kept) == 1
    printed = [v for v in kept[0].values if v.strip().isdigit()]
    # every number the row prints is still there to be placed by hand (one pushed past the
    # table's right edge may be read as prose instead)
    assert len(printed) >= len(shifted.numbers) - (columns > 0)
    assert all(n in t3.unplaced_numbers() for n in printed if n != "0")
