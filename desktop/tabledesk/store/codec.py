"""A :class:`Document` as plain JSON-able data and back, exactly.

The review store keeps documents in this form (``tabledesk-document/1``): every table, axis,
cell (printed and current value, raw text, status, provenance, confidence, numeric kind),
section, warning, the edits log, the checks accepted as printed and the review status, so that
reopening a review rebuilds the very same grids without reading the source again. Numbers are
decimal *strings* so that "1.50" stays 1.50 (its printed precision is what the rounding checks
use).

:func:`document_from_export` also rebuilds a document from an export JSON of ours
(``tabledesk-export/1`` or ``/2``): that form has fewer details (no numeric kinds, rounded boxes), which
the template fills in where it can.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from tabledesk.core.decisions import Acceptance
from tabledesk.core.document import (
    Axis,
    Cell,
    CellStatus,
    Document,
    ReviewStatus,
    Section,
    SourceInfo,
    Table,
    UnmatchedRow,
)
from tabledesk.core.edits import CellChange, Edit, EditReason
from tabledesk.core.provenance import Provenance
from tabledesk.core.values import NumberKind, parse_number, within_limits
from tabledesk.templates.template import Template

CODEC = "tabledesk-document/1"
# The export JSON versions read back: /2 is /1 with the closed status lists grown (cell and
# check "unfilled", check "accepted"): the same keys, so one reader serves both.
EXPORT_SCHEMAS = ("tabledesk-export/1", "tabledesk-export/2")


class CodecError(ValueError):
    """Data that is not a document we wrote (another program's file, a newer version)."""


# ----------------------------------------------------------------------------- scalars
def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _undec(text: str | int | float | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(str(text))
    except ArithmeticError:
        raise CodecError(f"damaged tabledesk document: '{str(text)[:40]}' is not a number") from None
    if not within_limits(value):
        raise CodecError(f"damaged tabledesk document: '{str(text)[:40]}' is not a cell's number")
    return value


def _prov(p: Provenance) -> dict[str, Any]:
    # Full precision (to_json rounds boxes for the export; a reopened review must be identical).
    out: dict[str, Any] = {}
    if p.page is not None:
        out["page"] = p.page
    if p.bbox is not None:
        out["bbox"] = list(p.bbox)
    if p.line is not None:
        out["line"] = p.line
    if p.chars is not None:
        out["chars"] = list(p.chars)
    return out


def _unprov(d: dict[str, Any]) -> Provenance:
    bbox = d.get("bbox")
    chars = d.get("chars")
    return Provenance(
        page=d.get("page"),
        bbox=(float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3])) if bbox else None,
        line=d.get("line"),
        chars=(int(chars[0]), int(chars[1])) if chars else None,
    )


# ----------------------------------------------------------------------------- edits
def edit_to_dict(edit: Edit) -> dict[str, Any]:
    return {
        "changes": [
            {"table": c.table_id, "row": c.row_id, "col": c.col_id, "old": _dec(c.old), "new": _dec(c.new)}
            for c in edit.changes
        ],
        "reason": edit.reason.value,
        "time": edit.time.isoformat(),
        "user": edit.user,
        "note": edit.note,
    }


def edit_from_dict(d: dict[str, Any]) -> Edit:
    return Edit(
        tuple(
            CellChange(c["table"], c["row"], c["col"], _undec(c["old"]), _undec(c["new"]))
            for c in d["changes"]
        ),
        reason=EditReason(d["reason"]),
        time=datetime.fromisoformat(d["time"]),
        user=d.get("user", ""),
        note=d.get("note", ""),
    )


def acceptance_to_dict(a: Acceptance) -> dict[str, Any]:
    table, rule, instance = a.uid
    return {
        "table": table,
        "rule": rule,
        "instance": instance,
        "note": a.note,
        "time": a.time.isoformat(),
        "user": a.user,
    }


def acceptance_from_dict(d: dict[str, Any]) -> Acceptance:
    return Acceptance(
        (d["table"], d["rule"], d["instance"]),
        note=d.get("note", ""),
        time=datetime.fromisoformat(d["time"]),
        user=d.get("user", ""),
    )


# ----------------------------------------------------------------------------- document
def _axis(a: Axis) -> dict[str, Any]:
    return {
        "id": a.id,
        "path": list(a.path),
        "en": a.en,
        "printed": a.printed,
        "source_label": a.source_label,
        "confidence": a.confidence,
    }


def _unaxis(d: dict[str, Any]) -> Axis:
    return Axis(
        d["id"],
        tuple(d["path"]),
        d.get("en", ""),
        printed=d.get("printed", True),
        source_label=d.get("source_label", ""),
        confidence=d.get("confidence", 1.0),
    )


