"""A review: one document, its template and its live check results.

This is what both faces of tabledesk work on: the command line opens a review, checks it and
exports it; the window opens the same review, edits it through undoable commands and shows the
results. It imports no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tabledesk.checks.across import YearReport, cross_year_instances
from tabledesk.checks.engine import Checker, CheckResult
from tabledesk.checks.generic import generic_instances
from tabledesk.checks.narrative import narrative_instances
from tabledesk.core.document import Document, MappingOverrides, SourceInfo
from tabledesk.core.edits import Edit
from tabledesk.core.source import ExtractedSource, TextLine
from tabledesk.mapping.fit import document_for
from tabledesk.mapping.mapper import blank_document, map_source, remap
from tabledesk.sources.pdf.early import EarlyTables
from tabledesk.sources.reader import OcrProgress, read_source
from tabledesk.templates.registry import builtin_template, load_templates, template_by_id
from tabledesk.templates.template import GENERIC_TEMPLATE_ID, Template


def open_document(
    path: str | Path,
    *,
    template_id: str | None = None,
    format_id: str | None = None,
    ocr: bool = False,
    progress: OcrProgress | None = None,
    early: EarlyTables | None = None,
) -> Document:
    """Read and map a source onto the best-fitting template; a source whose tables fit no
    template is read as its own tables (template "generic"). ``ocr``: read scans by OCR,
    ``early``: a long PDF's first tables while the rest is read (see :func:`read_source`).
    Raises SourceError."""
    return document_for(
        read_source(path, ocr=ocr, progress=progress, early=early),
        template_id=template_id,
        format_id=format_id,
    )


class Review:
    def __init__(self, document: Document, template: Template | None) -> None:
        self.document = document
        self.template = template
        # The same agency's reports of the year before and after (checks/across.py), when known.
        self.neighbours: tuple[YearReport | None, YearReport | None] = (None, None)
        # The prose lines with provenance when the source was not read now (a queue entry):
        # they place the narrative checks' sentences (checks/narrative.py).
        self.prose: list[TextLine] = []
        self.checker = self._checker()
        self.checker.run()

    def _checker(self) -> Checker:
        checker = Checker(self.document, self.template)
        if self.document.template_id == GENERIC_TEMPLATE_ID:
            checker.add_instances(generic_instances(self.document))
        checker.add_instances(narrative_instances(self.document, self.template, self.prose))
        checker.add_instances(cross_year_instances(self.document, *self.neighbours))
        return checker

    def set_neighbours(self, previous: YearReport | None, following: YearReport | None) -> None:
        """Check against the same agency's reports of the year before and after (or neither)."""
        self.neighbours = (previous, following)
        self.rebuild_checks()

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        template_id: str | None = None,
        format_id: str | None = None,
        ocr: bool = False,
        progress: OcrProgress | None = None,
        early: EarlyTables | None = None,
    ) -> Review:
        """Read, map and check a source (with ``ocr``, a scan too; ``early``, a long PDF's first
        tables while the rest is read: see ``sources/reader.py``). Raises SourceError with a
        one-line message."""
        doc = open_document(
            path, template_id=template_id, format_id=format_id, ocr=ocr, progress=progress, early=early
        )
        return cls(doc, template_by_id(doc.template_id))

    @classmethod
    def blank(cls, path: str | Path, reason: str) -> Review:
        """An empty grid of the built-in template beside a PDF whose numbers could not be read
        (a scan without OCR, a cancelled OCR): the clerk types them in. ``reason`` (one line)
        says why, as the document's first warning."""
        from tabledesk.sources.pdf.extract import pdf_page_count

        template = builtin_template()
        try:
            pages = pdf_page_count(Path(path))
        except Exception:  # noqa: BLE001 - the count is only shown
            pages = 0
        doc = blank_document(template, template.formats[0].id, SourceInfo(str(path), "pdf", "", pages))
        doc.warnings.append(reason)
        return cls(doc, template)

    @property
    def results(self) -> list[CheckResult]:
        return list(self.checker.results.values())

    def apply(self, edit: Edit) -> list[CheckResult]:
        """Apply an edit and re-check only what it touches; returns the results that changed."""
        self.document.apply(edit)
        return self.checker.recheck(edit.cells())

    def revert(self, edit: Edit) -> list[CheckResult]:
        self.document.revert(edit)
        return self.checker.recheck(edit.cells())

    def recheck(self, cells: Iterable[tuple[str, str, str]]) -> list[CheckResult]:
        return self.checker.recheck(cells)

    def remap(self, template_id: str, format_id: str, overrides: MappingOverrides) -> None:
        """Another template or format, or a printed row reassigned: rebuild tables and checks."""
        templates, _ = load_templates()
        remap(self.document, templates, template_id, format_id, overrides)
        self.rebuild_checks()

    def region_mapping(self, page: int) -> tuple[str, str | None, MappingOverrides] | None:
        """The mapping to keep when a region of ``page`` is read again: the template and format
        of a reading mapped before, without the row assignments of tables printed on that page
        (their printed rows are read anew); for a grid typed in by hand its template, the
        format as the new reading shows it (one table alone may not show which template it
        belongs to); None — whatever the reading shows — for tables no template knew."""
        doc = self.document
        if doc.template_id == GENERIC_TEMPLATE_ID:
            return None
        overrides = doc.overrides.copy()
        if doc.extracted is None:
            return doc.template_id, None, overrides
        for t in doc.tables:
            if any(c.prov.page == page for _r, _c, c in t.iter_cells()):
                overrides.rows.pop(t.id, None)
        return doc.template_id, doc.format_id, overrides

    def replace_source(
        self, source: ExtractedSource | None, mapping: tuple[str, str | None, MappingOverrides] | None
    ) -> None:
        """Put another reading of the source in place (a region read again by OCR, or the
        reading before it on undo), mapped as ``mapping`` (template, format or None to detect
        it, row assignments) says or, with None, onto whatever template and format it shows;
        ``source`` None is a grid typed in by hand. Corrections
        carry over. Raises SourceError when a new reading holds no table at all; the review
        is then unchanged."""
        doc = self.document
        if source is None:
            if mapping is None or (template := template_by_id(mapping[0])) is None:
                raise ValueError("a grid typed in by hand needs its template")
            fresh = blank_document(template, mapping[1] or template.formats[0].id, doc.source)
        elif mapping is not None and mapping[0] != GENERIC_TEMPLATE_ID:
            templates, _ = load_templates()
            fresh = map_source(
                source, templates, template_id=mapping[0], format_id=mapping[1], overrides=mapping[2]
            )
        else:
            fresh = document_for(source)
        doc.extracted = source
        doc.overrides = mapping[2].copy() if mapping is not None else MappingOverrides()
        doc.replace_tables(fresh.tables, fresh.template_id, fresh.format_id)
        self.rebuild_checks()

    def rebuild_checks(self) -> None:
        """After the tables were rebuilt (another template or format, a reassigned row)."""
        self.template = template_by_id(self.document.template_id)
        self.checker = self._checker()
        self.checker.run()
