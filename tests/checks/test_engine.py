"""The balance-rule engine on the built-in template: balanced reports pass, a single wrong cell
fails exactly the instances that touch it, missing cells are bounded, rounding is tolerated,
and incremental re-checks equal full evaluations."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabledesk.checks.engine import Checker, CheckStatus
from tabledesk.checks.messages import render_message
from tabledesk.core.document import SourceInfo
from tabledesk.core.edits import CellChange, Edit
from tabledesk.mapping.mapper import blank_document
from tabledesk.templates.registry import builtin_template
from tabledesk.templates.template import load_template
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec

TEMPLATE = builtin_template()


def checked(doc):
    checker = Checker(doc, TEMPLATE)
    checker.run()
    return checker


@pytest.mark.parametrize(("fmt", "other_split"), [("2019", False), ("2021", False), ("2021", True)])
@pytest.mark.parametrize("seed", range(5))
def test_every_builtin_rule_passes_on_a_balanced_report(fmt, other_split, seed):
    doc = document_from_spec(random_spec(random.Random(seed), fmt, other_split=other_split))
    checker = checked(doc)
    rules = {r.instance.rule.id for r in checker.results.values()}
    assert rules == {"t3.balance", "t3.results_total", "t3.row_total", "t4.group_total"}
    assert all(r.status is CheckStatus.PASSED for r in checker.results.values())
    # 7 columns × 2 column rules + one row rule per data row + 3 groups of 表四
    n_rows = len(doc.table("t3").rows)
    assert len(checker.results) == 14 + n_rows + 3
    if other_split:
        assert "results.other.other" in [r.id for r in doc.table("t3").rows]
        assert "results.other" not in [r.id for r in doc.table("t3").rows]


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_perturbing_any_single_cell_fails_exactly_the_instances_touching_it(fmt):
    doc = document_from_spec(random_spec(random.Random(7), fmt, other_split=fmt == "2021"))
    checker = checked(doc)
    for table_id in ("t3", "t4"):
        table = doc.table(table_id)
        for row, col, cell in table.iter_cells():
            key = (table_id, row.id, col.id)
            old = cell.value
            cell.value = old + 1
            touching = {i.uid for i in checker.instances if key in i.cells()}
            full = Checker(doc, TEMPLATE)
            failed = {uid for uid, r in full.run().items() if r.status is CheckStatus.FAILED}
            assert failed == touching, key
            assert all(
                r.difference in (Decimal(1), Decimal(-1)) for r in full.results.values() if r.uid in failed
            )
            cell.value = old


def seed_like_document():
    """The seed's 表三: 一 and 二 printed as 0, （一）予以公开 1, the rest of the table cut off."""
    doc = blank_document(TEMPLATE, "2019", SourceInfo("seed.txt", "text", "", 1))
    t3 = doc.table("t3")
    printed = {"new": 0, "carried": 0, "results.public": 1, "results.partial": 0}
    for row_id, v in printed.items():
        for col in t3.columns:
            value = Decimal(v if col.id in ("natural", "total") else 0)
            cell = t3.cell(row_id, col.id)
            cell.printed = cell.value = value
    return doc


def test_missing_total_is_at_least_its_present_parts_so_the_balance_fails():
    checker = checked(seed_like_document())
    balance = {k[2]: r for k, r in checker.results.items() if k[1] == "t3.balance"}
    assert balance["natural"].status is CheckStatus.FAILED
    assert balance["total"].status is CheckStatus.FAILED
    for col in ("legal.business", "legal.research", "legal.charity", "legal.legal_service", "legal.other"):
        assert balance[col].status is CheckStatus.INCOMPLETE
    r = balance["natural"]
    assert (r.lhs.lo, r.lhs.hi) == (0, 0) and r.rhs.lo == 1 and not r.rhs.hi.is_finite()
    assert (
        render_message(r, "zh", {"zh": "表三"})
        == "表三 自然人列：一+二（0）应等于三（七）+四（至少 1），不相等"
    )
    assert "at least 1" in render_message(r, "en", {"en": "Table 3"})
    # The rule that defines （七）总计 itself can still be satisfied: incomplete, not failed.
    totals = {k[2]: r for k, r in checker.results.items() if k[1] == "t3.results_total"}
    assert totals["natural"].status is CheckStatus.INCOMPLETE


