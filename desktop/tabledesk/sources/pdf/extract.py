"""Read a report PDF into an :class:`~tabledesk.core.source.ExtractedSource`.

Each page is read once, by pdfium (``pdfium_page``: characters with their boxes, rectangles and
line segments, the ruled tables' cells found as pdfplumber would in ``ruling``), or by
pdfplumber (``plumber_page``) where pdfium's text cannot be trusted; the source says which
reader read each page. Glyphs are normalised and fake bold removed (``text``), each page is laid
out into tables and prose (``layout``), and a table continued at the top of the next page is
stitched onto the previous one (``stitch``). A long document is read on two processes; its
first tables can be handed over while the rest is read (``early``).

Bad input raises :class:`~tabledesk.core.source.SourceError` with one line for the user.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tabledesk.core.logs import log_failure
from tabledesk.core.os_errors import describe_os_error
from tabledesk.core.source import ExtractedSource, RawTable, SourceError, SourceKind, SourceProblem, TextLine
from tabledesk.sources.pdf import plumber_page
from tabledesk.sources.pdf.early import EarlyTables
from tabledesk.sources.pdf.facts import PageReader
from tabledesk.sources.pdf.layout import PageData, ReadPage, lay_out
from tabledesk.sources.pdf.limits import MAX_PAGES, MAX_STREAM_BYTES, inflates_past
from tabledesk.sources.pdf.lock import PDFIUM_LOCK
from tabledesk.sources.pdf.ruling import hsegs, table_cells
from tabledesk.sources.pdf.stitch import stitch
from tabledesk.sources.pdf.text import glyphs

if TYPE_CHECKING:
    import pypdfium2 as pdfium
    from pdfplumber.pdf import PDF

log = logging.getLogger(__name__)

_UNREADABLE_SHARE = 0.3  # more unreadable glyphs than this: the text layer is useless
# More pages than this are read on two processes: below it, starting the second process costs
# more than it saves.
POOL_MIN_PAGES = 40


class _BrokenPage(Exception):
    """A page whose content stream cannot be parsed (args: the page number)."""


def pdf_page_count(path: str | Path) -> int:
    """Number of pages, or SourceError for files :func:`read_pdf` would reject as unreadable."""
    spath = str(path)
    return _count_pages(spath, _load(spath))


def _count_pages(spath: str, data: bytes) -> int:
    with PDFIUM_LOCK:
        doc = _open_pdfium(spath, data)
        try:
            return len(doc)
        finally:
            doc.close()


def _load(spath: str) -> bytes:
    p = Path(spath)
    if not p.is_file():
        raise SourceError(spath, "file not found", SourceProblem.NOT_FOUND)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise SourceError(spath, f"cannot read: {describe_os_error(e)}", SourceProblem.OTHER) from None
    if b"%PDF-" not in data[:1024]:
        raise SourceError(spath, "not a PDF file", SourceProblem.CORRUPT)
    if b"%%EOF" not in data[-4096:]:
        raise SourceError(spath, "truncated PDF: the end of the file is missing", SourceProblem.CORRUPT)
    if inflates_past(data):
        raise SourceError(
            spath,
            f"a compressed stream inflates past {MAX_STREAM_BYTES // 2**20} MB: "
            "not a report (a damaged or hostile file)",
            SourceProblem.CORRUPT,
        )
    return data


def _encrypted(spath: str) -> SourceError:
    return SourceError(spath, "encrypted PDF: remove the password first", SourceProblem.ENCRYPTED)


def _corrupt(spath: str) -> SourceError:
    return SourceError(spath, "corrupt PDF: the file structure cannot be read", SourceProblem.CORRUPT)


def _open_pdfium(spath: str, data: bytes) -> pdfium.PdfDocument:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pc

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if e.err_code in (pc.FPDF_ERR_PASSWORD, pc.FPDF_ERR_SECURITY):
            raise _encrypted(spath) from None
        log.debug("cannot open %s", spath, exc_info=True)
        raise _corrupt(spath) from None
    if len(doc) == 0:
        doc.close()
        raise _corrupt(spath)
    if (pages := len(doc)) > MAX_PAGES:
        doc.close()
        raise SourceError(
            spath,
            f"{pages} pages: more than {MAX_PAGES}, not one report (split the file first)",
            SourceProblem.UNSUPPORTED,
        )
    return doc


# ---------------------------------------------------------------------------------------------
# Reading pages
# ---------------------------------------------------------------------------------------------


def read_pages(data: bytes, first: int, last: int, prefer: PageReader) -> Iterator[ReadPage]:
    """Pages ``first``..``last`` (1-based, inclusive) of the PDF in ``data`` read and laid out,
    each read by pdfium unless ``prefer`` is pdfplumber or pdfium's text there cannot be
    trusted; a page's glyphs are dropped as soon as it is laid out. Raises _BrokenPage."""
    from tabledesk.sources.pdf import pdfium_page

    plumber: PDF | None = None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with PDFIUM_LOCK:
                doc = _open_pdfium("", data) if prefer is PageReader.PDFIUM else None
            try:
                for pno in range(first, last + 1):
                    page_data = None
                    if doc is not None:
                        with PDFIUM_LOCK:
                            facts = None
                            try:
                                page = doc[pno - 1]
                            except Exception:  # noqa: BLE001 - a damaged page object: pdfplumber may read it
                                log.debug("pdfium cannot load page %d", pno, exc_info=True)
                            else:
                                try:
                                    facts = pdfium_page.read_page(page)
                                finally:
                                    page.close()
                        if facts is not None:
                            items, bad = glyphs(facts.chars)
                            boxes = table_cells(facts)
                            page_data = PageData(
                                pno, facts.height, items, bad, boxes, hsegs(facts), PageReader.PDFIUM
                            )
                    if page_data is None:
                        if plumber is None:
                            plumber = _open_plumber(data, pno)
                        page_data = _plumber_page(plumber, pno)
                    yield lay_out(page_data)
            finally:
                if doc is not None:
                    with PDFIUM_LOCK:
                        doc.close()
        for w in caught:
            log.debug("warning while reading pages %d-%d: %s", first, last, w.message)
    finally:
        if plumber is not None:
            plumber.close()
            # pdfminer's objects are cyclic garbage: give their memory back now, not whenever
            # the collector next runs
            del plumber
            gc.collect()


