"""Scanned pages lying sideways or upside down in the image itself (no /Rotate): set upright
before reading, every cell's box still on the page as the PDF shows it; and a landscape page
shown upright by /Rotate 90 read the same way."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")

import pypdfium2 as pdfium  # noqa: E402
from PIL import Image  # noqa: E402

from tabledesk.core.source import ExtractedSource, RawTable  # noqa: E402
from tabledesk.sources.scan.engine import engine  # noqa: E402
from tabledesk.sources.scan.extract import read_scan  # noqa: E402
from tabledesk.sources.scan.page import page_image, upright  # noqa: E402
from tabledesk.sources.scan.region import read_region  # noqa: E402
from tests.fixtures.pdf_report import render_pdf  # noqa: E402
from tests.fixtures.report_spec import random_spec  # noqa: E402
from tests.fixtures.scan_pdf import DPI, scan_page, scan_pdf  # noqa: E402

BBox = tuple[float, float, float, float]
PAGE = 3  # the last page of a generated 2021 report: a small table (表四) and prose; quick to read
TOL = 1.5  # points: a box is found from the ink, and JPEG noise differs a little per scan


@pytest.fixture(scope="module")
def upright_scan(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, ExtractedSource, float, float]:
    """The report PDF, one page of it scanned the right way up, what OCR reads there and the
    page's width and height in points."""
    root = tmp_path_factory.mktemp("orient")
    pdf = render_pdf(random_spec(random.Random(1), "2021"), root / "r.pdf")
    scan = scan_pdf(pdf, root / "up.pdf", seed=1, skew_deg=0.0, pages=[PAGE])
    doc = pdfium.PdfDocument(str(scan))
    w, h = doc[0].get_size()
    assert page_image(doc, 1, engine()).turn == 0  # an upright page is left as it lies
    doc.close()
    src = read_scan(scan)
    assert src.tables and any(c is not None and c.text for c in src.tables[0].cells[-1])
    return pdf, scan, src, w, h


def _turned(b: BBox, turn: int, w: float, h: float) -> BBox:
    """Where box ``b`` of an upright ``w`` x ``h`` page lies once the page's picture is turned
    ``turn`` degrees counter-clockwise (a quarter turn making the page h wide and w high)."""
    x0, y0, x1, y1 = b
    if turn == 90:  # (x, y) -> (y, w - x)
        return (y0, w - x1, y1, w - x0)
    if turn == 180:  # (x, y) -> (w - x, h - y)
        return (w - x1, h - y1, w - x0, h - y0)
    if turn == 270:  # (x, y) -> (h - y, x)
        return (h - y1, x0, h - y0, x1)
    return b


def _same_tables(got: list[RawTable], want: list[RawTable], turn: int, w: float, h: float) -> None:
    assert len(got) == len(want)
    for tg, tw in zip(got, want, strict=True):
        assert tg.prov.bbox is not None and tw.prov.bbox is not None
        assert np.allclose(tg.prov.bbox, _turned(tw.prov.bbox, turn, w, h), atol=TOL)
        assert len(tg.cells) == len(tw.cells)
        for rg, rw in zip(tg.cells, tw.cells, strict=True):
            assert [c.text if c else None for c in rg] == [c.text if c else None for c in rw]
            for cg, cw in zip(rg, rw, strict=True):
                if cg is not None and cw is not None:
                    assert cg.prov.bbox is not None and cw.prov.bbox is not None
                    assert np.allclose(cg.prov.bbox, _turned(cw.prov.bbox, turn, w, h), atol=TOL), (cg, cw)


# (270 is read in the region test below; every turn's pixel mapping is checked at the end)
@pytest.mark.parametrize("turn", [90, 180])
def test_a_page_scanned_sideways_or_upside_down_is_read_upright_with_boxes_on_the_page_as_shown(
    upright_scan, tmp_path, turn
) -> None:
    pdf, _scan, want, w, h = upright_scan
    # a little askew on the glass as well: set upright, then straightened
    scan = scan_pdf(
        pdf, tmp_path / f"turned-{turn}.pdf", seed=1, skew_deg=0.2, pages=[PAGE], turn={PAGE: turn}
    )
    doc = pdfium.PdfDocument(str(scan))
    shown = doc[0].get_size()
    img = page_image(doc, 1, engine())
    doc.close()
    assert shown == pytest.approx((h, w) if turn in (90, 270) else (w, h), abs=0.5)  # the PDF shows it turned
    assert img.turn == turn
    got = read_scan(scan)
    _same_tables(got.tables, want.tables, turn, w, h)
    # the prose is read too, each line's box turned with the page
    lines = {ln.text: ln.prov.bbox for ln in want.lines}
    found = [(ln.prov.bbox, lines[ln.text]) for ln in got.lines if ln.text in lines]
    assert len(found) >= 0.8 * len(lines)
    for gb, wb in found:
        assert gb is not None and wb is not None
        assert np.allclose(gb, _turned(wb, turn, w, h), atol=TOL)


