"""The CSV export: long format, UTF-8 with BOM, read back by pandas with both values."""

from __future__ import annotations

import random
from decimal import Decimal

import pandas as pd
import pytest

from tabledesk.core.edits import CellChange, Edit, EditReason
from tabledesk.exports.csv_export import COLUMNS
from tabledesk.exports.writer import write_export
from tabledesk.review.review import Review
from tabledesk.templates.registry import template_by_id
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import inject_error, random_spec


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    spec = random_spec(random.Random(21), "2021", agency="=东湖区")
    inject_error(spec, random.Random(21))
    doc = document_from_spec(spec)
    doc.cell("t2.item8", "fees", "amount").value = doc.cell("t2.item8", "fees", "amount").printed = Decimal(
        "12.50"
    )
    review = Review(doc, template_by_id(doc.template_id))
    key = ("t3", "carried", "natural")
    old = doc.cell(*key).value
    review.apply(Edit((CellChange(*key, old, old + 7),), reason=EditReason.OCR_ERROR, note="-看原件"))
    path = tmp_path_factory.mktemp("csv") / "out.csv"
    assert write_export(review, path) == "csv"
    return review, path


def test_bom_crlf_and_one_line_per_cell(exported):
    review, path = exported
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    frame = pd.read_csv(path)
    assert tuple(frame.columns) == COLUMNS  # pandas strips the BOM: the first column is clean
    n_cells = sum(len(t.rows) * len(t.columns) for t in review.document.tables)
    assert len(frame) == n_cells


def test_values_and_printed_values_read_back_as_numbers(exported):
    review, path = exported
    frame = pd.read_csv(path, dtype={"row_id": str, "col_id": str})
    assert pd.api.types.is_numeric_dtype(frame["value"]) and pd.api.types.is_numeric_dtype(frame["printed"])
    got = {(r.table_id, r.row_id, r.col_id): (r.value, r.printed) for r in frame.itertuples()}
    for table in review.document.tables:
        for row, col, cell in table.iter_cells():
            value, printed = got[(table.id, row.id, col.id)]
            assert (pd.isna(value) and cell.value is None) or Decimal(str(value)) == cell.value
            assert (pd.isna(printed) and cell.printed is None) or Decimal(str(printed)) == cell.printed
    edited = frame[frame["reason"].notna()]
    assert len(edited) == 1
    e = edited.iloc[0]
    assert (e.table_id, e.row_id, e.col_id) == ("t3", "carried", "natural")
    assert e.value == e.printed + 7 and e.reason == "ocr_error" and e.note == "'-看原件"
    assert got[("t2.item8", "fees", "amount")][0] == 12.5


def test_labels_status_and_checks(exported):
    review, path = exported
    frame = pd.read_csv(path)
    assert set(frame["table"]) >= {"表三", "表四"}
    assert "三、本年度办理结果/（一）予以公开" in set(frame["row"])
    assert "申请人情况/法人或其他组织/商业企业" in set(frame["column"])
    assert set(frame["status"]) <= {"ok", "blank", "not_a_number", "missing"}
    failing = {k for r in review.results if r.status.value == "failed" for k in r.cells}
    assert failing
    flagged = {(r.table_id, r.row_id, r.col_id) for r in frame.itertuples() if r.check == "failed"}
    assert flagged == failing
    # a document name beginning with "=" is guarded against formula injection
    assert set(frame["document"]) == {"'=东湖区" + str(review.document.year) + ".pdf"}


def test_agency_and_year_on_every_line_so_reports_concatenate(exported):
    review, path = exported
    frame = pd.read_csv(path)
    doc = review.document
    assert list(frame.columns[:3]) == ["document", "agency", "year"]
    assert set(frame["agency"]) == {"'" + doc.agency} and doc.agency.startswith("=")  # guarded
    assert set(frame["year"]) == {doc.year}
    assert frame["year"].dtype.kind == "i"
