"""The export JSON (schema ``tabledesk-export/1``): the contract the window, the exports, the
batch tools and the suggestions all read. ``resources/export.schema.json`` is its schema and
``docs/export-json.md`` explains it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tabledesk.core.document import Cell, CellStatus, Document, Table
from tabledesk.core.values import to_json_number
from tabledesk.io.atomic import write_text_atomic
from tabledesk.rules.engine import CheckResult
from tabledesk.rules.messages import render_message, side_json

SCHEMA = "tabledesk-export/1"


def _cell_json(cell: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"text": cell.raw, "status": cell.status.value}
    out.update(cell.prov.to_json())
    if cell.status is not CellStatus.MISSING:
        out["confidence"] = cell.confidence
    return out


def check_json(result: CheckResult, table: Table) -> dict[str, Any]:
    inst = result.instance
    return {
        "rule": inst.rule.id,
        "instance": inst.key,
        "status": result.status.value,
        "passed": result.status.passed,
        "severity": inst.rule.severity,
        "cells": [{"row": r, "col": c} for _, r, c in inst.cells()],
        "lhs": side_json(result, True),
        "rhs": side_json(result, False),
        "difference": to_json_number(result.difference),
        "message": {
            "zh": render_message(result, "zh", table.name),
            "en": render_message(result, "en", table.name),
        },
    }


def table_json(table: Table, results: list[CheckResult], suggestions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "id": table.id,
        "title": table.title,
        "name": table.name,
        "found": table.found,
        "rows": [{"id": r.id, "label": r.label, "path": list(r.path), "printed": r.printed} for r in table.rows],
        "columns": [{"id": c.id, "label": c.label, "path": list(c.path)} for c in table.columns],
        "values": [[to_json_number(c.value) for c in row] for row in table.cells],
        "printed": [[to_json_number(c.printed) for c in row] for row in table.cells],
        "cells": [[_cell_json(c) for c in row] for row in table.cells],
        "unmatched": [
            {"text": u.text, "values": u.values, **u.prov.to_json()} for u in table.unmatched
        ],
        "checks": [check_json(r, table) for r in results if r.instance.table_id == table.id],
        "suggestions": suggestions or [],
    }


def _export_order(tables: list[Table]) -> list[Table]:
    """Template order, except that among tables sharing a title prefix (表二's blocks) the
    one-row blocks come last: a reader that must find a one-row table by column label alone
    (表四's single row has no label) then meets the block that really has the row first."""

    def key(item: tuple[int, Table]) -> tuple[str, int, int]:
        i, t = item
        group = t.title.split("/")[0] if "/" in t.title else f"#{i}"
        first = min(j for j, u in enumerate(tables) if (u.title.split("/")[0] if "/" in u.title else f"#{j}") == group)
        return (f"{first:04d}", len(t.rows) == 1 and "/" in t.title, i)

    return [t for _, t in sorted(enumerate(tables), key=key)]


def document_json(
    document: Document,
    results: list[CheckResult],
    suggestions: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
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
                    "printed": to_json_number(table.cell(ch.row_id, ch.col_id).printed),
                    "from": to_json_number(ch.old),
                    "value": to_json_number(ch.new),
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
        "tables": [table_json(t, results, (suggestions or {}).get(t.id)) for t in _export_order(document.tables)],
        "sections": [{"title": x.title, "text": x.text, **x.prov.to_json()} for x in document.sections],
        "edits": edits,
        "warnings": list(document.warnings),
    }


def write_json(path: str | Path, data: dict[str, Any]) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
