"""Numbers as printed: parsing cell text into exact decimals that remember their precision."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache


class NumberKind(Enum):
    """The numeric type of a template cell."""

    COUNT = "count"  # non-negative integer (the default)
    INTEGER = "integer"  # signed integer, e.g. the 2019 format's 本年增/减
    AMOUNT = "amount"  # non-negative decimal, rounded as printed
    DECIMAL = "decimal"  # signed decimal

    @property
    def signed(self) -> bool:
        return self in (NumberKind.INTEGER, NumberKind.DECIMAL)

    @property
    def fractional(self) -> bool:
        return self in (NumberKind.AMOUNT, NumberKind.DECIMAL)


# Blank-ish cell text that means zero on these forms.
_BLANK = {"", "-", "—", "–", "/", "／", "无", "－"}
_DASHES = "−－﹣‐‑–—"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
# The most digits a number on these forms can have: counts run to millions and amounts (yuan,
# to the fen) to billions; fifteen digits before the point and six after stay exact as an
# Excel number (a double). Anything longer is a misreading or a damaged file: that cell's
# problem (not a number, shown as printed), never an overflow in an export.
MAX_INTEGER_DIGITS = 15
MAX_FRACTION_DIGITS = 6


def clean_number_text(text: str) -> str:
    """NFKC, unicode minus signs as '-', and whitespace removed — except a space between two
    digits, which means two numbers glued into one cell ("0 0"), not one number: a number
    wrapped in a narrow cell is split by a line break, which is joined here."""
    s = unicodedata.normalize("NFKC", text).strip()
    s = re.sub(r"\s*[\r\n]+\s*", "", s)
    s = re.sub(r"(?<=\d)[ \t]+(?=\d)", "\x00", s)
    s = re.sub(r"\s+", "", s).replace("\x00", " ")
    for d in _DASHES:
        s = s.replace(d, "-")
    return s


def is_blank(text: str) -> bool:
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return s in _BLANK


@lru_cache(maxsize=16384)
def parse_number(text: str) -> Decimal | None:
    """The number a cell prints, or None when it is not a number.

    Thousands separators are accepted only where they group by three ("1,234" but not "1,2").
    Units glued to the number (件, 条, 万元, %) are tolerated because clerks' copies contain them.
    """
    s = clean_number_text(text)
    s = re.sub(r"(件|条|个|项|次|万元|元|人次|人)$", "", s)
    if _GROUPED.match(s):
        s = s.replace(",", "")
    if not _NUMBER.match(s) or _too_long(s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        return None


def _too_long(s: str) -> bool:
    whole, _, fraction = s.lstrip("+-").partition(".")
    return len(whole.lstrip("0")) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS


def within_limits(value: Decimal) -> bool:
    """A finite value with no more digits than a cell of these forms can print (a value from
    elsewhere than :func:`parse_number`: a stored review, a caller outside the core)."""
    if not value.is_finite():
        return False
    exp = value.as_tuple().exponent
    assert isinstance(exp, int)  # finite
    return value.adjusted() < MAX_INTEGER_DIGITS and -exp <= MAX_FRACTION_DIGITS


def half_width(value: Decimal, kind: NumberKind) -> Decimal:
    """Half the last printed unit for decimal kinds (7730.28 ± 0.005, 7545 ± 0.5); 0 for counts."""
    if not kind.fractional:
        return Decimal(0)
    exp = value.as_tuple().exponent
    if not isinstance(exp, int):  # pragma: no cover - NaN/Infinity never parsed
        return Decimal(0)
    return Decimal(5).scaleb(exp - 1)


def _is_whole(value: Decimal) -> bool:
    """Printed without decimals (7545, not 7545.00): the exponent says how it was printed."""
    exp = value.as_tuple().exponent
    return isinstance(exp, int) and exp >= 0 and value == value.to_integral_value()


def format_number(value: Decimal | None) -> str:
    """A value as a clerk would type it: no exponent, no trailing '.0' for integers."""
    if value is None:
        return ""
    if _is_whole(value):
        return str(int(value))
    return format(value, "f")


def plain_number(value: Decimal | int | float | None) -> int | float | None:
    """The one conversion of a value to a plain number, for every export (JSON, Excel, the
    dataset): an int when printed without decimals, else a float — "5" gives 5, "5.00" gives
    5.0 (an amount stays an amount; the Excel number format and the JSON's exact strings keep
    the printed places)."""
    if value is None:
        return None
    if not isinstance(value, Decimal):  # an int or float from a caller outside the core
        value = Decimal(str(value))
    if _is_whole(value):
        return int(value)
    return float(value)


# Labels that say "total" by their first words: level 1 a subtotal, level 2 a total over them.
_TOTAL_WORDS = [
    (1, re.compile(r"^(小计|subtotal|sub-total)", re.IGNORECASE)),
    (2, re.compile(r"^(合计|总计|共计|总合计|累计|total|sum|grand ?total)", re.IGNORECASE)),
]


def total_word_level(label: str) -> int:
    """2 for a label that starts with a total's words (合计, 总计 …), 1 for a subtotal's (小计),
    0 otherwise; width, spaces and brackets around it do not count."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", label or ""))
    text = re.sub(r"^[(（\[【]*|[)）\]】:：]*$", "", text)
    for level, pattern in _TOTAL_WORDS:
        if pattern.match(text):
            return level
    return 0
