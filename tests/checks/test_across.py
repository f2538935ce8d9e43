"""Checks across years: a generated pair of consecutive reports that agree passes; a carry-over
mismatch is flagged in both documents (the review, its export, and `tabledesk check`); the
real Hongze 2023 → 2024 pair passes the carry-over check."""

from __future__ import annotations

import io
import json
import random

import jsonschema
import pytest

from tabledesk.batch.cli import run_check
from tabledesk.checks.across import YearReport, check_reports, neighbours, same_agency
from tabledesk.checks.engine import CheckStatus
from tabledesk.exports.json_export import document_json
from tabledesk.review.review import Review
from tabledesk.templates.registry import builtin_template, template_by_id
from tests.conftest import REPO
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import write_text

AGENCY = "测试县人民政府"
SCHEMA = json.loads((REPO / "resources" / "export.schema.json").read_text(encoding="utf-8"))


def consecutive_pair(carry_mismatch: int = 0, in_force_mismatch: int = 0):
    """Two balanced 2021-format specs of one agency, 2023 and 2024, whose carry-over and
    documents in force agree (then broken on purpose by the given amounts)."""
    for seed in range(50):
        a = random_spec(random.Random(seed), "2021", agency=AGENCY, year=2023, other_split=False)
        b = random_spec(random.Random(seed + 100), "2021", agency=AGENCY, year=2024, other_split=False)
        t3a, t3b = a.values["t3"], b.values["t3"]
        new = {
            c: t3b["results.total"][c] + t3b["carried_forward"][c] - t3a["carried_forward"][c]
            for c in t3b["new"]
        }
        if any(v < 0 for v in new.values()):
            continue
        t3b["carried"] = dict(t3a["carried_forward"])
        t3b["new"] = new
        for row in ("rules", "normative"):
            ra, rb = a.values["t2.item1"][row], b.values["t2.item1"][row]
            rb["in_force"] = ra["in_force"] + rb["issued"] - rb["repealed"]
            if rb["in_force"] < 0:
                rb["repealed"], rb["in_force"] = 0, ra["in_force"] + rb["issued"]
        t3b["carried"]["natural"] += carry_mismatch
        t3b["carried"]["total"] += carry_mismatch
        t3b["new"]["natural"] -= carry_mismatch  # the year itself still balances
        t3b["new"]["total"] -= carry_mismatch
        if t3b["new"]["natural"] < 0:
            continue
        b.values["t2.item1"]["normative"]["in_force"] += in_force_mismatch
        b.sections[0].paragraphs[0] = (
            b.sections[0].paragraphs[0].replace("收到政府信息公开申请", "收到申请材料")
        )
        return a, b
    raise AssertionError("no seed gives a consistent pair")  # pragma: no cover


def reviews(a, b):
    ra, rb = (Review(document_from_spec(s), template_by_id("gov-disclosure-annual")) for s in (a, b))
    ya, yb = YearReport.of_document(ra.document), YearReport.of_document(rb.document)
    ra.set_neighbours(*neighbours(ya, [ya, yb]))
    rb.set_neighbours(*neighbours(yb, [ya, yb]))
    return ra, rb


def across(review):
    return {r.uid: r for r in review.results if r.instance.rule.id.startswith("across.")}


def test_agreeing_years_pass_in_both_documents():
    ra, rb = reviews(*consecutive_pair())
    for review, rules in (
        (ra, {"across.carried_out", "across.in_force_out"}),
        (rb, {"across.carried_in", "across.in_force_in"}),
    ):
        found = across(review)
        assert {uid[1] for uid in found} == rules
        assert len([u for u in found if u[0] == "t3"]) == 7  # one per column
        assert all(r.status is CheckStatus.PASSED for r in found.values()), [
            r for r in found.values() if r.problem
        ]
    assert not [r for r in rb.results if r.problem]  # and the pair's own rules are satisfied


def test_a_carry_over_mismatch_is_flagged_in_both_documents():
    ra, rb = reviews(*consecutive_pair(carry_mismatch=2))
    failed_a = [r for r in across(ra).values() if r.status is CheckStatus.FAILED]
    failed_b = [r for r in across(rb).values() if r.status is CheckStatus.FAILED]
    assert {(r.instance.rule.id, r.instance.key) for r in failed_a} == {
        ("across.carried_out", "natural@2024"),
        ("across.carried_out", "total@2024"),
    }
    assert {(r.instance.rule.id, r.instance.key) for r in failed_b} == {
        ("across.carried_in", "natural@2023"),
        ("across.carried_in", "total@2023"),
    }
    assert all(r.severity == "error" and abs(r.difference) == 2 for r in failed_a + failed_b)
    for review in (ra, rb):
        data = document_json(review.document, review.results)
        jsonschema.validate(data, SCHEMA)
        t3 = next(t for t in data["tables"] if t["id"] == "t3")
        bad = [c for c in t3["checks"] if c["rule"].startswith("across.") and c["status"] == "failed"]
        assert len(bad) == 2 and "年报告" in bad[0]["message"]["zh"]