def test_filling_the_missing_rows_makes_the_seed_balance_once_new_is_corrected():
    doc = seed_like_document()
    checker = checked(doc)
    t3 = doc.table("t3")
    changes = []
    for row in t3.rows:
        for col in t3.columns:
            cell = t3.cell(row.id, col.id)
            if cell.value is None:
                v = Decimal(1 if row.id == "results.total" and col.id in ("natural", "total") else 0)
                changes.append(CellChange("t3", row.id, col.id, None, v))
    for col in ("natural", "total"):
        changes.append(CellChange("t3", "new", col, Decimal(0), Decimal(1)))
    edit = Edit(tuple(changes))
    doc.apply(edit)
    checker.recheck(edit.cells())
    t3_results = [r for r in checker.results.values() if r.instance.table_id == "t3"]
    assert t3_results and all(r.status is CheckStatus.PASSED for r in t3_results)


ROUNDING = """
[template]
id = "money"
[[tables]]
id = "m"
title = "Money"
type = "amount"
  [[tables.rows]]
  id = "a"
  label = "A"
  [[tables.rows]]
  id = "b"
  label = "B"
  [[tables.rows]]
  id = "total"
  label = "Total"
  [[tables.columns]]
  id = "v"
  label = "Value"
  [[tables.rules]]
  id = "m.sum"
  each = "column"
  expr = "total = a + b"
"""


@pytest.mark.parametrize(
    ("a", "b", "total", "status"),
    [
        ("1.25", "2.25", "3.50", CheckStatus.PASSED),
        ("1.25", "2.25", "3.5", CheckStatus.PASSED),
        ("1.254", "2.254", "3.51", CheckStatus.WITHIN_ROUNDING),  # 3.508 ± 0.001 meets 3.51 ± 0.005
        ("7730.28", "0", "7730", CheckStatus.WITHIN_ROUNDING),  # 7730 ± 0.5
        ("1.25", "2.25", "3.52", CheckStatus.FAILED),
        ("7545.6", "0.00", "7545", CheckStatus.FAILED),
    ],
)
def test_decimal_amounts_are_intervals_of_their_printed_precision(tmp_path: Path, a, b, total, status):
    path = tmp_path / "money.toml"
    path.write_text(ROUNDING, encoding="utf-8")
    tpl = load_template(path)
    doc = blank_document(tpl, "default", SourceInfo("m", "text", "", 1))
    for row, v in (("a", a), ("b", b), ("total", total)):
        cell = doc.cell("m", row, "v")
        cell.value = cell.printed = Decimal(v)
    checker = Checker(doc, tpl)
    (result,) = checker.run().values()
    assert result.status is status
    if status is CheckStatus.WITHIN_ROUNDING:
        assert result.status.passed is True and result.difference != 0


def _cells_of(doc):
    return [(t.id, r.id, c.id) for t in doc.tables if t.id in ("t3", "t4") for r, c, _ in t.iter_cells()]


DOC21 = document_from_spec(random_spec(random.Random(11), "2021", other_split=False))
KEYS = _cells_of(DOC21)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(KEYS) - 1),
            st.one_of(st.none(), st.integers(0, 40).map(Decimal)),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_incremental_recheck_equals_full_evaluation(edits):
    doc = document_from_spec(random_spec(random.Random(11), "2021", other_split=False))
    checker = checked(doc)
    for i, value in edits:
        key = KEYS[i]
        cell = doc.cell(*key)
        edit = Edit((CellChange(*key, cell.value, value),))
        doc.apply(edit)
        checker.recheck(edit.cells())
        full = Checker(doc, TEMPLATE).run()
        assert checker.results == full
