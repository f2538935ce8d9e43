"""The batch dataset: one row per input document, one column per template cell.

Each checked document becomes a :class:`DocumentRecord` (small and picklable, so the batch
workers send these back instead of whole documents). :func:`build_dataset` lays the records
out with pandas: first the facts about the document (file, agency, year, format, status, …),
then one column per template cell. A cell column's name is the cell's stable id
``<table>.<row>.<column>`` (``t3.new.natural``): the template keeps ids the same across the
2019 and 2021 formats where the meaning is the same, so one column holds the same quantity for
every report; a cell that exists in one format only is empty for reports in the other.
The human label (``表三/一、本年新收政府信息公开申请数量/申请人情况/自然人``) can be used as
the header instead (``header="zh"`` or ``"en"``), and an Excel file always carries a
``columns`` sheet that maps every id to both labels. ``docs/batch.md`` describes the columns.

pandas is imported inside the functions that need it: batch workers import this module for
the records and should not pay for pandas.
"""

from __future__ import annotations

import io
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tabledesk.core.values import plain_number
from tabledesk.exports.atomic import write_bytes_atomic
from tabledesk.templates.codes import code_of_row, is_keyed_row
from tabledesk.templates.template import GENERIC_TEMPLATE_ID

if TYPE_CHECKING:
    import pandas as pd

    from tabledesk.checks.engine import CheckResult
    from tabledesk.core.document import Document
    from tabledesk.core.source import SourceError
    from tabledesk.templates.template import Template

DEFAULT_TEMPLATE = "gov-disclosure-annual"
HEADERS = ("id", "zh", "en")
KINDS = {".csv": "csv", ".xlsx": "xlsx"}


class DocStatus(Enum):
    """The outcome for one input document."""

    PASSED = "passed"  # every check passed (or within rounding)
    FAILED = "failed"  # an error-severity check failed
    # no error failed, but a warning failed, a check is incomplete, a total was left unfilled,
    # or printed numbers were left unplaced while cells are empty
    WARNINGS = "warnings"
    NO_TEMPLATE = "no_template"  # read, but no table of a known report template in it
    UNREADABLE = "unreadable"  # could not be read at all (see ``reason``)

    @property
    def read(self) -> bool:
        return self not in (DocStatus.NO_TEMPLATE, DocStatus.UNREADABLE)


