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


# Variants of the fuzz round (tests/robustness/test_fuzz.py) with a page pdfium cannot load
# ("PdfiumError: Failed to load page", once an internal error) and pdfminer does not find.
def test_page_pdfium_cannot_load_is_a_corrupt_page_not_an_internal_error(reports, monkeypatch) -> None:
    """A page pdfium cannot load (a damaged page object, as the fuzz round's bit flips made)
    and pdfplumber cannot read either: one line naming the page, not an internal error. The
    damage is simulated at both readers, so the test does not hang on which mutation of a
    generated file happens to break a page (that changes with the fixtures' fonts)."""
    from tabledesk.core.source import SourceError, SourceProblem
    from tabledesk.sources.pdf import extract
    from tabledesk.sources.pdf.extract import read_pdf

    real_open = extract._open_pdfium

    class Damaged:
        """pdfium's document with a second page object it cannot load."""

        def __init__(self, doc: object) -> None:
            self.doc = doc

        def __getitem__(self, index: int) -> object:
            if index == 1:
                raise RuntimeError("pdfium: cannot load page object")
            return self.doc[index]  # type: ignore[index]

        def __getattr__(self, name: str) -> object:  # len(), close() …: the real document's
            return getattr(self.doc, name)

        def __len__(self) -> int:
            return len(self.doc)  # type: ignore[arg-type]

    def open_damaged(path: str, data: bytes) -> object:
        return Damaged(real_open(path, data))

    def unreadable(page: object) -> object:
        raise ValueError("pdfminer: damaged content stream")

    monkeypatch.setattr(extract, "_open_pdfium", open_damaged)
    monkeypatch.setattr(extract.plumber_page, "read_page", unreadable)
    with pytest.raises(SourceError) as err:
        read_pdf(reports["pdf"], workers=1)
    assert err.value.kind is SourceProblem.CORRUPT and str(err.value).endswith("page 2 cannot be read")


def test_export_reports_a_reader_bug_in_one_line(reports, tmp_path, capsys, monkeypatch) -> None:
    from tabledesk.cli import main
    from tabledesk.review.review import Review

    def broken(*args: object, **kwargs: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(Review, "open", broken)
    assert main(["export", str(reports["txt"]), "-o", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert err == f"{reports['txt']}: internal error: IndexError: list index out of range\n"


def test_lone_surrogate_from_a_damaged_font_map_is_exported(reports, tmp_path) -> None:
    """A fuzz variant whose damaged ToUnicode map gives pdfium a lone UTF-16 surrogate: the
    export JSON could not be encoded and the document was an internal error."""
    from tabledesk.exports.writer import write_export
    from tabledesk.review.review import Review
    from tests.robustness.generators import pdf_variants

    seeds = {p.name: p.read_bytes() for p in (reports["sample_pdf"], reports["pdf"], reports["pdf2019"])}
    name = "r2019.truncate_keep_eof.119933368.pdf"
    path = tmp_path / name
    path.write_bytes(dict(pdf_variants(seeds, 200, seed=18))[name])
    review = Review.open(path, ocr=False)
    write_export(review, tmp_path / "out.json")
    assert (tmp_path / "out.json").read_text(encoding="utf-8")