def _cell(c: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {
        "printed": _dec(c.printed),
        "value": _dec(c.value),
        "raw": c.raw,
        "status": c.status.value,
        "prov": _prov(c.prov),
        "confidence": c.confidence,
        "kind": c.kind.value,
    }
    if c.ocr_confidence is not None:
        out["ocr_confidence"] = c.ocr_confidence
    if c.ocr_chars:
        out["ocr_chars"] = [round(p, 3) for p in c.ocr_chars]
    if c.confirmed:
        out["confirmed"] = True
    return out


def _uncell(d: dict[str, Any]) -> Cell:
    return Cell(
        printed=_undec(d["printed"]),
        value=_undec(d["value"]),
        raw=d.get("raw", ""),
        status=CellStatus(d["status"]),
        prov=_unprov(d.get("prov", {})),
        confidence=d.get("confidence", 1.0),
        kind=NumberKind(d.get("kind", "count")),
        ocr_confidence=d.get("ocr_confidence"),
        confirmed=bool(d.get("confirmed", False)),
        ocr_chars=tuple(d.get("ocr_chars", ())),
    )


def _table(t: Table) -> dict[str, Any]:
    return {
        "id": t.id,
        "title": t.title,
        "name": dict(t.name),
        "found": t.found,
        "rows": [_axis(a) for a in t.rows],
        "columns": [_axis(a) for a in t.columns],
        "cells": [[_cell(c) for c in row] for row in t.cells],
        "unmatched": [{"text": u.text, "values": list(u.values), "prov": _prov(u.prov)} for u in t.unmatched],
        "row_children": {k: list(v) for k, v in t.row_children.items()},
        "col_children": {k: list(v) for k, v in t.col_children.items()},
        "unit": t.unit,
        "empty_note": t.empty_note,
    }


def _untable(d: dict[str, Any]) -> Table:
    return Table(
        d["id"],
        d["title"],
        dict(d.get("name", {})),
        [_unaxis(a) for a in d["rows"]],
        [_unaxis(a) for a in d["columns"]],
        [[_uncell(c) for c in row] for row in d["cells"]],
        unmatched=[
            UnmatchedRow(u["text"], list(u["values"]), _unprov(u.get("prov", {})))
            for u in d.get("unmatched", [])
        ],
        found=d.get("found", True),
        row_children={k: list(v) for k, v in d.get("row_children", {}).items()},
        col_children={k: list(v) for k, v in d.get("col_children", {}).items()},
        unit=str(d.get("unit", "")),
        empty_note=str(d.get("empty_note", "")),
    )


def document_to_dict(document: Document) -> dict[str, Any]:
    """Everything about ``document`` as JSON-able data (``tabledesk-document/1``)."""
    s = document.source
    return {
        "codec": CODEC,
        "source": {"path": s.path, "kind": s.kind, "sha256": s.sha256, "pages": s.pages},
        "template": document.template_id,
        "format": document.format_id,
        "agency": document.agency,
        "year": document.year,
        "review_status": document.review_status.value,
        "tables": [_table(t) for t in document.tables],
        "sections": [{"title": x.title, "text": x.text, "prov": _prov(x.prov)} for x in document.sections],
        "warnings": list(document.warnings),
        "edits": [edit_to_dict(e) for e in document.edits],
        # failing checks accepted as printed ("原文如此")
        "accepted": [acceptance_to_dict(a) for a in document.accepted.values()],
    }


def document_from_dict(data: dict[str, Any], template: Template | None = None) -> Document:
    """The document ``data`` describes: our own codec form, or an export JSON of ours (then
    ``template``, when given, fills in what the export leaves out). Raises CodecError."""
    if not isinstance(data, dict):
        raise CodecError("not a tabledesk document")
    if data.get("schema") in EXPORT_SCHEMAS:
        return document_from_export(data, template)
    if data.get("codec") != CODEC:
        raise CodecError(f"not a tabledesk document (format '{data.get('codec') or data.get('schema')}')")
    try:
        s = data["source"]
        doc = Document(
            SourceInfo(s["path"], s["kind"], s["sha256"], int(s["pages"])),
            data["template"],
            data["format"],
            [_untable(t) for t in data["tables"]],
            agency=data.get("agency", ""),
            year=data.get("year"),
            sections=[
                Section(x["title"], x["text"], _unprov(x.get("prov", {}))) for x in data.get("sections", [])
            ],
            warnings=list(data.get("warnings", [])),
        )
        # The cells already hold the edited values: the log is restored, not re-applied.
        doc.edits = [edit_from_dict(e) for e in data.get("edits", [])]
        doc.accepted = {a.uid: a for a in map(acceptance_from_dict, data.get("accepted", []))}
        doc.review_status = ReviewStatus(data.get("review_status", "unreviewed"))
    except CodecError:
        raise
    except (KeyError, TypeError, ValueError, ArithmeticError) as e:
        raise CodecError(f"damaged tabledesk document: {type(e).__name__}: {e}") from None
    return doc


# ----------------------------------------------------------------------------- from an export
def _export_number(v: int | float | None, exact: Decimal | None) -> Decimal | None:
    """A JSON number back as a Decimal, keeping the printed precision where the raw text has it
    (the export writes 1.50 as 1.5; the rounding checks need the 2 places)."""
    if v is None:
        return None
    if exact is not None and exact == Decimal(str(v)):
        return exact
    return Decimal(str(v))


def document_from_export(data: dict[str, Any], template: Template | None = None) -> Document:
    """Rebuild a document from an export JSON of ours (values, printed values, cells, edits,
    review status). Numeric kinds and row groups come from ``template`` when given."""
    try:
        return _from_export(data, template)
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError) as e:
        raise CodecError(f"damaged tabledesk export: {type(e).__name__}: {e}") from None


