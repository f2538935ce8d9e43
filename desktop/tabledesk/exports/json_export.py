"""The export JSON (schema ``tabledesk-export/2``): the contract the window, the exports, the
batch tools and the suggestions all read. ``resources/export.schema.json`` is its schema and
``docs/export-json.md`` explains it (and what changed from ``/1``, which ``store/codec.py``
still reads back)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tabledesk.checks.engine import CheckResult, CheckStatus
from tabledesk.checks.messages import render_message, render_unplaced, side_json
from tabledesk.checks.narrative import is_narrative
from tabledesk.checks.suggest import Analysis, Suggestion, Unexplained, analyse
from tabledesk.core.decisions import Acceptance, CheckUid
from tabledesk.core.document import Cell, CellStatus, Document, Table
from tabledesk.core.values import plain_number
from tabledesk.exports.atomic import write_bytes_atomic

SCHEMA = "tabledesk-export/2"
# Worst first: a cell's "check" in the long form is the worst status of the rules reading it.
# A failure the clerk accepted as printed is decided: after every open problem, before a pass.
_WORST = ("failed", "unfilled", "incomplete", "accepted", "within_rounding", "passed")


def _cell_json(cell: Cell) -> dict[str, Any]:
    # An OCR reading nobody has checked yet says so in its status: it is the number to look at.
    status = (
        "uncertain" if cell.uncertain and cell.status is not CellStatus.NOT_A_NUMBER else cell.status.value
    )
    out: dict[str, Any] = {"text": cell.raw, "status": status}
    out.update(cell.prov.to_json())
    if cell.status is not CellStatus.MISSING:
        out["confidence"] = cell.confidence
    if cell.ocr_confidence is not None:
        out["ocr_confidence"] = round(cell.ocr_confidence, 3)
    if unsure := cell.unsure_chars:
        out["ocr_unsure_chars"] = unsure  # positions in "text" of the characters to look at
    return out


def unplaced_json(table: Table) -> dict[str, Any] | None:
    """Numbers the mapping left unplaced while cells of the table are empty (else None)."""
    numbers = table.unplaced_numbers()
    if not numbers:
        return None
    empty = table.empty_cells()
    return {
        "numbers": numbers,
        "empty_cells": empty,
        "message": {lang: render_unplaced(table.name, numbers, empty, lang) for lang in ("zh", "en")},
    }


def long_cells_json(
    table: Table, results: list[CheckResult], accepted: Mapping[CheckUid, Acceptance] | None = None
) -> list[dict[str, Any]]:
    """The table's cells in long form, one flat object each, so that
    ``pandas.json_normalize(data["tables"], "cells_long")`` is a data frame as it stands. A
    cell's "check" is the worst status of the rules reading it, a failing check the clerk
    accepted as printed (``accepted``) counting as "accepted", as in "checks"."""
    accepted = accepted or {}
    statuses: dict[tuple[str, str], set[str]] = {}
    for r in results:
        status = r.status.value
        if r.status is CheckStatus.FAILED and r.uid in accepted:
            status = "accepted"
        for t, row_id, col_id in r.cells:
            if t == table.id:
                statuses.setdefault((row_id, col_id), set()).add(status)
    out = []
    for row, col, cell in table.iter_cells():
        seen = statuses.get((row.id, col.id), set())
        prov = cell.prov
        out.append(
            {
                "table": table.id,
                "row": row.id,
                "col": col.id,
                "row_label": row.label,
                "col_label": col.label,
                "value": plain_number(cell.value),
                "printed": plain_number(cell.printed),
                "status": _cell_json(cell)["status"],
                "edited": cell.edited,
                "check": next((s for s in _WORST if s in seen), None),
                "page": prov.page,
                "line": prov.line,
            }
        )
    return out


def check_json(result: CheckResult, table: Table, accepted: Acceptance | None = None) -> dict[str, Any]:
    """One check; a failing one the clerk accepted as printed has status "accepted" and the
    decision (note, user, time) under "accepted"."""
    inst = result.instance
    out = _check_json(result, table, accepted)
    if result.unfilled:
        out["unfilled"] = [{"row": r, "col": c} for _, r, c in result.unfilled]
    fill = result.fill_in
    if fill is not None and inst.defines is not None:
        _, r, c = inst.defines
        out["fill_in"] = {"row": r, "col": c, "value": plain_number(fill)}
    return out


def _check_json(result: CheckResult, table: Table, accepted: Acceptance | None) -> dict[str, Any]:
    inst = result.instance
    accept = accepted is not None and result.status is CheckStatus.FAILED
    out: dict[str, Any] = {
        "rule": inst.rule.id,
        "instance": inst.key,
        "status": "accepted" if accept else result.status.value,
        "passed": result.status.passed,
        "severity": inst.rule.severity,
        # a rule across tables names cells of other tables: those say which
        "cells": [
            {"row": r, "col": c} if t == inst.table_id else {"table": t, "row": r, "col": c}
            for t, r, c in inst.cells()
        ],
        "lhs": side_json(result, True),
        "rhs": side_json(result, False),
        "difference": plain_number(result.difference),
        "message": {
            "zh": render_message(result, "zh", table.name),
            "en": render_message(result, "en", table.name),
        },
    }
    if accept and accepted is not None:
        out["accepted"] = {"note": accepted.note, "user": accepted.user, "time": accepted.time.isoformat()}
    return out


def suggestion_json(s: Suggestion, document: Document) -> dict[str, Any]:
    return {
        "group": s.group,
        "changes": [
            {
                "row": c.key[1],
                "col": c.key[2],
                "from": plain_number(c.old),
                "value": plain_number(c.new),
                "kind": c.kind,
            }
            for c in s.changes
        ],
        "kind": s.kind,
        "rank": s.rank,
        "confidence": s.confidence,
        "score": s.score,
        "message": {"zh": s.message(document, "zh"), "en": s.message(document, "en")},
    }


def unexplained_json(u: Unexplained) -> dict[str, Any]:
    return {
        "group": u.group,
        "cells": [{"row": r, "col": c} for _, r, c in u.cells],
        "instances": [key for _, _, key in u.rules],
        "message": {"zh": u.message("zh"), "en": u.message("en")},
    }


def suggestions_json(document: Document, analysis: Analysis) -> dict[str, list[dict[str, Any]]]:
    """Table id -> its suggestions: group by group (the most likely group first), each group's
    most likely first ("rank" 0, then its alternatives), each with its "confidence"."""
    out: dict[str, list[dict[str, Any]]] = {}
    for best in analysis.best():
        for s in analysis.group(best):
            out.setdefault(s.table_id, []).append(suggestion_json(s, document))
    return out


def table_json(
    table: Table,
    results: list[CheckResult],
    accepted: dict[tuple[str, str, str], Acceptance],
    suggestions: list[dict[str, Any]] | None = None,
    unexplained: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "id": table.id,
        "title": table.title,
        "name": table.name,
        "found": table.found,
        "unit": table.unit,
        "empty_note": table.empty_note,
        "rows": [
            {"id": r.id, "label": r.label, "path": list(r.path), "printed": r.printed} for r in table.rows
        ],
        "columns": [{"id": c.id, "label": c.label, "path": list(c.path)} for c in table.columns],
        "values": [[plain_number(c.value) for c in row] for row in table.cells],
        "printed": [[plain_number(c.printed) for c in row] for row in table.cells],
        "cells": [[_cell_json(c) for c in row] for row in table.cells],
        "cells_long": long_cells_json(table, results, accepted),
        "unmatched": [{"text": u.text, "values": u.values, **u.prov.to_json()} for u in table.unmatched],
        # printed numbers left out while cells are empty: the blanks cannot be trusted as 0
        "unplaced": unplaced_json(table),
        # the tables' own rules; what the prose states is in the top-level "narrative" list
        "checks": [
            check_json(r, table, accepted.get(r.uid))
            for r in results
            if r.instance.table_id == table.id and not is_narrative(r)
        ],
        "uncertain": sum(1 for row in table.cells for c in row if c.uncertain),
        "suggestions": suggestions or [],
        # failing groups no change of one or two cells explains (said so rather than guessed)
        "unexplained": unexplained or [],
    }


def _export_order(tables: list[Table]) -> list[Table]:
    """Template order, except that among tables sharing a title prefix (表二's blocks) the
    one-row blocks come last: a reader that must find a one-row table by column label alone
    (表四's single row has no label) then meets the block that really has the row first."""

    def key(item: tuple[int, Table]) -> tuple[str, int, int]:
        i, t = item
        group = t.title.split("/")[0] if "/" in t.title else f"#{i}"
        first = min(
            j for j, u in enumerate(tables) if (u.title.split("/")[0] if "/" in u.title else f"#{j}") == group
        )
        return (f"{first:04d}", len(t.rows) == 1 and "/" in t.title, i)

    return [t for _, t in sorted(enumerate(tables), key=key)]


def _narrative_json(result: CheckResult, document: Document) -> dict[str, Any]:
    """A number the prose states beside the cells it speaks of: warnings, kept apart from the
    tables' checks, since the prose often speaks of a narrower scope than the form."""
    out = check_json(result, document.table(result.instance.table_id), document.accepted.get(result.uid))
    out["table"] = result.instance.table_id
    inst = result.instance
    out["sentence"] = getattr(inst, "sentence", "")
    out["stated"] = plain_number(getattr(inst, "stated", None))
    provs = getattr(inst, "provs", ()) or ()
    out["places"] = [p.to_json() for p in provs]
    return out


def document_json(
    document: Document,
    results: list[CheckResult],
    suggestions: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """The export JSON; without ``suggestions`` they are worked out from the failing checks."""
    unexplained: dict[str, list[dict[str, Any]]] = {}
    if suggestions is None:
        analysis = analyse((document, results))
        suggestions = suggestions_json(document, analysis)
        for u in analysis.unexplained:
            unexplained.setdefault(u.table_id, []).append(unexplained_json(u))
    s = document.source
    edits = []
    for n, edit in enumerate(document.edits):
        for ch in edit.changes:
            if not document.has_cell(ch.table_id, ch.row_id, ch.col_id):
                continue  # a row the clerk has since mapped elsewhere
            table = document.table(ch.table_id)
            edits.append(
                {
                    "edit": n,
                    "table": ch.table_id,
                    "row": ch.row_id,
                    "col": ch.col_id,
                    "printed": plain_number(table.cell(ch.row_id, ch.col_id).printed),
                    "from": plain_number(ch.old),
                    "value": plain_number(ch.new),
                    "reason": edit.reason.value,
                    "note": edit.note,
                    "time": edit.time.isoformat(),
                    "user": edit.user,
                }
            )
    return {
        "schema": SCHEMA,
        "source": {"path": s.path, "sha256": s.sha256, "pages": s.pages, "kind": s.kind},
        "template": {"id": document.template_id, "format": document.format_id},
        "document": {
            "agency": document.agency,
            "year": document.year,
            "review_status": document.review_status.value,
        },
        "tables": [
            table_json(t, results, document.accepted, suggestions.get(t.id), unexplained.get(t.id))
            for t in _export_order(document.tables)
        ],
        "sections": [{"title": x.title, "text": x.text, **x.prov.to_json()} for x in document.sections],
        "narrative": [_narrative_json(r, document) for r in results if is_narrative(r)],
        "edits": edits,
        "warnings": list(document.warnings),
    }


def json_bytes(data: dict[str, Any]) -> bytes:
    """The one way tabledesk writes JSON: UTF-8, Chinese as is, one space of indent."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_json(path: str | Path, data: dict[str, Any]) -> None:
    """``data`` as JSON at ``path``, atomically."""
    write_bytes_atomic(path, json_bytes(data))
