"""Opening any supported source: PDF, text or HTML, chosen by content more than by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tabledesk.core.document import Document
from tabledesk.core.source import ExtractedSource, SourceError, SourceProblem
from tabledesk.io.generic import generic_document
from tabledesk.io.mapping import map_source
from tabledesk.rules.registry import load_templates

SUPPORTED = (".pdf", ".txt", ".text", ".csv", ".tsv", ".md", ".html", ".htm", ".xhtml", ".mht")


def sniff_kind(path: Path) -> str:
    """'pdf', 'html' or 'text' from the first bytes, falling back on the extension."""
    try:
        with path.open("rb") as f:
            head = f.read(2048)
    except FileNotFoundError:
        raise SourceError(str(path), "file not found", SourceProblem.NOT_FOUND) from None
    except IsADirectoryError:
        raise SourceError(str(path), "is a folder, not a file", SourceProblem.UNSUPPORTED) from None
    except OSError as e:
        raise SourceError(str(path), f"cannot read: {e.strerror or e}", SourceProblem.OTHER) from None
    if head.lstrip().startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        return "pdf"
    low = head.lower()
    if (
        b"<html" in low
        or b"<!doctype html" in low
        or b"<table" in low
        or path.suffix.lower() in (".html", ".htm", ".xhtml")
    ):
        return "html"
    if path.suffix.lower() in SUPPORTED or not path.suffix:
        return "text"
    raise SourceError(str(path), f"unsupported file type '{path.suffix}'", SourceProblem.UNSUPPORTED)


# (pages done, pages in all) while a scan is read by OCR; returning False cancels
OcrProgress = Callable[[int, int], bool | None]


def read_source(
    path: str | Path, *, ocr: bool = False, progress: OcrProgress | None = None
) -> ExtractedSource:
    """The source at ``path``. With ``ocr``, a PDF without a text layer (a scan) or with an
    unreadable one is read by OCR (``io/scan_extract.py``) instead of raising
    SourceError(NO_TEXT_LAYER or UNREADABLE_TEXT)."""
    p = Path(path)
    kind = sniff_kind(p)
    if kind == "pdf":
        from tabledesk.io.pdf_extract import read_pdf

        try:
            return read_pdf(p)
        except SourceError as e:
            problem = e.kind
            # a scan, or a text layer that maps its glyphs to nothing usable: read the pages
            if not ocr or e.kind not in (SourceProblem.NO_TEXT_LAYER, SourceProblem.UNREADABLE_TEXT):
                raise
        try:
            from tabledesk.io.scan_extract import read_scan
        except ImportError:  # the OCR extra (OpenCV) is not installed, or not in this build
            from tabledesk.io.ocr import INSTALL_HINT

            raise SourceError(str(p), INSTALL_HINT, SourceProblem.NO_TEXT_LAYER) from None
        src = read_scan(p, progress=progress)
        if problem is SourceProblem.UNREADABLE_TEXT:
            src.warnings.insert(0, "the text layer's characters map to nothing readable: the pages were read by OCR")
        return src
    if kind == "html":
        from tabledesk.io.html_extract import read_html

        return read_html(p)
    from tabledesk.io.text_extract import read_text

    return read_text(p)


def open_document(
    path: str | Path,
    *,
    template_id: str | None = None,
    format_id: str | None = None,
    ocr: bool = False,
    progress: OcrProgress | None = None,
) -> Document:
    """Read and map a source onto the best-fitting template; a source whose tables fit no
    template is read as its own tables (template "generic"). ``ocr``: read scans by OCR (see
    :func:`read_source`). Raises SourceError."""
    return document_for(
        read_source(path, ocr=ocr, progress=progress), template_id=template_id, format_id=format_id
    )


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
