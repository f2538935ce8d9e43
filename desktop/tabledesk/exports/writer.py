"""Writing a review to a file the clerk hands on: Excel, JSON or CSV, chosen by extension.

The window's File menu and ``tabledesk export`` both call :func:`write_export`, so they write
the very same files. Every write is atomic (``exports/atomic.py``): a failure leaves the previous
file as it was and no temp file behind, and comes back as one :class:`ExportError` line naming
the file and the problem, while the work stays in memory and in the review store.
"""

from __future__ import annotations

from pathlib import Path

from tabledesk.exports.common import ExportError, ExportSource, describe_os_error, export_input

# Extension -> (format id, what the file dialog shows).
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    ".xlsx": ("xlsx", "Excel 工作簿 (*.xlsx)"),
    ".json": ("json", "JSON (*.json)"),
    ".csv": ("csv", "CSV UTF-8 (*.csv)"),
}


def export_format(path: str | Path) -> str:
    """'xlsx', 'json' or 'csv' from the file's extension; ExportError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXPORT_FORMATS:
        known = ", ".join(EXPORT_FORMATS)
        raise ExportError(path, f"unsupported export type '{suffix or '(none)'}' (use {known})")
    return EXPORT_FORMATS[suffix][0]


def render_export(source: ExportSource, fmt: str) -> bytes:
    """The bytes of the export in format ``fmt`` (no file touched)."""
    data = export_input(source)
    if fmt == "xlsx":
        from tabledesk.exports.xlsx_export import workbook_bytes  # openpyxl only when Excel is wanted

        return workbook_bytes(data)
    if fmt == "csv":
        from tabledesk.exports.csv_export import csv_bytes

        return csv_bytes(data)
    if fmt == "json":
        from tabledesk.exports.json_export import document_json, json_bytes

        return json_bytes(document_json(data.document, data.results))
    raise ValueError(f"unknown export format {fmt!r}")


def write_export(source: ExportSource, path: str | Path) -> str:
    """Write the export chosen by ``path``'s extension, atomically. Returns the format id.

    Raises ExportError (one line naming the file and the problem): unsupported extension,
    ``path`` is the review's source, missing or unwritable folder, full disk, file locked by
    another program.
    """
    from tabledesk.exports.atomic import write_bytes_atomic
    from tabledesk.exports.targets import Inputs, overwrite_problem

    fmt = export_format(path)
    source_path = export_input(source).document.source.path
    if source_path and (hit := Inputs([source_path]).clash(path)) is not None:
        raise ExportError(path, overwrite_problem(path, hit))
    payload = render_export(source, fmt)
    try:
        write_bytes_atomic(path, payload)
    except OSError as e:
        raise ExportError(path, f"cannot write: {describe_os_error(e)}") from e
    return fmt
