"""`tabledesk export -o OUT.xlsx|.json|.csv` picks the format from the extension, writes what the
window writes, and reports a failed write (full disk, locked file) as one line, leaving the
previous file intact and no temp file behind."""

from __future__ import annotations

import errno
import json
import os
import random

import jsonschema
import openpyxl
import pandas as pd
import pytest

from tabledesk.cli import main
from tabledesk.exports import atomic
from tabledesk.exports.common import describe_os_error
from tabledesk.exports.writer import EXPORT_FORMATS, ExportError, write_export
from tabledesk.review.review import Review
from tabledesk.templates.registry import template_by_id
from tests.conftest import REPO
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import write_text

SCHEMA = json.loads((REPO / "resources" / "export.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    spec = random_spec(random.Random(17), "2021")
    return spec, write_text(spec, tmp_path_factory.mktemp("src") / "report.txt")


@pytest.fixture(scope="module")
def outputs(report, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    rcs = {ext: main(["export", str(report[1]), "-o", str(out / f"r{ext}")]) for ext in EXPORT_FORMATS}
    return rcs, out


def test_each_extension_writes_its_format(outputs, report):
    rcs, out = outputs
    assert rcs == {".xlsx": 0, ".json": 0, ".csv": 0}
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["document"]["agency"] == report[0].agency
    wb = openpyxl.load_workbook(out / "r.xlsx")
    assert {"表三", "表四", "校验", "修改记录", "来源"} <= set(wb.sheetnames)
    frame = pd.read_csv(out / "r.csv")
    t3 = next(t for t in data["tables"] if t["id"] == "t3")
    rows = {r["id"]: i for i, r in enumerate(t3["rows"])}
    natural = frame[(frame.table_id == "t3") & (frame.row_id == "new") & (frame.col_id == "natural")].iloc[0]
    assert natural.value == t3["values"][rows["new"]][0] == report[0].values["t3"]["new"]["natural"]
    assert list(out.iterdir()) and all(not p.name.startswith(".") for p in out.iterdir())  # no temp files


def test_unknown_extension_is_refused_in_one_line(report, tmp_path, capsys):
    rc = main(["export", str(report[1]), "-o", str(tmp_path / "r.xls")])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "'.xls'" in err and ".xlsx" in err
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def review(report):
    doc = document_from_spec(report[0])  # the same report, without reading it again
    return Review(doc, template_by_id(doc.template_id))


def _fail_at(monkeypatch, where: str, exc: OSError) -> None:
    def fail(*_a, **_k):
        raise exc

    monkeypatch.setattr(atomic.os, where, fail)


FAILURES = [
    ("fsync", OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
    ("replace", PermissionError(errno.EACCES, "Permission denied"), "open in another program"),
]


@pytest.mark.parametrize(("where", "exc", "words"), FAILURES)
@pytest.mark.parametrize("ext", [".csv", ".json"])  # the command test below covers .xlsx
def test_full_disk_or_locked_file_is_one_line_and_keeps_the_old_file(
    review, tmp_path, monkeypatch, where, exc, words, ext
):
    target = tmp_path / f"out{ext}"
    target.write_bytes(b"the previous export")
    _fail_at(monkeypatch, where, exc)
    with pytest.raises(ExportError) as err:
        write_export(review, target)
    assert not isinstance(err.value, OSError)
    text = str(err.value)
    assert "\n" not in text and text.startswith(f"{target}: cannot write: ") and words in text
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_the_command_reports_a_full_disk_in_one_line(report, tmp_path, capsys, monkeypatch):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"the previous export")
    _fail_at(monkeypatch, *FAILURES[0][:2])
    rc = main(["export", str(report[1]), "-o", str(target)])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and err.startswith(str(target)) and "disk is full" in err
    assert target.read_bytes() == b"the previous export" and [p.name for p in tmp_path.iterdir()] == [
        "out.xlsx"
    ]


def test_write_export_accepts_a_review_or_a_pair_and_names_a_missing_folder(review, tmp_path):
    with pytest.raises(ExportError) as err:
        write_export(review, tmp_path / "missing-folder" / "x.xlsx")
    assert (
        str(err.value) == f"{tmp_path / 'missing-folder' / 'x.xlsx'}: cannot write: the folder does not exist"
    )
    assert write_export((review.document, review.results), tmp_path / "pair.csv") == "csv"
    assert os.path.getsize(tmp_path / "pair.csv") > 100


def _locked(winerror: int) -> PermissionError:
    """A PermissionError as Windows raises it (winerror is set only there, so by hand)."""
    e = PermissionError(errno.EACCES, "The process cannot access the file")
    e.winerror = winerror  # type: ignore[attr-defined]
    return e


def test_replace_is_retried_while_windows_reports_the_file_held(tmp_path):
    """An antivirus scanner or the indexer holds a new file for a moment: retried, not failed."""
    calls: list[float] = []
    held = [_locked(32), _locked(33), _locked(1224)]

    def replace(src, dst):
        if held:
            raise held.pop(0)
        os.replace(src, dst)

    src, dst = tmp_path / "new", tmp_path / "out.csv"
    src.write_bytes(b"x")
    atomic.replace_retrying(src, dst, replace=replace, sleep=calls.append)
    assert dst.read_bytes() == b"x" and len(calls) == 3


def test_replace_gives_up_after_its_retries_and_other_errors_at_once(tmp_path):
    calls: list[float] = []

    def always(winerror):
        def replace(src, dst):
            raise _locked(winerror) if winerror else OSError(errno.EIO, "I/O error")

        return replace

    with pytest.raises(PermissionError):
        atomic.replace_retrying("a", "b", replace=always(32), sleep=calls.append)
    assert calls == list(atomic.RETRY_DELAYS)
    calls.clear()
    with pytest.raises(OSError):
        atomic.replace_retrying("a", "b", replace=always(0), sleep=calls.append)
    assert calls == []


@pytest.mark.parametrize("winerror", [5, 32, 33, 1224, 1175, 1176])
def test_every_windows_lock_error_says_open_in_another_program(winerror):
    assert "open in another program" in describe_os_error(_locked(winerror))


def test_json_long_cells_flatten_with_json_normalize(review, tmp_path):
    """One call gives a data frame with one row per cell, as the window shows them."""
    path = tmp_path / "out.json"
    write_export(review, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    frame = pd.json_normalize(data["tables"], "cells_long")
    doc = review.document
    assert len(frame) == sum(len(t.rows) * len(t.columns) for t in doc.tables)
    assert {"table", "row", "col", "row_label", "col_label", "value", "status", "check"} <= set(frame.columns)
    row = frame[(frame.table == "t3") & (frame.row == "new") & (frame.col == "natural")].iloc[0]
    assert row.value == doc.cell("t3", "new", "natural").value and row.check in ("passed", "within_rounding")
    assert [t["id"] for t in data["tables"]] == list(dict.fromkeys(frame.table))


def test_schema_has_a_uri_id_and_the_docs_a_compatibility_policy():
    from urllib.parse import urlparse

    assert urlparse(SCHEMA["$id"]).scheme in ("urn", "https")
    docs = (REPO / "docs" / "export-json.md").read_text(encoding="utf-8")
    assert "## Compatibility" in docs and "tabledesk-export/3" in docs and SCHEMA["$id"] in docs
