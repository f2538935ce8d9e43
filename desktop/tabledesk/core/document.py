"""The document model every part of tabledesk reads and edits.

A :class:`Document` is one source report fitted onto a template: its tables of cells (each with
the value as printed, the current value, raw text, parse status and where it came from), its
narrative sections, the log of edits and the review status. Changes go through
:meth:`Document.apply` / :meth:`Document.revert` so that listeners (the Qt models, the checker,
autosave) hear about every one of them the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from tabledesk.core.decisions import Acceptance, CheckUid
from tabledesk.core.edits import Edit
from tabledesk.core.events import (
    CellsChanged,
    DecisionsChanged,
    EventSource,
    ReviewStatusChanged,
    StructureChanged,
)
from tabledesk.core.provenance import Provenance
from tabledesk.core.values import NumberKind, parse_number, total_word_level

# OCR confidence under which a cell is shown and counted as uncertain. Digits the recogniser
# reads cleanly score 0.97 and more; the misreadings seen on noisy scans score below 0.9.
UNCERTAIN_BELOW = 0.9


class CellStatus(Enum):
    """How the printed cell was read."""

    OK = "ok"
    BLANK = "blank"  # printed blank (or a dash), read as 0
    NOT_A_NUMBER = "not_a_number"  # printed text that is not a number: value unknown
    MISSING = "missing"  # not in the source at all: value unknown
    # a total (or subtotal) printed blank while what it totals is not: not filled in, value
    # unknown; the checks give the value its parts make (mapping/derived.py)
    UNFILLED = "unfilled"


class ReviewStatus(Enum):
    UNREVIEWED = "unreviewed"
    IN_PROGRESS = "in_progress"
    REVIEWED = "reviewed"


@dataclass(slots=True)
class Cell:
    printed: Decimal | None
    value: Decimal | None
    raw: str = ""
    status: CellStatus = CellStatus.MISSING
    prov: Provenance = field(default_factory=Provenance)
    confidence: float = 1.0  # of the row and column match that put the number here
    kind: NumberKind = NumberKind.COUNT
    # Read by OCR: the recogniser's confidence (0..1) in the printed text; None for a text
    # layer. Below UNCERTAIN_BELOW the cell is "uncertain" and must be checked by eye.
    ocr_confidence: float | None = None
    # The clerk looked at an uncertain cell and kept its value (typed the same number again).
    confirmed: bool = False
    # Read by OCR: each character's confidence, one per character of ``raw`` (or empty)
    ocr_chars: tuple[float, ...] = ()

    @property
    def uncertain(self) -> bool:
        """OCR was not sure of this cell's text and nobody has corrected or confirmed it yet."""
        return (
            self.ocr_confidence is not None
            and self.ocr_confidence < UNCERTAIN_BELOW
            and not self.edited
            and not self.confirmed
        )

    @property
    def unsure_chars(self) -> list[int]:
        """Positions in ``raw`` of the characters OCR was unsure of, while the cell is
        uncertain (the very digits the clerk must look at)."""
        if not self.uncertain or len(self.ocr_chars) != len(self.raw):
            return []
        return [i for i, p in enumerate(self.ocr_chars) if p < UNCERTAIN_BELOW and not self.raw[i].isspace()]

    @staticmethod
    def missing(kind: NumberKind = NumberKind.COUNT) -> Cell:
        return Cell(printed=None, value=None, kind=kind)

    @property
    def edited(self) -> bool:
        return self.value != self.printed


@dataclass(slots=True)
class Axis:
    """A row or column of a table as the document has it.

    ``path`` is the label hierarchy as printed on the form (group labels first); ``label`` is the
    path joined with "/". ``printed`` says whether the source printed it; ``source_label`` is the
    label as the source printed it (for the clerk to compare), ``confidence`` the match score.
    """

    id: str
    path: tuple[str, ...]
    en: str = ""
    printed: bool = True
    source_label: str = ""
    confidence: float = 1.0
    printed_index: int | None = None  # which printed row of the table (for reassigning it)

    @property
    def label(self) -> str:
        return "/".join(self.path)

    @property
    def leaf_label(self) -> str:
        return self.path[-1] if self.path else self.id


@dataclass(slots=True)
class UnmatchedRow:
    """A printed row the mapping could not place in the template (kept, never dropped)."""

    text: str
    values: list[str]
    prov: Provenance = field(default_factory=Provenance)
    printed_index: int | None = None


