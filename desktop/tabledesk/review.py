"""A review: one document, its template and its live check results.

This is what both faces of tabledesk work on: the command line opens a review, checks it and
exports it; the window opens the same review, edits it through undoable commands and shows the
results. It imports no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tabledesk.core.document import Document, MappingOverrides
from tabledesk.core.edits import Edit
from tabledesk.core.source import TextLine
from tabledesk.io.mapping import remap
from tabledesk.io.reader import OcrProgress, open_document
from tabledesk.rules.across import YearReport, cross_year_instances
from tabledesk.rules.engine import Checker, CheckResult
from tabledesk.rules.generic import GENERIC_TEMPLATE_ID, generic_instances
from tabledesk.rules.narrative import narrative_instances
from tabledesk.rules.registry import load_templates
from tabledesk.rules.template import Template


class Review:
    def __init__(self, document: Document, template: Template | None) -> None:
        self.document = document
        self.template = template
        # The same agency's reports of the year before and after (rules/across.py), when known.
        self.neighbours: tuple[YearReport | None, YearReport | None] = (None, None)
        # The prose lines with provenance when the source was not read now (a queue entry):
        # they place the narrative checks' sentences (rules/narrative.py).
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
    ) -> Review:
        """Read, map and check a source (with ``ocr``, a scan too: see ``io/reader.py``).
        Raises SourceError with a one-line message."""
        doc = open_document(path, template_id=template_id, format_id=format_id, ocr=ocr, progress=progress)
        return cls(doc, template_for(doc.template_id))

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

    def rebuild_checks(self) -> None:
        """After the tables were rebuilt (another template or format, a reassigned row)."""
        self.template = template_for(self.document.template_id)
        self.checker = self._checker()
        self.checker.run()


def template_for(template_id: str) -> Template | None:
    templates, _ = load_templates()
    return next((t for t in templates if t.id == template_id), None)
