"""部门决算 (the second report family, template ``dept-final-accounts``) read end to end from
generated reports (tests/fixtures/final_accounts): every printed amount in its cell, rows keyed
by whatever 功能分类 codes a department prints (in one column, in 类 | 款 | 项, or with the name),
the two halves of a 收入支出决算总表, units and tables printed empty; no check fails on a
balanced report (rounding included), every injected slip is flagged and suggested, and tables
that disagree as published fail the rule across them."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from tabledesk.checks.engine import CheckStatus
from tabledesk.checks.suggest import analyse
from tabledesk.review.review import Review
from tests.fixtures.final_accounts.errors import KINDS, as_published, inject_error
from tests.fixtures.final_accounts.generate import generate
from tests.fixtures.final_accounts.html import write_html
from tests.fixtures.final_accounts.pdf import write_pdf
from tests.fixtures.final_accounts.rules import rounding_gaps
from tests.fixtures.final_accounts.spec import CodeStyle, FinalAccountsSpec, ZeroStyle, iter_cells
from tests.fixtures.final_accounts.text import write_text

TEMPLATE = "dept-final-accounts"
PROBLEMS = (CheckStatus.FAILED, CheckStatus.INCOMPLETE, CheckStatus.UNFILLED)


def _write(spec: FinalAccountsSpec, kind: str, folder: Path, name: str) -> Path:
    if kind == "pdf":
        return write_pdf(spec, folder / f"{name}.pdf")
    if kind == "html":
        return write_html(spec, folder / f"{name}.html")
    return write_text(spec, folder / f"{name}.txt", style=kind.split("-")[1])


def _misread(review: Review, spec: FinalAccountsSpec) -> list[tuple[str, str, str, Decimal, object]]:
    doc = review.document
    out = []
    for c in iter_cells(spec):
        got = doc.cell(c.table, c.row, c.col).value if doc.has_cell(c.table, c.row, c.col) else "absent"
        if got != c.value:
            out.append((c.table, c.row, c.col, c.value, got))
    return out


@pytest.mark.parametrize("kind", ["pdf", "html", "text-tab", "text-pipe"])
def test_a_balanced_report_reads_every_amount_and_passes(kind: str, tmp_path: Path) -> None:
    gaps = 0
    for seed in range(4):
        spec = generate(seed)
        gaps += len(rounding_gaps(spec))
        review = Review.open(_write(spec, kind, tmp_path, str(seed)))
        assert review.document.template_id == TEMPLATE
        assert _misread(review, spec) == []
        problems = [(r.instance.rule.id, r.instance.key) for r in review.results if r.status in PROBLEMS]
        assert problems == [], (seed, problems)
    assert gaps > 0  # totals off their parts by rounding were there, and passed


@pytest.mark.parametrize("style", list(CodeStyle))
def test_codes_are_rows_however_they_are_printed(style: CodeStyle, tmp_path: Path) -> None:
    spec = generate(11, code_style=style, zeros=ZeroStyle.BLANK)
    review = Review.open(write_html(spec, tmp_path / "r.html"))
    fa3 = review.document.table("fa3")
    codes = [r.code for r in spec.rows["fa3"] if r.code]
    assert [r.id for r in fa3.rows] == ["total", *(f"c{c}" for c in codes)]
    label = fa3.rows[fa3.row_index(f"c{codes[-1]}")].leaf_label
    assert label.startswith(codes[-1] + " ")  # "2210201 住房公积金": the code, then its name
    assert _misread(review, spec) == []
    # the hierarchy is checked with nothing written in the template: 类 = its 款, 合计 = the 类
    rules = {r.instance.rule.id for r in review.results if r.instance.table_id == "fa3"}
    assert {"fa3.subtotal.total", f"fa3.subtotal.c{codes[0]}"} <= rules


def test_units_and_empty_tables(tmp_path: Path) -> None:
    seed = next(s for s in range(40) if "fa8" in generate(s).empty and generate(s).unit.label == "元")
    spec = generate(seed)
    review = Review.open(write_pdf(spec, tmp_path / "r.pdf"))
    doc = review.document
    assert {t.unit for t in doc.tables if t.found} == {"元"}
    fa8 = doc.table("fa8")
    assert "空表" in fa8.empty_note
    assert all(c.value == 0 for _, _, c in fa8.iter_cells())  # printed empty: zeros, not gaps
    assert not [r for r in review.results if r.instance.table_id == "fa8" and r.status in PROBLEMS]
    assert not any("表八" in w for w in doc.warnings)  # "原文中未找到表八" would be wrong


@pytest.mark.parametrize("kind", KINDS)
def test_every_injected_slip_is_flagged_and_its_fix_listed(kind: str, tmp_path: Path) -> None:
    top = 0
    for seed in range(5):
        spec, err = inject_error(generate(seed), random.Random(seed), kind)
        review = Review.open(write_html(spec, tmp_path / f"{seed}.html"))
        key = (err.table, err.row, err.col)
        failed = [r for r in review.results if r.status is CheckStatus.FAILED]
        assert any(key in r.cells for r in failed), (seed, err)
        listed = [
            s
            for s in analyse(review).suggestions
            for c in s.changes
            if c.key == key and abs(c.new - err.true_value) <= spec.unit.quantum
        ]
        assert listed, (seed, err)
        top += listed[0].rank == 0
    assert top >= 4


def test_a_decimal_slip_is_named_so(tmp_path: Path) -> None:
    spec, err = inject_error(generate(3), random.Random(3), "decimal_slip")
    review = Review.open(write_html(spec, tmp_path / "r.html"))
    key = (err.table, err.row, err.col)
    best = [s for s in analyse(review).suggestions if s.rank == 0 and s.cells() == [key]]
    assert best and best[0].changes[0].new == err.true_value
    assert "小数点错位" in best[0].message(review.document, "zh")


@pytest.mark.parametrize("kind", ["cross_table", "class_sum"])
def test_tables_that_disagree_as_published_fail(kind: str, tmp_path: Path) -> None:
    spec, disagreement = as_published(generate(2), random.Random(2), kind)
    review = Review.open(write_pdf(spec, tmp_path / "r.pdf"))
    failed = {r.instance.rule.id for r in review.results if r.status is CheckStatus.FAILED}
    if kind == "cross_table":
        assert {"x.fa1.fa3.total", "x.fa1.fa3.class"} & failed  # 表一 and 表三 disagree
    else:
        assert any(rid.startswith("fa3.subtotal.c") for rid in failed)
    assert disagreement.broken


def test_a_report_of_the_first_family_is_not_taken_for_the_second(tmp_path: Path) -> None:
    from tests.fixtures.report_spec import random_spec
    from tests.fixtures.text_report import write_text as write_disclosure

    path = write_disclosure(random_spec(random.Random(1), "2021"), tmp_path / "d.txt")
    assert Review.open(path).document.template_id == "gov-disclosure-annual"


SHORT_FORM = """<html><head><meta charset="utf-8"></head><body><h1>某某局2023年度部门决算</h1>
<p>收入支出决算总表</p><p>单位：万元</p>
<table border=1><tr><td>项目</td><td>金额</td><td>项目</td><td>金额</td></tr>
<tr><td>一、一般公共预算财政拨款收入</td><td>100.00</td><td>一、一般公共服务支出</td><td>70.00</td></tr>
<tr><td>二、政府性基金预算财政拨款收入</td><td></td><td>二、住房保障支出</td><td>30.00</td></tr>
<tr><td>三、国有资本经营预算财政拨款收入</td><td></td><td></td><td></td></tr>
<tr><td>四、上级补助收入</td><td></td><td></td><td></td></tr>
<tr><td>五、事业收入</td><td></td><td></td><td></td></tr>
<tr><td>六、经营收入</td><td></td><td></td><td></td></tr>
<tr><td>七、附属单位上缴收入</td><td></td><td></td><td></td></tr>
<tr><td>八、其他收入</td><td></td><td></td><td></td></tr>
<tr><td>本年收入合计</td><td>100.00</td><td>本年支出合计</td><td>100.00</td></tr>
<tr><td>使用非财政拨款结余</td><td></td><td>结余分配</td><td></td></tr>
<tr><td>年初结转和结余</td><td>0.00</td><td>年末结转和结余</td><td>0.00</td></tr>
<tr><td>总计</td><td>100.00</td><td>总计</td><td>100.00</td></tr></table>
<p>收入决算表</p><p>单位：万元</p>
<table border=1><tr><td>科目编码</td><td>科目名称</td><td>本年收入合计</td><td>财政拨款收入</td></tr>
<tr><td></td><td>合计</td><td>100.00</td><td>100.00</td></tr>
<tr><td>201</td><td>一般公共服务支出</td><td>70.00</td><td>70.00</td></tr>
<tr><td>221</td><td>住房保障支出</td><td>30.00</td><td>30.00</td></tr></table>
<p>支出决算表</p><p>单位：元</p>
<table border=1>
<tr><td>科目编码</td><td>科目名称</td><td>本年支出合计</td><td>基本支出</td><td>项目支出</td></tr>
<tr><td></td><td>合计</td><td>1,000,000.00</td><td>800,000.00</td><td>200,000.00</td></tr>
<tr><td>201</td><td>一般公共服务支出</td><td>700,000.00</td><td>600,000.00</td><td>100,000.00</td></tr>
<tr><td>221</td><td>住房保障支出</td><td>{housing}</td><td>200,000.00</td><td>100,000.00</td></tr></table>
</body></html>"""


def test_a_short_form_in_two_units(tmp_path: Path) -> None:
    """A province's shorter forms: 表二 and 表三 without the columns a unit never uses (上级补助,
    经营 …), 表三 in 元 beside 表一 in 万元 — compared in one unit, nothing missing, nothing red;
    a 类 of 表三 that disagrees with 表一 by 0.1 万元 is red."""
    path = tmp_path / "short.html"
    path.write_text(SHORT_FORM.replace("{housing}", "300,000.00"), encoding="utf-8")
    review = Review.open(path)
    doc = review.document
    assert doc.template_id == TEMPLATE
    assert [c.id for c in doc.table("fa3").columns] == ["total", "basic", "project"]
    assert [c.id for c in doc.table("fa2").columns] == ["total", "fiscal"]
    assert (doc.table("fa1.income").unit, doc.table("fa3").unit) == ("万元", "元")
    printed = {t.id for t in doc.tables if t.found}
    assert printed == {"fa1.income", "fa1.expense", "fa2", "fa3"}
    assert [r for r in review.results if r.status in PROBLEMS and r.instance.table_id in printed] == []
    assert "原文中未找到表五" in doc.warnings  # a table the set must have, not printed
    assert any(r.instance.rule.id == "x.fa1.fa3.class" for r in review.results)
    path.write_text(SHORT_FORM.replace("{housing}", "301,000.00"), encoding="utf-8")
    failed = {r.instance.rule.id for r in Review.open(path).results if r.status is CheckStatus.FAILED}
    assert {"x.fa1.fa3.class", "fa3.row", "fa3.subtotal.total"} <= failed


def test_a_table_of_the_set_the_template_does_not_read_is_nobodys(tmp_path: Path) -> None:
    """Some sets print more tables (项目支出决算表, 机关运行经费…): their titles contain one of the
    template's (支出决算表), their rows must not join it."""
    extra = """<p>项目支出决算表</p><p>单位：万元</p>
<table border=1><tr><td>科目编码</td><td>科目名称</td><td>合计</td><td>基本支出</td><td>项目支出</td></tr>
<tr><td>201</td><td>一般公共服务支出</td><td>10.00</td><td></td><td>10.00</td></tr>
<tr><td>2010101</td><td>行政运行</td><td>10.00</td><td></td><td>10.00</td></tr></table></body>"""
    path = tmp_path / "more.html"
    path.write_text(SHORT_FORM.replace("{housing}", "300,000.00").replace("</body>", extra), encoding="utf-8")
    review = Review.open(path)
    fa3 = review.document.table("fa3")
    assert [r.id for r in fa3.rows] == ["total", "c201", "c221"] and fa3.unmatched == []
    assert not [
        r
        for r in review.results
        if r.status in PROBLEMS and r.instance.table_id.startswith(("fa1", "fa2", "fa3"))
    ]