@dataclass(slots=True)
class MappingOverrides:
    """How the clerk corrected the mapping, per table id: ``rows`` printed row index ->
    template row id (None: matches no row); ``cols`` the template column the extraction put a
    printed column under -> the column it really is (None: none of the template's)."""

    rows: dict[str, dict[int, str | None]] = field(default_factory=dict)
    cols: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def copy(self) -> MappingOverrides:
        return MappingOverrides(
            {k: dict(v) for k, v in self.rows.items()}, {k: dict(v) for k, v in self.cols.items()}
        )


@dataclass(slots=True)
class Table:
    id: str
    title: str
    name: dict[str, str]  # short display name by language, e.g. {"zh": "表三", "en": "Table 3"}
    rows: list[Axis]
    columns: list[Axis]
    cells: list[list[Cell]]
    unmatched: list[UnmatchedRow] = field(default_factory=list)
    found: bool = True  # False when the source has no such table (all cells missing)
    # Row groups of the template as resolved for this document: group id -> child ids (rows
    # and columns), used by rules that sum "the leaves of a group".
    row_children: dict[str, list[str]] = field(default_factory=dict)
    col_children: dict[str, list[str]] = field(default_factory=dict)
    unit: str = ""  # the unit its amounts are printed in ("万元"), as its note or template says
    # The source's note that the table is empty on purpose ("本表为空表"): its cells are 0
    # as printed, not missing.
    empty_note: str = ""
    _row_index: dict[str, int] = field(default_factory=dict, repr=False)
    _col_index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self._row_index = {r.id: i for i, r in enumerate(self.rows)}
        self._col_index = {c.id: i for i, c in enumerate(self.columns)}

    def row_index(self, row_id: str) -> int:
        return self._row_index[row_id]

    def col_index(self, col_id: str) -> int:
        return self._col_index[col_id]

    def has_cell(self, row_id: str, col_id: str) -> bool:
        return row_id in self._row_index and col_id in self._col_index

    def has_row(self, row_id: str) -> bool:
        return row_id in self._row_index

    def cell(self, row_id: str, col_id: str) -> Cell:
        return self.cells[self._row_index[row_id]][self._col_index[col_id]]

    def iter_cells(self) -> Iterator[tuple[Axis, Axis, Cell]]:
        for r, row in enumerate(self.rows):
            for c, col in enumerate(self.columns):
                yield row, col, self.cells[r][c]

    def empty_cells(self) -> int:
        """Cells that hold no printed number: blank (read as 0), missing or unfilled, and not
        corrected since."""
        empty = (CellStatus.BLANK, CellStatus.MISSING, CellStatus.UNFILLED)
        return sum(1 for _, _, c in self.iter_cells() if c.status in empty and not c.edited)

    def unplaced_numbers(self) -> list[str]:
        """Numbers printed in rows the mapping could not place while some of the table's
        cells hold nothing: they may well be those cells' numbers, so neither the blanks (0)
        nor the checks that pass on them can be trusted. Empty when nothing is in doubt."""
        if not self.found or not self.empty_cells():
            return []
        out: list[str] = []
        for u in self.unmatched:
            if total_word_level(u.text):
                continue  # a printed 合计 row the form has no row for: its numbers are derived
            for text in u.values:  # labels ("2.重复申请") are not numbers
                v = parse_number(text)
                if v is not None and v != 0:
                    out.append(text.strip())
        return out


@dataclass(slots=True)
class SourceInfo:
    path: str
    kind: str  # "pdf" | "text" | "html"
    sha256: str
    pages: int


@dataclass(slots=True)
class Section:
    """A narrative section of the report (一、总体情况 …) with where its heading is."""

    title: str
    text: str
    prov: Provenance = field(default_factory=Provenance)


