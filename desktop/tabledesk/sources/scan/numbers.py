"""A number read by OCR, interpreted by the type of the column it stands in.

The recogniser cannot tell a comma from a full stop in every font (SimSun's comma and KaiTi's
full stop are a dot and a tick a pixel apart on a 150-dpi scan), nor always see a thin minus.
What it read is therefore taken for what the column allows:

* in a column of counts (integers) a separator cannot be a decimal point: one that groups the
  digits by three is a thousands separator, whatever it looked like; one that does not is a
  mark the clerk must look at;
* in a column of amounts printed with ``decimals`` places, the last separator is the decimal
  point when that many digits follow it; one followed by three digits (``7.730`` or ``7,730``
  where ``7730.00`` is printed) could be either, and is never silently read as a decimal point:
  it is read as a thousands separator and marked uncertain;
* a minus sign is looked for where the column may be negative: when the recogniser gave a minus
  some weight before the first digit without reading one, the sign is in doubt; a minus in a
  column that cannot be negative is a mark in doubt (and the value is read without it).

Every doubt lowers the confidence of the very character in doubt (the first digit for a missing
sign) below :data:`~tabledesk.core.document.UNCERTAIN_BELOW`, so the cell goes to the clerk with
that character marked. A value is never made up: the reading chosen is the likelier one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tabledesk.core.values import NumberKind, parse_number

DOUBT = 0.5  # confidence given to a character whose reading the column's type puts in doubt
# the weight the recogniser may give a minus before the first digit, having read none, before
# the sign is doubted (a clean "12" gives it well under 1 %)
MINUS_DOUBT = 0.05
_SEPARATORS = ",."
_GLUED = re.compile(r"\d[ \t]+\d")


@dataclass(frozen=True, slots=True)
class TypedNumber:
    """``value`` as the column's type reads ``text`` (None: not a number), with the characters'
    confidences (one per character of ``text``, or empty) after the type's doubts."""

    value: Decimal | None
    chars: tuple[float, ...]

    @property
    def confidence(self) -> float:
        return min(self.chars, default=1.0)


def read_number(
    text: str,
    chars: tuple[float, ...],
    kind: NumberKind,
    decimals: int | None = None,
    minus: float = 0.0,
) -> TypedNumber:
    """The value of the OCR'd cell ``text`` in a column of ``kind`` printed with ``decimals``
    places (None: not known). ``chars`` are the recogniser's confidences, one per character of
    ``text`` (empty: not known, then every character counts as sure); ``minus`` the weight it
    gave a minus before the first digit without reading one. Text that is not plain digits,
    separators and a sign (a unit, a percent sign) is read as :func:`parse_number` reads it."""
    conf = list(chars) if len(chars) == len(text) else [1.0] * len(text)
    pos = [i for i, ch in enumerate(text) if not ch.isspace()]
    s = "".join(text[i] for i in pos)
    sign = s[:1] if s[:1] in ("-", "+") else ""
    groups = _split(s[len(sign) :])
    if groups is None or _GLUED.search(text):
        # not a plain number (or two numbers in one cell, "0 0"): as any reader reads it
        return TypedNumber(parse_number(text), tuple(conf) if chars else ())

    seps = [i for i in pos if text[i] in _SEPARATORS]
    doubt: list[int] = []  # positions in text whose reading the type doubts
    point = len(groups)  # index of the first group after the decimal point (none: past the end)
    if not kind.fractional:
        if not _grouped(groups):
            doubt += seps  # "29.38" in a count: a mark the clerk must see
    elif seps:
        tail = len(groups[-1])
        if tail == 3 and decimals != 3 and _grouped(groups):
            # 7,730 or 7.730: thousands separators, or a decimal point with three places where
            # the column prints ``decimals``; never silently the latter
            if decimals != 0:
                doubt.append(seps[-1])
        elif _grouped(groups[:-1]):
            point = len(groups) - 1
            if decimals is not None and tail != decimals:
                doubt.append(seps[-1])  # 7730.2 where 7730.20 is printed: a digit lost?
        else:
            doubt += seps  # no reading makes sense ("1.23.4"): the digits, in doubt
            point = len(groups) - 1
    whole, frac = "".join(groups[:point]), "".join(groups[point:])
    value = Decimal(f"{whole}.{frac}" if frac else whole)

    if sign == "-" and not kind.signed:
        doubt.append(pos[0])  # a count cannot be negative: a speck or a serif read as a dash
    elif sign == "-":
        value = -value
    elif kind.signed and minus >= MINUS_DOUBT:
        doubt.append(pos[len(sign)])  # a minus the recogniser half saw: the sign is in doubt
    for i in doubt:
        conf[i] = min(conf[i], DOUBT)
    return TypedNumber(value, tuple(conf) if chars or doubt else ())


def _split(body: str) -> list[str] | None:
    """The digit groups of ``body`` between separators; None when it is anything else than
    digits and single separators between them."""
    if not body or not body[0].isdigit() or not body[-1].isdigit():
        return None
    groups = [""]
    for ch in body:
        if ch.isdigit() and ch.isascii():
            groups[-1] += ch
        elif ch in _SEPARATORS and groups[-1]:
            groups.append("")
        else:
            return None
    return groups


def _grouped(groups: list[str]) -> bool:
    """Digit groups as thousands separators leave them: 1 to 3 digits, then threes (or one
    group of any length: no separator at all)."""
    if len(groups) == 1:
        return True
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
