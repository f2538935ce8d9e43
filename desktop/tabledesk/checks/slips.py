"""How plausibly a printed number is a slip of another: the likelihoods that rank suggested
corrections (``checks/suggest.py``).

A slip is one digit changed, adjacent digits swapped, a digit dropped or doubled, or a stray
digit; look-alike digits are likelier still where OCR read the page. A total may simply not be
the sum of its parts, and a cell printed blank may hold a number. Extraction that was unsure of
a cell (low confidence, text that is not a plain number, an uncertain OCR read) makes a misread
there more likely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tabledesk.checks.compile import CellKey
from tabledesk.checks.engine import Checker
from tabledesk.core.document import Cell, CellStatus
from tabledesk.core.values import clean_number_text, format_number

# Likelihood that a printed number is this particular slip of the true one. A slip is a changed
# digit, a swap or a dropped digit about equally often; within a kind every position (and every
# other digit) is equally likely, so a specific slip of a long number is less likely than one
# of a short number — which is what makes "3 → 8" weaker evidence than "1203 → 1230".
W_DIGIT = W_SWAP = W_DROP = 1 / 3
W_INSERT = 1 / 30  # a stray digit that doubles no neighbour
W_DECIMAL = 1 / 3  # an amount's decimal point one or two places off (1234.56 as 12345.60)
OCR_BOOST = 2.0  # 0/6/8/9, 1/7, 3/8, 5/6 look alike in print
W_SUM = 0.01  # a total that is not the sum of its parts, no digit relation
W_SUM_BLANK = 1.0  # a total printed 0 or blank while its parts are not: never filled in
W_BLANK = 0.2  # a cell printed blank (read as 0) that should hold a number
W_VALUE = 0.001  # no recognisable relation at all
VALUE_PRIOR = 0.5  # counts in these tables are small more often than large: P(n) ∝ (n + 1)^-½
OCR_GROUPS = (frozenset("0689"), frozenset("17"), frozenset("38"), frozenset("56"))
_PLAIN = re.compile(r"-?[0-9]*\.?[0-9]*")


@dataclass(frozen=True, slots=True)
class Change:
    key: CellKey
    old: Decimal | None
    new: Decimal
    kind: str  # how the printed value relates to the new one: a key of KIND_LABELS


KIND_LABELS: dict[str, tuple[str, str]] = {
    "digit": ("一位数字有误", "one digit"),
    "ocr": ("形近数字误认", "look-alike digit"),
    "swap": ("相邻数字颠倒", "swapped digits"),
    "drop": ("漏了一位数字", "dropped digit"),
    "double": ("多了一位重复数字", "doubled digit"),
    "insert": ("多了一位数字", "extra digit"),
    "decimal": ("小数点错位", "misplaced decimal point"),
    "sum": ("各项之和", "sum of the parts"),
    "blank": ("空白处应有数字", "blank read wrongly"),
    "value": ("使校验平衡", "balances the checks"),
}


def slip(printed: str, true: str, ocr: bool = False, amount: bool = False) -> tuple[str, float] | None:
    """How the printed digits could be a slip of the true ones: (kind, likelihood). Look-alike
    digits are a likelier slip, and named so, only where OCR read the number (``ocr``): in a
    text layer a 3 for an 8 is as much a typing slip as any other digit."""
    if printed.startswith("-") != true.startswith("-"):
        return None
    if _decimal_slip(printed, true, amount):
        return "decimal", W_DECIMAL
    p, t = printed.lstrip("-"), true.lstrip("-")
    if "." in p and "." in t and len(p) - p.index(".") == len(t) - t.index("."):
        # the same places: digits swap, drop or change across the point as anywhere (6.51 for 5.61)
        p, t = p.replace(".", ""), t.replace(".", "")
    n, m = len(p), len(t)
    if n == m:
        diff = [i for i in range(n) if p[i] != t[i]]
        if len(diff) == 1:
            i = diff[0]
            base = W_DIGIT / (9 * n)
            if ocr and any({p[i], t[i]} <= g for g in OCR_GROUPS):
                return "ocr", base * OCR_BOOST
            return "digit", base
        if (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and p[diff[0]] == t[diff[1]]
            and p[diff[1]] == t[diff[0]]
        ):
            return "swap", W_SWAP / max(1, n - 1)
        return None
    if n == m - 1 and any(t[:j] + t[j + 1 :] == p for j in range(m)):
        return "drop", W_DROP / m
    if n == m + 1:
        for j in range(n):
            if p[:j] + p[j + 1 :] == t:
                doubled = (j > 0 and p[j - 1] == p[j]) or (j + 1 < n and p[j + 1] == p[j])
                return ("double", W_DROP / n) if doubled else ("insert", W_INSERT / n)
    return None


_SHIFTS = (Decimal(10), Decimal("0.1"), Decimal(100), Decimal("0.01"))


def _decimal_slip(printed: str, true: str, amount: bool = False) -> bool:
    """The printed amount is the true one with its decimal point one or two places off,
    rounded to the places printed (1234.56 printed 12345.60 or 123.46; an amount printed
    whole, 11650 for 1165). A count's extra 0 is a doubled or stray digit, judged as such."""
    if "." not in printed + true and not amount:
        return False
    try:
        pv, tv = Decimal(printed), Decimal(true)
    except ArithmeticError:
        return False
    if pv == 0 or tv == 0:
        return False
    quantum = Decimal(1).scaleb(min(0, _exponent(pv)))
    return any((tv * f).quantize(quantum) == pv for f in _SHIFTS)


