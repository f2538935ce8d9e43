"""Reading any supported source: PDF (text layer or scan), text or HTML, chosen by content more
than by name. What a source holds, not what it means: mapping it onto a template is
``mapping``'s work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tabledesk.core.os_errors import describe_os_error
from tabledesk.core.source import ExtractedSource, SourceError, SourceProblem
from tabledesk.sources.pdf.early import EarlyTables

# What a folder scan picks up (``tabledesk check DIR``, the queue) and the open dialog lists as
# reports: the one list, so every way in agrees.
REPORT_SUFFIXES = (".pdf", ".html", ".htm", ".xhtml", ".mht", ".mhtml", ".txt")
# Also read when named one by one: text copies in other dress. Not taken from folders, where
# such files are as often a previous run's output (a dataset .csv) as a report.
SUPPORTED = REPORT_SUFFIXES + (".text", ".csv", ".tsv", ".md")


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
        raise SourceError(str(path), f"cannot read: {describe_os_error(e)}", SourceProblem.OTHER) from None
    if head.lstrip().startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        return "pdf"
    low = head.lower()
    # A web archive's page may be base64 (Edge, WPS): no markup in its first bytes, only MIME.
    archive = b"mime-version" in low and b"multipart/related" in low
    if (
        b"<html" in low
        or b"<!doctype html" in low
        or b"<table" in low
        or archive
        or path.suffix.lower() in (".html", ".htm", ".xhtml", ".mht", ".mhtml")
    ):
        return "html"
    # PDF readers accept bytes before the header (a mail or web server's leftovers) within the
    # first kilobyte: so do we, whatever the name (a page that merely quotes it is HTML above).
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if path.suffix.lower() in SUPPORTED or not path.suffix:
        return "text"
    raise SourceError(str(path), f"unsupported file type '{path.suffix}'", SourceProblem.UNSUPPORTED)


# (pages done, pages in all) while a scan is read by OCR; returning False cancels
OcrProgress = Callable[[int, int], bool | None]


def read_source(
    path: str | Path,
    *,
    ocr: bool = False,
    progress: OcrProgress | None = None,
    early: EarlyTables | None = None,
) -> ExtractedSource:
    """The source at ``path``. With ``ocr``, a PDF without a text layer (a scan) or with an
    unreadable one is read by OCR (``sources/scan/extract.py``) instead of raising
    SourceError(NO_TEXT_LAYER or UNREADABLE_TEXT). ``early``: a long PDF's first tables while
    the rest is read (``sources/pdf/early.py``)."""
    p = Path(path)
    kind = sniff_kind(p)
    if kind == "pdf":
        from tabledesk.sources.pdf.extract import read_pdf

        try:
            return read_pdf(p, early=early)
        except SourceError as e:
            problem = e.kind
            # a scan, or a text layer that maps its glyphs to nothing usable: read the pages
            if not ocr or e.kind not in (SourceProblem.NO_TEXT_LAYER, SourceProblem.UNREADABLE_TEXT):
                raise
        try:
            from tabledesk.sources.scan.extract import read_scan
        except ImportError:  # the OCR extra (OpenCV) is not installed, or not in this build
            from tabledesk.sources.scan.engine import INSTALL_HINT

            raise SourceError(str(p), INSTALL_HINT, SourceProblem.NO_TEXT_LAYER) from None
        src = read_scan(p, progress=progress)
        if problem is SourceProblem.UNREADABLE_TEXT:
            src.warnings.insert(
                0, "the text layer's characters map to nothing readable: the pages were read by OCR"
            )
        return src
    if kind == "html":
        from tabledesk.sources.html import read_html

        return read_html(p)
    from tabledesk.sources.text import read_text

    return read_text(p)