def read_page_list(data: bytes, first: int, last: int, prefer: PageReader) -> list[ReadPage]:
    """:func:`read_pages` as a list: what a pool's process sends back (it pickles)."""
    return list(read_pages(data, first, last, prefer))


def _open_plumber(data: bytes, pno: int) -> PDF:
    try:
        return plumber_page.open_pdf(data)
    except Exception as e:  # noqa: BLE001 - pdfium read the file, pdfminer cannot
        log.debug("pdfplumber cannot open the file for page %d", pno, exc_info=True)
        raise _BrokenPage(pno) from e


def _plumber_page(pdf: PDF, pno: int) -> PageData:
    try:
        page = pdf.pages[pno - 1]  # pdfminer may find fewer pages in a damaged file than pdfium
    except Exception as e:  # noqa: BLE001 - a broken page tree
        log.debug("page %d", pno, exc_info=True)
        raise _BrokenPage(pno) from e
    try:
        facts, boxes = plumber_page.read_page(page)
    except Exception as e:  # noqa: BLE001 - a broken content stream
        log.debug("page %d", pno, exc_info=True)
        raise _BrokenPage(pno) from e
    finally:
        page.close()  # drop pdfplumber's per-page caches
    items, bad = glyphs(facts.chars)
    return PageData(pno, facts.height, items, bad, boxes, hsegs(facts), PageReader.PDFPLUMBER)


def _one_by_one(pages: Iterator[ReadPage]) -> Iterator[tuple[ReadPage, bool]]:
    return ((page, True) for page in pages)