def _exponent(value: Decimal) -> int:
    exp = value.as_tuple().exponent
    return exp if isinstance(exp, int) else 0


def amount_variants(value: Decimal) -> set[Decimal]:
    """Every amount, printed with ``value``'s places, that ``value`` could be a single slip of:
    a digit changed, swapped, dropped or added, or the decimal point moved."""
    exp = min(0, _exponent(value))
    quantum = Decimal(1).scaleb(exp)
    digits = abs(value).scaleb(-exp).to_integral_value()
    sign = -1 if value < 0 else 1
    out = {(sign * v).scaleb(exp) for v in variants(digits)}
    out |= {(value / f).quantize(quantum) for f in _SHIFTS}
    return {v for v in out if v != value}


def variants(value: Decimal) -> set[Decimal]:
    """Every integer the printed ``value`` could be a single slip of (for two-cell families)."""
    s = format_number(value)
    if not s.lstrip("-").isdigit():
        return set()
    sign, d = ("-", s[1:]) if s.startswith("-") else ("", s)
    out: set[str] = set()
    for i in range(len(d)):
        out.update(d[:i] + x + d[i + 1 :] for x in "0123456789")
        out.add(d[:i] + d[i + 1 :])
        if i + 1 < len(d):
            out.add(d[:i] + d[i + 1] + d[i] + d[i + 2 :])
    for i in range(len(d) + 1):
        out.update(d[:i] + x + d[i:] for x in "0123456789")
    return {Decimal(sign + x) for x in out if x and not (len(x) > 1 and x[0] == "0")} - {value}


def _uncertainty(cell: Cell) -> float:
    """Extraction that was unsure of itself makes a misread there more likely."""
    prior = 1.0 + 4.0 * max(0.0, 1.0 - cell.confidence)
    if cell.status is CellStatus.NOT_A_NUMBER or (
        cell.raw and not _PLAIN.fullmatch(clean_number_text(cell.raw).replace(",", ""))
    ):
        prior *= 3.0
    if cell.uncertain:
        # OCR was unsure of this very cell: the likeliest place for a misread digit.
        prior *= 2.0 + 8.0 * (1.0 - (cell.ocr_confidence or 0.0))
    return prior


def change_kind(checker: Checker, key: CellKey, old: Decimal | None, new: Decimal) -> tuple[str, float]:
    cell = checker.document.cell(*key)
    options: list[tuple[str, float]] = []
    blank = old is None or (old == 0 and cell.status in (CellStatus.BLANK, CellStatus.MISSING))
    if old is not None:
        s = slip(
            format_number(old),
            format_number(new),
            ocr=cell.ocr_confidence is not None,
            amount=cell.kind.fractional,
        )
        if s is not None:
            options.append(s)
    if checker.definers.get(key):  # a total: it should simply be the sum of its parts
        options.append(("sum", W_SUM_BLANK if blank or old == 0 else W_SUM))
    elif blank:
        options.append(("blank", W_BLANK))
    kind, like = max(options, key=lambda o: o[1], default=("value", W_VALUE))
    like *= _uncertainty(cell)
    if not checker.definers.get(key) and old is not None and new >= 0 and old >= 0:
        like *= float((abs(old) + 1) / (abs(new) + 1)) ** VALUE_PRIOR
    return kind, like
