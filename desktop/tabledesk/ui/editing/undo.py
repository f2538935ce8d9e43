"""Every user action on the data is a QUndoCommand over a core edit record."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from tabledesk.core.decisions import Acceptance, CheckUid
from tabledesk.core.document import MappingOverrides
from tabledesk.core.edits import Edit
from tabledesk.core.source import ExtractedSource
from tabledesk.core.values import format_number
from tabledesk.review.review import Review


class EditTarget(Protocol):
    """What the undo commands act through (``review_controller.ReviewController``): every
    change goes through it, so the grids and checks hear about it the same way whatever
    caused it — typing, paste, a suggestion, undo or redo."""

    review: Review

    def table_name(self, table_id: str) -> str: ...

    def apply_edit(self, edit: Edit) -> None: ...

    def revert_edit(self, edit: Edit) -> None: ...

    def mapping(self) -> Mapping: ...

    def set_acceptance(self, uid: CheckUid, acceptance: Acceptance | None) -> None: ...

    def apply_mapping(self, template_id: str, format_id: str, overrides: MappingOverrides) -> None: ...

    def apply_source(
        self, source: ExtractedSource | None, mapping: tuple[str, str | None, MappingOverrides] | None
    ) -> None: ...


def describe(controller: EditTarget, edit: Edit) -> str:
    """The Edit menu's name for an edit: "Edit 表三 自然人 / 一、本年新收…: 21 → 22"."""
    if len(edit.changes) == 1:
        ch = edit.changes[0]
        doc = controller.review.document
        table = doc.table(ch.table_id)
        row = table.rows[table.row_index(ch.row_id)].leaf_label
        col = table.columns[table.col_index(ch.col_id)].leaf_label
        old = format_number(ch.old) or "—"
        new = format_number(ch.new) or "—"
        name = controller.table_name(ch.table_id)
        if ch.old == ch.new:
            return QCoreApplication.translate("Undo", "Confirm {table} {row} / {col}: {new}").format(
                table=name, row=row, col=col, new=new
            )
        return QCoreApplication.translate("Undo", "Edit {table} {row} / {col}: {old} → {new}").format(
            table=name, row=row, col=col, old=old, new=new
        )
    return QCoreApplication.translate("Undo", "Edit {n} cells").format(n=len(edit.changes))


class EditCommand(QUndoCommand):
    """Applies a core edit on redo and reverts it on undo, through the controller so that the
    grids and checks hear about it the same way whatever caused it."""

    def __init__(self, controller: EditTarget, edit: Edit, text: str | None = None) -> None:
        super().__init__(text or describe(controller, edit))
        self.controller = controller
        self.edit = edit

    def redo(self) -> None:
        self.controller.apply_edit(self.edit)

    def undo(self) -> None:
        self.controller.revert_edit(self.edit)


class AcceptCommand(QUndoCommand):
    """A decision on a failing check: "原文如此" (accept as printed, with a note), or taking
    it back (``after`` None); undo restores the decision there was before."""

    def __init__(
        self,
        controller: EditTarget,
        after: Acceptance | None,
        before: Acceptance | None,
        text: str,
        uid: CheckUid | None = None,
    ) -> None:
        super().__init__(text)
        self.controller = controller
        self.after = after
        self.before = before
        found = uid or (after.uid if after is not None else before.uid if before is not None else None)
        if found is None:
            raise ValueError("a decision needs the check it is on")
        self.uid: CheckUid = found

    def redo(self) -> None:
        self.controller.set_acceptance(self.uid, self.after)

    def undo(self) -> None:
        self.controller.set_acceptance(self.uid, self.before)


Mapping = tuple[str, str, MappingOverrides]


class RemapCommand(QUndoCommand):
    """A change of template, format or row assignment: the tables are rebuilt from the
    extracted source, corrections carried over, and undo restores the previous mapping."""

    def __init__(self, controller: EditTarget, before: Mapping, after: Mapping, text: str) -> None:
        super().__init__(text)
        self.controller = controller
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.controller.apply_mapping(*self.after)

    def undo(self) -> None:
        self.controller.apply_mapping(*self.before)


class ReadRegionCommand(QUndoCommand):
    """A region of a page read again by OCR: the new reading replaces the old one and is
    mapped again (corrections carried over); undo puts the earlier reading and its mapping
    back. The mapping the first redo arrives at is kept, so redo after undo lands the same."""

    def __init__(
        self,
        controller: EditTarget,
        before: tuple[ExtractedSource | None, Mapping],
        after: tuple[ExtractedSource, tuple[str, str | None, MappingOverrides] | None],
        text: str,
    ) -> None:
        super().__init__(text)
        self.controller = controller
        self.before = before
        self.after = after

    def redo(self) -> None:
        source, mapping = self.after
        self.controller.apply_source(source, mapping)
        if mapping is None or mapping[1] is None:
            self.after = (source, self.controller.mapping())

    def undo(self) -> None:
        self.controller.apply_source(*self.before)
