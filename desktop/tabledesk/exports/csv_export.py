"""The CSV export: one line per cell (long format), for pandas, R and spreadsheets.

Columns: document, agency, year, table, row, column, value (corrected), printed, status,
reason, note, check, table_id, row_id, col_id (agency and year repeated on every line, so that
the files of many reports concatenate into one long table).

UTF-8 with a byte-order mark so that Excel on Chinese Windows opens it as UTF-8 (without the
mark it guesses GBK and shows mojibake); CRLF line ends.

Text that begins with = + - @ (or tab / carriage return) is prefixed with an apostrophe, the
usual guard against CSV formula injection: Excel evaluates such fields even from a CSV file.
Numbers are written as plain numbers and are never prefixed.
"""

from __future__ import annotations

import csv
import io

from tabledesk.checks.engine import CheckStatus
from tabledesk.core.values import format_number
from tabledesk.exports.common import ExportInput, document_name, last_edits, results_by_cell

COLUMNS = (
    "document",
    "agency",
    "year",
    "table",
    "row",
    "column",
    "value",
    "printed",
    "status",
    "reason",
    "note",
    "check",
    "table_id",
    "row_id",
    "col_id",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Worst first: a cell's "check" is the worst status of the rules reading it.
_SEVERITY = [
    CheckStatus.FAILED,
    CheckStatus.INCOMPLETE,
    CheckStatus.UNFILLED,
    CheckStatus.WITHIN_ROUNDING,
    CheckStatus.PASSED,
]


def guard_text(text: str) -> str:
    """Text as a spreadsheet will show it, never as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_rows(data: ExportInput) -> list[list[str]]:
    doc = data.document
    name = guard_text(document_name(data))
    agency = guard_text(doc.agency)
    year = str(doc.year) if doc.year else ""
    edits = last_edits(doc)
    by_cell = results_by_cell(data.results)
    rows: list[list[str]] = []
    for table in doc.tables:
        table_name = guard_text(table.name.get("zh") or table.id)
        for row, col, cell in table.iter_cells():
            key = (table.id, row.id, col.id)
            edit = edits.get(key) if cell.edited else None
            statuses = {r.status for r in by_cell.get(key, [])}
            check = next((s.value for s in _SEVERITY if s in statuses), "")
            rows.append(
                [
                    name,
                    agency,
                    year,
                    table_name,
                    guard_text(row.label),
                    guard_text(col.label),
                    format_number(cell.value),
                    format_number(cell.printed),
                    cell.status.value,
                    edit.reason.value if edit else "",
                    guard_text(edit.note) if edit else "",
                    check,
                    table.id,
                    row.id,
                    col.id,
                ]
            )
    return rows


def csv_bytes(data: ExportInput) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(csv_rows(data))
    return buf.getvalue().encode("utf-8-sig")