class Document:
    """One source report fitted onto a template, with its edits and review status."""

    def __init__(
        self,
        source: SourceInfo,
        template_id: str,
        format_id: str,
        tables: list[Table],
        *,
        agency: str = "",
        year: int | None = None,
        sections: list[Section] | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self.source = source
        self.template_id = template_id
        self.format_id = format_id
        self.tables = tables
        self.agency = agency
        self.year = year
        self.sections = sections or []
        self.warnings = warnings or []
        self.edits: list[Edit] = []
        # Failing checks the clerk accepted as printed ("原文如此"), by check uid. Kept across
        # a change of mapping: a check of the same rule and instance is the same check.
        self.accepted: dict[CheckUid, Acceptance] = {}
        self.review_status = ReviewStatus.UNREVIEWED
        self.overrides = MappingOverrides()
        # The extracted source, kept in memory so the mapping can be redone (another template
        # or format, a reassigned row) without reading the file again. Not saved.
        self.extracted: object | None = None
        self.events = EventSource()
        self._tables = {t.id: t for t in tables}

    # -- lookup -------------------------------------------------------------------------
    def table(self, table_id: str) -> Table:
        return self._tables[table_id]

    def has_table(self, table_id: str) -> bool:
        return table_id in self._tables

    def table_or_none(self, table_id: str) -> Table | None:
        return self._tables.get(table_id)

    def cell(self, table_id: str, row_id: str, col_id: str) -> Cell:
        return self._tables[table_id].cell(row_id, col_id)

    def has_cell(self, table_id: str, row_id: str, col_id: str) -> bool:
        table = self._tables.get(table_id)
        return table is not None and table.has_cell(row_id, col_id)

    # -- edits ---------------------------------------------------------------------------
    def apply(self, edit: Edit) -> None:
        """Set the new values of an edit and log it."""
        self._set(edit, new=True)
        self.edits.append(edit)

    def revert(self, edit: Edit) -> None:
        """Undo an edit: restore its old values and drop it from the log."""
        self._set(edit, new=False)
        for i in range(len(self.edits) - 1, -1, -1):
            if self.edits[i] is edit:
                del self.edits[i]
                break

    def _set(self, edit: Edit, *, new: bool) -> None:
        touched: dict[str, list[tuple[str, str]]] = {}
        for ch in edit.changes:
            if not self.has_cell(ch.table_id, ch.row_id, ch.col_id):
                continue  # the row went away with a change of mapping; the edit stays logged
            cell = self.cell(ch.table_id, ch.row_id, ch.col_id)
            cell.value = ch.new if new else ch.old
            if ch.old == ch.new:  # a change to the same value confirms what was read
                cell.confirmed = new
            touched.setdefault(ch.table_id, []).append((ch.row_id, ch.col_id))
        if self.review_status is ReviewStatus.UNREVIEWED:
            self.set_review_status(ReviewStatus.IN_PROGRESS)
        for table_id, cells in touched.items():
            self.events.emit(CellsChanged(table_id, tuple(cells)))

    # -- decisions on checks ---------------------------------------------------------------
    def accept(self, acceptance: Acceptance) -> None:
        """Accept a failing check as printed (replacing an earlier decision on it)."""
        self.accepted[acceptance.uid] = acceptance
        self.events.emit(DecisionsChanged((acceptance.uid,)))

    def unaccept(self, uid: CheckUid) -> Acceptance | None:
        """Take a decision back; returns it (None when there was none)."""
        found = self.accepted.pop(uid, None)
        if found is not None:
            self.events.emit(DecisionsChanged((uid,)))
        return found

    def set_review_status(self, status: ReviewStatus) -> None:
        if status is not self.review_status:
            self.review_status = status
            self.events.emit(ReviewStatusChanged(status.value))

    def replace_tables(self, tables: list[Table], template_id: str, format_id: str) -> None:
        """Swap in a re-mapped set of tables (another template or format, a reassigned row);
        the corrections made so far are carried over to the cells that still exist, and so
        are the clerk's confirmations of uncertain readings (a cell confirmed at a value keeps
        its confirmation where the new reading gives it the same value)."""
        confirmed = {
            (t.id, row.id, col.id): cell.value
            for t in self.tables
            for row, col, cell in t.iter_cells()
            if cell.confirmed
        }
        self.tables = tables
        self._tables = {t.id: t for t in tables}
        self.template_id = template_id
        self.format_id = format_id
        for edit in self.edits:
            for ch in edit.changes:
                if self.has_cell(ch.table_id, ch.row_id, ch.col_id):
                    cell = self.cell(ch.table_id, ch.row_id, ch.col_id)
                    cell.value = ch.new
                    if ch.old == ch.new:  # the edit confirmed what was read
                        cell.confirmed = True
        for (table_id, row_id, col_id), value in confirmed.items():
            if self.has_cell(table_id, row_id, col_id):
                cell = self.cell(table_id, row_id, col_id)
                if cell.value == value:
                    cell.confirmed = True
        self.events.emit(StructureChanged())

    def can_remap(self) -> bool:
        """Whether the mapping can be redone: the extracted source is at hand, or nothing was
        extracted at all (a grid typed in by hand). A review restored from a file keeps its
        values but not the extraction, so its mapping stays as it was."""
        if self.extracted is not None:
            return True
        return all(c.printed is None for t in self.tables for _, _, c in t.iter_cells())

    def values(self) -> dict[tuple[str, str, str], Decimal | None]:
        """Every cell's current value, keyed by (table, row, column)."""
        return {(t.id, row.id, col.id): cell.value for t in self.tables for row, col, cell in t.iter_cells()}
