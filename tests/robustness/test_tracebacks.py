"""Item 9: a failure the program gets past (OCR of a page pdfium cannot render) is one log line
on stderr, not a traceback, unless -v asks for details."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.robustness.generators import minimal_pdf

SCRIPT = """
import sys
import tabledesk.sources.scan.extract as scan

def unrenderable(doc, pno, ocr):
    raise RuntimeError("Failed to render page " + str(pno))

scan.page_image = unrenderable
from tabledesk.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("verbose", [False, True])
def test_unrenderable_page_is_one_line_without_v(tmp_path, verbose) -> None:
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")
    path = tmp_path / "scan.pdf"
    path.write_bytes(minimal_pdf(b"", pages=1))
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    args = ["export", str(path), "-o", str(tmp_path / "x.json"), *(["-v"] if verbose else [])]
    p = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, env=env, timeout=300
    )
    assert p.returncode == 2  # nothing could be read: no tables
    assert "OCR of page 1 failed: RuntimeError: Failed to render page 1" in p.stderr
    assert ("Traceback" in p.stderr) is verbose
    if not verbose:
        lines = [x for x in p.stderr.splitlines() if x.strip() and not x.startswith("OCR: page")]
        assert len(lines) == 2, p.stderr  # the failed page, then why nothing was exported
