"""pdfium and pdfplumber read every fixture and the real reports alike.

The fast reader (pdfium) must give the very tables and prose the old one (pdfplumber) gives:
every cell's text in the same row and column on the same page, every prose line's text, and the
same places within a fraction of a point. Where pdfium's text cannot be trusted (rotated text,
glyphs without Unicode) the page is read by pdfplumber and the source says so.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from tabledesk.core.source import ExtractedSource
from tabledesk.sources.pdf import extract, pdfium_page, plumber_page
from tabledesk.sources.pdf.extract import read_pdf
from tabledesk.sources.pdf.facts import PageReader
from tabledesk.sources.pdf.ruling import table_cells
from tabledesk.sources.pdf.text import glyphs
from tests.fixtures.borderless_pdf import render_borderless_pdf
from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.raw_pdf import write_type3_pdf
from tests.fixtures.report_spec import FORMATS, random_layout, random_spec
from tests.sources.test_pdf_extract import VARIANTS

# Glyph boxes of fonts the PDF does not embed (the fixtures' STSong-Light) come from the
# substitute font in pdfium and from the PDF's descriptor in pdfminer: they may sit this much
# higher or lower. Embedded fonts (every real report) agree to a thousandth of a point.
_PLACE_TOL = 0.75
_N_RANDOM = 4


def _fixtures(root: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for name, (fmt, seed, knobs) in VARIANTS.items():
        out[name] = render_pdf(random_spec(random.Random(seed), fmt, **dict(knobs)), root / f"{name}.pdf")
    for i in range(_N_RANDOM):  # the benchmark's sweep: every knob in random combinations
        rng = random.Random(1000 + i)
        fmt = FORMATS[i % 2]
        spec = random_spec(rng, fmt, layout=random_layout(rng))
        out[f"random-{fmt}-{i}"] = render_pdf(spec, root / f"random-{i}.pdf")
    spec = random_spec(random.Random(9), "2021")
    out["borderless"] = render_borderless_pdf(spec, root / "borderless.pdf")
    return out


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _fixtures(tmp_path_factory.mktemp("readers"))


def _texts(src: ExtractedSource) -> tuple[list[object], list[tuple[int | None, str]]]:
    tables = [
        [[(c.text, c.row_span, c.col_span, c.prov.page) if c else None for c in row] for row in t.cells]
        for t in src.tables
    ]
    return tables, [(ln.prov.page, ln.text) for ln in src.lines]


def _places(src: ExtractedSource) -> list[tuple[float, ...]]:
    cells = [c.prov.bbox for t in src.tables for row in t.cells for c in row if c and c.prov.bbox]
    return [*cells, *(ln.prov.bbox for ln in src.lines if ln.prov.bbox)]


def _assert_same(fast: ExtractedSource, old: ExtractedSource, tol: float) -> None:
    assert _texts(fast) == _texts(old)
    a, b = _places(fast), _places(old)
    assert len(a) == len(b)
    worst = max(
        (abs(u - v) for x, y in zip(a, b, strict=True) for u, v in zip(x, y, strict=True)), default=0.0
    )
    assert worst <= tol
    assert fast.pages == old.pages and fast.page_heights == old.page_heights


@pytest.mark.parametrize(
    "name", [*VARIANTS, *(f"random-{FORMATS[i % 2]}-{i}" for i in range(_N_RANDOM)), "borderless"]
)
def test_pdfium_reads_every_fixture_as_pdfplumber_does(fixtures: dict[str, Path], name: str) -> None:
    fast = read_pdf(fixtures[name])
    old = read_pdf(fixtures[name], prefer=PageReader.PDFPLUMBER)
    assert set(fast.page_readers.values()) == {"pdfium"}
    assert set(old.page_readers.values()) == {"pdfplumber"}
    _assert_same(fast, old, _PLACE_TOL)
    fast_weights, old_weights = _weights(fixtures[name])
    assert fast_weights == old_weights


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["hongze-district-2023", "hongze-district-2024"])
def test_pdfium_reads_the_real_reports_as_pdfplumber_does(corpus: Path, name: str) -> None:
    """Embedded fonts, vertical writing in the 三、本年度办理结果 cell (pdfium's loose box of such
    a glyph is the unscaled font size square: boxed from its origin instead)."""
    fast = read_pdf(corpus / f"{name}.pdf")
    old = read_pdf(corpus / f"{name}.pdf", prefer=PageReader.PDFPLUMBER)
    assert set(fast.page_readers.values()) == {"pdfium"}
    _assert_same(fast, old, 0.01)
    fast_weights, old_weights = _weights(corpus / f"{name}.pdf")
    assert fast_weights == old_weights
    # 2023's headings of 表一 are set in 微软雅黑-Bold; 2024 prints no bold face
    assert sum(n for (_page, _text, bold), n in fast_weights.items() if bold) == (
        12 if name.endswith("2023") else 0
    )


def _weights(path: Path) -> tuple[Counter[tuple[int, str, bool]], Counter[tuple[int, str, bool]]]:
    """Every glyph's (page, text, bold) as pdfium's and as pdfplumber's page reader give them."""
    import pypdfium2 as pdfium

    data = path.read_bytes()
    fast: Counter[tuple[int, str, bool]] = Counter()
    old: Counter[tuple[int, str, bool]] = Counter()
    doc = pdfium.PdfDocument(data)
    try:
        for i in range(len(doc)):
            page = doc[i]
            facts = pdfium_page.read_page(page)
            page.close()
            assert facts is not None
            fast.update((i + 1, g.text, g.bold) for g in glyphs(facts.chars)[0])
    finally:
        doc.close()
    with plumber_page.open_pdf(data) as pdf:
        for i, p in enumerate(pdf.pages):
            facts, _boxes = plumber_page.read_page(p)
            old.update((i + 1, g.text, g.bold) for g in glyphs(facts.chars)[0])
    return fast, old


