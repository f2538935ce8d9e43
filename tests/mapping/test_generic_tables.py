"""Tables no template knows get checks from their own 合计/小计 rows and columns."""

from __future__ import annotations

import json

from tabledesk.checks.engine import CheckStatus
from tabledesk.checks.generic import total_level
from tabledesk.cli import main
from tabledesk.review.review import Review

BUDGET = """某某区2024年部门预算支出表

单位：万元

项目\t一般公共预算\t政府性基金\t合计
人员经费\t120.50\t0\t120.50
公用经费\t30.25\t5.00\t35.25
小计\t150.75\t5.00\t155.75
项目支出\t80.00\t10.00\t90.00
专项支出\t20.00\t\t20.00
小计\t100.00\t{sub}\t110.00
合计\t250.75\t15.00\t265.75
"""


def test_total_levels():
    assert total_level("小计") == 1 and total_level("（小 计）") == 1
    assert total_level("合计") == 2 and total_level("总计：") == 2 and total_level("Total") == 2
    assert total_level("合计金额") == 2 and total_level("人员经费") == 0


def test_budget_table_with_a_wrong_subtotal_is_flagged(tmp_path):
    path = tmp_path / "budget.txt"
    path.write_text(BUDGET.format(sub="12.00"), encoding="utf-8")  # 10.00 + blank is 10, not 12
    review = Review.open(path)
    assert review.document.template_id == "generic"
    failed = {(r.instance.rule.id, r.instance.key) for r in review.results if r.status is CheckStatus.FAILED}
    # the wrong 小计 fails its column (10 + 0 ≠ 12) and its row (100 + 12 ≠ 110);
    # the 合计 row sums the two 小计 rows, so it fails in that column too (5 + 12 ≠ 15).
    assert failed == {
        ("generic.row_total", "r6/c2"),
        ("generic.col_total", "r6/c3"),
        ("generic.row_total", "r7/c2"),
    }
    passed = [r for r in review.results if r.status is CheckStatus.PASSED]
    assert len(passed) == len(review.results) - 3


def test_balanced_budget_passes_and_exports_as_generic(tmp_path, capsys):
    path = tmp_path / "budget.txt"
    path.write_text(BUDGET.format(sub="10.00"), encoding="utf-8")
    out = tmp_path / "b.json"
    assert main(["export", str(path), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["template"]["id"] == "generic"
    (table,) = data["tables"]
    assert [c["label"] for c in table["columns"]] == ["一般公共预算", "政府性基金", "合计"]
    assert table["checks"] and all(c["passed"] for c in table["checks"])
    # nothing in a generic export looks like the report's own tables
    assert not any(w in table["title"] for w in ("主动公开", "收到和处理", "复议"))


def test_prose_without_tables_is_not_a_report(tmp_path, capsys):
    path = tmp_path / "letter.txt"
    path.write_text("关于做好2024年政务公开工作的通知\n\n各单位：请认真落实。\n", encoding="utf-8")
    assert main(["export", str(path), "-o", str(tmp_path / "x.json")]) == 2
    assert "no tables found" in capsys.readouterr().err


def test_exports_are_readable_by_others_like_any_saved_file(tmp_path):
    import os
    import stat

    from tabledesk.exports.atomic import write_text_atomic

    out = tmp_path / "x.json"
    umask = os.umask(0o022)
    try:
        write_text_atomic(out, "{}")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not mkstemp's private 0600
    out.chmod(0o640)
    write_text_atomic(out, "{ }")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # a replaced file keeps its permissions
