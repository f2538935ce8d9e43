"""Item 6: small inputs cannot buy outsized cost: spans past the cells-per-table limit leave
the table out with a warning, a Flate stream past the decompressed-bytes limit and a PDF past
the page limit are refused in one line; ``export --timeout`` gives up; OCR progress shows as
lines when stderr is not a terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tabledesk.core.source import SourceError, SourceProblem
from tabledesk.sources.html import MAX_TABLE_CELLS, parse_page, read_html
from tabledesk.sources.pdf.extract import read_pdf
from tabledesk.sources.pdf.limits import MAX_PAGES, MAX_STREAM_BYTES, inflates_past
from tests.conftest import REPO
from tests.robustness.generators import flate_bomb_pdf, minimal_pdf, span_bomb_html

ENV = {**os.environ, "PYTHONPATH": str(REPO / "desktop"), "QT_QPA_PLATFORM": "offscreen"}


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tabledesk", *args], capture_output=True, text=True, env=ENV, timeout=timeout
    )


def test_colspan_bomb_table_is_left_out_with_a_warning(tmp_path) -> None:
    page = span_bomb_html()  # 1,400 rows of a cell spanning 1,000 columns: 1.4 million positions
    assert len(page.encode()) <= 32_768
    tables, _, _title, warnings = parse_page(page)
    assert tables == [] and len(warnings) == 1
    assert f"more than {MAX_TABLE_CELLS:,} cells" in warnings[0]
    path = tmp_path / "bomb.html"
    path.write_text(page, encoding="utf-8")
    assert read_html(path).warnings[0] == warnings[0]


def test_many_tables_below_the_table_limit_stop_at_the_page_limit() -> None:
    one = "<table>" + "<tr><td colspan=1000>1</td>" * 19 + "</table>"  # 19,000 positions
    tables, _, _title, warnings = parse_page("<body>" + one * 40 + "</body>")
    assert 0 < len(tables) < 40 and warnings
    assert "in all" in warnings[-1]


def test_a_report_table_is_far_below_the_limits(reports) -> None:
    src = read_html(reports["html"])
    assert src.tables and not any("left out" in w for w in src.warnings)


def test_flate_bomb_is_refused_before_parsing(tmp_path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb_pdf())
    assert path.stat().st_size < 1_000_000
    with pytest.raises(SourceError) as err:
        read_pdf(path)
    assert err.value.kind is SourceProblem.CORRUPT
    assert f"inflates past {MAX_STREAM_BYTES // 2**20} MB" in str(err.value)


def test_report_pdfs_are_within_the_stream_limit(reports) -> None:
    for key in ("pdf", "sample_pdf"):
        assert not inflates_past(reports[key].read_bytes())


def test_pdf_past_the_page_limit_is_refused(tmp_path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(minimal_pdf(b"", pages=MAX_PAGES + 1))
    with pytest.raises(SourceError, match=f"{MAX_PAGES + 1} pages: more than {MAX_PAGES}"):
        read_pdf(path)


def test_export_timeout_gives_up_with_one_line(reports, tmp_path) -> None:
    out = tmp_path / "r.json"
    p = _cli("export", str(reports["sample_pdf"]), "-o", str(out), "--timeout", "0.001")
    assert p.returncode == 2
    assert p.stderr.strip() == f"{reports['sample_pdf']}: reading took longer than 0.001 s: given up"
    assert not out.exists()


def test_export_timeout_is_checked_before_reading(reports, tmp_path) -> None:
    p = _cli("export", str(reports["txt"]), "-o", str(tmp_path / "r.json"), "--timeout", "-1")
    assert p.returncode == 2 and "--timeout must be" in p.stderr


def test_ocr_progress_lines_when_stderr_is_not_a_terminal(tmp_path) -> None:
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")
    path = tmp_path / "blank.pdf"
    path.write_bytes(minimal_pdf(b"", pages=2))  # no text layer: read by OCR
    p = _cli("export", str(path), "-o", str(tmp_path / "blank.json"), timeout=300)
    assert "OCR: page 1/2\nOCR: page 2/2\n" in p.stderr
    assert "\r" not in p.stderr and "Traceback" not in p.stderr