def _from_export(data: dict[str, Any], template: Template | None) -> Document:
    fmt = data["template"]["format"]
    specs = {}
    if template is not None and template.id == data["template"]["id"]:
        specs = {t.id: t for t in template.tables_for(fmt)}
    tables = []
    for tj in data["tables"]:
        spec = specs.get(tj["id"])
        row_spec = {r.id: r for r in spec.rows_for(fmt)} if spec else {}
        col_spec = {c.id: c for c in spec.columns_for(fmt)} if spec else {}
        rows = [
            Axis(
                r["id"],
                tuple(r["path"]),
                row_spec[r["id"]].en if r["id"] in row_spec else "",
                printed=r.get("printed", True),
            )
            for r in tj["rows"]
        ]
        cols = [
            Axis(c["id"], tuple(c["path"]), col_spec[c["id"]].en if c["id"] in col_spec else "")
            for c in tj["columns"]
        ]
        cells = []
        for i, row in enumerate(tj["cells"]):
            line = []
            for j, cj in enumerate(row):
                status = (
                    CellStatus(cj["status"])
                    if cj["status"] in CellStatus._value2member_map_
                    else CellStatus.OK
                )
                exact = parse_number(cj.get("text", "")) if status is CellStatus.OK else None
                printed = _export_number(tj["printed"][i][j], exact)
                value = _export_number(tj["values"][i][j], printed)
                if spec is not None:
                    r, c = row_spec.get(rows[i].id), col_spec.get(cols[j].id)
                    kind = (r.kind if r else None) or (c.kind if c else None) or spec.kind
                else:
                    fractional = any(v is not None and v != v.to_integral_value() for v in (printed, value))
                    kind = NumberKind.AMOUNT if fractional else NumberKind.COUNT
                cell = Cell(
                    printed, value, cj.get("text", ""), status, _unprov(cj), cj.get("confidence", 1.0), kind
                )
                cell.ocr_confidence = cj.get("ocr_confidence")
                # unsure OCR no longer exported as "uncertain": the clerk confirmed it
                cell.confirmed = cell.ocr_confidence is not None and cj["status"] != "uncertain"
                line.append(cell)
            cells.append(line)
        row_children: dict[str, list[str]] = {}
        col_children: dict[str, list[str]] = {}
        for axes, out in ((row_spec, row_children), (col_spec, col_children)):
            for a in axes.values():
                if a.parent:
                    out.setdefault(a.parent, []).append(a.id)
        tables.append(
            Table(
                tj["id"],
                tj["title"],
                dict(tj.get("name") or {}),
                rows,
                cols,
                cells,
                unmatched=[
                    UnmatchedRow(u["text"], list(u["values"]), _unprov(u)) for u in tj.get("unmatched", [])
                ],
                found=tj.get("found", True),
                row_children=row_children,
                col_children=col_children,
                unit=str(tj.get("unit") or ""),
                empty_note=str(tj.get("empty_note") or ""),
            )
        )
    if specs:  # the export reorders 表二's blocks; the window shows template order
        order = {tid: i for i, tid in enumerate(specs)}
        tables.sort(key=lambda t: order.get(t.id, len(order)))
    s = data["source"]
    doc = Document(
        SourceInfo(s["path"], s["kind"], s["sha256"], int(s["pages"])),
        data["template"]["id"],
        fmt,
        tables,
        agency=data["document"].get("agency", ""),
        year=data["document"].get("year"),
        sections=[Section(x["title"], x["text"], _unprov(x)) for x in data.get("sections", [])],
        warnings=list(data.get("warnings", [])),
    )
    # The export has one entry per changed cell, numbered by edit.
    grouped: dict[int, list[dict[str, Any]]] = {}
    for e in data.get("edits", []):
        grouped.setdefault(int(e["edit"]), []).append(e)
    for n in sorted(grouped):
        entries = grouped[n]
        first = entries[0]
        changes = []
        for e in entries:
            cell = doc.cell(e["table"], e["row"], e["col"])
            # The cell holds the final value: the change's numbers take its exact decimals
            # where they are the same number.
            changes.append(
                CellChange(
                    e["table"],
                    e["row"],
                    e["col"],
                    _export_number(e["from"], cell.printed),
                    _export_number(e["value"], cell.value),
                )
            )
        doc.edits.append(
            Edit(
                tuple(changes),
                reason=EditReason(first["reason"]),
                time=datetime.fromisoformat(first["time"]),
                user=first.get("user", ""),
                note=first.get("note", ""),
            )
        )
    for tj in data["tables"]:
        for check in tj.get("checks", []):
            if check.get("status") == "accepted":
                a = check.get("accepted", {})
                doc.accepted[(tj["id"], check["rule"], check["instance"])] = acceptance_from_dict(
                    {"table": tj["id"], "rule": check["rule"], "instance": check["instance"], **a}
                )
    doc.review_status = ReviewStatus(data["document"].get("review_status", "unreviewed"))
    return doc