def status_of(errors: int, warnings: int, incomplete: int, unfilled: int = 0, unplaced: int = 0) -> DocStatus:
    """A read document's status from its counts."""
    if errors:
        return DocStatus.FAILED
    if warnings or incomplete or unfilled or unplaced:
        return DocStatus.WARNINGS
    return DocStatus.PASSED


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """What the dataset needs to know about one input document."""

    file: str
    status: DocStatus
    reason: str = ""  # why it is unreadable / has no template (one line, no path)
    problem: str = ""  # SourceProblem value, for programs
    agency: str = ""
    year: int | None = None
    template_id: str = ""
    format_id: str = ""
    pages: int = 0
    sha256: str = ""
    failed_errors: int = 0
    failed_warnings: int = 0
    incomplete: int = 0
    unfilled: int = 0  # checks whose total was printed blank (see checks/engine.py)
    unplaced: int = 0  # printed numbers left unplaced while template cells are empty
    # the ids of the rules failing / undecided (cells missing), each once, in check order
    failed_rules: tuple[str, ...] = ()
    incomplete_rules: tuple[str, ...] = ()
    accepted: int = 0  # failing checks the clerk accepted as printed (原文如此): not counted above
    # "<table>.<row>.<col>" -> current value (None: missing or not a number); whole numbers
    # printed without decimals are ints: a batch holds thousands of these records, and a
    # small int costs a fraction of a Decimal
    values: dict[str, int | Decimal | None] = field(default_factory=dict)

    @property
    def failed_checks(self) -> int:
        return self.failed_errors + self.failed_warnings

    def with_counts(self, errors: int, warnings: int, incomplete: int) -> DocumentRecord:
        """The record with these check counts and the status they give (a read document)."""
        status = self.status
        if status.read:
            status = status_of(errors, warnings, incomplete, self.unfilled, self.unplaced)
            if status is DocStatus.PASSED and self.reason:  # tables mostly empty: never passed
                status = DocStatus.WARNINGS
        return replace(
            self, status=status, failed_errors=errors, failed_warnings=warnings, incomplete=incomplete
        )

    @classmethod
    def from_review(cls, file: str, document: Document, results: Iterable[CheckResult]) -> DocumentRecord:
        from tabledesk.checks.engine import CheckStatus  # late: keeps the import graph light

        errors = warnings = incomplete = unfilled = accepted = 0
        failed_rules: dict[str, None] = {}
        incomplete_rules: dict[str, None] = {}
        for r in results:
            if r.status is CheckStatus.FAILED and r.informational:
                continue  # information (checks/narrative.py), not a failure
            if r.status is CheckStatus.FAILED and r.uid in document.accepted:
                accepted += 1
                continue  # accepted as printed (原文如此): counted apart
            if r.status is CheckStatus.FAILED:
                failed_rules[r.instance.rule.id] = None
                if r.severity == "error":
                    errors += 1
                else:
                    warnings += 1
            elif r.status is CheckStatus.INCOMPLETE:
                incomplete_rules[r.instance.rule.id] = None
                incomplete += 1
            elif r.status is CheckStatus.UNFILLED:
                unfilled += 1
        unplaced = sum(len(t.unplaced_numbers()) for t in document.tables)
        status = status_of(errors, warnings, incomplete, unfilled, unplaced)
        reason = ""
        if document.template_id == GENERIC_TEMPLATE_ID:
            # read as printed tables: whatever their sums say, not a report of the template
            status, reason = DocStatus.NO_TEMPLATE, "no table of a known report template (read as printed)"
        elif (empty := _mostly_empty(document)) and status is DocStatus.PASSED:
            status, reason = DocStatus.WARNINGS, empty
        s = document.source
        return cls(
            file=file,
            status=status,
            reason=reason,
            problem="no_template" if status is DocStatus.NO_TEMPLATE else "",
            agency=document.agency,
            year=document.year,
            template_id=document.template_id,
            format_id=document.format_id,
            pages=s.pages,
            sha256=s.sha256,
            failed_errors=errors,
            failed_warnings=warnings,
            incomplete=incomplete,
            unfilled=unfilled,
            unplaced=unplaced,
            failed_rules=tuple(failed_rules),
            incomplete_rules=tuple(incomplete_rules),
            accepted=accepted,
            values={f"{t}.{r}.{c}": _compact(v) for (t, r, c), v in document.values().items()},
        )

    def interned(self) -> DocumentRecord:
        """The same record with its keys shared with every other record's (call it where
        records from other processes arrive: it cuts their memory by about four fifths)."""
        return replace(self, values={sys.intern(k): v for k, v in self.values.items()})

    @classmethod
    def from_error(cls, file: str, error: SourceError) -> DocumentRecord:
        from tabledesk.core.source import SourceProblem

        no_template = error.kind is SourceProblem.NO_TEMPLATE
        return cls(
            file=file,
            status=DocStatus.NO_TEMPLATE if no_template else DocStatus.UNREADABLE,
            reason=error.problem,
            problem=error.kind.value,
        )


@dataclass(frozen=True, slots=True)
class Column:
    """One dataset column: its id, its labels and (for cell columns) where it sits."""

    id: str
    zh: str
    en: str
    cell: tuple[str, str, str] | None = None  # (table, row, col) for cell columns
    formats: tuple[str, ...] = ()  # template formats that have this cell
    template: str = ""  # the template of a cell column

    @property
    def key(self) -> str:
        """The cell's key in :attr:`DocumentRecord.values`."""
        return ".".join(self.cell) if self.cell else ""


