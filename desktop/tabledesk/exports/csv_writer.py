"""Every CSV this package writes (one report's cells, the batch dataset) goes through
:func:`csv_bytes`: UTF-8 with a byte-order mark (Excel on Chinese Windows otherwise guesses GBK
and shows mojibake), CRLF line ends, and one guard against formula injection.

Text that begins with = + - @ (or a tab or carriage return) is prefixed with an apostrophe:
Excel evaluates such fields even from a CSV file, and a file name or a title read from a PDF
is data, never a formula. Numbers (``int``, ``float``, ``Decimal``) are written plainly and
never prefixed, so a negative number stays a number.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Iterable, Sequence
from decimal import Decimal

from tabledesk.core.values import format_number

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_text(text: str) -> str:
    """Text as a spreadsheet will show it, never as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_field(value: object) -> str:
    """One field: numbers as numbers, nothing as empty, anything else as guarded text."""
    if value is None or value is Ellipsis:
        return ""
    if isinstance(value, bool):
        return guard_text(str(value))
    if isinstance(value, Decimal):
        return format_number(value) if value.is_finite() else ""
    if isinstance(value, numbers.Integral):  # int, and numpy's from a data frame
        return str(int(value))
    if isinstance(value, numbers.Real):
        f = float(value)
        return repr(f) if math.isfinite(f) else ""
    return guard_text(str(value))


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """The CSV file of ``rows`` (the first one is the header)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([csv_field(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig")