def test_documents_in_force_mismatch_is_a_warning():
    ra, rb = reviews(*consecutive_pair(in_force_mismatch=1))
    failed = [r for r in across(rb).values() if r.status is CheckStatus.FAILED]
    assert [(r.instance.rule.id, r.instance.key, r.severity) for r in failed] == [
        ("across.in_force_in", "normative@2023", "warning")
    ]
    assert [r.instance.key for r in across(ra).values() if r.problem] == ["normative@2024"]


def test_an_edit_rechecks_the_link():
    ra, rb = reviews(*consecutive_pair(carry_mismatch=2))
    from decimal import Decimal

    from tabledesk.core.edits import CellChange, Edit

    cell = rb.document.cell("t3", "carried", "natural")
    rb.apply(Edit((CellChange("t3", "carried", "natural", cell.value, cell.value - Decimal(2)),)))
    assert across(rb)[("t3", "across.carried_in", "natural@2023")].status is CheckStatus.PASSED


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("洪泽区人民政府", "淮安市洪泽区人民政府", True),
        ("洪泽区人民政府", "洪泽区 人民政府", True),
        ("洪泽区人民政府", "泗洪县人民政府", False),
        ("人民政府", "洪泽区人民政府", False),
        ("", "", False),
    ],
)
def test_same_agency(a, b, same):
    assert same_agency(a, b) is same


def test_years_apart_or_other_agencies_are_not_neighbours():
    mk = lambda agency, year: YearReport("f", agency, year, "gov-disclosure-annual", "2021")  # noqa: E731
    me = mk(AGENCY, 2023)
    assert neighbours(me, [me, mk(AGENCY, 2021), mk("别的县人民政府", 2024)]) == (None, None)
    assert check_reports([me, mk(AGENCY, 2025)]) == {}


def test_tabledesk_check_flags_both_when_both_years_are_inputs(tmp_path):
    a, b = consecutive_pair(carry_mismatch=2)
    (tmp_path / "in").mkdir()
    write_text(a, tmp_path / "in" / "2023.txt")
    write_text(b, tmp_path / "in" / "2024.txt")
    out, err = io.StringIO(), io.StringIO()
    code = run_check([tmp_path / "in"], json_dir=tmp_path / "json", jobs=1, stdout=out, stderr=err)
    assert code == 1, out.getvalue() + err.getvalue()
    assert "Across years" in out.getvalue()
    assert (
        len([line for line in out.getvalue().splitlines() if "年报告（" in line]) == 4
    )  # 2 cells × 2 documents
    for name, rule in (("2023.json", "across.carried_out"), ("2024.json", "across.carried_in")):
        data = json.loads((tmp_path / "json" / name).read_text(encoding="utf-8"))
        jsonschema.validate(data, SCHEMA)
        t3 = next(t for t in data["tables"] if t["id"] == "t3")
        assert sum(1 for c in t3["checks"] if c["rule"] == rule and c["status"] == "failed") == 2


def test_hongze_2023_to_2024_passes_the_carry_over_check(corpus):
    ra = Review.open(corpus / "hongze-district-2023.pdf")
    rb = Review.open(corpus / "hongze-district-2024.pdf")
    ya, yb = YearReport.of_document(ra.document), YearReport.of_document(rb.document)
    assert neighbours(yb, [ya, yb]) == (ya, None)
    rb.set_neighbours(ya, None)
    ra.set_neighbours(None, yb)
    for review in (ra, rb):
        found = across(review)
        carry = [r for r in found.values() if r.instance.rule.id.startswith("across.carried")]
        assert len(carry) == 7
        assert all(r.status is CheckStatus.PASSED for r in carry)
    in_force = [r for r in across(rb).values() if r.instance.rule.id == "across.in_force_in"]
    assert len(in_force) == 2 and all(r.status is CheckStatus.PASSED for r in in_force)
    assert builtin_template().id == ra.document.template_id
