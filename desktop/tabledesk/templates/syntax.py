"""The rule language's syntax tree (what templates/parser.py produces)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Num:
    value: Decimal


@dataclass(frozen=True, slots=True)
class Ref:
    """A name: a row id (in per-column rules), a column id (per-row) or ``row:col`` (once)."""

    name: str


@dataclass(frozen=True, slots=True)
class Range:
    """``a .. b``: every item from a to b in the template's order (inside ``sum``)."""

    first: str
    last: str


@dataclass(frozen=True, slots=True)
class Leaves:
    """``leaves(g)``: the leaf items under group g, as printed in the document."""

    group: str


@dataclass(frozen=True, slots=True)
class Children:
    """``children(g)``: the direct children of group g."""

    group: str


@dataclass(frozen=True, slots=True)
class Sum:
    terms: tuple[Ref | Range | Leaves | Children, ...]


@dataclass(frozen=True, slots=True)
class Scaled:
    """``k * expr``: multiplication by a constant keeps rules linear."""

    factor: Decimal
    expr: Expr


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str  # "+" | "-"
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Neg:
    expr: Expr


Expr = Num | Ref | Sum | Scaled | BinOp | Neg


@dataclass(frozen=True, slots=True)
class Comparison:
    op: str  # "=" | "<=" | ">=" | "<" | ">"
    lhs: Expr
    rhs: Expr


def names_in(expr: Expr) -> list[tuple[str, str]]:
    """(kind, name) of every name an expression uses; kind: ref, range, group."""
    if isinstance(expr, Ref):
        return [("ref", expr.name)]
    if isinstance(expr, Sum):
        out: list[tuple[str, str]] = []
        for t in expr.terms:
            if isinstance(t, Ref):
                out.append(("ref", t.name))
            elif isinstance(t, Range):
                out += [("ref", t.first), ("ref", t.last)]
            else:
                out.append(("group", t.group))
        return out
    if isinstance(expr, Scaled | Neg):
        return names_in(expr.expr)
    if isinstance(expr, BinOp):
        return names_in(expr.left) + names_in(expr.right)
    return []
