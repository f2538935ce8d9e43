"""Scanned reports read by OCR: generated scans (our own report PDFs rendered to 150-dpi images,
turned a little, speckled, wrapped back into image-only PDFs), every number recovered; uncertain
cells; no network connection, ever. Tables ruled with horizontal lines only: test_ocr_rules_only.py."""

from __future__ import annotations

import json
import random
import socket
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")

from tabledesk.cli import main  # noqa: E402
from tabledesk.core.provenance import Provenance  # noqa: E402
from tabledesk.core.source import ExtractedSource, RawCell, SourceError, SourceProblem  # noqa: E402
from tabledesk.mapping.mapper import map_source  # noqa: E402
from tabledesk.sources.reader import read_source  # noqa: E402
from tabledesk.sources.scan import engine as ocr_mod  # noqa: E402
from tabledesk.templates.registry import load_templates  # noqa: E402
from tests.fixtures.pdf_report import render_pdf  # noqa: E402
from tests.fixtures.report_spec import ReportSpec, iter_cells, random_spec  # noqa: E402
from tests.fixtures.scan_pdf import scan_pdf  # noqa: E402

TEMPLATES, _ = load_templates()

# name -> (format, seed, knobs, skew): a plain 2021 report; a 2019 one with blank zeros,
# thousands separators, small type and a rule left out in one row
SCANS: dict[str, tuple[str, int, dict[str, object], float | None]] = {
    "2021-grid": ("2021", 1, {"t3_break_before": "results.denied.law"}, None),
    "2019-blank-seps": (
        "2019",
        5,
        {"blank_zeros": True, "thousands_sep": True, "font_size": 8.0, "missing_vline": "new"},
        -0.5,
    ),
}


class NetworkUsed(AssertionError):
    pass


@pytest.fixture(scope="session")
def no_network():
    """Every way out of the process fails loudly and is recorded while OCR runs."""
    attempts: list[str] = []
    saved = (socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto, socket.create_connection)

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args[1:] if len(args) > 1 else args))
        raise NetworkUsed("network connection attempted")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.socket.sendto = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    try:
        yield attempts
    finally:
        (
            socket.socket.connect,  # type: ignore[method-assign]
            socket.socket.connect_ex,  # type: ignore[method-assign]
            socket.socket.sendto,  # type: ignore[method-assign]
            socket.create_connection,
        ) = saved


@pytest.fixture(scope="session")
def scans(
    tmp_path_factory: pytest.TempPathFactory, no_network
) -> dict[str, tuple[ReportSpec, Path, ExtractedSource]]:
    root = tmp_path_factory.mktemp("scan")
    ocr_mod._engine = None  # load the engine under the network guard
    out = {}
    for name, (fmt, seed, knobs, skew) in SCANS.items():
        spec = random_spec(random.Random(seed), fmt, **dict(knobs))
        pdf = render_pdf(spec, root / f"{name}.pdf")
        scan = scan_pdf(pdf, root / f"{name}-scan.pdf", seed=seed, skew_deg=skew)
        out[name] = (spec, scan, read_source(scan, ocr=True))
    return out


def _recovered(
    spec: ReportSpec, src: ExtractedSource, tables: tuple[str, ...] | None = None
) -> tuple[int, int, list]:
    doc = map_source(src, TEMPLATES)
    bad = []
    n = 0
    for c in iter_cells(spec):
        if tables and c.table not in tables:
            continue
        n += 1
        got = doc.cell(c.table, c.row, c.col).value if doc.has_cell(c.table, c.row, c.col) else None
        if got is None or Decimal(got) != Decimal(str(c.value)):
            bad.append((c.table, c.row, c.col, c.value, got))
    return n - len(bad), n, bad


@pytest.mark.parametrize("name", list(SCANS))
def test_every_number_of_a_scanned_report_is_recovered(scans, name) -> None:
    spec, _path, src = scans[name]
    ok, n, bad = _recovered(spec, src)
    assert not bad, bad[:10]
    doc = map_source(src, TEMPLATES)
    assert doc.format_id == spec.format
    assert (doc.agency, doc.year) == (spec.agency, spec.year)