def _read_all(
    data: bytes, n_pages: int, prefer: PageReader, workers: int | None
) -> Iterator[tuple[ReadPage, bool]]:
    """Every page in order, each with whether it was read just now, one at a time (False for
    pages another process read, handed over all at once). A long document is cut in two: the
    second half read in another process while this one reads the first (not inside a pool's
    worker: its siblings already use the other cores)."""
    if n_pages < POOL_MIN_PAGES or workers == 1:
        yield from _one_by_one(read_pages(data, 1, n_pages, prefer))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if workers is None:
        workers = 1 if multiprocessing.parent_process() is not None else min(2, os.cpu_count() or 1)
    if workers < 2:
        yield from _one_by_one(read_pages(data, 1, n_pages, prefer))
        return
    from concurrent.futures.process import BrokenProcessPool

    mid = (n_pages + 1) // 2
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        rest = pool.submit(read_page_list, data, mid + 1, n_pages, prefer)
    except (OSError, RuntimeError):  # no process to be had: read it all here
        log.warning("cannot start a process to read pages %d-%d", mid + 1, n_pages, exc_info=True)
        yield from _one_by_one(read_pages(data, 1, n_pages, prefer))
        return
    with pool:
        yield from _one_by_one(read_pages(data, 1, mid, prefer))
        try:
            second = rest.result()
        except (BrokenProcessPool, OSError, RuntimeError):
            log.warning(
                "the process reading pages %d-%d failed; reading them here", mid + 1, n_pages, exc_info=True
            )
            second = read_page_list(data, mid + 1, n_pages, prefer)
        for page in second:
            yield page, False


def read_pdf(
    path: str | Path,
    *,
    prefer: PageReader = PageReader.PDFIUM,
    workers: int | None = None,
    early: EarlyTables | None = None,
) -> ExtractedSource:
    """Tables and prose of the PDF at ``path``, or :class:`SourceError`. ``prefer`` pdfplumber
    to read every page with it (for comparison); ``workers`` caps the processes (default: two
    for a long document); ``early`` is handed the tables of the pages read so far while the
    rest is read (see ``early.py``)."""
    spath = str(path)
    data = _load(spath)
    n_pages = _count_pages(spath, data)
    sha256 = hashlib.sha256(data).hexdigest()
    tables: list[RawTable] = []
    lines: list[TextLine] = []
    warns: list[str] = []
    heights: dict[int, float] = {}
    readers: dict[int, str] = {}
    n_glyphs = n_bad = 0
    handed = 0  # tables handed over early so far
    try:
        for page, live in _read_all(data, n_pages, prefer, workers):
            heights[page.pno] = page.height
            readers[page.pno] = page.reader.value
            tables += page.tables
            lines += page.lines
            if page.warning:
                warns.append(page.warning)
            n_glyphs += page.glyphs
            n_bad += page.bad
            if (
                early is not None
                and live
                and len(heights) < n_pages
                and len(tables) > handed
                and early.wants(len(heights), n_pages)
            ):
                handed = len(tables)
                # copies of the lists: the pages read next must not grow what was handed over
                part = assemble_source(
                    spath, data, n_pages, list(tables), list(lines), heights, list(warns), sha256=sha256
                )
                part.page_readers = dict(readers)
                early.take(part)
    except _BrokenPage as e:
        raise SourceError(
            spath, f"corrupt PDF: page {e.args[0]} cannot be read", SourceProblem.CORRUPT
        ) from None
    if n_glyphs == 0:
        raise SourceError(spath, "no text layer: OCR needed", SourceProblem.NO_TEXT_LAYER)
    if n_bad > _UNREADABLE_SHARE * n_glyphs:
        raise SourceError(spath, "text layer unreadable: OCR needed", SourceProblem.UNREADABLE_TEXT)
    src = assemble_source(spath, data, n_pages, tables, lines, heights, warns, sha256=sha256)
    src.page_readers = readers
    return src


def assemble_source(
    spath: str,
    data: bytes,
    n_pages: int,
    tables: list[RawTable],
    lines: list[TextLine],
    heights: dict[int, float],
    warns: list[str],
    *,
    sha256: str | None = None,
) -> ExtractedSource:
    """The read pages as one source, tables continued on the next page stitched together (the
    text layer's reader and the OCR reader end the same way); ``sha256`` of ``data`` when
    known."""
    parts = list(tables)
    try:
        tables = stitch(tables, lines, heights)
    except Exception:  # noqa: BLE001 - unstitched tables are still useful
        log_failure(log, "%s: stitching tables across pages failed", spath)
        warns.append("tables continued on the next page could not be joined")
    return ExtractedSource(
        path=spath,
        kind=SourceKind.PDF,
        sha256=sha256 if sha256 is not None else hashlib.sha256(data).hexdigest(),
        pages=n_pages,
        tables=tables,
        lines=lines,
        warnings=warns,
        parts=parts,
        page_heights=dict(heights),
    )
