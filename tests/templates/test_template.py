"""Template files: the built-in ones load, and mistakes are reported with file and line."""

from pathlib import Path

import pytest

from tabledesk.core.values import NumberKind
from tabledesk.templates.registry import USER_TEMPLATES_ENV, builtin_template, load_templates
from tabledesk.templates.template import TemplateError, load_template

MINIMAL = """
[template]
id = "budget"
name = "Budget"

[[tables]]
id = "b"
title = "Budget"

  [[tables.rows]]
  id = "a"
  label = "A"

  [[tables.rows]]
  id = "b"
  label = "B"

  [[tables.columns]]
  id = "v"
  label = "Value"

  [[tables.rules]]
  id = "b.sum"
  each = "column"
  expr = "{expr}"
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "t.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_builtin_template_has_both_formats_and_every_table():
    t = builtin_template()
    assert [f.id for f in t.formats] == ["2021", "2019"]
    assert [x.id for x in t.tables_for("2021")] == [
        "t2.item1",
        "t2.item5",
        "t2.item6",
        "t2.item8",
        "t3",
        "t4",
    ]
    assert [x.id for x in t.tables_for("2019")] == [
        "t2.item1",
        "t2.item5",
        "t2.item6",
        "t2.item8",
        "t2.item9",
        "t3",
        "t4",
    ]
    t3 = t.table("t3")
    # 2019 and 2021 share 表三's ids; only 2021 has （六）'s sub-rows.
    ids19 = [r.id for r in t3.rows_for("2019")]
    ids21 = [r.id for r in t3.rows_for("2021")]
    assert set(ids19) < set(ids21)
    assert {i for i in ids21 if i not in ids19} == {
        "results.other.overdue_correction",
        "results.other.overdue_fee",
        "results.other.other",
    }
    assert len([c for c in t3.columns_for("2021") if c.id not in ("applicants", "legal")]) == 7
    change = next(c for c in t.table("t2.item5").columns_for("2019") if c.id == "change")
    assert change.kind is NumberKind.INTEGER  # 本年增/减 may be negative
    fee = t.table("t2.item8").columns_for("2021")[0]
    assert fee.kind is NumberKind.AMOUNT


def test_minimal_user_template_loads(tmp_path):
    t = load_template(write(tmp_path, MINIMAL.replace("{expr}", "a = b")))
    assert t.id == "budget"
    assert t.tables[0].rules[0].each == "column"


@pytest.mark.parametrize(
    ("expr", "problem"),
    [
        ("a = b +", "expected a name"),
        ("a = nosuch", "unknown row 'nosuch'"),
        ("a = sum(leaves(a))", "'a' is not a row group"),
        ("a = b * a", "rules are linear"),
    ],
)
def test_bad_rule_names_file_line_and_rule(tmp_path, expr, problem):
    path = write(tmp_path, MINIMAL.replace("{expr}", expr))
    with pytest.raises(TemplateError) as err:
        load_template(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}:")
    line = int(msg.split(":")[1])
    assert expr in path.read_text(encoding="utf-8").splitlines()[line - 1]
    assert "b.sum" in msg and problem in msg


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[template\nid=1", "not valid TOML"),
        ("[[tables]]\nid='x'", "missing [template] section"),
        (
            MINIMAL.replace('id = "v"', 'id = "v"\n  type = "money"').replace("{expr}", "a = b"),
            "unknown type 'money'",
        ),
        (
            MINIMAL.replace('id = "v"', 'id = "v"\n  decimals = "two"').replace("{expr}", "a = b"),
            "'decimals' must be a whole number from 0 to 6",
        ),
        (
            MINIMAL.replace('label = "B"', 'label = "B"\n  parent = "zz"').replace("{expr}", "a = b"),
            "unknown parent 'zz'",
        ),
        (
            MINIMAL.replace('id = "b"\n  label', 'id = "a"\n  label').replace("{expr}", "a = a"),
            "declared twice",
        ),
    ],
)
def test_malformed_templates_are_reported_not_raised_raw(tmp_path, text, problem):
    with pytest.raises(TemplateError) as err:
        load_template(write(tmp_path, text))
    assert problem in str(err.value)


def test_user_template_folder_is_added_and_bad_files_listed(tmp_path, monkeypatch):
    (tmp_path / "good.toml").write_text(MINIMAL.replace("{expr}", "a = b"), encoding="utf-8")
    (tmp_path / "bad.toml").write_text("[template]\n", encoding="utf-8")
    monkeypatch.setenv(USER_TEMPLATES_ENV, str(tmp_path))
    templates, problems = load_templates()
    assert {t.id for t in templates} >= {"gov-disclosure-annual", "budget"}
    assert len(problems) == 1 and "bad.toml" in problems[0]


def test_the_built_in_amounts_say_how_many_places_they_are_printed_with() -> None:
    # a scan's reader takes a separator followed by two digits there for the decimal point
    t = builtin_template()
    amounts = [c for spec in t.tables for c in spec.columns if c.kind is NumberKind.AMOUNT]
    assert amounts and all(c.decimals == 2 for c in amounts)
    counts = [c for spec in t.tables for c in spec.columns if c.kind in (None, NumberKind.COUNT)]
    assert all(c.decimals is None for c in counts)


KEYED = """
[template]
id = "accounts"
name = "Accounts"

