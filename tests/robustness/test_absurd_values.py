"""Item 2: a number beyond what a count or an amount can be is that cell's problem (not a
number, exported as its text), never a crash; the other documents keep their rows."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tabledesk.cli import main
from tabledesk.core.values import parse_number, within_limits
from tabledesk.exports.dataset import DocStatus, DocumentRecord, build_dataset, write_dataset


def _with_number(src: Path, dst: Path, digits: int) -> str:
    """``src`` with the natural persons' new applications printed as ``digits`` nines."""
    huge = "9" * digits
    text = src.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("一、本年新收"))
    changed = re.sub(r"\t\d+\t", f"\t{huge}\t", line, count=1)
    dst.write_text(text.replace(line, changed), encoding="utf-8")
    return huge


def test_parse_number_refuses_more_digits_than_a_form_prints() -> None:
    assert parse_number("123456789012345") == Decimal("123456789012345")
    assert parse_number("1234567890123456") is None  # 16 digits: no count or amount
    assert parse_number("0000000000000000042") == 42  # leading zeros are not digits
    assert parse_number("1.1234567") is None and parse_number("7730.28") == Decimal("7730.28")
    assert not within_limits(Decimal("1E+400")) and not within_limits(Decimal("NaN"))


@pytest.mark.parametrize("digits", [20, 310, 4301])
@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_export_of_a_huge_number_shows_it_as_text(reports, tmp_path, digits, fmt, capsys) -> None:
    src = tmp_path / "big.txt"
    huge = _with_number(reports["sample_txt"], src, digits)
    out = tmp_path / f"big.{fmt}"
    assert main(["export", str(src), "-o", str(out)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    if fmt == "json":
        cells = json.dumps(json.loads(out.read_text(encoding="utf-8")))
        assert f'"text": "{huge}", "status": "not_a_number"' in cells
    elif fmt == "csv":
        rows = [r for r in out.read_text(encoding="utf-8-sig").splitlines() if huge in r]
        assert len(rows) == 1 and ",not_a_number," in rows[0]
    else:
        wb = openpyxl.load_workbook(out)
        assert not any(
            isinstance(c.value, int | float) and c.value > 10**15
            for ws in wb.worksheets
            for row in ws.iter_rows()
            for c in row
        )


def test_check_with_a_20_digit_number_writes_every_row(reports, tmp_path, capsys) -> None:
    d = tmp_path / "in"
    d.mkdir()
    _with_number(reports["sample_txt"], d / "big.txt", 20)
    shutil.copy(reports["txt"], d / "good.txt")
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"ds.{suffix}"
        rc = main(["check", str(d), "--out", str(out), "--jobs", "1"])
        err = capsys.readouterr().err
        assert "Traceback" not in err and "OverflowError" not in err
        assert rc in (0, 1)
        df = pd.read_csv(out, dtype=str) if suffix == "csv" else pd.read_excel(out, dtype=str)
        assert sorted(Path(f).name for f in df["file"]) == ["big.txt", "good.txt"]
        assert (df["status"] != "passed").any()  # the huge cell leaves its checks incomplete


def test_dataset_of_records_holding_absurd_values_is_written(tmp_path) -> None:
    """Values that did not pass the parser's limits (a damaged store, another caller)."""
    key = next(c.key for c in build_dataset([]).columns if c.cell)
    records = [
        DocumentRecord("a.pdf", DocStatus.PASSED, template_id="gov-disclosure-annual", values={key: 10**25}),
        DocumentRecord("b.pdf", DocStatus.PASSED, template_id="gov-disclosure-annual", values={key: 3}),
    ]
    ds = build_dataset(records)
    for suffix in ("csv", "xlsx"):
        write_dataset(ds, tmp_path / f"ds.{suffix}")
    text = (tmp_path / "ds.csv").read_text(encoding="utf-8-sig")
    assert str(10**25) in text