def test_a_landscape_page_shown_upright_by_rotate_90_keeps_its_boxes(upright_scan, tmp_path) -> None:
    """A picture lying sideways on its page with /Rotate 90 turning it upright for display:
    the page is rendered as shown, and boxes are on the page as shown (the upright one)."""
    pdf, _scan, want, w, h = upright_scan
    scan = scan_pdf(pdf, tmp_path / "side.pdf", seed=1, skew_deg=0.0, pages=[PAGE], turn={PAGE: 90})
    doc = pdfium.PdfDocument(str(scan))
    doc[0].set_rotation(90)  # clockwise on display: undoes the picture's quarter turn
    doc.save(str(tmp_path / "rotate90.pdf"))
    doc.close()
    doc = pdfium.PdfDocument(str(tmp_path / "rotate90.pdf"))
    assert doc[0].get_size() == pytest.approx((w, h), abs=0.5)
    assert page_image(doc, 1, engine()).turn == 0  # rendered as shown: already upright
    doc.close()
    _same_tables(read_scan(tmp_path / "rotate90.pdf").tables, want.tables, 0, w, h)


def test_a_region_drawn_on_a_sideways_page_is_read_there(upright_scan, tmp_path) -> None:
    """The clerk draws round a table on the page as shown (sideways): that table is read."""
    pdf, _scan, want, w, h = upright_scan
    scan = scan_pdf(pdf, tmp_path / "t270.pdf", seed=1, skew_deg=0.0, pages=[PAGE], turn={PAGE: 270})
    assert want.tables[0].prov.bbox is not None
    x0, y0, x1, y1 = _turned(want.tables[0].prov.bbox, 270, w, h)
    tables, _lines, _sha = read_region(scan, 1, (x0 - 10, y0 - 10, x1 + 10, y1 + 10))
    _same_tables(tables, want.tables[:1], 270, w, h)


def test_a_picture_of_a_table_lying_sideways_on_an_upright_page_is_read_in_its_region(
    upright_scan, tmp_path
) -> None:
    """The page is upright (its prose says so), the picture of a table pasted on it lies
    sideways: the region drawn round the picture is set upright on its own."""
    pdf, _scan, want, w, h = upright_scan
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[PAGE - 1].render(scale=DPI / 72).to_pil().convert("L")
    doc.close()
    px = DPI / 72
    assert want.tables[0].prov.bbox is not None
    x0, y0, x1, y1 = (round(v * px) for v in want.tables[0].prov.bbox)
    table = page.crop((x0 - 10, y0 - 10, x1 + 10, y1 + 10)).rotate(90, expand=True)
    prose = page.crop((0, y1 + 10, page.width, y1 + 10 + round(130 * px)))  # the lines under it
    sheet = Image.new("L", page.size, 255)
    sheet.paste(prose, (0, round(60 * px)))
    at = (round(150 * px), round(260 * px))
    sheet.paste(table, at)
    scan = scan_page(sheet, random.Random(2), skew_deg=0.0, noise=6.0)
    scan.save(tmp_path / "picture.pdf", "PDF", resolution=DPI)
    region = (at[0] / px - 5, at[1] / px - 5, (at[0] + table.width) / px + 5, (at[1] + table.height) / px + 5)
    doc = pdfium.PdfDocument(str(tmp_path / "picture.pdf"))
    assert page_image(doc, 1, engine()).turn == 0  # the page as a whole is upright
    doc.close()
    tables, _lines, _sha = read_region(tmp_path / "picture.pdf", 1, region)
    assert len(tables) == 1
    assert [[c.text if c else None for c in r] for r in tables[0].cells] == [
        [c.text if c else None for c in r] for r in want.tables[0].cells
    ]
    tb = tables[0].prov.bbox
    assert (
        tb is not None and region[0] <= tb[0] < tb[2] <= region[2] and region[1] <= tb[1] < tb[3] <= region[3]
    )
    assert tb[3] - tb[1] > tb[2] - tb[0]  # on the page as shown the table stands on its end


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_setting_a_turned_picture_upright_maps_its_pixels_back(turn) -> None:
    rng = np.random.default_rng(turn)
    a = rng.integers(0, 255, (7, 12), dtype=np.uint8)
    lying = np.asarray(Image.fromarray(a).rotate(turn, expand=True))  # Pillow: counter-clockwise
    up, back = upright(lying, turn)
    assert np.array_equal(up, a)
    for y, x in [(0, 0), (6, 11), (2, 9), (5, 1)]:
        # the centre of upright pixel (x, y) lands on the centre of the lying pixel it came from
        lx, ly, _one = back @ np.array([x + 0.5, y + 0.5, 1.0])
        assert lying[int(ly), int(lx)] == a[y, x]
