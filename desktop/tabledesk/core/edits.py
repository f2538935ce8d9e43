"""Edit records: what changed, from what to what, why, when and by whom.

Edits are plain data; :meth:`Document.apply` and :meth:`Document.revert` carry them out, so the
undo stack in the window and a replay from the review store do the very same thing.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum


class EditReason(Enum):
    EXTRACTION_ERROR = "extraction_error"  # the default: we misread the source
    SOURCE_INCONSISTENT = "source_inconsistent"  # the published source itself is wrong
    OCR_ERROR = "ocr_error"
    SUGGESTED = "suggested_correction"


@dataclass(frozen=True, slots=True)
class CellChange:
    table_id: str
    row_id: str
    col_id: str
    old: Decimal | None
    new: Decimal | None


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some locked-down Windows accounts
        return ""


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Edit:
    changes: tuple[CellChange, ...]
    reason: EditReason = EditReason.EXTRACTION_ERROR
    time: datetime = field(default_factory=_now)
    user: str = field(default_factory=current_user)
    note: str = ""

    def cells(self) -> list[tuple[str, str, str]]:
        return [(c.table_id, c.row_id, c.col_id) for c in self.changes]