[[codes]]
id = "functional"
levels = [3, 5, 7]
[codes.names]
"201" = ["一般公共服务支出"]

[[tables]]
id = "x"
title = "收入决算表"

  [[tables.rows]]
  id = "total"
  label = "合计"

  [[tables.rows]]
  codes = "{scheme}"
  parent = "total"

  [[tables.columns]]
  id = "v"
  label = "金额"

[[tables]]
id = "y"
title = "支出决算表"

  [[tables.rows]]
  id = "total"
  label = "合计"

  [[tables.columns]]
  id = "v"
  label = "金额"

[[rules]]
id = "x.y"
each = "{each}"
expr = "{expr}"
"""


def _keyed(scheme: str = "functional", each: str = "once", expr: str = "x:total:v = y:total:v") -> str:
    return KEYED.replace("{scheme}", scheme).replace("{each}", each).replace("{expr}", expr)


def test_rows_keyed_by_code_and_rules_across_tables_load(tmp_path) -> None:
    t = load_template(write(tmp_path, _keyed()))
    x = t.table("x")
    assert x.keyed is not None and x.keyed.scheme == "functional" and x.keyed.parent == "total"
    assert [r.id for r in x.rows] == ["total"]  # the codes come from each document
    assert t.codes["functional"].code_of_name("一、一般公共服务支出") == "201"
    assert [r.id for r in t.rules] == ["x.y"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (_keyed(scheme="nosuch"), "unknown code scheme 'nosuch'"),
        (_keyed(expr="x:total:v = z:total:v"), "unknown table 'z'"),
        (_keyed(expr="x:total:v = y:nosuch:v"), "unknown row 'nosuch' in table 'y'"),
        (_keyed(expr="x:total = y:total:v"), "must name a cell as table:row:column"),
        (_keyed(each="row", expr="x:v = y:v"), "names its 'tables'"),
        (_keyed(each="column", expr="x:v = y:v"), "applied 'once' or per 'row'"),
    ],
)
def test_mistakes_in_codes_and_rules_across_tables(tmp_path, text, problem) -> None:
    with pytest.raises(TemplateError) as err:
        load_template(write(tmp_path, text))
    assert problem in str(err.value)


def test_the_final_accounts_template_loads_with_its_code_schemes() -> None:
    from tabledesk.templates.registry import template_by_id

    t = template_by_id("dept-final-accounts")
    assert set(t.codes) == {"functional", "economic"}
    assert {s.id for s in t.tables if s.keyed} >= {"fa2", "fa3", "fa5", "fa8", "fa9", "fa1.expense"}
    assert t.table("fa1.expense").beside == "fa1.income"
    assert t.min_tables == 3 and t.empty_note