# The document columns, before the cells: id, zh, en.
META = (
    ("file", "文件", "File"),
    ("status", "状态", "Status"),
    ("reason", "原因", "Reason"),
    ("agency", "机关", "Agency"),
    ("agency_key", "机关（比对用）", "Agency key"),
    ("year", "年度", "Year"),
    ("template", "模板", "Template"),
    ("format", "格式", "Format"),
    ("pages", "页数", "Pages"),
    ("failed_checks", "未通过检查数", "Failed checks"),
    ("incomplete_checks", "未能判断检查数", "Incomplete checks"),
    ("failed_rules", "未通过的规则", "Failed rules"),
    ("incomplete_rules", "未能判断的规则", "Incomplete rules"),
    ("unfilled_checks", "合计未填写检查数", "Checks with a total not filled in"),
    ("unplaced_numbers", "未能放入表格的数字", "Numbers not placed"),
    ("accepted_checks", "原文如此检查数", "Checks accepted as printed"),
)
# The values of the status column under --header zh / en.
STATUS_LABELS = {
    DocStatus.PASSED: ("通过", "passed"),
    DocStatus.FAILED: ("未通过", "failed"),
    DocStatus.WARNINGS: ("有警告或未能判断", "warnings"),
    DocStatus.NO_TEMPLATE: ("无模板", "no template"),
    DocStatus.UNREADABLE: ("无法读取", "unreadable"),
}


def cell_columns(template: Template, prefix: str = "") -> list[Column]:
    """The template's data cells, over all its formats, in template order.

    A row is a data row where it has no sub-rows, or only optional ones (2021's （六）其他处理
    is often printed as one row); a column is a leaf column. A group row printed as a subtotal
    above its sub-rows is not listed here; :func:`build_dataset` adds it when a document has it.
    """
    out: dict[str, Column] = {}
    for spec in template.tables:
        fmts = [f.id for f in template.formats if spec.in_format(f.id)]
        for fmt in fmts:
            rows = spec.rows_for(fmt)
            cols = spec.columns_for(fmt)
            row_kids: dict[str, list[bool]] = {}
            for r in rows:
                if r.parent:
                    row_kids.setdefault(r.parent, []).append(r.optional)
            col_parents = {c.parent for c in cols if c.parent}
            for r in rows:
                if not all(row_kids.get(r.id, [])):
                    continue  # a heading over required sub-rows
                for c in cols:
                    if c.id in col_parents:
                        continue
                    key = f"{prefix}{spec.id}.{r.id}.{c.id}"
                    if key in out:
                        old = out[key]
                        out[key] = Column(old.id, old.zh, old.en, old.cell, (*old.formats, fmt), old.template)
                    else:
                        out[key] = _cell_column(template, spec.id, r.id, c.id, fmt, prefix)
    order = _order(template)
    return sorted(out.values(), key=lambda c: order(c.cell))


def _cell_column(template: Template, table: str, row: str, col: str, fmt: str, prefix: str) -> Column:
    """The column of one cell; labels as the first format that has it prints them (the
    template lists the current format first)."""
    spec = template.table(table)
    rows = {r.id: r for r in spec.rows_for(fmt)}
    cols = {c.id: c for c in spec.columns_for(fmt)}

    def path(by_id: dict[str, Any], ident: str, lang: str) -> list[str]:
        out: list[str] = []
        a = by_id.get(ident)
        while a is not None:
            out.append(a.label if lang == "zh" else (a.en or a.label))
            a = by_id.get(a.parent) if a.parent else None
        return list(reversed(out))

    code = code_of_row(row)
    scheme = template.codes.get(spec.keyed.scheme) if spec.keyed is not None else None
    labels = {}
    for lang in ("zh", "en"):
        name = spec.name.get(lang) or spec.name.get("zh") or spec.id
        row_path = path(rows, row, lang)
        if code is not None:  # a code row: its code, and the name of a code the scheme names
            known = scheme.names.get(code, ()) if scheme is not None else ()
            row_path = [f"{code} {known[0]}" if known else code]
        labels[lang] = "/".join([name, *row_path, *path(cols, col, lang)])
    return Column(
        f"{prefix}{table}.{row}.{col}", labels["zh"], labels["en"], (table, row, col), (fmt,), template.id
    )


