"""Checks accepted as printed ("原文如此") and suggestions with their confidence, as every
export and the review file carry them: JSON status "accepted" with the decision, the Excel 校验
sheet, the dataset's counts, the queue's record, and the review file round trip."""

from __future__ import annotations

import io
import json
import random

import jsonschema
import openpyxl
import pytest

from tabledesk.checks.engine import CheckStatus
from tabledesk.core.decisions import Acceptance
from tabledesk.exports.common import ExportInput
from tabledesk.exports.dataset import DocStatus, DocumentRecord, build_dataset
from tabledesk.exports.json_export import document_json
from tabledesk.exports.xlsx_export import workbook_bytes
from tabledesk.resources import resource_path
from tabledesk.review.review import Review
from tabledesk.store.codec import document_from_dict, document_to_dict
from tabledesk.store.queue import record_from_json, record_to_json
from tabledesk.templates.registry import builtin_template
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec

TEMPLATE = builtin_template()


@pytest.fixture
def review() -> Review:
    """表四 failing as hongze-district-2023's does: 行政复议 10 + 1 against 0, 复议后起诉 5
    against 0."""
    spec = random_spec(random.Random(3), "2021")
    row = spec.values["t4"]["all"]
    for k in row:
        row[k] = 0
    row["review.upheld"], row["review.corrected"], row["litigation_after_review.upheld"] = 10, 1, 5
    return Review(document_from_spec(spec), TEMPLATE)


def failing(review: Review):
    """The 行政复议 check (10 + 1 against 0), then the 复议后起诉 one (5 against 0)."""
    found = [r for r in review.results if r.status is CheckStatus.FAILED]
    assert len(found) == 2
    return sorted(found, key=lambda r: "litigation" in r.instance.key)


def test_an_accepted_check_is_exported_as_accepted_with_its_note_and_asks_for_no_correction(review):
    first, second = failing(review)
    review.document.accept(Acceptance(first.uid, "原表如此"))
    data = json.loads(json.dumps(document_json(review.document, review.results)))
    jsonschema.validate(data, json.loads(resource_path("export.schema.json").read_text(encoding="utf-8")))
    t4 = next(t for t in data["tables"] if t["id"] == "t4")
    by = {c["instance"]: c for c in t4["checks"]}
    accepted = by[first.instance.key]
    assert accepted["status"] == "accepted" and accepted["passed"] is False
    assert accepted["accepted"]["note"] == "原表如此" and accepted["accepted"]["time"]
    assert by[second.instance.key]["status"] == "failed" and "accepted" not in by[second.instance.key]
    # suggestions only for the open failure, ordered, each with its confidence
    assert {s["group"] for s in t4["suggestions"]} == {0}
    assert [s["rank"] for s in t4["suggestions"]] == list(range(len(t4["suggestions"])))
    assert all(0 < s["confidence"] < 1 for s in t4["suggestions"])
    confidences = [s["confidence"] for s in t4["suggestions"]]
    assert confidences == sorted(confidences, reverse=True)


def test_cells_long_says_accepted_where_the_failing_check_was_accepted_as_printed(review):
    """cells_long[].check said "failed" for the cells of a check the clerk had accepted as
    printed (原文如此), while "checks" said "accepted": a data frame of the export counted a
    decided report as failing."""
    first, second = failing(review)
    review.document.accept(Acceptance(first.uid, "原表如此"))
    data = json.loads(json.dumps(document_json(review.document, review.results)))
    assert data["schema"] == "tabledesk-export/2"
    jsonschema.validate(data, json.loads(resource_path("export.schema.json").read_text(encoding="utf-8")))
    t4 = next(t for t in data["tables"] if t["id"] == "t4")
    check = {c["col"]: c["check"] for c in t4["cells_long"]}
    assert {check[k[2]] for k in first.instance.cells()} == {"accepted"}
    assert {check[k[2]] for k in second.instance.cells()} == {"failed"}
    # taken back: failing again, and so in the long form
    review.document.unaccept(first.uid)
    data = document_json(review.document, review.results)
    t4 = next(t for t in data["tables"] if t["id"] == "t4")
    assert {c["check"] for c in t4["cells_long"] if c["col"].startswith("review.")} == {"failed"}


def test_an_export_of_the_first_version_is_still_read_back(review):
    """/2 only grew the closed status lists: a /1 file (no "accepted" in cells_long, the same
    keys otherwise) opens as it did, its decisions and values restored."""
    first, _ = failing(review)
    review.document.accept(Acceptance(first.uid, "原表如此"))
    data = json.loads(json.dumps(document_json(review.document, review.results)))
    data["schema"] = "tabledesk-export/1"
    for table in data["tables"]:
        for cell in table["cells_long"]:
            cell["check"] = "failed" if cell["check"] == "accepted" else cell["check"]
    back = document_from_dict(data, TEMPLATE)
    assert list(back.accepted) == [first.uid]
    assert back.cell("t4", "all", "review.upheld").value == 10
    data["schema"] = "tabledesk-export/3"
    from tabledesk.store.codec import CodecError

    with pytest.raises(CodecError, match="tabledesk-export/3"):
        document_from_dict(data, TEMPLATE)


def test_the_checks_sheet_marks_accepted_checks_and_lists_alternatives_with_confidence(review):
    first, _ = failing(review)
    review.document.accept(Acceptance(first.uid, "原表如此"))
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(ExportInput(review.document, review.results))))
    ws = wb["校验"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    (kept,) = [r for r in rows if r["状态"] == "原文如此"]
    assert kept["处理"] == "原文如此（原表如此）" and not kept["建议更正"]
    (open_,) = [r for r in rows if r["状态"] == "未通过"]
    # 5 against 0: several single changes explain it: each listed with its confidence
    assert open_["建议更正"].startswith("可能是以下之一")
    assert open_["建议更正"].count("可信度") >= 2 and "总计 0 → 5" in open_["建议更正"]
    assert "100%" not in open_["建议更正"]


def test_the_dataset_and_the_queue_count_accepted_checks_apart_from_failing_ones(review):
    first, second = failing(review)
    review.document.accept(Acceptance(first.uid))
    rec = DocumentRecord.from_review("r.pdf", review.document, review.results)
    assert rec.accepted == 1 and rec.failed_checks == 1 and rec.status is DocStatus.FAILED
    assert record_from_json(record_to_json(rec)) == rec
    review.document.accept(Acceptance(second.uid))
    rec = DocumentRecord.from_review("r.pdf", review.document, review.results)
    assert rec.accepted == 2 and rec.failed_checks == 0 and rec.status is DocStatus.PASSED
    ds = build_dataset([rec])
    assert list(ds.frame["accepted_checks"]) == [2] and list(ds.frame["failed_checks"]) == [0]


def test_decisions_survive_the_review_file_and_an_export_read_back(review):
    first, _ = failing(review)
    review.document.accept(Acceptance(first.uid, "原表如此"))
    again = document_from_dict(json.loads(json.dumps(document_to_dict(review.document))))
    assert again.accepted == review.document.accepted
    exported = json.loads(json.dumps(document_json(review.document, review.results)))
    back = document_from_dict(exported, TEMPLATE)
    assert list(back.accepted) == [first.uid] and back.accepted[first.uid].note == "原表如此"
    # taking it back
    assert review.document.unaccept(first.uid) is not None and review.document.accepted == {}
