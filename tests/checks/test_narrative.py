"""Numbers the narrative states against the tables: a generated report whose prose disagrees
with 表三 gets a warning that points at the sentence (its line in a text source, its page and
box in a PDF); one that agrees passes."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from tabledesk.checks.engine import CheckStatus
from tabledesk.checks.messages import render_message
from tabledesk.checks.narrative import NarrativeInstance, narrative_specs, parse_stated
from tabledesk.exports.json_export import document_json
from tabledesk.review.review import Review
from tabledesk.templates.registry import builtin_template
from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import write_text


def _spec(stated_offset: int):
    spec = random_spec(random.Random(7), "2021", agency="测试县人民政府", year=2023)
    received = int(spec.values["t3"]["new"]["total"])
    para = spec.sections[0].paragraphs[0]
    spec.sections[0].paragraphs[0] = para.replace(
        f"收到政府信息公开申请{received}件", f"全年共受理政府信息公开申请{received + stated_offset}件"
    )
    assert para != spec.sections[0].paragraphs[0]
    return spec, received


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("narrative")
    bad, received = _spec(3)
    good, _ = _spec(0)
    return {
        "bad_txt": write_text(bad, folder / "bad.txt"),
        "good_txt": write_text(good, folder / "good.txt"),
        "bad_pdf": render_pdf(bad, folder / "bad.pdf"),
        "received": received,
    }


def _narrative(review: Review):
    return [r for r in review.results if isinstance(r.instance, NarrativeInstance)]


def test_the_builtin_template_has_narrative_phrases():
    ids = {s.rule.id for s in narrative_specs(builtin_template())}
    assert "narrative.received" in ids


@pytest.mark.parametrize(
    ("text", "value"),
    [("21", 21), ("1,136", 1136), ("二十一", 21), ("两", 2), ("十", 10), ("一百零五", 105), ("x", None)],
)
def test_numbers_as_the_prose_writes_them(text, value):
    assert parse_stated(text) == (None if value is None else Decimal(value))


def test_a_narrative_mismatch_no_scope_explains_is_information_pointing_at_the_sentence(reports):
    review = Review.open(reports["bad_txt"])
    found = _narrative(review)
    assert len(found) == 1
    result = found[0]
    inst = result.instance
    assert result.status is CheckStatus.FAILED
    # 一, 一+二 and 三（七） tried first: none says so, so the prose speaks of another scope
    assert result.severity == "info" and result.informational and not result.red
    assert inst.cells() == [("t3", "new", "total")]
    assert inst.stated == reports["received"] + 3
    assert f"受理政府信息公开申请{reports['received'] + 3}件" in inst.sentence
    # the text line the sentence is on
    lines = reports["bad_txt"].read_text(encoding="utf-8").splitlines()
    assert inst.provs and inst.provs[0].line is not None
    line = lines[inst.provs[0].line - 1]
    lo, hi = inst.provs[0].chars
    assert "全年共受理政府信息公开申请" in line[lo:hi]
    msg = render_message(result, "zh", review.document.table("t3").name)
    assert "仅供参考" in msg and "正文" in msg
    # in the export too: in the narrative list with the sentence, not among 表三's own checks
    data = document_json(review.document, review.results)
    t3 = next(t for t in data["tables"] if t["id"] == "t3")
    assert not any(c["rule"].startswith("narrative.") for c in t3["checks"])
    assert any(
        c["rule"] == "narrative.received" and c["status"] == "failed" and c["table"] == "t3"
        for c in data["narrative"]
    )


def test_a_matching_narrative_passes(reports):
    found = _narrative(Review.open(reports["good_txt"]))
    assert [r.status for r in found] == [CheckStatus.PASSED]


def test_in_a_pdf_the_sentence_has_page_and_box(reports):
    found = _narrative(Review.open(reports["bad_pdf"]))
    assert len(found) == 1 and found[0].status is CheckStatus.FAILED
    provs = found[0].instance.provs
    assert provs and all(p.page == 1 and p.bbox is not None for p in provs)


def test_a_sentence_counting_new_and_carried_over_matches_its_scope(tmp_path):
    """ "受理749件" is 一+二 (last year's carry-over too), not 一: it warned though it was right."""
    spec = random_spec(random.Random(7), "2021", agency="测试县人民政府", year=2023)
    t3 = spec.values["t3"]
    if not t3["carried"]["total"]:  # make sure 一+二 differs from 一
        t3["carried"]["natural"] += 2
        t3["carried"]["total"] += 2
        t3["results.public"]["natural"] += 2
        t3["results.public"]["total"] += 2
        t3["results.total"]["natural"] += 2
        t3["results.total"]["total"] += 2
    received = int(t3["new"]["total"])
    both = received + int(t3["carried"]["total"])
    para = spec.sections[0].paragraphs[0]
    spec.sections[0].paragraphs[0] = para.replace(
        f"收到政府信息公开申请{received}件", f"全年共受理政府信息公开申请{both}件"
    )
    review = Review.open(write_text(spec, tmp_path / "r.txt"))
    (result,) = _narrative(review)
    assert result.status is CheckStatus.PASSED
    assert result.instance.cells() == [("t3", "new", "total"), ("t3", "carried", "total")]
    assert not [r for r in review.results if r.status is CheckStatus.FAILED]
