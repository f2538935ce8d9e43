"""Item 3: every CSV writer guards text that a spreadsheet would run as a formula, in one place;
numbers stay numbers."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal

import pytest

from tabledesk.cli import main
from tabledesk.exports.csv_writer import csv_bytes
from tabledesk.exports.dataset import DocStatus, DocumentRecord, build_dataset, dataset_bytes
from tests.robustness.generators import FORMULAS


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("text", [*FORMULAS, "\tx", "\rx"])
def test_csv_writer_guards_every_text_field(text) -> None:
    (row,) = _rows(csv_bytes([[text, -5, Decimal("-1.50"), 2.5, None]]))
    assert row == ["'" + text, "-5", "-1.50", "2.5", ""]


def test_dataset_csv_guards_file_names_and_titles() -> None:
    rec = DocumentRecord("=cmd|' /C calc'!A0.pdf", DocStatus.UNREADABLE, reason="@SUM(1)", agency="+1")
    (header, row) = _rows(dataset_bytes(build_dataset([rec]), "csv"))
    fields = dict(zip(header, row, strict=True))
    assert fields["file"] == "'=cmd|' /C calc'!A0.pdf"
    assert fields["reason"] == "'@SUM(1)" and fields["agency"] == "'+1"


def test_dataset_csv_keeps_negative_numbers_numbers() -> None:
    key = next(c.key for c in build_dataset([]).columns if c.cell)
    rec = DocumentRecord("a.pdf", DocStatus.PASSED, template_id="gov-disclosure-annual", values={key: -3})
    (header, row) = _rows(dataset_bytes(build_dataset([rec]), "csv"))
    assert dict(zip(header, row, strict=True))[key] == "-3"


def test_check_dataset_csv_guards_a_formula_file_name(reports, tmp_path, capsys) -> None:
    d = tmp_path / "in"
    d.mkdir()
    bad = d / "=1+1.txt"
    shutil.copy(reports["txt"], bad)
    out = tmp_path / "ds.csv"
    assert main(["check", str(bad), "--out", str(out), "--jobs", "1"]) in (0, 1)
    (header, row) = _rows(out.read_bytes())
    fields = dict(zip(header, row, strict=True))
    assert fields["file"] == "'" + str(bad) if str(bad).startswith("=") else fields["file"] == str(bad)
    assert all(not v.startswith(("=", "+", "@")) for v in row)