def test_both_readers_read_the_weight_from_the_font_name(tmp_path: Path) -> None:
    """A bold heading and a bold total beside regular text, in a Latin and a CJK face: both
    readers mark the very glyphs set in a face named bold, and no other."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    p = tmp_path / "bold.pdf"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(p), invariant=1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 760, "Table 1")
    c.setFont("STSong-Light", 12)
    c.drawString(72, 730, "新收申请")
    c.setFont("Helvetica", 12)
    c.drawString(200, 730, "12")
    c.setFont("Helvetica-BoldOblique", 12)
    c.drawString(72, 710, "Total")
    c.setFont("Helvetica-Bold", 12)
    c.drawString(200, 710, "34")
    c.save()
    fast, old = _weights(p)
    assert fast == old
    assert sorted(text for (_page, text, bold) in fast.elements() if bold) == sorted("Table1Total34")
    assert sorted(text for (_page, text, bold) in fast.elements() if not bold) == sorted("新收申请12")


def test_the_table_finder_finds_pdfplumbers_cells(fixtures: dict[str, Path]) -> None:
    """ruling.py is pdfplumber's find_tables on plain tuples: on pdfplumber's own rectangles,
    lines and curves it finds exactly pdfplumber's cells, page by page."""
    pages = 0
    for path in (fixtures[name] for name in VARIANTS):
        pdf = plumber_page.open_pdf(path.read_bytes())
        with pdf:
            for page in pdf.pages:
                facts, boxes = plumber_page.read_page(page)
                # (the same sums in another order may differ in the last bit)
                assert _rounded(table_cells(facts)) == _rounded(boxes), (path.name, page.page_number)
                pages += 1
    assert pages > 2 * len(VARIANTS)


def _rounded(tables: list[list[tuple[float, float, float, float]]]) -> list[list[tuple[float, ...]]]:
    return [[tuple(round(v, 6) for v in box) for box in t] for t in tables]


def _canvas(path: Path):  # noqa: ANN202
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont("STSong-Light", 12)
    return c


def _grid(c, top: float, rows: list[list[str]]) -> None:  # noqa: ANN001
    """A ruled table with its text, column width 90 points, row height 20."""
    width = 90 * len(rows[0])
    for r in range(len(rows) + 1):
        c.line(72, top - 20 * r, 72 + width, top - 20 * r)
    for k in range(len(rows[0]) + 1):
        c.line(72 + 90 * k, top, 72 + 90 * k, top - 20 * len(rows))
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            c.drawString(78 + 90 * k, top - 20 * r - 14, text)


def test_a_page_with_rotated_text_is_read_by_pdfplumber(tmp_path: Path) -> None:
    """pdfium's character boxes ignore a glyph's rotation: such a page goes to pdfplumber, the
    next (upright) page is still pdfium's, and the table on each reads the same."""
    p = tmp_path / "rotated.pdf"
    c = _canvas(p)
    _grid(c, 700, [["项目", "件数"], ["新收申请", "12"]])
    c.saveState()
    c.translate(560, 300)
    c.rotate(90)
    c.drawString(0, 0, "旋转的页边说明")
    c.restoreState()
    c.showPage()
    c.setFont("STSong-Light", 12)
    _grid(c, 700, [["项目", "件数"], ["办结", "11"]])
    c.save()
    src = read_pdf(p)
    assert src.page_readers == {1: "pdfplumber", 2: "pdfium"}
    assert [[c.text for c in row if c] for t in src.tables for row in t.cells] == [
        ["项目", "件数"],
        ["新收申请", "12"],
        ["项目", "件数"],
        ["办结", "11"],
    ]
    _assert_same(src, read_pdf(p, prefer=PageReader.PDFPLUMBER), _PLACE_TOL)


