"""A small recursive-descent parser for balance rules. Never ``eval``.

Grammar::

    rule    := expr OP expr                 OP: = == <= >= < > ≤ ≥
    expr    := ['-'] term (('+' | '-') term)*
    term    := NUMBER '*' atom | atom ['*' NUMBER] | atom
    atom    := NUMBER | NAME | 'sum' '(' items ')' | 'leaves' '(' NAME ')' | '(' expr ')'
    items   := item (',' item)*
    item    := NAME '..' NAME | NAME | 'leaves' '(' NAME ')' | 'children' '(' NAME ')'
    NAME    := letters, digits, '_' and '.', optionally 'row:col' or 'table:row:col'

``leaves(g)`` outside ``sum`` means ``sum(leaves(g))``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from tabledesk.templates.syntax import (
    BinOp,
    Children,
    Comparison,
    Expr,
    Leaves,
    Neg,
    Num,
    Range,
    Ref,
    Scaled,
    Sum,
)


class RuleSyntaxError(ValueError):
    """A rule that does not parse; the message quotes the rule and points at the place."""

    def __init__(self, text: str, pos: int, problem: str) -> None:
        super().__init__(f"{problem} at column {pos + 1} in '{text}'")
        self.text = text
        self.pos = pos
        self.problem = problem


_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_]\w*(?:\.\w+)*(?::[A-Za-z_]\w*(?:\.\w+)*){0,2})"
    r"|(?P<op><=|>=|==|\.\.|≤|≥|[-+*(),=<>]))"
)
_FUNCS = {"sum", "leaves", "children"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                bad = len(text[pos:]) - len(text[pos:].lstrip())
                raise RuleSyntaxError(text, pos + bad, f"unexpected character '{text[pos + bad]}'")
            kind = m.lastgroup or ""
            value = m.group(kind)
            self.tokens.append((kind, value, m.start(kind)))
            pos = m.end()
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "", len(self.text))

    def take(self, value: str | None = None, kind: str | None = None) -> tuple[str, str, int]:
        tok = self.peek()
        if (value is not None and tok[1] != value) or (kind is not None and tok[0] != kind):
            want = f"'{value}'" if value else (kind or "")
            got = f"'{tok[1]}'" if tok[0] != "end" else "the end"
            raise RuleSyntaxError(self.text, tok[2], f"expected {want}, found {got}")
        self.i += 1
        return tok

    def rule(self) -> Comparison:
        lhs = self.expr()
        kind, op, pos = self.peek()
        if op not in ("=", "==", "<=", ">=", "<", ">", "≤", "≥"):
            raise RuleSyntaxError(self.text, pos, "expected a comparison (=, <=, >=, <, >)")
        self.i += 1
        rhs = self.expr()
        if self.peek()[0] != "end":
            raise RuleSyntaxError(self.text, self.peek()[2], f"unexpected '{self.peek()[1]}'")
        op = {"==": "=", "≤": "<=", "≥": ">="}.get(op, op)
        return Comparison(op, lhs, rhs)

    def expr(self) -> Expr:
        if self.peek()[1] == "-":
            self.i += 1
            node: Expr = Neg(self.term())
        else:
            node = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Expr:
        kind, value, pos = self.peek()
        if kind == "num" and self.i + 1 < len(self.tokens) and self.tokens[self.i + 1][1] == "*":
            self.i += 2
            return Scaled(Decimal(value), self.atom())
        node = self.atom()
        if self.peek()[1] == "*":
            self.i += 1
            k, v, p = self.peek()
            if k != "num":
                raise RuleSyntaxError(self.text, p, "rules are linear: multiply only by a number")
            self.i += 1
            return Scaled(Decimal(v), node)
        return node

    def atom(self) -> Expr:
        kind, value, pos = self.peek()
        if kind == "num":
            self.i += 1
            return Num(Decimal(value))
        if value == "(":
            self.i += 1
            node = self.expr()
            self.take(")")
            return node
        if kind == "name":
            if value in _FUNCS and self.i + 1 < len(self.tokens) and self.tokens[self.i + 1][1] == "(":
                self.i += 2
                if value == "sum":
                    items = [self.item()]
                    while self.peek()[1] == ",":
                        self.i += 1
                        items.append(self.item())
                    self.take(")")
                    return Sum(tuple(items))
                group = self.take(kind="name")[1]
                self.take(")")
                return Sum((Leaves(group) if value == "leaves" else Children(group),))
            self.i += 1
            return Ref(value)
        got = f"'{value}'" if kind != "end" else "the end of the rule"
        raise RuleSyntaxError(self.text, pos, f"expected a name, a number or '(', found {got}")

    def item(self) -> Ref | Range | Leaves | Children:
        kind, value, pos = self.peek()
        if (
            value in ("leaves", "children")
            and self.i + 1 < len(self.tokens)
            and self.tokens[self.i + 1][1] == "("
        ):
            self.i += 2
            group = self.take(kind="name")[1]
            self.take(")")
            return Leaves(group) if value == "leaves" else Children(group)
        first = self.take(kind="name")[1]
        if self.peek()[1] == "..":
            self.i += 1
            return Range(first, self.take(kind="name")[1])
        return Ref(first)


def parse_rule(text: str) -> Comparison:
    """Parse one rule into its syntax tree, or raise :class:`RuleSyntaxError`."""
    if not text.strip():
        raise RuleSyntaxError(text, 0, "empty rule")
    return _Parser(text).rule()