def test_cells_keep_their_place_on_the_page_and_the_recogniser_confidence(scans) -> None:
    _spec, _path, src = scans["2021-grid"]
    assert src.pages == 3 and src.tables
    for t in src.tables:
        for row in t.cells:
            for c in row:
                if c is None:
                    continue
                assert c.prov.page in (1, 2, 3)
                x0, top, x1, bottom = c.prov.bbox
                assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842
                if c.text.strip():
                    assert c.confidence is not None and 0.0 <= c.confidence <= 1.0
                    # each character's confidence, the least of them the cell's
                    assert len(c.char_confidence) == len(c.text), c
                    assert (
                        min(p for ch, p in zip(c.text, c.char_confidence, strict=True) if ch != "\n")
                        >= c.confidence
                    )
    doc = map_source(src, TEMPLATES)
    cell = doc.cell("t3", "new", "total")
    assert cell.ocr_confidence is not None and cell.prov.page is not None


def test_the_scan_makes_no_network_connection(scans, no_network) -> None:
    assert scans  # the OCR above ran (engine loaded, every page read) under the guard
    assert no_network == []
    import os

    assert os.environ.get("ORT_DISABLE_TELEMETRY") == "1"


def test_uncertain_cells_come_from_low_confidence(scans) -> None:
    spec, _path, src = scans["2021-grid"]
    # the recogniser's word on one number, forced low: the cell says so until corrected
    raw = next(c for t in src.tables for row in t.cells for c in row if c is not None and c.text == "0")
    raw.confidence = 0.42
    doc = map_source(src, TEMPLATES)
    cells = [c for t in doc.tables for _, _, c in t.iter_cells() if c.ocr_confidence == 0.42]
    assert cells and all(c.uncertain for c in cells)
    cells[0].value = Decimal(7)  # a correction clears it
    assert not cells[0].uncertain
    raw.confidence = 1.0


def test_text_pdfs_have_no_ocr_confidence(tmp_path) -> None:
    spec = random_spec(random.Random(8), "2021")
    doc = map_source(read_source(render_pdf(spec, tmp_path / "t.pdf"), ocr=True), TEMPLATES)
    assert all(c.ocr_confidence is None and not c.uncertain for t in doc.tables for _, _, c in t.iter_cells())
    assert RawCell("1", Provenance()).confidence is None