def _order(template: Template) -> Any:
    """Sort key of a (table, row, col) in template order (unknown ids last)."""
    tables = {t.id: i for i, t in enumerate(template.tables)}
    rows = {(t.id, r.id): i for t in template.tables for i, r in reversed(list(enumerate(t.rows)))}
    cols = {(t.id, c.id): i for t in template.tables for i, c in reversed(list(enumerate(t.columns)))}
    big = 1 << 30

    def key(cell: tuple[str, str, str] | None) -> tuple[int, int, int]:
        if cell is None:
            return (big, big, big)
        t, r, c = cell
        code = code_of_row(r)  # code rows after the fixed ones, by code: 201, 20101, 2010101, 202 …
        row = rows.get((t, r), big + int(code.ljust(9, "0")) if code else big << 1)
        return (tables.get(t, big), row, cols.get((t, c), big))

    return key


@dataclass(slots=True)
class Dataset:
    frame: pd.DataFrame
    columns: list[Column]  # every column of the frame, in order
    header: str = "id"


def build_dataset(
    records: Sequence[DocumentRecord], templates: Sequence[Template] | None = None, header: str = "id"
) -> Dataset:
    """One row per record (in the order given), columns as the module docstring says.

    Cell columns are those of every template the records use (the built-in report template
    when none do); cells of a second template get its id as a prefix (``my-template:t1.a.b``)
    so that two templates' ids never share a column.
    """
    import pandas as pd

    if header not in HEADERS:
        raise ValueError(f"header must be one of {', '.join(HEADERS)}")
    if templates is None:
        from tabledesk.templates.registry import load_templates

        templates = load_templates()[0]
    by_id = {t.id: t for t in templates}
    used = Counter(r.template_id for r in records if r.template_id in by_id)
    ids = sorted(used, key=lambda t: (t != DEFAULT_TEMPLATE, -used[t], t))
    if not ids and DEFAULT_TEMPLATE in by_id:
        ids = [DEFAULT_TEMPLATE]
    prefixes = {t: ("" if i == 0 else f"{t}:") for i, t in enumerate(ids)}

    cells: list[Column] = []
    for tid in ids:
        base = cell_columns(by_id[tid], prefixes[tid])
        extra = _extra_columns(by_id[tid], prefixes[tid], records, {c.id for c in base})
        order = _order(by_id[tid])
        group = sorted([*base, *extra], key=lambda c: order(c.cell))
        cells.extend(group)

    from tabledesk.checks.across import agency_key

    meta = [Column(i, zh, en) for i, zh, en in META]
    labels = _Labels(header, by_id)
    data: dict[str, Any] = {
        "file": [r.file for r in records],
        "status": [labels.status(r.status) for r in records],
        "reason": [labels.reason(r) for r in records],
        "agency": [r.agency for r in records],
        # the name the cross-year checks match on: NFKC, no spaces or brackets
        "agency_key": [agency_key(r.agency) for r in records],
        "year": pd.array([r.year for r in records], dtype="Int64"),
        "template": [labels.template(r.template_id) for r in records],
        "format": [labels.format(r.template_id, r.format_id) for r in records],
        "pages": pd.array([r.pages if r.status.read else None for r in records], dtype="Int64"),
        "failed_checks": pd.array(
            [r.failed_checks if r.status.read else None for r in records], dtype="Int64"
        ),
        "incomplete_checks": pd.array(
            [r.incomplete if r.status.read else None for r in records], dtype="Int64"
        ),
        # space-separated rule ids (t3.balance across.carried_in …): the same ids as the JSON's
        "failed_rules": [" ".join(r.failed_rules) for r in records],
        "incomplete_rules": [" ".join(r.incomplete_rules) for r in records],
        "unfilled_checks": pd.array([r.unfilled if r.status.read else None for r in records], dtype="Int64"),
        "unplaced_numbers": pd.array([r.unplaced if r.status.read else None for r in records], dtype="Int64"),
        "accepted_checks": pd.array([r.accepted if r.status.read else None for r in records], dtype="Int64"),
    }
    for col in cells:
        key = col.key
        data[col.id] = _number_array(
            [r.values.get(key) if r.template_id == col.template else None for r in records]
        )
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(records)))
    columns = [*meta, *cells]
    if header != "id":
        names = [getattr(c, header) for c in columns]
        frame.columns = _unique(names)
    return Dataset(frame, columns, header)


