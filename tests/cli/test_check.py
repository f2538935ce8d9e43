"""`tabledesk check`: a folder mixing good, failing, non-template and unreadable inputs gives
the right exit codes, one dataset row per input, one export JSON per read document; a worker
that dies costs only its document; Ctrl+C mid-run leaves only complete files."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from tabledesk.batch.cli import Summary
from tabledesk.batch.pool import (
    BatchError,
    BatchOptions,
    BatchRun,
    Input,
    Job,
    JobResult,
    check_one,
    find_inputs,
    json_paths,
)
from tabledesk.cli import main
from tabledesk.exports.dataset import DocStatus, DocumentRecord
from tests.conftest import REPO
from tests.fixtures.html_report import write_html
from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.report_spec import inject_error, iter_cells, random_spec
from tests.fixtures.text_report import write_text

SCHEMA = json.loads((REPO / "resources" / "export.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def inputs(tmp_path_factory):
    """reports/: good.pdf (2021), failing.pdf (2019, one digit changed), sub/good.txt (2019),
    sub/good.html (2021), note.txt (no report table), broken.pdf (truncated); plus files the
    folder walk must skip."""
    root = tmp_path_factory.mktemp("batch")
    d = root / "reports"
    (d / "sub").mkdir(parents=True)
    (d / ".cache").mkdir()
    specs = {
        "good.pdf": random_spec(random.Random(1), "2021"),
        "failing.pdf": random_spec(random.Random(2), "2019"),
        "sub/good.txt": random_spec(random.Random(4), "2019"),
        "sub/good.html": random_spec(random.Random(5), "2021"),
    }
    inject_error(specs["failing.pdf"], random.Random(3))
    render_pdf(specs["good.pdf"], d / "good.pdf")
    render_pdf(specs["failing.pdf"], d / "failing.pdf")
    write_text(specs["sub/good.txt"], d / "sub" / "good.txt")
    write_html(specs["sub/good.html"], d / "sub" / "good.html")
    (d / "note.txt").write_text("会议纪要：下周二上午九点开会。\n", encoding="utf-8")
    (d / "broken.pdf").write_bytes((d / "good.pdf").read_bytes()[:2000])
    (d / "notes.docx").write_bytes(b"PK\x03\x04 not a report")  # not a report type: skipped
    (d / ".cache" / "x.pdf").write_bytes(b"%PDF-1.4")  # hidden folder: skipped
    return root, d, specs


@pytest.fixture(scope="session")
def full_run(inputs):
    """One run over the whole folder with a CSV dataset and JSON files."""
    root, d, specs = inputs
    out, jdir = root / "dataset.csv", root / "json"
    rc = main(["check", str(d), "--out", str(out), "--json-dir", str(jdir), "--jobs", "2"])
    df = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    return rc, df, jdir


def _row(df: pd.DataFrame, name: str) -> pd.Series:
    hits = df[df["file"].str.replace("\\", "/").str.endswith("/" + name)]
    assert len(hits) == 1, name
    return hits.iloc[0]


def test_unreadable_input_exits_2_and_every_input_has_a_row(full_run) -> None:
    rc, df, _ = full_run
    assert rc == 2
    names = sorted(Path(f).name for f in df["file"])
    assert names == ["broken.pdf", "failing.pdf", "good.html", "good.pdf", "good.txt", "note.txt"]
    status = {Path(f).name: s for f, s in zip(df["file"], df["status"], strict=True)}
    assert status == {
        "good.pdf": "passed",
        "failing.pdf": "failed",
        "good.txt": "passed",
        "good.html": "passed",
        "note.txt": "no_template",
        "broken.pdf": "unreadable",
    }
    assert "truncated" in _row(df, "broken.pdf")["reason"]
    assert _row(df, "note.txt")["reason"]
    assert int(_row(df, "failing.pdf")["failed_checks"]) >= 1


def test_dataset_columns_and_values(full_run, inputs) -> None:
    _, df, _ = full_run
    _, _, specs = inputs
    assert list(df.columns[:13]) == [
        "file", "status", "reason", "agency", "agency_key", "year", "template", "format", "pages",
        "failed_checks", "incomplete_checks", "failed_rules", "incomplete_rules",
    ]  # fmt: skip
    failing = _row(df, "failing.pdf")
    assert failing["failed_rules"] and all(r.startswith("t") for r in failing["failed_rules"].split())
    # one column per template cell, the same for both formats
    assert {
        "t3.new.natural",
        "t4.all.review.total",
        "t2.item1.normative.issued",
        "t2.item1.normative.made",
    } <= set(df.columns)
    for name, spec in specs.items():
        row = _row(df, name)
        assert row["agency"] == spec.agency and row["year"] == str(spec.year) and row["format"] == spec.format
        for c in iter_cells(spec):
            assert float(row[f"{c.table}.{c.row}.{c.col}"]) == float(c.value), (name, c)
    # cells the other format does not have stay empty
    assert _row(df, "good.pdf")["t2.item1.normative.made"] == ""
    assert _row(df, "broken.pdf")["t3.new.natural"] == ""


def test_one_valid_export_json_per_read_document(full_run) -> None:
    _, _, jdir = full_run
    files = sorted(p.relative_to(jdir).as_posix() for p in jdir.rglob("*") if p.is_file())
    assert files == ["failing.json", "good.json", "sub/good.html.json", "sub/good.json"] or files == [
        "failing.json", "good.json", "sub/good.json", "sub/good.txt.json",
    ]  # fmt: skip
    for f in jdir.rglob("*.json"):
        data = json.loads(f.read_text(encoding="utf-8"))
        jsonschema.validate(data, SCHEMA)
    failing = json.loads((jdir / "failing.json").read_text(encoding="utf-8"))
    assert any(c["passed"] is False for t in failing["tables"] for c in t["checks"])


def test_exit_1_for_failing_checks_and_0_when_all_pass(inputs, tmp_path, capsys) -> None:
    _, d, _ = inputs
    rc = main(["check", str(d / "failing.pdf"), str(d / "good.pdf"), str(d / "note.txt"), "--jobs", "2"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "with failing checks:     1" in out and "no template:             1" in out
    rc = main(
        ["check", str(d / "sub"), str(d / "note.txt"), "--jobs", "2", "--out", str(tmp_path / "d.xlsx")]
    )
    assert rc == 0
    xl = pd.read_excel(tmp_path / "d.xlsx", sheet_name=None)
    assert len(xl["dataset"]) == 3 and "t3.new.natural" in set(xl["columns"]["id"])


def _result(status: DocStatus, **kw) -> JobResult:
    return JobResult(0, DocumentRecord("f", status, **kw))


@pytest.mark.parametrize(
    ("statuses", "normal", "strict"),
    [
        ([DocStatus.PASSED], 0, 0),
        ([DocStatus.PASSED, DocStatus.WARNINGS], 0, 1),
        ([DocStatus.PASSED, DocStatus.NO_TEMPLATE], 0, 1),
        ([DocStatus.FAILED, DocStatus.WARNINGS], 1, 1),
        ([DocStatus.FAILED, DocStatus.UNREADABLE], 2, 2),
    ],
)
def test_exit_codes(statuses, normal, strict) -> None:
    s = Summary([_result(x) for x in statuses])
    assert s.exit_code() == normal and s.exit_code(strict=True) == strict


def test_an_unwritable_json_is_exit_2() -> None:
    s = Summary([JobResult(0, DocumentRecord("f", DocStatus.PASSED), write_error="x.json: cannot write")])
    assert s.exit_code() == 2 and "x.json: cannot write" in s.text()


def test_bad_command_lines_fail_before_any_work(inputs, tmp_path, capsys) -> None:
    _, d, _ = inputs
    assert main(["check", str(d), "--out", str(tmp_path / "d.ods")]) == 2
    assert "use .csv or .xlsx" in capsys.readouterr().err
    assert main(["check", str(d), "--out", str(tmp_path / "no" / "d.csv")]) == 2
    assert main(["check", str(tmp_path)]) == 2  # an empty folder: nothing to check
    assert "nothing to check" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["check", "--jobs", "x", str(d)])


def test_help_documents_the_command(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = capsys.readouterr().out
    for word in ("--out", "--json-dir", "--jobs", "--strict", "--header", "exit status", "130"):
        assert word in text
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "check" in capsys.readouterr().out


def test_folder_walk_and_json_names(tmp_path) -> None:
    (tmp_path / "a" / "2023").mkdir(parents=True)
    for name in ("a/x.pdf", "a/x.txt", "a/2023/x.pdf", "a/X.HTM", "a/y.doc", "a/.z.pdf"):
        (tmp_path / name).write_bytes(b"")
    found = find_inputs([tmp_path / "a", tmp_path / "a" / "x.pdf", tmp_path / "missing.pdf"])
    rels = [i.rel.as_posix() for i in found]
    assert rels == ["X.HTM", "x.pdf", "x.txt", "2023/x.pdf", "missing.pdf"]  # x.pdf once
    names = [p.relative_to(tmp_path).as_posix() for p in json_paths(found, tmp_path)]
    assert names == ["X.json", "x.pdf.json", "x.txt.json", "2023/x.json", "missing.json"]


# --- robustness ----------------------------------------------------------------------------------


def dies_on_broken(job: Job) -> JobResult:
    """A worker that crashes (as a PDF library might) on one file."""
    if job.path.endswith("broken.pdf"):
        os._exit(3)
    return check_one(job)


def test_a_crashing_worker_costs_only_its_document(inputs) -> None:
    _, d, _ = inputs
    found = find_inputs([d / "broken.pdf", d / "sub" / "good.txt", d / "note.txt"])
    with BatchRun(found, BatchOptions(jobs=2), worker=dies_on_broken) as run:
        results = {Path(r.record.file).name: r.record for r in run}
    assert len(results) == 3
    assert results["broken.pdf"].status is DocStatus.UNREADABLE
    assert "crashed" in results["broken.pdf"].reason
    assert results["good.txt"].status is DocStatus.PASSED
    assert results["note.txt"].status is DocStatus.NO_TEMPLATE


def always_dies(job: Job) -> JobResult:
    os._exit(3)


def test_workers_that_never_work_stop_the_run(inputs) -> None:
    _, d, _ = inputs
    found = find_inputs([d / "note.txt", d / "sub"])
    with (
        pytest.raises(BatchError, match="worker processes stop"),
        BatchRun(found, BatchOptions(jobs=2), worker=always_dies) as run,
    ):
        list(run)


def test_cancel_from_another_thread_stops_the_run(inputs) -> None:
    import threading

    _, d, _ = inputs
    many = [Input(d / "good.pdf", Path(f"c{i}.pdf")) for i in range(40)]
    run = BatchRun(many, BatchOptions(jobs=2))
    got = []
    t0 = time.perf_counter()
    with run:
        for r in run:
            got.append(r)
            if len(got) == 1:
                threading.Thread(target=run.cancel).start()
    assert run.cancelled and 1 <= len(got) < 40
    assert time.perf_counter() - t0 < 20


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")
def test_ctrl_c_leaves_only_complete_files(inputs, tmp_path) -> None:
    _, d, _ = inputs
    src = tmp_path / "in"
    src.mkdir()
    pdf = (d / "good.pdf").read_bytes()
    # enough reports that the run is still going when the signal lands, on a loaded machine too
    # (reading got fast: 24 could all be done between the first JSON and the Ctrl+C)
    for i in range(N_INTERRUPTED):
        (src / f"r{i:03d}.pdf").write_bytes(pdf)
    jdir, out = tmp_path / "json", tmp_path / "dataset.xlsx"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "desktop"), str(REPO)])}
    cmd = [
        sys.executable,
        "-m",
        "tabledesk",
        "check",
        str(src),
        "--json-dir",
        str(jdir),
        "--out",
        str(out),
        "--jobs",
        "2",
    ]
    # its own process group, as a terminal's foreground job: Ctrl+C reaches every process in it
    proc = subprocess.Popen(
        cmd, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while not list(jdir.glob("*.json")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert b"interrupted" in err and b"Traceback" not in err
    files = sorted(p.name for p in jdir.iterdir())
    assert files and len(files) < N_INTERRUPTED and all(f.endswith(".json") and not f.startswith(".") for f in files)
    for f in jdir.iterdir():
        json.loads(f.read_text(encoding="utf-8"))  # complete
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    time.sleep(0.2)
    assert _running_in_group(proc.pid) == []  # no worker outlived the run


N_INTERRUPTED = 150


def _running_in_group(pgid: int) -> list[int]:
    """Processes of a process group that are still running (zombies waiting for an init that
    does not reap them, as in some containers, have ended)."""
    if not Path("/proc/self/stat").exists():
        return []
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


def hangs_on_broken(job: Job) -> JobResult:
    """A worker that never comes back from one file (as a PDF library in an endless loop)."""
    if job.path.endswith("broken.pdf"):
        while True:
            time.sleep(0.05)
    return check_one(job)


def test_a_document_that_never_finishes_is_given_up_after_the_timeout(inputs) -> None:
    _, d, _ = inputs
    found = find_inputs([d / "broken.pdf", d / "sub" / "good.txt", d / "note.txt", d / "good.pdf"])
    with BatchRun(found, BatchOptions(jobs=2, timeout=3.0), worker=hangs_on_broken) as run:
        results = {Path(r.record.file).name: r.record for r in run}
    assert len(results) == 4
    assert results["broken.pdf"].status is DocStatus.UNREADABLE
    assert "longer than 3 s" in results["broken.pdf"].reason and results["broken.pdf"].problem == "timeout"
    assert results["good.txt"].status is DocStatus.PASSED
    assert results["good.pdf"].status is DocStatus.PASSED
    assert results["note.txt"].status is DocStatus.NO_TEMPLATE


def test_timeout_option_is_checked_and_passed_on(inputs, capsys) -> None:
    _, d, _ = inputs
    assert main(["check", str(d / "note.txt"), "--timeout", "-1"]) == 2
    assert "--timeout" in capsys.readouterr().err


def test_both_report_families_in_one_batch(tmp_path, capsys) -> None:
    """A folder holding a disclosure report and a 部门决算 (one with a slipped amount): each
    detected as its own family, checked by its own rules, one dataset; the slip exits 1."""
    from tests.fixtures.final_accounts.errors import inject_error as slip
    from tests.fixtures.final_accounts.generate import generate
    from tests.fixtures.final_accounts.pdf import write_pdf

    d = tmp_path / "in"
    d.mkdir()
    write_text(random_spec(random.Random(3), "2021"), d / "a-disclosure.txt")
    write_pdf(generate(5), d / "b-accounts.pdf")
    bad, err = slip(generate(6), random.Random(6), "transposed")
    write_pdf(bad, d / "c-accounts.pdf")
    out, jdir = tmp_path / "d.csv", tmp_path / "json"
    rc = main(["check", str(d), "--out", str(out), "--json-dir", str(jdir), "--jobs", "2"])
    assert rc == 1
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert list(df["template"]) == ["gov-disclosure-annual", "dept-final-accounts", "dept-final-accounts"]
    assert list(df["status"]) == ["passed", "passed", "failed"]
    data = json.loads((jdir / "c-accounts.json").read_text(encoding="utf-8"))
    cells = {
        (c.get("table", t["id"]), c["row"], c["col"])
        for t in data["tables"]
        for ch in t["checks"]
        if ch["passed"] is False
        for c in ch["cells"]
    }
    assert (err.table, err.row, err.col) in cells
