"""The window's handle on a review: the core Review, its undo stack, and Qt signals.

Core objects stay Qt-free; this adapter turns their plain-Python events into signals the views
connect to, and runs every change through the undo stack.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from tabledesk.checks.engine import CheckResult, CheckStatus
from tabledesk.core.decisions import Acceptance, CheckUid
from tabledesk.core.document import Document, MappingOverrides, ReviewStatus
from tabledesk.core.edits import CellChange, Edit, EditReason
from tabledesk.core.events import CellsChanged, DecisionsChanged, Event, StructureChanged
from tabledesk.core.source import ExtractedSource
from tabledesk.review.review import Review
from tabledesk.templates.keyed import document_spec
from tabledesk.ui.editing.undo import AcceptCommand, EditCommand, RemapCommand


class ReviewController(QObject):
    cells_changed = Signal(str, list)  # table id, [(row id, col id)]
    checks_changed = Signal(list)  # [CheckResult] whose result changed
    structure_changed = Signal()  # tables rebuilt: views reset
    review_status_changed = Signal(str)

    def __init__(self, review: Review, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.review = review
        self.undo_stack = QUndoStack(self)
        self.reason = EditReason.EXTRACTION_ERROR
        self.language = "zh"
        self._unsubscribe = review.document.events.subscribe(self._on_event)

    # -- reading ---------------------------------------------------------------------------
    @property
    def document(self) -> Document:
        return self.review.document

    def table_name(self, table_id: str) -> str:
        table = self.document.table(table_id)
        return table.name.get(self.language) or table.name.get("zh") or table_id

    def results(self) -> list[CheckResult]:
        return self.review.results

    def problems(self) -> list[CheckResult]:
        """Failing checks, then incomplete ones, then totals not filled in, then failures
        accepted as printed."""
        order = {CheckStatus.FAILED: 0, CheckStatus.INCOMPLETE: 1, CheckStatus.UNFILLED: 2}
        found = [r for r in self.review.results if r.status in order]
        tables = [t.id for t in self.document.tables]
        return sorted(
            found,
            key=lambda r: (
                3 if self.is_accepted(r) else order[r.status],
                tables.index(r.instance.table_id),
            ),
        )

    def is_accepted(self, result: CheckResult) -> bool:
        """A failing check the clerk accepted as printed (原文如此)."""
        return result.status is CheckStatus.FAILED and result.uid in self.document.accepted

    def failing_count(self) -> int:
        """Failures still open: red, and not accepted as printed."""
        return sum(1 for r in self.review.results if r.red and not self.is_accepted(r))

    def accepted_count(self) -> int:
        return sum(1 for r in self.review.results if self.is_accepted(r))

    def edited_count(self) -> int:
        return sum(1 for t in self.document.tables for _, _, c in t.iter_cells() if c.edited)

    # -- changing (always through the undo stack) -----------------------------------------
    def set_values(
        self, table_id: str, values: Sequence[tuple[str, str, Decimal | None]], text: str | None = None
    ) -> bool:
        """Push one undoable edit setting these cells; unchanged cells are left out, except
        cells OCR was unsure of: the same number typed again confirms them."""
        changes = []
        for row_id, col_id, new in values:
            cell = self.document.cell(table_id, row_id, col_id)
            old = cell.value
            if old != new or (old is None) != (new is None) or (cell.uncertain and new is not None):
                changes.append(CellChange(table_id, row_id, col_id, old, new))
        if not changes:
            return False
        edit = Edit(tuple(changes), reason=self.reason)
        self.undo_stack.push(EditCommand(self, edit, text))
        return True

    def apply_edit(self, edit: Edit) -> None:
        changed = self.review.apply(edit)
        self.checks_changed.emit(changed)

    def revert_edit(self, edit: Edit) -> None:
        changed = self.review.revert(edit)
        self.checks_changed.emit(changed)

    # -- decisions on checks (always through the undo stack) --------------------------------
    def accept(self, result: CheckResult, note: str, text: str) -> None:
        """Push an undoable "原文如此" on a failing check: export it as printed."""
        before = self.document.accepted.get(result.uid)
        self.undo_stack.push(AcceptCommand(self, Acceptance(result.uid, note.strip()), before, text))

    def reopen(self, result: CheckResult, text: str) -> None:
        """Push an undoable taking back of a "原文如此": the failure is open again."""
        before = self.document.accepted.get(result.uid)
        if before is not None:
            self.undo_stack.push(AcceptCommand(self, None, before, text, uid=result.uid))

    def set_acceptance(self, uid: CheckUid, acceptance: Acceptance | None) -> None:
        if acceptance is None:
            self.document.unaccept(uid)
        else:
            self.document.accept(acceptance)

    def set_reviewed(self, reviewed: bool) -> None:
        self.document.set_review_status(ReviewStatus.REVIEWED if reviewed else ReviewStatus.IN_PROGRESS)

    # -- the mapping ------------------------------------------------------------------------
    def mapping(self) -> tuple[str, str, MappingOverrides]:
        doc = self.document
        return doc.template_id, doc.format_id, doc.overrides.copy()

    def can_remap(self) -> bool:
        return self.review.template is not None and self.document.can_remap()

    def change_mapping(
        self, template_id: str, format_id: str, overrides: MappingOverrides, text: str
    ) -> None:
        """Push an undoable change of template, format or row assignment."""
        self.undo_stack.push(RemapCommand(self, self.mapping(), (template_id, format_id, overrides), text))

    def apply_mapping(self, template_id: str, format_id: str, overrides: MappingOverrides) -> None:
        self.review.remap(template_id, format_id, overrides)
        # Views reset only now that the checks match the new tables.
        self.structure_changed.emit()

    def apply_source(
        self, source: ExtractedSource | None, mapping: tuple[str, str | None, MappingOverrides] | None
    ) -> None:
        """Another reading of the source (a region read again by OCR, or the one before it)."""
        self.review.replace_source(source, mapping)
        self.structure_changed.emit()

    def assignable_rows(self, table_id: str) -> list[tuple[str, str]]:
        """Template rows a printed row can be assigned to: (row id, label path)."""
        template = self.review.template
        if template is None:
            return []
        fmt = self.document.format_id
        rows = document_spec(template, self.document.table(table_id)).rows_for(fmt)
        by_id = {r.id: r for r in rows}
        parents = {r.parent for r in rows if r.parent}
        out = []
        for r in rows:
            kids = [k for k in rows if k.parent == r.id]
            if r.id in parents and not all(k.optional for k in kids):
                continue  # a heading only
            path, p = [r.label], r.parent
            while p is not None and p in by_id:
                path.insert(0, by_id[p].label)
                p = by_id[p].parent
            out.append((r.id, "/".join(path)))
        return out

    def _on_event(self, event: Event) -> None:
        if isinstance(event, CellsChanged):
            self.cells_changed.emit(event.table_id, list(event.cells))
        elif isinstance(event, StructureChanged):
            pass  # apply_mapping signals once the checks are rebuilt
        elif isinstance(event, DecisionsChanged):
            # The grids, the checks panel and the suggestions show a decision as a change of
            # those checks' state.
            results = self.review.checker.results
            self.checks_changed.emit([results[u] for u in event.uids if u in results])
        else:
            self.review_status_changed.emit(getattr(event, "status", ""))

    def close(self) -> None:
        self._unsubscribe()