class _Labels:
    """The values of the document columns: ids (``header="id"``), or labels in the header's
    language, so that a Chinese dataset has no English left in it."""

    def __init__(self, header: str, templates: dict[str, Template]) -> None:
        self.lang = header if header in ("zh", "en") else ""
        self.templates = templates

    def status(self, status: DocStatus) -> str:
        if not self.lang:
            return status.value
        zh, en = STATUS_LABELS[status]
        return zh if self.lang == "zh" else en

    def reason(self, record: DocumentRecord) -> str:
        if self.lang != "zh" or not record.reason:
            return record.reason
        from tabledesk.core.source import SourceProblem
        from tabledesk.exports.common import problem_zh

        try:
            kind: SourceProblem | None = SourceProblem(record.problem)
        except ValueError:
            kind = None
        return problem_zh(record.reason, kind)

    def template(self, template_id: str) -> str:
        t = self.templates.get(template_id)
        if not self.lang or t is None:
            return template_id
        return t.name.get(self.lang) or t.name.get("zh") or template_id

    def format(self, template_id: str, format_id: str) -> str:
        t = self.templates.get(template_id)
        if not self.lang or t is None or not format_id:
            return format_id
        try:
            name = t.format(format_id).name
        except KeyError:
            return format_id
        return name.get(self.lang) or name.get("zh") or format_id


def _extra_columns(
    template: Template, prefix: str, records: Sequence[DocumentRecord], have: set[str]
) -> list[Column]:
    """Cells some document has beyond the usual ones (a subtotal row printed above its parts)."""
    out: dict[str, Column] = {}
    for rec in records:
        if rec.template_id != template.id:
            continue
        for key in rec.values:
            if prefix + key in have or prefix + key in out:
                continue
            cell = _split(template, key, rec.format_id)
            if cell is not None:
                out[prefix + key] = _cell_column(template, *cell, rec.format_id, prefix)
    return list(out.values())


def _split(template: Template, key: str, fmt: str) -> tuple[str, str, str] | None:
    """(table, row, col) of a "<table>.<row>.<col>" key (ids themselves contain dots)."""
    for spec in template.tables:
        if not key.startswith(spec.id + "."):
            continue
        rest = key[len(spec.id) + 1 :]
        for r in spec.rows_for(fmt):
            if rest.startswith(r.id + ".") and any(
                c.id == rest[len(r.id) + 1 :] for c in spec.columns_for(fmt)
            ):
                return spec.id, r.id, rest[len(r.id) + 1 :]
        row, _, col = rest.partition(".")
        if spec.keyed is not None and is_keyed_row(row) and any(c.id == col for c in spec.columns_for(fmt)):
            return spec.id, row, col  # a code row (c2010101): whatever codes documents print
    return None


# More of a template's cells missing than this: a damaged file or a layout read wrongly, never
# a report that passed its checks (its few cells may well balance).
MOSTLY_EMPTY = 0.5


