"""Teaching tabledesk a new form from one sample: draft a template (``templates/draft.py``), try
it on the sample — and on more samples — with the real mapping and checks, keep only the rules
that hold on the sample, and save it where every later document of the form finds it.

The window's template builder and ``tabledesk template draft|check`` both work through here.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tabledesk.checks.engine import Checker, CheckResult, CheckStatus
from tabledesk.core.document import Document
from tabledesk.core.source import ExtractedSource, SourceError, SourceProblem
from tabledesk.mapping.generic_tables import generic_document
from tabledesk.mapping.mapper import map_source
from tabledesk.sources.reader import read_source
from tabledesk.templates.draft import TemplateDraft, draft_template
from tabledesk.templates.template import Template, TemplateError, load_template


@dataclass(frozen=True, slots=True)
class Sample:
    """A sample document of the form, read as printed."""

    path: Path
    source: ExtractedSource
    document: Document  # its tables as printed (template "generic")


@dataclass(frozen=True, slots=True)
class Trial:
    """A template tried on one sample: the mapped document, its checks, and how many of the
    template's cells the sample filled."""

    path: Path
    document: Document
    results: list[CheckResult]
    cells_found: int
    cells_expected: int

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if r.status is CheckStatus.FAILED]

    @property
    def coverage(self) -> float:
        return self.cells_found / self.cells_expected if self.cells_expected else 0.0


def read_sample(path: str | Path) -> Sample:
    """A sample read as printed (scans by OCR). Raises SourceError with one line."""
    src = read_source(path, ocr=True)
    doc = generic_document(src)
    if doc is None:
        raise SourceError(str(path), "no tables with numbers found", SourceProblem.NO_TEMPLATE)
    return Sample(Path(path), src, doc)


def draft(sample: Sample, name: str = "") -> TemplateDraft:
    """The draft for the form ``sample`` is one of, with every rule that fails on the sample
    left out (a rule the clerk adds is theirs to keep)."""
    result = draft_template(sample.document, name)
    trial = try_template(compile_draft(result), sample.source, sample.path)
    failing = {r.instance.rule.id for r in trial.failed}
    for table in result.tables:
        for rule in table.rules:
            if rule.id in failing:
                rule.keep = False
    return result


def compile_draft(d: TemplateDraft) -> Template:
    """The draft as the loader reads it (so it is exactly what a saved file will be).
    Raises TemplateError."""
    fd, name = tempfile.mkstemp(suffix=".toml", prefix="tabledesk-draft-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(d.to_toml())
        return load_template(name)
    finally:
        os.unlink(name)


def try_template(template: Template, source: ExtractedSource, path: str | Path = "") -> Trial:
    """Map a read source onto ``template`` and run its checks."""
    doc = map_source(source, [template], template_id=template.id)
    checker = Checker(doc, template)
    checker.run()
    expected = found = 0
    for table in doc.tables:
        for _r, _c, cell in table.iter_cells():
            expected += 1
            found += cell.value is not None or cell.raw.strip() != ""
    return Trial(Path(path or source.path), doc, list(checker.results.values()), found, expected)


def check_template_file(path: str | Path, samples: list[str | Path]) -> tuple[Template, list[Trial]]:
    """Load a template file and try it on each sample. Raises TemplateError or SourceError."""
    template = load_template(path)
    return template, [try_template(template, read_source(s, ocr=True), s) for s in samples]


__all__ = [
    "Sample",
    "TemplateError",
    "Trial",
    "check_template_file",
    "compile_draft",
    "draft",
    "read_sample",
    "try_template",
]
