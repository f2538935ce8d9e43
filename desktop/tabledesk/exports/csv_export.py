"""The CSV export: one line per cell (long format), for pandas, R and spreadsheets.

Columns: document, agency, year, table, row, column, value (corrected), printed, status,
reason, note, check, table_id, row_id, col_id (agency and year repeated on every line, so that
the files of many reports concatenate into one long table).

UTF-8 with a byte-order mark so that Excel on Chinese Windows opens it as UTF-8 (without the
mark it guesses GBK and shows mojibake); CRLF line ends.

Text is guarded against formula injection and numbers are written plainly by the one CSV
writer, ``exports/csv_writer.py``. A cell whose printed text is not a number (a misreading, a
number longer than any on these forms) has that text in "printed".
"""

from __future__ import annotations

from decimal import Decimal

from tabledesk.checks.engine import CheckStatus
from tabledesk.core.document import CellStatus
from tabledesk.exports.common import ExportInput, document_name, last_edits, results_by_cell
from tabledesk.exports.csv_writer import csv_bytes as write_rows

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
# Worst first: a cell's "check" is the worst status of the rules reading it.
_SEVERITY = [
    CheckStatus.FAILED,
    CheckStatus.INCOMPLETE,
    CheckStatus.UNFILLED,
    CheckStatus.WITHIN_ROUNDING,
    CheckStatus.PASSED,
]


def csv_rows(data: ExportInput) -> list[list[str | Decimal | None]]:
    """The lines (without the header): texts as read, numbers as Decimals (the writer guards
    the one and formats the other)."""
    doc = data.document
    name = document_name(data)
    agency = doc.agency
    year = str(doc.year) if doc.year else ""
    edits = last_edits(doc)
    by_cell = results_by_cell(data.results)
    rows: list[list[str | Decimal | None]] = []
    for table in doc.tables:
        table_name = table.name.get("zh") or table.id
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
                    row.label,
                    col.label,
                    cell.value,
                    cell.raw if cell.status is CellStatus.NOT_A_NUMBER else cell.printed,
                    cell.status.value,
                    edit.reason.value if edit else "",
                    edit.note if edit else "",
                    check,
                    table.id,
                    row.id,
                    col.id,
                ]
            )
    return rows


def csv_bytes(data: ExportInput) -> bytes:
    return write_rows([COLUMNS, *csv_rows(data)])
