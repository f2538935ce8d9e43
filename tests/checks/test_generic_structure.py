"""Tables no template knows: the inferred checks never cry wolf on a balanced form, and an error
in a cell that a printed total covers is flagged — over the layouts that fooled the old
合计/小计 checks (行次 and 栏次, 科目编码 hierarchies, 其中 rows, totals printed first, percentage
and year columns, 本季度/本年累计 bands), each read from HTML and from a ruled PDF."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from tabledesk.checks.engine import CheckStatus
from tabledesk.core.document import Axis, Cell, CellStatus, Table
from tabledesk.core.values import NumberKind
from tabledesk.review.review import Review
from tabledesk.templates.structure import Role, infer, label_role, leading_code, total_level
from tests.fixtures.unknown_forms import FORMS, write_html, write_pdf

RENDER = {"html": (write_html, ".html"), "pdf": (write_pdf, ".pdf")}


def _open(name: str, seed: int, kind: str, tmp_path, *, inject: bool):
    form = FORMS[name](random.Random(seed))
    if inject:
        form.inject_error(random.Random(seed + 100))
    write, suffix = RENDER[kind]
    path = write(form, tmp_path / f"{name}-{seed}{suffix}")
    review = Review.open(path)
    assert review.document.template_id == "generic"
    return form, review


@pytest.mark.parametrize("kind", list(RENDER))
@pytest.mark.parametrize("name", list(FORMS))
def test_a_balanced_form_has_no_failing_check(name, kind, tmp_path) -> None:
    for seed in range(3):
        _form, review = _open(name, seed, kind, tmp_path, inject=False)
        failed = [r for r in review.results if r.status is CheckStatus.FAILED]
        assert not failed, [r.instance.key for r in failed]
        assert any(r.status is CheckStatus.PASSED for r in review.results), "no check at all"


@pytest.mark.parametrize("kind", list(RENDER))
@pytest.mark.parametrize("name", list(FORMS))
def test_an_injected_error_is_flagged_in_the_total_it_breaks(name, kind, tmp_path) -> None:
    for seed in range(3):
        form, review = _open(name, seed, kind, tmp_path, inject=True)
        assert form.injected is not None
        r, c = form.injected
        printed = form.body[r][c]
        failed = [x for x in review.results if x.status is CheckStatus.FAILED]
        assert failed, f"{name} seed {seed}: the changed cell {printed} was not flagged"
        doc = review.document
        cells = {doc.cell(*key).raw for x in failed for key in x.cells}
        assert printed in cells, f"{name} seed {seed}: failing checks do not cover {printed}"


def test_failing_generic_checks_read_as_inferred(tmp_path) -> None:
    _form, review = _open("bands", 1, "html", tmp_path, inject=True)
    failed = [r for r in review.results if r.status is CheckStatus.FAILED]
    from tabledesk.checks.messages import render_message

    text = render_message(failed[0], "zh", {"zh": "表格 1", "en": "Table 1"})
    assert text.startswith("【推断】")


def _table(rows: list[str], cols: list[tuple[str, ...]], values: list[list[int | None]]) -> Table:
    def cell(v: int | None) -> Cell:
        d = None if v is None else Decimal(v)
        return Cell(d, d, "" if v is None else str(v), CellStatus.OK, None, 1.0, NumberKind.INTEGER)  # type: ignore[arg-type]

    return Table(
        "g1",
        "t",
        {"zh": "t", "en": "t"},
        [Axis(f"r{i}", (r,)) for i, r in enumerate(rows)],
        [Axis(f"c{j}", c) for j, c in enumerate(cols)],
        [[cell(v) for v in line] for line in values],
    )


def test_words_decide_the_roles() -> None:
    assert label_role("行次") is Role.LINE_NUMBER and label_role("栏 次") is Role.LINE_NUMBER
    assert label_role("科目编码") is Role.CODE and label_role("增长率(%)") is Role.PERCENT
    assert label_role("占比") is Role.PERCENT and label_role("年度") is Role.YEAR
    assert label_role("其中：教育") is Role.PART_OF_ABOVE and label_role("人员经费") is None
    assert leading_code("2010101 行政运行") == "2010101" and leading_code("201一般公共服务") == "201"
    assert leading_code("2024年度") is None and leading_code("1. 申请") is None
    assert total_level("合计") == 2 and total_level("小 计") == 1 and total_level("本年收入合计") == 1
    assert total_level("收入总计") == 2 and total_level("合计金额") == 2 and total_level("人员经费") == 0


def test_a_total_printed_first_sums_the_rows_below_and_a_single_part_is_allowed() -> None:
    t = _table(["合计", "甲", "乙", "小计", "丙"], [("金额",)], [[6], [1], [2], [3], [3]])
    s = infer(t)
    # 合计 first, but subtotals below it: which rows each covers is not printed → no rule for it
    assert [x.total for x in s.row_sums] == [3]
    t2 = _table(["合计", "甲", "乙"], [("金额",)], [[3], [1], [2]])
    assert [(x.total, x.parts) for x in infer(t2).row_sums] == [(0, (1, 2))]


def test_a_total_over_two_bands_states_no_rule() -> None:
    cols = [("本季度", "甲"), ("本季度", "乙"), ("本年累计", "甲"), ("本年累计", "乙"), ("合计",)]
    t = _table(["一"], cols, [[1, 2, 3, 4, 10]])
    assert infer(t).column_sums == ()
