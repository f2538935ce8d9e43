"""Item 8: names. A legal 250-byte file name is written (temp names stay short); a PDF with
bytes before its header is read as readers read it; the same OS error reads the same in every
command."""

from __future__ import annotations

import shutil

import pytest

from tabledesk.cli import main
from tabledesk.exports.atomic import write_bytes_atomic
from tabledesk.sources.reader import read_source, sniff_kind


def _long_name(suffix: str) -> str:
    """250 bytes in UTF-8: legal (255 is the limit), but not with 14 bytes of temp name added."""
    name = "报告" * 39 + "x" * (250 - 234 - len(suffix)) + suffix
    assert len(name.encode()) == 250
    return name


@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx"])
def test_export_to_a_250_byte_name(reports, tmp_path, suffix, capsys) -> None:
    out = tmp_path / _long_name(suffix)
    assert main(["export", str(reports["txt"]), "-o", str(out)]) == 0, capsys.readouterr().err
    assert out.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temp file left


def test_atomic_temp_name_does_not_grow_with_the_target(tmp_path) -> None:
    target = tmp_path / ("a" * 255)  # the longest legal name
    write_bytes_atomic(target, b"x")
    assert target.read_bytes() == b"x"


def test_check_json_dir_with_250_byte_input_names(reports, tmp_path, capsys) -> None:
    d = tmp_path / "in"
    d.mkdir()
    src = d / _long_name(".txt")
    shutil.copy(reports["txt"], src)
    jdir = tmp_path / "json"
    code = main(["check", str(src), "--json-dir", str(jdir), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    assert [p.suffix for p in jdir.iterdir()] == [".json"]


def test_junk_before_the_pdf_header_is_read_as_a_pdf(reports, tmp_path) -> None:
    data = reports["sample_pdf"].read_bytes()
    for name in ("download", "report.bin.txt", "report.pdf"):
        path = tmp_path / name
        path.write_bytes(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n" + data)
        assert sniff_kind(path) == "pdf"
        assert read_source(path).tables
    page = tmp_path / "page"
    page.write_text("<html><body><p>文件头为 %PDF-1.7</p></body></html>", encoding="utf-8")
    assert sniff_kind(page) == "html"  # a page that merely quotes the header


def test_same_os_error_same_words_in_export_and_check(reports, tmp_path, capsys) -> None:
    (tmp_path / "out.json").mkdir()
    (tmp_path / "out.csv").mkdir()
    assert main(["export", str(reports["txt"]), "-o", str(tmp_path / "out.json")]) == 2
    export_err = capsys.readouterr().err.strip()
    assert main(["check", str(reports["txt"]), "--out", str(tmp_path / "out.csv"), "--jobs", "1"]) == 2
    check_err = [x for x in capsys.readouterr().err.splitlines() if "cannot write" in x]
    assert export_err == f"{tmp_path / 'out.json'}: cannot write: that is a folder"
    assert check_err == [f"{tmp_path / 'out.csv'}: cannot write: that is a folder"]
