"""One region of a page read again by OCR: what lay there is replaced (never duplicated), the
source is put together again, and a review takes the new reading and gives the old one back."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")

from tabledesk.checks.engine import CheckStatus  # noqa: E402
from tabledesk.core.document import SourceInfo  # noqa: E402
from tabledesk.core.edits import CellChange, Edit, EditReason  # noqa: E402
from tabledesk.core.provenance import Provenance  # noqa: E402
from tabledesk.core.source import ExtractedSource, RawCell, RawTable, SourceError, SourceKind, TextLine  # noqa: E402
from tabledesk.mapping.fit import document_for  # noqa: E402
from tabledesk.mapping.mapper import blank_document  # noqa: E402
from tabledesk.review.review import Review
from tabledesk.sources.pdf.extract import read_pdf  # noqa: E402
from tabledesk.sources.scan.extract import read_scan  # noqa: E402
from tabledesk.sources.scan.region import read_region, replace_region  # noqa: E402
from tabledesk.templates.registry import (
    builtin_template,  # noqa: E402
    template_by_id,  # noqa: E402
)
from tests.fixtures.pdf_report import render_pdf  # noqa: E402
from tests.fixtures.report_spec import ReportSpec, iter_cells, random_spec  # noqa: E402
from tests.fixtures.scan_pdf import scan_pdf  # noqa: E402

BBox = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportSpec, Path, dict[str, tuple[int, BBox]]]:
    """A scanned 2021 report and where each table sits, from the text layer of the PDF that
    was scanned (the scan keeps its geometry, up to a slight turn)."""
    root = tmp_path_factory.mktemp("region")
    spec = random_spec(random.Random(8), "2021")
    pdf = render_pdf(spec, root / "r.pdf")
    places: dict[str, tuple[int, BBox]] = {}
    src = read_pdf(pdf)
    for t in document_for(src).tables:
        provs = [c.prov for _r, _c, c in t.iter_cells() if c.prov.bbox is not None]
        pages = {p.page for p in provs}
        if len(pages) == 1:
            (page,) = pages
            y = provs[0].bbox[1]  # type: ignore[index]
            part = next(p for p in src.parts if p.prov.page == page and p.prov.bbox[1] <= y <= p.prov.bbox[3])  # type: ignore[index]
            x0, y0, x1, y1 = part.prov.bbox  # type: ignore[misc]
            places[t.id] = (page, (x0 - 15, y0 - 15, x1 + 15, y1 + 15))  # the rectangle a clerk draws
    return spec, scan_pdf(pdf, root / "r-scan.pdf", seed=8, skew_deg=0.3), places


def _wrong(spec: ReportSpec, doc, table: str) -> list:  # noqa: ANN001
    out = []
    for c in iter_cells(spec):
        if c.table != table:
            continue
        got = doc.cell(c.table, c.row, c.col).value if doc.has_cell(c.table, c.row, c.col) else None
        if got is None or Decimal(got) != Decimal(str(c.value)):
            out.append((c.row, c.col, c.value, got))
    return out


def test_a_region_of_a_scan_left_unread_fills_its_table(report) -> None:
    spec, scan, places = report
    template = builtin_template()
    doc = blank_document(template, template.formats[0].id, SourceInfo(str(scan), "pdf", "", 3))
    review = Review(doc, template)  # the grid to type in by hand, as the window opens it
    page, bbox = places["t4"]
    tables, lines, sha = read_region(scan, page, bbox)
    assert tables and len(sha) == 64
    src = replace_region(None, str(scan), 3, sha, page, bbox, tables, lines)
    mapping = review.region_mapping(page)
    assert mapping is not None and mapping[0] == template.id
    review.replace_source(src, mapping)
    assert doc.extracted is src
    assert not _wrong(spec, doc, "t4")
    # only the region was read: the other tables are still to be typed in
    assert all(c.value is None for _r, _c, c in doc.table("t3").iter_cells())


def test_reading_a_region_again_replaces_what_was_read_there(report) -> None:
    spec, scan, places = report
    before = read_scan(scan)
    page, bbox = places["t4"]
    tables, lines, sha = read_region(scan, page, bbox)
    after = replace_region(before, before.path, before.pages, sha, page, bbox, tables, lines)
    assert len(after.parts) == len(before.parts)
    assert len(after.tables) == len(before.tables)
    assert after.sha256 == before.sha256 and after.page_heights == before.page_heights
    doc = document_for(after)
    for table in ("t3", "t4"):
        assert not _wrong(spec, doc, table), table


def test_a_region_outside_the_page_is_one_clear_line(report) -> None:
    _spec, scan, _places = report
    with pytest.raises(SourceError, match="outside the page"):
        read_region(scan, 1, (700.0, 900.0, 800.0, 1000.0))
    with pytest.raises(SourceError, match="page 9 does not exist"):
        read_region(scan, 9, (0.0, 0.0, 100.0, 100.0))


def _table(page: int, bbox: BBox, text: str) -> RawTable:
    prov = Provenance(page=page, bbox=bbox)
    return RawTable([[RawCell(text, prov)]], prov, col_edges=[(bbox[0], bbox[2])])


def test_only_what_lies_in_the_region_is_replaced() -> None:
    inside = _table(2, (100, 100, 300, 200), "old")
    overlapping_little = _table(2, (100, 250, 300, 400), "below")  # a sliver in the region
    other_page = _table(3, (100, 100, 300, 200), "p3")
    src = ExtractedSource(
        "r.pdf",
        SourceKind.PDF,
        "abc",
        3,
        tables=[inside, overlapping_little, other_page],
        lines=[
            TextLine("标题", Provenance(page=2, bbox=(100, 40, 300, 60))),
            TextLine("表内文字", Provenance(page=2, bbox=(120, 150, 200, 160))),
        ],
        warnings=["read by OCR from 3 scanned page(s)", "page 2: the scan could not be read", "page 3: x"],
        parts=[inside, overlapping_little, other_page],
        page_heights={1: 842.0, 2: 842.0, 3: 842.0},
    )
    region = (90.0, 90.0, 310.0, 260.0)
    new = _table(2, (95, 95, 305, 205), "new")
    out = replace_region(src, "r.pdf", 3, "abc", 2, region, [new], [])
    assert [t.cells[0][0].text for t in out.parts] == ["new", "below", "p3"]  # type: ignore[union-attr]
    assert [ln.text for ln in out.lines] == ["标题"]
    assert out.warnings[:2] == ["read by OCR from 3 scanned page(s)", "page 3: x"]
    assert out.warnings[-1].startswith("page 2: a region was read again")
    # a region drawn inside a big table replaces that table
    inner = (150.0, 120.0, 250.0, 180.0)
    out2 = replace_region(src, "r.pdf", 3, "abc", 2, inner, [new], [])
    assert [t.cells[0][0].text for t in out2.parts] == ["new", "below", "p3"]  # type: ignore[union-attr]
    with pytest.raises(SourceError, match="only the pages of a PDF"):
        replace_region(
            ExtractedSource("r.txt", SourceKind.TEXT, "x", 0), "r.txt", 0, "x", 1, region, [new], []
        )


def test_a_review_takes_the_new_reading_keeps_corrections_and_gives_the_old_one_back(report) -> None:
    spec, scan, places = report
    src = read_scan(scan)
    doc = document_for(src)
    review = Review(doc, template_by_id(doc.template_id))
    # a correction the clerk made before reading the region again
    cell = doc.cell("t3", "new", "natural")
    review.apply(
        Edit((CellChange("t3", "new", "natural", cell.value, Decimal(9999)),), EditReason.EXTRACTION_ERROR)
    )
    before = (doc.extracted, (doc.template_id, doc.format_id, doc.overrides.copy()))
    page, bbox = places["t4"]
    tables, lines, sha = read_region(scan, page, bbox)
    new = replace_region(src, src.path, src.pages, sha, page, bbox, tables, lines)
    mapping = review.region_mapping(page)
    assert mapping is not None and mapping[:2] == (doc.template_id, doc.format_id)
    review.replace_source(new, mapping)
    assert doc.extracted is new
    assert doc.cell("t3", "new", "natural").value == Decimal(9999)  # the correction stays
    assert not _wrong(spec, doc, "t4")
    # checks rebuilt on the new tables: 表四 balances, the corrected 表三 column does not
    failing = {r.uid[0] for r in review.results if r.status is CheckStatus.FAILED}
    assert "t3" in failing and "t4" not in failing, failing
    review.replace_source(*before)
    assert doc.extracted is src
    assert doc.cell("t3", "new", "natural").value == Decimal(9999)
    # a grid typed in by hand (nothing extracted): back to the template's empty tables
    review.replace_source(None, mapping)
    assert doc.extracted is None
    assert doc.cell("t4", "all", "review.total").printed is None
