"""Item 1: an output that is (or resolves to) one of the inputs is refused before any work,
with one line, and the input is left byte for byte as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tabledesk.cli import main
from tabledesk.exports.common import ExportError
from tabledesk.exports.writer import write_export
from tabledesk.review.review import Review


def _one_refusal(capsys: pytest.CaptureFixture[str], output: Path | str) -> None:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith(f"{output}: not written: it is the input"), err


@pytest.fixture
def work(reports, tmp_path, monkeypatch) -> Path:
    """A folder with r.csv (a CSV export, itself readable as a report), r.json, d.csv, x.xlsx."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(reports["txt"], tmp_path / "r.txt")
    for name in ("r.csv", "r.json", "x.xlsx"):
        assert main(["export", "r.txt", "-o", name]) == 0
    shutil.copy(tmp_path / "r.csv", tmp_path / "d.csv")
    return tmp_path


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "r.csv", "-o", "r.csv"],
        ["export", "r.json", "-o", "r.json"],
        ["export", "r.csv", "-o", "./sub/../r.csv"],
        ["export", "r.csv", "-o", "R.CSV"],  # a case-insensitive disk: the same file
        ["check", "d.csv", "--out", "d.csv"],
        ["check", "x.xlsx", "--out", "x.xlsx"],
        ["check", "r.json", "--json-dir", "."],
    ],
)
def test_output_over_input_is_refused_and_the_input_kept(work, capsys, argv) -> None:
    (work / "sub").mkdir()
    before = {p.name: p.read_bytes() for p in work.iterdir() if p.is_file()}
    capsys.readouterr()
    assert main(argv) == 2
    out = argv[3] if argv[0] == "export" or argv[2] == "--out" else "r.json"
    _one_refusal(capsys, Path(out))
    after = {p.name: p.read_bytes() for p in work.iterdir() if p.is_file()}
    assert after == before  # nothing written, nothing destroyed


def test_output_through_a_link_is_refused(work, capsys) -> None:
    if os.name == "nt":
        pytest.skip("symlinks need privileges on Windows")
    (work / "link.csv").symlink_to(work / "r.csv")
    os.link(work / "r.csv", work / "hard.csv")
    before = (work / "r.csv").read_bytes()
    capsys.readouterr()
    assert main(["export", "r.csv", "-o", "link.csv"]) == 2
    _one_refusal(capsys, "link.csv")
    assert main(["export", "r.csv", "-o", "hard.csv"]) == 2  # a second name of the same file
    _one_refusal(capsys, "hard.csv")
    assert (work / "r.csv").read_bytes() == before


def test_write_export_refuses_the_reviews_own_source(work) -> None:
    """What the window's File > Export calls: the source is never overwritten."""
    review = Review.open(work / "r.csv")
    before = (work / "r.csv").read_bytes()
    with pytest.raises(ExportError, match="not written: it is the input"):
        write_export(review, work / "r.csv")
    assert (work / "r.csv").read_bytes() == before
    write_export(review, work / "r-copy.csv")  # any other name is written


def test_window_default_export_name_is_never_the_source(tmp_path) -> None:
    from tabledesk.ui.actions.file_actions import export_default

    source = tmp_path / "洪泽区2023.csv"
    source.write_text("x", encoding="utf-8")
    default = export_default(source, tmp_path, ".csv")
    assert default != source and default.suffix == ".csv" and default.parent == tmp_path
    assert export_default(source, tmp_path, ".xlsx") == tmp_path / "洪泽区2023.xlsx"
