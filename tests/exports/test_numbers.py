"""One number converter for every export: a value printed "5.00" is the float 5.0 and a value
printed "5" the int 5 alike in the JSON, the Excel grid and the dataset (before, the three
writers gave 5.0, 5 and Decimal('5.00') for the same cell)."""

from __future__ import annotations

import io
import json
import random
from decimal import Decimal

import openpyxl

from tabledesk.checks.engine import Checker
from tabledesk.core.edits import CellChange, Edit, EditReason
from tabledesk.core.values import plain_number
from tabledesk.exports.common import ExportInput
from tabledesk.exports.dataset import DocumentRecord, build_dataset
from tabledesk.exports.writer import render_export
from tabledesk.exports.xlsx_export import sheet_layouts
from tabledesk.templates.registry import template_by_id
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec


def test_plain_number_keeps_the_printed_kind() -> None:
    assert plain_number(Decimal("5")) == 5 and isinstance(plain_number(Decimal("5")), int)
    assert plain_number(Decimal("5.00")) == 5.0 and isinstance(plain_number(Decimal("5.00")), float)
    assert plain_number(Decimal("2.50")) == 2.5
    assert plain_number(7) == 7 and plain_number(None) is None


def test_every_export_gives_the_same_number_for_the_same_cell() -> None:
    spec = random_spec(random.Random(3), "2021")
    doc = document_from_spec(spec)
    table = doc.tables[0]
    row, col = table.rows[0].id, table.columns[-1].id
    old = table.cell(row, col).value
    doc.apply(Edit((CellChange(table.id, row, col, old, Decimal("5.00")),), EditReason.EXTRACTION_ERROR))
    template = template_by_id(doc.template_id)
    checker = Checker(doc, template)
    checker.run()
    results = list(checker.results.values())
    data = ExportInput(doc, results, template)

    js = json.loads(render_export(data, "json"))
    jt = next(t for t in js["tables"] if t["id"] == table.id)
    in_json = jt["values"][0][len(table.columns) - 1]

    wb = openpyxl.load_workbook(io.BytesIO(render_export(data, "xlsx")))
    name, layout = sheet_layouts(doc)[table.id]
    ws = wb[name]
    xcell = ws.cell(*layout.value_at(0, len(table.columns) - 1))

    record = DocumentRecord.from_review("r.pdf", doc, results)
    frame = build_dataset([record]).frame
    in_dataset = frame[f"{table.id}.{row}.{col}"].iloc[0]

    assert in_json == 5.0 and isinstance(in_json, float)
    # a cell holds a double either way; the printed places travel in the number format
    assert xcell.value == 5 and xcell.number_format == "0.00"
    assert float(in_dataset) == 5.0 and str(frame[f"{table.id}.{row}.{col}"].dtype) == "Float64"
