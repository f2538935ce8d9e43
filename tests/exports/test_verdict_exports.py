"""Totals left unfilled and numbers left unplaced, as the exports say them: the JSON contract
(status "unfilled", passed null, fill_in; a table's "unplaced"), Excel's cells and 校验 sheet,
the dataset's counts and `tabledesk check --strict`."""

from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from tabledesk.cli import main
from tabledesk.exports.dataset import DocStatus, DocumentRecord
from tabledesk.exports.json_export import document_json
from tabledesk.exports.writer import write_export
from tabledesk.exports.xlsx_export import CHECKS_SHEET, UNFILLED_FILL, sheet_names
from tabledesk.review.review import Review
from tests.conftest import REPO
from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import write_text

SCHEMA = json.loads((REPO / "resources" / "export.schema.json").read_text(encoding="utf-8"))
T4 = {"review": (2, 1, 0, 1), "litigation_direct": (1, 0, 0, 2), "litigation_after_review": (0, 3, 0, 0)}


def _with_t4(spec):
    values = spec.values["t4"]["all"]
    for group, parts in T4.items():
        for name, v in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            values[f"{group}.{name}"] = v
        values[f"{group}.total"] = sum(parts)
    return spec


@pytest.fixture(scope="module")
def unfilled(tmp_path_factory) -> tuple[Review, object]:
    spec = random_spec(random.Random(21), "2021", blank_totals="column", scale=250)
    path = write_text(spec, tmp_path_factory.mktemp("unfilled") / "report.txt")
    return Review.open(path), spec


@pytest.fixture(scope="module")
def unplaced(tmp_path_factory) -> tuple[Review, Path]:
    """表四 split in three with no heading saying whose numbers the last two tables hold."""
    spec = _with_t4(random_spec(random.Random(22), "2019", split_t4=True, split_t4_titles=False))
    path = write_text(spec, tmp_path_factory.mktemp("unplaced") / "report.txt")
    return Review.open(path), path


def test_json_says_unfilled_with_passed_null_and_the_fill_in(unfilled):
    review, spec = unfilled
    data = document_json(review.document, review.results)
    jsonschema.validate(data, SCHEMA)
    t3 = next(t for t in data["tables"] if t["id"] == "t3")
    check = next(c for c in t3["checks"] if c["rule"] == "t3.row_total" and c["instance"] == "new")
    total = spec.values["t3"]["new"]["total"]
    assert check["status"] == "unfilled" and check["passed"] is None
    assert check["fill_in"] == {"row": "new", "col": "total", "value": total}
    assert check["unfilled"] == [{"row": "new", "col": "total"}]
    assert check["message"]["zh"].endswith(f"总计未填写；各项之和为 {total}")
    col = [c["id"] for c in t3["columns"]].index("total")
    row = [r["id"] for r in t3["rows"]].index("new")
    assert t3["values"][row][col] is None and t3["cells"][row][col]["status"] == "unfilled"
    assert not [c for c in t3["checks"] if c["status"] == "failed"]


def test_excel_marks_an_unfilled_total_and_lists_it_in_the_checks_sheet(unfilled, tmp_path):
    review, spec = unfilled
    path = tmp_path / "review.xlsx"
    write_export(review, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet_names(review.document)["t3"]]
    # the 总计 cell of 一、本年新收: blank, hatched (prints on black and white), with a note
    marked = [c for row in ws.iter_rows() for c in row if c.fill.fill_type == "lightUp"]
    assert marked and all(c.value is None for c in marked)
    assert marked[0].fill.bgColor.rgb.endswith(UNFILLED_FILL)
    assert any("未填写" in (c.comment.text if c.comment else "") for c in marked)
    checks = wb[CHECKS_SHEET]
    header = [c.value for c in checks[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=False)) for r in checks.iter_rows(min_row=2)]
    total = spec.values["t3"]["new"]["total"]
    row = next(r for r in rows if r["规则编号"] == "t3.row_total" and "一、本年新收" in r["说明"])
    assert row["状态"] == "合计未填写" and row["建议更正"] == f"填入 {total}（各项之和）"
    assert not [r for r in rows if r["状态"] == "未通过"]


def test_numbers_left_unplaced_are_a_problem_in_json_excel_and_the_dataset(unplaced, tmp_path):
    review, _ = unplaced
    t4 = review.document.table("t4")
    assert sorted(t4.unplaced_numbers()) == ["1", "2", "3", "3", "3"]  # the nonzero ones
    data = document_json(review.document, review.results)
    jsonschema.validate(data, SCHEMA)
    entry = next(t for t in data["tables"] if t["id"] == "t4")["unplaced"]
    assert entry["empty_cells"] == 10 and "未能放入表格" in entry["message"]["zh"]
    assert all(t["unplaced"] is None for t in data["tables"] if t["id"] != "t4")
    path = tmp_path / "review.xlsx"
    write_export(review, path)
    checks = openpyxl.load_workbook(path)[CHECKS_SHEET]
    assert any(r[9].value == "unplaced" and "未能放入表格" in r[3].value for r in checks.iter_rows(min_row=2))
    record = DocumentRecord.from_review("report.txt", review.document, review.results)
    assert record.unplaced == 5 and record.status is DocStatus.WARNINGS


def test_check_strict_fails_on_numbers_left_unplaced(unplaced, tmp_path, capsys):
    _, path = unplaced
    assert main(["check", str(path), "--out", str(tmp_path / "d.csv")]) == 0
    assert main(["check", str(path), "--out", str(tmp_path / "d.csv"), "--strict"]) == 1
    out = capsys.readouterr()
    assert "left unplaced" in out.out + out.err