def _mostly_empty(document: Document) -> str:
    """Why the document's tables are mostly empty (one line), or "" when they are not: more
    than half the template's cells, or of one table's, were not found."""
    from tabledesk.core.document import CellStatus

    total = missing = 0
    worst = ""
    for table in document.tables:
        n = gone = 0
        for _row, _col, cell in table.iter_cells():
            n += 1
            gone += cell.status is CellStatus.MISSING
        total, missing = total + n, missing + gone
        if n and gone > MOSTLY_EMPTY * n and not worst:
            name = table.name.get("zh") or table.id
            worst = f"{name}: {gone} of {n} cells were not found (a damaged or unusual file)"
    if not total:
        return "no cell of the template was found"
    if missing > MOSTLY_EMPTY * total:
        return f"{missing} of {total} cells of the template were not found (a damaged or unusual file)"
    return worst


def _compact(v: Decimal | None) -> int | Decimal | None:
    if v is not None and v.as_tuple().exponent == 0:
        return int(v)
    return v


def _number_array(values: list[int | Decimal | None]) -> Any:
    """Whole numbers as nullable integers, anything with a fraction as nullable floats; a
    column holding a number no cell of these forms can have (from a damaged file that did not
    pass through the parser's limits) as text, never an overflow."""
    import pandas as pd

    from tabledesk.core.values import within_limits

    if not all(v is None or within_limits(Decimal(v)) for v in values):
        return pd.array([None if v is None else str(v) for v in values], dtype=object)
    plain = [plain_number(v) for v in values]
    if all(v is None or isinstance(v, int) for v in plain):
        return pd.array(plain, dtype="Int64")
    return pd.array(plain, dtype="Float64")


def _unique(names: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for n in names:
        seen[n] += 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


# ----------------------------------------------------------------------------- writing
def dataset_kind(path: str | Path) -> str:
    """'csv' or 'xlsx' from the file name; ValueError (one line) for anything else."""
    kind = KINDS.get(Path(path).suffix.lower())
    if kind is None:
        raise ValueError(f"{path}: unsupported dataset type '{Path(path).suffix}' (use .csv or .xlsx)")
    return kind


def dataset_bytes(ds: Dataset, kind: str) -> bytes:
    if kind == "csv":
        from tabledesk.exports.csv_writer import csv_bytes

        cells = ds.frame.astype(object)
        cells = cells.where(ds.frame.notna(), None)
        return csv_bytes([list(ds.frame.columns), *cells.itertuples(index=False, name=None)])
    if kind == "xlsx":
        return _xlsx_bytes(ds)
    raise ValueError(f"unsupported dataset type '{kind}'")


def write_dataset(ds: Dataset, path: str | Path) -> None:
    """Write atomically: an interrupted or failed write leaves any previous file as it was."""
    write_bytes_atomic(path, dataset_bytes(ds, dataset_kind(path)))


def _xlsx_bytes(ds: Dataset) -> bytes:
    import pandas as pd
    from openpyxl.utils import get_column_letter

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        ds.frame.to_excel(xw, sheet_name="dataset", index=False)
        ws = xw.sheets["dataset"]
        ws.freeze_panes = "B2"  # the header row and the file column stay in view
        ws.auto_filter.ref = ws.dimensions
        text_cols = [i + 1 for i, c in enumerate(ds.columns) if c.cell is None]
        for j in text_cols:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                # Text read from a PDF is data, never a formula (CSV/formula injection).
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        ws.column_dimensions["A"].width = 40
        for j in range(2, len(ds.columns) + 1):
            ws.column_dimensions[get_column_letter(j)].width = 14
        legend = pd.DataFrame(
            {
                "id": [c.id for c in ds.columns],
                "zh": [c.zh for c in ds.columns],
                "en": [c.en for c in ds.columns],
                "formats": [" ".join(c.formats) for c in ds.columns],
            }
        )
        legend.to_excel(xw, sheet_name="columns", index=False)
        lw = xw.sheets["columns"]
        lw.freeze_panes = "A2"
        for letter, width in zip("ABCD", (36, 70, 70, 12), strict=True):
            lw.column_dimensions[letter].width = width
    return buf.getvalue()