def test_export_reads_a_scan_and_no_ocr_gives_the_old_message(scans, tmp_path, capsys) -> None:
    spec, _scan, _src = scans["2019-blank-seps"]
    # one page (the one with 表四) keeps this quick
    import pdfplumber

    pdf = render_pdf(spec, tmp_path / "r.pdf")
    with pdfplumber.open(pdf) as p:
        page = next(i for i, pg in enumerate(p.pages, start=1) if "复议后起诉" in (pg.extract_text() or ""))
    scan = scan_pdf(pdf, tmp_path / "p.pdf", seed=2, pages=[page])
    out = tmp_path / "out.json"
    assert main(["export", str(scan), "-o", str(tmp_path / "x.json"), "--no-ocr"]) == 2
    assert "no text layer" in capsys.readouterr().err
    # one table alone is too little to detect the template from: name it
    assert (
        main(["export", str(scan), "-o", str(out), "--template", spec.template_id, "--format", spec.format])
        == 0
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert any(t["id"] == "t4" for t in data["tables"])
    doc = map_source(
        read_source(scan, ocr=True), TEMPLATES, template_id=spec.template_id, format_id=spec.format
    )
    for col, value in spec.values["t4"]["all"].items():
        assert doc.cell("t4", "all", col).value == Decimal(str(value))


def test_missing_ocr_extra_is_one_clear_line(monkeypatch, tmp_path) -> None:
    import sys

    monkeypatch.setattr(ocr_mod, "_engine", None)
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(SourceError) as e:
        ocr_mod.engine(str(tmp_path / "scan.pdf"))
    assert "pip install" in str(e.value) and e.value.kind is SourceProblem.NO_TEXT_LAYER


def test_a_build_without_opencv_says_how_to_install_ocr(monkeypatch, tmp_path, scans) -> None:
    import sys

    _spec, scan, _src = scans["2021-grid"]
    monkeypatch.setitem(sys.modules, "cv2", None)
    monkeypatch.delitem(sys.modules, "tabledesk.sources.scan.extract", raising=False)
    with pytest.raises(SourceError) as e:
        read_source(scan, ocr=True)
    assert "pip install" in str(e.value) and e.value.kind is SourceProblem.NO_TEXT_LAYER


def test_uncertain_cells_are_counted_in_the_export_and_ranked_first_for_suggestions():
    import random
    from decimal import Decimal

    from tabledesk.checks.suggest import suggest
    from tabledesk.exports.json_export import document_json
    from tabledesk.review.review import Review
    from tabledesk.templates.registry import builtin_template
    from tests.fixtures.documents import document_from_spec
    from tests.fixtures.report_spec import random_spec

    spec = random_spec(random.Random(4), "2021")
    doc = document_from_spec(spec)
    # 表四's 行政复议 group: make its total wrong by one, and let OCR have doubted one of its parts
    cell = doc.cell("t4", "all", "review.total")
    cell.value = cell.printed = cell.value + 1
    doubted = doc.cell("t4", "all", "review.pending")
    doubted.ocr_confidence = 0.42
    for other in ("review.upheld", "review.corrected", "review.other"):
        doc.cell("t4", "all", other).ocr_confidence = 0.99
    review = Review(doc, builtin_template())
    data = document_json(review.document, review.results)
    t4 = next(t for t in data["tables"] if t["id"] == "t4")
    assert t4["uncertain"] == 1
    col = [c["id"] for c in t4["columns"]].index("review.pending")
    assert t4["cells"][0][col]["status"] == "uncertain" and t4["cells"][0][col]["ocr_confidence"] == 0.42
    best = suggest(review)[0]
    assert [ch.key for ch in best.changes] == [("t4", "all", "review.pending")]
    assert best.changes[0].new == doubted.value + Decimal(1)


def test_a_confirmed_cell_is_no_longer_uncertain_in_the_export_and_back_from_it() -> None:
    import random

    from tabledesk.core.edits import CellChange, Edit
    from tabledesk.exports.json_export import document_json
    from tabledesk.review.review import Review
    from tabledesk.store.codec import document_from_export
    from tabledesk.templates.registry import builtin_template
    from tests.fixtures.documents import document_from_spec
    from tests.fixtures.report_spec import random_spec

    doc = document_from_spec(random_spec(random.Random(5), "2021"))
    a, b = doc.cell("t4", "all", "review.upheld"), doc.cell("t4", "all", "review.pending")
    a.ocr_confidence = b.ocr_confidence = 0.5
    review = Review(doc, builtin_template())
    review.apply(Edit((CellChange("t4", "all", "review.upheld", a.value, a.value),)))  # typed the same again
    data = document_json(review.document, review.results)
    t4 = next(t for t in data["tables"] if t["id"] == "t4")
    assert t4["uncertain"] == 1
    back = document_from_export(data, builtin_template())
    assert not back.cell("t4", "all", "review.upheld").uncertain
    assert back.cell("t4", "all", "review.pending").uncertain


def test_a_pdf_whose_text_layer_is_unreadable_is_read_by_ocr(tmp_path, monkeypatch) -> None:
    """Owner-password PDFs whose embedded fonts have no ToUnicode map come out of pdfminer as
    (cid:…) glyphs; the rendered pages are what the clerk sees, and OCR reads them. (pdfium may
    read such a text layer from the fonts' own tables, so here it declines every page, as it
    does a page whose glyphs have no Unicode, and pdfplumber reads them.)"""
    from tabledesk.sources.pdf import pdfium_page

    monkeypatch.setattr(pdfium_page, "read_page", lambda page: None)
    spec = random_spec(random.Random(6), "2021", owner_password="owner", drop_tounicode=True)
    pdf = render_pdf(spec, tmp_path / "locked.pdf")
    with pytest.raises(SourceError) as e:
        read_source(pdf)
    assert e.value.kind is SourceProblem.UNREADABLE_TEXT
    src = read_source(pdf, ocr=True)
    assert "read by OCR" in src.warnings[0]
    ok, n, bad = _recovered(spec, src, tables=("t3", "t4"))
    assert not bad, bad[:10]
