"""The template a read source fits best (or the one asked for), or its tables as printed when
no template fits: what every opening of a document does after reading it."""

from __future__ import annotations

from tabledesk.core.document import Document
from tabledesk.core.source import ExtractedSource, SourceError, SourceProblem
from tabledesk.mapping.generic_tables import generic_document
from tabledesk.mapping.mapper import map_source
from tabledesk.templates.registry import load_templates


def document_for(
    src: ExtractedSource, *, template_id: str | None = None, format_id: str | None = None
) -> Document:
    """A read source mapped onto the best-fitting template (or the one given), or as its own
    tables when none fits. Raises SourceError."""
    templates, _problems = load_templates()
    try:
        return map_source(src, templates, template_id=template_id, format_id=format_id)
    except SourceError as e:
        if e.kind is not SourceProblem.NO_TEMPLATE or template_id is not None:
            raise
        doc = generic_document(src)
        if doc is None:
            raise SourceError(
                src.path, "no tables found: not a report of a known template", SourceProblem.NO_TEMPLATE
            ) from None
        return doc