def test_vertical_writing_is_read_as_one_label(tmp_path: Path) -> None:
    """A label set in a vertical font (UniGB-UCS2-V): one glyph under the other, read as
    pdfplumber reads it."""
    p = tmp_path / "vertical.pdf"
    c = _canvas(p)
    c.drawString(100, 700, "本年度办理结果")
    c.save()
    data = p.read_bytes()
    assert data.count(b"UniGB-UCS2-H") == 1
    p.write_bytes(data.replace(b"UniGB-UCS2-H", b"UniGB-UCS2-V"))
    fast, old = read_pdf(p), read_pdf(p, prefer=PageReader.PDFPLUMBER)
    assert fast.page_readers == {1: "pdfium"}
    # one glyph a line, top to bottom, in both
    assert [ln.text for ln in fast.lines] == [ln.text for ln in old.lines] == list("本年度办理结果")
    # pdfium boxes a glyph in a vertical font that is not embedded 0.12 em lower than pdfminer
    _assert_same(fast, old, 0.12 * 12 + 0.01)


def test_a_long_document_read_on_two_processes_is_read_alike(
    fixtures: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages read in the pool come back in order, stitched as when read in one process."""
    path = fixtures["2021-break-split"]
    one = read_pdf(path, workers=1)
    monkeypatch.setattr(extract, "POOL_MIN_PAGES", 2)
    two = read_pdf(path, workers=2)
    assert one.pages >= 3
    assert _texts(two) == _texts(one)
    assert _places(two) == _places(one)
    assert two.page_readers == one.page_readers


def test_a_long_document_is_read_here_when_no_process_can_be_started(
    fixtures: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    def no_process(*args: object, **kwargs: object) -> None:
        raise OSError("too many processes")

    path = fixtures["2021-frame-repeat-bold"]
    one = read_pdf(path, workers=1)
    monkeypatch.setattr(extract, "POOL_MIN_PAGES", 2)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_process)
    two = read_pdf(path, workers=2)
    assert _texts(two) == _texts(one) and two.warnings == one.warnings


def test_pages_read_by_pdfplumber_leave_no_pdfminer_objects_behind(fixtures: dict[str, Path]) -> None:
    """pdfplumber's pages and pdfminer's content streams form reference cycles: without a
    collection when the reader is done, a long document's would stay in memory (tens of MB)
    until the collector happens to run."""
    import gc

    from pdfminer.pdftypes import PDFStream
    from pdfplumber.page import Page

    gc.disable()  # as if the collector's thresholds were not reached while reading
    try:
        src = read_pdf(fixtures["2021-big-type"], prefer=PageReader.PDFPLUMBER)
        assert src.tables
        assert not any(isinstance(o, Page | PDFStream) for o in gc.get_objects())
    finally:
        gc.enable()


def _type3_pdf(path: Path) -> None:
    """Digits in a Type 3 font (glyphs drawn as paths, as some converters write numbers) with a
    ToUnicode map, its last glyph a ligature mapped to two letters ("fi")."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T3 def "
        b"1 begincodespacerange <01> <0a> endcodespacerange 10 beginbfchar "
        + b" ".join(b"<%02x> <%04x>" % (i, 0x30 + i - 1) for i in range(1, 10))
        + b" <0a> <00660069> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    content = (
        b"BT /F1 12 Tf 72 700 Td <0102030405060708090a> Tj ET"
        b" BT /F1 12 Tf 72 650 Td <0203> Tj 100 0 Td <0405> Tj ET"
    )
    write_type3_pdf(path, content, cmap)


def test_a_type3_font_with_a_unicode_map_and_a_ligature_is_read_by_pdfium(tmp_path: Path) -> None:
    """pdfium gives a ligature glyph as its two letters, pdfminer as one two-letter glyph: the
    text and its place come out the same."""
    p = tmp_path / "type3.pdf"
    _type3_pdf(p)
    fast, old = read_pdf(p), read_pdf(p, prefer=PageReader.PDFPLUMBER)
    assert fast.page_readers == {1: "pdfium"}
    assert [ln.text for ln in fast.lines] == ["012345678fi", "12", "34"]
    _assert_same(fast, old, 0.01)


def test_an_owner_password_pdf_is_read_from_its_text_layer(tmp_path: Path) -> None:
    """pdfminer reads the CID fonts of a PDF locked with an owner password as (cid:…) glyphs
    (such a report used to go to OCR); pdfium reads its text: every value, exactly."""
    from decimal import Decimal

    from tabledesk.mapping.mapper import map_source
    from tabledesk.templates.registry import load_templates
    from tests.fixtures.report_spec import iter_cells

    spec = random_spec(random.Random(6), "2021", owner_password="owner")
    path = render_pdf(spec, tmp_path / "locked.pdf")
    src = read_pdf(path)
    assert set(src.page_readers.values()) == {"pdfium"}
    doc = map_source(src, load_templates()[0])
    for c in iter_cells(spec):
        got = doc.cell(c.table, c.row, c.col).value if doc.has_cell(c.table, c.row, c.col) else None
        assert got is not None and Decimal(got) == Decimal(str(c.value)), c
