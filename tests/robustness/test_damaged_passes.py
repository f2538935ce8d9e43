"""Item 4: a damaged report never counts as passed: one whose template was expected but not
recognised (read as printed tables), or whose template cells are mostly missing."""

from __future__ import annotations

from pathlib import Path

from tabledesk.batch.cli import run_check
from tabledesk.core.document import Cell, CellStatus
from tabledesk.exports.dataset import DocStatus, DocumentRecord
from tabledesk.review.review import Review


def _first_lines(src: Path, dst: Path, n: int) -> Path:
    """A report cut short after its first table (a damaged file read as far as it goes)."""
    lines = src.read_text(encoding="utf-8").splitlines()
    dst.write_text("\n".join(lines[:n]) + "\n", encoding="utf-8")
    return dst


def test_report_read_as_printed_tables_is_not_passed(reports, tmp_path) -> None:
    """Only the first table of the form is left: no template fits and the generic reading's
    sums balance — it used to count as passed (also under --strict)."""
    cut = _first_lines(reports["sample_txt"], tmp_path / "cut.txt", 19)
    review = Review.open(cut)
    assert review.document.template_id == "generic"
    record = DocumentRecord.from_review(str(cut), review.document, review.results)
    assert record.status is DocStatus.NO_TEMPLATE and "known report template" in record.reason


def test_mostly_empty_template_cells_are_never_passed(reports) -> None:
    review = Review.open(reports["sample_txt"])
    doc = review.document
    cells = [cell for t in doc.tables for _r, _c, cell in t.iter_cells()]
    for t in doc.tables:
        t.cells = [[Cell.missing(c.kind) for c in row] for row in t.cells]
    t0 = doc.tables[0]
    t0.cells[0][0] = Cell(cells[0].printed, cells[0].value, "1", CellStatus.OK)
    record = DocumentRecord.from_review("x.txt", doc, [])  # no check failed or was incomplete
    assert record.status is DocStatus.WARNINGS
    assert f"of {len(cells)} cells of the template were not found" in record.reason


def test_check_strict_fails_a_cut_report(reports, tmp_path) -> None:
    import io

    cut = _first_lines(reports["sample_txt"], tmp_path / "cut.txt", 19)
    out, err = io.StringIO(), io.StringIO()
    code = run_check([cut], jobs=1, strict=True, stdout=out, stderr=err)
    assert code == 1
    assert "passed:                  0" in out.getvalue()


def test_one_table_mostly_empty_is_never_passed(reports) -> None:
    """A flipped bit lost 表二 (its cells missing) while the other tables balance."""
    review = Review.open(reports["sample_txt"])
    doc = review.document
    t2 = doc.tables[0]
    t2.cells = [[Cell.missing(c.kind) for c in row] for row in t2.cells]
    record = DocumentRecord.from_review("x.txt", doc, [])
    assert record.status is DocStatus.WARNINGS
    assert record.reason.endswith("cells were not found (a damaged or unusual file)")
