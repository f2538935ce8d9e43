"""`tabledesk export`: the real reports come out as printed, checks as published, bad input as
one clear line with exit code 2; every export validates against the schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tabledesk.cli import main
from tests.conftest import REPO

SCHEMA = json.loads((REPO / "resources" / "export.schema.json").read_text(encoding="utf-8"))


def export(src: Path, out: Path, capsys=None) -> tuple[int, dict | None, str]:
    rc = main(["export", str(src), "-o", str(out)])
    err = capsys.readouterr().err if capsys else ""
    data = json.loads(out.read_text(encoding="utf-8")) if rc == 0 else None
    if data is not None:
        jsonschema.validate(data, SCHEMA)
    return rc, data, err


def _seg(label: str) -> list[str]:
    import unicodedata

    norm = unicodedata.normalize("NFKC", label).replace(" ", "")
    return [p for p in norm.split("/") if p]


def value_at(data: dict, table_key: str, row_label: str, col_label: str):
    """The exported value under a truth file's labels (row and column label suffixes)."""
    want_tables = {
        "table2": lambda t: t["id"].startswith("t2."),
        "table3": lambda t: t["id"] == "t3",
        "table4": lambda t: t["id"] == "t4",
    }[table_key]
    for t in filter(want_tables, data["tables"]):
        cols = [
            i
            for i, c in enumerate(t["columns"])
            if _seg(c["label"])[-len(_seg(col_label)) :] == _seg(col_label)
        ]
        rows = [
            i for i, r in enumerate(t["rows"]) if _seg(r["label"])[-len(_seg(row_label)) :] == _seg(row_label)
        ]
        if len(t["rows"]) == 1 and table_key == "table4":
            rows = [0]
        if rows and cols:
            return t["values"][rows[0]][cols[0]]
    raise AssertionError(f"{table_key} {row_label} × {col_label} not exported")


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["hongze-district-2023", "hongze-district-2024"])
def test_real_reports_export_every_printed_number(corpus, tmp_path, name, capsys):
    rc, data, err = export(corpus / f"{name}.pdf", tmp_path / "out.json", capsys)
    assert rc == 0, err
    truth = json.loads((corpus / f"{name}.truth.json").read_text(encoding="utf-8"))
    n = 0
    for table_key, rows in truth["tables"].items():
        for row_label, cols in rows.items():
            for col_label, want in cols.items():
                got = value_at(data, table_key, row_label, col_label)
                assert got == (want if want is not None else 0) or (want is None and got is None), (
                    row_label,
                    col_label,
                )
                n += 1
    assert n >= 180
    assert data["template"] == {"id": "gov-disclosure-annual", "format": "2021"}
    assert data["document"]["year"] == truth["year"]
    assert truth["unit"] in data["document"]["agency"]
    failing = [(t["id"], c["instance"]) for t in data["tables"] for c in t["checks"] if c["passed"] is False]
    if name == "hongze-district-2023":
        # 表四 does not balance as published: 行政复议 10+1+0+0 vs 总计 0; 复议后起诉 5 vs 0.
        assert sorted(failing) == [("t4", "all/litigation_after_review"), ("t4", "all/review")]
        checks = {c["instance"]: c for t in data["tables"] for c in t["checks"]}
        assert checks["all/review"]["lhs"] == 0 and checks["all/review"]["rhs"] == 11
        assert checks["all/review"]["difference"] == -11
        assert "表四" in checks["all/review"]["message"]["zh"]
    else:
        assert failing == []
        # the prose says the district office handled 17 applications, 表三 counts 95 (一), 一+二
        # and 三（七） none 17: one office's scope, so information, not a warning, pointing at the
        # sentence, kept apart from the tables' checks (checks/narrative.py)
        (warning,) = [c for c in data["narrative"] if c["passed"] is False]
        assert warning["severity"] == "info" and warning["stated"] == 17 and "17件" in warning["sentence"]
        assert warning["places"] and warning["places"][0]["page"] >= 1
    # the narrative is kept, each section with the page of its heading
    titles = [x["title"] for x in data["sections"]]
    assert [t[:2] for t in titles] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert all(x["page"] >= 1 and x["text"] for x in data["sections"][:1])
    # every number knows where on which page it came from
    t3 = next(t for t in data["tables"] if t["id"] == "t3")
    pages = {c["page"] for row in t3["cells"] for c in row}
    assert pages == {3, 4}  # 表三 is split over pages 3 and 4
    assert all(len(c["bbox"]) == 4 for row in t3["cells"] for c in row)


@pytest.mark.corpus
def test_seed_text_fails_the_balance_in_the_natural_and_total_columns(corpus, tmp_path, capsys):
    rc, data, _ = export(corpus / "jining-hitech-police-2020.txt", tmp_path / "seed.json", capsys)
    assert rc == 0
    assert data["source"]["kind"] == "text" and data["template"]["format"] == "2019"
    t3 = next(t for t in data["tables"] if t["id"] == "t3")
    failing = sorted(
        c["instance"] for c in t3["checks"] if c["rule"] == "t3.balance" and c["passed"] is False
    )
    assert failing == ["natural", "total"]
    rows = {r["id"]: i for i, r in enumerate(t3["rows"])}
    assert all(v is None for v in t3["values"][rows["results.total"]])  # absent rows are missing, not 0
    assert t3["cells"][rows["results.total"]][0]["status"] == "missing"
    t4 = next(t for t in data["tables"] if t["id"] == "t4")
    assert t4["values"] == [[0] * 15]
    assert t3["cells"][rows["new"]][0]["line"] > 0  # text provenance is a line, not a bbox


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "PDF"),
        (b"", "empty"),
    ],
)
def test_unreadable_input_is_one_line_on_stderr_with_exit_2(tmp_path, capsys, content, problem):
    src = tmp_path / ("bad.pdf" if content else "empty.txt")
    src.write_bytes(content)
    rc, _, err = export(src, tmp_path / "out.json", capsys)
    assert rc == 2
    assert err.count("\n") == 1 and str(src) in err and problem.lower() in err.lower()
    assert not (tmp_path / "out.json").exists()


def test_missing_file_and_unwritable_output(tmp_path, capsys, corpus):
    rc, _, err = export(tmp_path / "nope.pdf", tmp_path / "out.json", capsys)
    assert rc == 2 and "not found" in err
    out = tmp_path / "no-such-folder" / "out.json"
    rc, _, err = export(corpus / "jining-hitech-police-2020.txt", out, capsys)
    assert rc == 2 and "cannot write" in err and str(out) in err


def test_the_real_command_prints_no_traceback(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    proc = subprocess.run(
        [sys.executable, "-m", "tabledesk", "export", str(bad), "-o", str(tmp_path / "o.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.strip().startswith(str(bad))
    assert proc.stdout == ""
