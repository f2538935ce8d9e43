from decimal import Decimal

import pytest

from tabledesk.templates.parser import RuleSyntaxError, parse_rule
from tabledesk.templates.syntax import BinOp, Children, Leaves, Neg, Num, Range, Ref, Scaled, Sum


def test_balance_rule_parses_into_sides():
    rule = parse_rule("new + carried = results.total + carried_forward")
    assert rule.op == "="
    assert rule.lhs == BinOp("+", Ref("new"), Ref("carried"))
    assert rule.rhs == BinOp("+", Ref("results.total"), Ref("carried_forward"))


def test_sums_over_ranges_leaves_and_children():
    rule = parse_rule("total = sum(a .. c, leaves(g), children(h), d)")
    assert rule.rhs == Sum((Range("a", "c"), Leaves("g"), Children("h"), Ref("d")))
    assert parse_rule("t = leaves(results)").rhs == Sum((Leaves("results"),))
    # "a..c" without spaces: the name must not swallow the range dots
    assert parse_rule("t = sum(x.a..x.c)").rhs == Sum((Range("x.a", "x.c"),))


def test_constants_scaling_negation_and_inequalities():
    rule = parse_rule("-a + 2 * b - c*3 >= 0.5")
    assert rule.op == ">="
    assert rule.lhs == BinOp(
        "-", BinOp("+", Neg(Ref("a")), Scaled(Decimal(2), Ref("b"))), Scaled(Decimal(3), Ref("c"))
    )
    assert rule.rhs == Num(Decimal("0.5"))
    assert parse_rule("a ≤ b").op == "<="
    assert parse_rule("a == b").op == "="
    assert parse_rule("r1:c1 = r2:c2").lhs == Ref("r1:c1")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty rule"),
        ("a + b", "expected a comparison"),
        ("a = b +", "expected a name, a number or '('"),
        ("a = b * c", "rules are linear"),
        ("a = (b + c", "expected ')'"),
        ("a = b = c", "unexpected '='"),
        ("a ! b", "unexpected character '!'"),
        ("a = sum(b ..)", "expected name"),
        ("__import__('os') = 1", "unexpected character"),
    ],
)
def test_invalid_rules_say_what_and_where(text, problem):
    with pytest.raises(RuleSyntaxError) as err:
        parse_rule(text)
    assert problem in str(err.value)
    assert text in str(err.value)
