"""Decisions on failing checks: "原文如此" — the clerk compared the source and found the source
itself inconsistent, so the numbers are to be exported as printed.

A decision names a check by its uid (table, rule, instance) and keeps an optional note, who and
when. It does not change any value: the check still fails, and every face shows it as accepted
(the checks panel, the export's ``status: "accepted"``, the Excel 校验 sheet, the dataset's and
the queue's counts), apart from the failures still open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from tabledesk.core.edits import current_user

CheckUid = tuple[str, str, str]  # (table id, rule id, instance key)


@dataclass(frozen=True, slots=True)
class Acceptance:
    """A failing check accepted as printed ("原文如此"), with the clerk's note."""

    uid: CheckUid
    note: str = ""
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    user: str = field(default_factory=current_user)


ACCEPTED_LABEL = {"zh": "原文如此", "en": "as printed"}
