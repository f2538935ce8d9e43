"""Writing a review to a file the clerk hands on: Excel, JSON or CSV, chosen by extension.

The window's File menu and ``tabledesk export`` both call :func:`write_export`, so they write
the very same files. Every write is atomic (``io/atomic.py``): a failure leaves the previous
file as it was and no temp file behind, and comes back as one :class:`ExportError` line naming
the file and the problem, while the work stays in memory and in the review store.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from tabledesk.core.document import Document
from tabledesk.core.edits import Edit, EditReason
from tabledesk.rules.engine import CheckResult, CheckStatus
from tabledesk.rules.template import Template

# Extension -> (format id, what the file dialog shows).
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    ".xlsx": ("xlsx", "Excel 工作簿 (*.xlsx)"),
    ".json": ("json", "JSON (*.json)"),
    ".csv": ("csv", "CSV UTF-8 (*.csv)"),
}

REASON_LABELS: dict[EditReason, dict[str, str]] = {
    EditReason.EXTRACTION_ERROR: {"zh": "识别错误", "en": "extraction error"},
    EditReason.SOURCE_INCONSISTENT: {"zh": "原文数据有误", "en": "source inconsistent"},
    EditReason.OCR_ERROR: {"zh": "OCR 识别错误", "en": "OCR error"},
    EditReason.SUGGESTED: {"zh": "采纳建议", "en": "suggested correction"},
}

STATUS_LABELS: dict[CheckStatus, str] = {
    CheckStatus.PASSED: "通过",
    CheckStatus.WITHIN_ROUNDING: "通过（四舍五入误差内）",
    CheckStatus.INCOMPLETE: "数据不全",
    CheckStatus.FAILED: "未通过",
}


class ExportError(Exception):
    """An export that could not be written; ``str()`` is one line: ``"<path>: <problem>"``."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


class _HasReview(Protocol):
    document: Document
    template: Template | None

    @property
    def results(self) -> list[CheckResult]: ...


@dataclass(frozen=True, slots=True)
class ExportInput:
    """What every exporter reads: the document, its check results and (optionally) its
    template, which gives the Excel sheets their corner labels."""

    document: Document
    results: list[CheckResult]
    template: Template | None = None


ExportSource = _HasReview | tuple[Document, list[CheckResult]] | ExportInput


def export_input(source: ExportSource) -> ExportInput:
    """A Review, a (document, results) pair or an ExportInput, as an ExportInput."""
    if isinstance(source, ExportInput):
        return source
    if isinstance(source, tuple):
        document, results = source
        return ExportInput(document, list(results), _template_of(document))
    return ExportInput(source.document, list(source.results), source.template)


def _template_of(document: Document) -> Template | None:
    from tabledesk.rules.registry import load_templates

    templates, _ = load_templates()
    return next((t for t in templates if t.id == document.template_id), None)


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
        from tabledesk.io.xlsx_export import workbook_bytes  # openpyxl only when Excel is wanted

        return workbook_bytes(data)
    if fmt == "csv":
        from tabledesk.io.csv_export import csv_bytes

        return csv_bytes(data)
    if fmt == "json":
        import json

        from tabledesk.io.json_export import document_json

        text = json.dumps(document_json(data.document, data.results), ensure_ascii=False, indent=1) + "\n"
        return text.encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}")


def write_export(source: ExportSource, path: str | Path) -> str:
    """Write the export chosen by ``path``'s extension, atomically. Returns the format id.

    Raises ExportError (one line naming the file and the problem): unsupported extension,
    missing or unwritable folder, full disk, file locked by another program.
    """
    from tabledesk.io.atomic import write_bytes_atomic

    fmt = export_format(path)
    payload = render_export(source, fmt)
    try:
        write_bytes_atomic(path, payload)
    except OSError as e:
        raise ExportError(path, f"cannot write: {describe_os_error(e)}") from e
    return fmt


def describe_os_error(e: OSError) -> str:
    """A short, plain description of why a file could not be written."""
    winerror = getattr(e, "winerror", None)
    if winerror in (32, 33):  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        return "the file is open in another program (close it there and try again)"
    if e.errno == errno.ENOSPC or winerror in (39, 112):  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
        return "the disk is full"
    if e.errno == errno.EDQUOT:
        return "the disk quota is exceeded"
    if e.errno == errno.EROFS:
        return "the disk is read-only"
    if isinstance(e, FileNotFoundError):
        return "the folder does not exist"
    if isinstance(e, IsADirectoryError):
        return "that is a folder"
    if isinstance(e, PermissionError):
        return "permission denied, or the file is open in another program"
    return e.strerror or str(e) or type(e).__name__


# ----------------------------------------------------------------------------- shared by exporters
def last_edits(document: Document) -> dict[tuple[str, str, str], Edit]:
    """The latest edit that set each cell (the one whose reason the exports show)."""
    out: dict[tuple[str, str, str], Edit] = {}
    for edit in document.edits:
        for key in edit.cells():
            out[key] = edit
    return out


def results_by_cell(results: list[CheckResult]) -> dict[tuple[str, str, str], list[CheckResult]]:
    out: dict[tuple[str, str, str], list[CheckResult]] = {}
    for r in results:
        for key in r.cells:
            out.setdefault(key, []).append(r)
    return out


def number_out(value: Decimal | None) -> int | float | None:
    """A value as a spreadsheet number: int when integral, else float (exact enough for
    the two decimal places these forms print; the JSON keeps the exact decimals)."""
    if value is None:
        return None
    if not isinstance(value, Decimal):  # an int or float from a caller outside the core
        value = Decimal(str(value))
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def any_text(value: Any) -> str:
    return "" if value is None else str(value)
