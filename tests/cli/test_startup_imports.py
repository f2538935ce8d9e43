"""Start-up is paid once, and only for what a command uses: `tabledesk export` of a text PDF to
Excel loads neither pdfplumber (pdfium reads the pages), pandas, onnxruntime, numpy nor Pillow,
and looks up no package metadata."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.report_spec import random_spec

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("pdfplumber", "pdfminer", "pandas", "onnxruntime", "numpy", "PIL", "importlib.metadata")

_PROBE = """
import sys
from tabledesk.cli import main
code = main(["export", sys.argv[1], "-o", sys.argv[2]])
print(code, " ".join(m for m in sys.argv[3:] if m in sys.modules))
"""


def test_an_excel_export_of_a_text_pdf_loads_only_what_it_uses(tmp_path: Path) -> None:
    pdf = render_pdf(random_spec(random.Random(3), "2021"), tmp_path / "report.pdf")
    out = tmp_path / "report.xlsx"
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(pdf), str(out), *HEAVY],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "desktop")},
    )
    code, _, loaded = proc.stdout.strip().rpartition("\n")[2].partition(" ")
    assert code == "0" and out.stat().st_size > 0
    assert loaded == ""


_CHECK_PROBE = """
import sys
from tabledesk.cli import main
code = main(["check", "-q", "-j", "1", sys.argv[1], "--json-dir", sys.argv[2]])
print(code, " ".join(m for m in sys.argv[3:] if m in sys.modules))
"""


def test_a_check_without_a_dataset_loads_no_pandas(tmp_path: Path) -> None:
    """pandas (half a second) is for the dataset: `check` without --out never loads it; with
    --out it is loaded on a thread while the workers read (batch/preload.py)."""
    pdf = render_pdf(random_spec(random.Random(3), "2021"), tmp_path / "report.pdf")
    proc = subprocess.run(
        [sys.executable, "-c", _CHECK_PROBE, str(pdf), str(tmp_path / "json"), *HEAVY],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO / "desktop")},
    )
    code, _, loaded = proc.stdout.strip().rpartition("\n")[2].partition(" ")
    assert code in ("0", "1"), proc.stderr
    assert list((tmp_path / "json").glob("*.json"))
    assert loaded == ""
