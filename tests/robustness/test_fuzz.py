"""The fuzz round, small enough for CI: a few hundred mutated PDFs (from the sample and
rendered reports), hostile web pages and text copies, and a flate bomb, checked in one
``tabledesk check`` run as a clerk would start it. Every input must be handled — a dataset row
with a status, no traceback on stderr, no internal error or crashed reader, no hang (the run's
per-document limit is never reached) — every input must be left as it was, and a damaged
variant never passes unless its values are the seed's own. The closing line gives the counts
(run with ``-s`` to see it)."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import REPO
from tests.robustness.generators import (
    flate_bomb_pdf,
    hostile_html,
    hostile_text,
    pdf_variants,
    span_bomb_html,
)

# A CI-sized round (about two minutes on two busy cores); TABLEDESK_FUZZ=N multiplies it.
SCALE = int(os.environ.get("TABLEDESK_FUZZ", "1"))
PDF_VARIANTS = 200 * SCALE
HTML_VARIANTS = 60 * SCALE
TEXT_VARIANTS = 60 * SCALE
PER_DOCUMENT_LIMIT = 60  # seconds: a document reaching it counts as a hang


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def fuzz_run(reports, tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    d = root / "inputs"
    (d / "seeds").mkdir(parents=True)
    seeds = {p.name: p.read_bytes() for p in (reports["sample_pdf"], reports["pdf"], reports["pdf2019"])}
    for name, data in seeds.items():
        (d / "seeds" / name).write_bytes(data)
    for name, data in pdf_variants(seeds, PDF_VARIANTS, seed=18):
        (d / name).write_bytes(data)
    rng = random.Random(18)
    page = reports["html"].read_text(encoding="utf-8")
    for k in range(HTML_VARIANTS):
        (d / f"page{k}.html").write_text(hostile_html(rng, page), encoding="utf-8")
    text = reports["sample_txt"].read_text(encoding="utf-8")
    for k in range(TEXT_VARIANTS):
        (d / f"text{k}.txt").write_text(hostile_text(rng, text), encoding="utf-8")
    (d / "flate-bomb.pdf").write_bytes(flate_bomb_pdf())
    (d / "span-bomb.html").write_text(span_bomb_html(), encoding="utf-8")
    shutil.copy(reports["sample_txt"], d / "seeds" / "sample-report-2023.txt")
    before = {p: _sha(p) for p in d.rglob("*") if p.is_file()}

    out, jdir = root / "dataset.csv", root / "json"
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    # --no-ocr: a damaged text layer would send each variant to minutes of OCR (tested apart)
    args = ["check", str(d), "--out", str(out), "--json-dir", str(jdir), "--jobs", "2", "--no-ocr"]
    proc = subprocess.run(
        [sys.executable, "-m", "tabledesk", *args, "--timeout", str(PER_DOCUMENT_LIMIT)],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,  # a safety net only: the per-document limit is the hang detector
    )
    df = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return d, before, proc, df


def test_fuzz_round(fuzz_run) -> None:
    d, before, proc, df = fuzz_run
    tried = len(before)
    tracebacks = proc.stderr.count("Traceback")
    hangs = int((df["reason"].str.contains("reading took longer")).sum())
    crashed = df[df["reason"].str.contains("internal error|crashed", regex=True)]
    lost = [p for p, sha in before.items() if not p.is_file() or _sha(p) != sha]
    handled = len(df) - len(crashed) - hangs
    print(
        f"\nfuzz: tried {tried} / handled {handled} / tracebacks {tracebacks} / hangs {hangs} / "
        f"data lost {len(lost)}; statuses {df['status'].value_counts().to_dict()}"
    )
    assert proc.returncode in (0, 1, 2), proc.stderr[-2000:]
    assert len(df) == tried  # every input has its row: no document cost another its row
    assert tracebacks == 0, proc.stderr[-4000:]
    assert hangs == 0 and crashed.empty, crashed[["file", "reason"]].to_string()
    assert lost == []


def test_no_damaged_variant_passes_as_clean(fuzz_run) -> None:
    """A mutated PDF that passes must have every cell its seed has: one whose damage lost
    cells (a table gone, rows empty) must not count as passed. (A damage that only changes
    digits into other balanced digits is a different report, not a detectable one.)"""
    _, _, _, df = fuzz_run
    cells = [c for c in df.columns if c.startswith(("t2.", "t3.", "t4."))]
    files = df["file"].str.replace("\\", "/")
    seeds = {
        Path(f).name: row
        for f, row in zip(files, df[cells].itertuples(index=False), strict=True)
        if "/seeds/" in f
    }
    bad = []
    for f, status, row in zip(files, df["status"], df[cells].itertuples(index=False), strict=True):
        name = Path(f).name
        seed = seeds.get(name.split(".")[0] + ".pdf")
        if status != "passed" or "/seeds/" in f or seed is None:
            continue
        lost = [c for c, mine, theirs in zip(cells, row, seed, strict=True) if theirs != "" and mine == ""]
        if lost:
            bad.append(f"{name}: {len(lost)} cells lost, e.g. {lost[:3]}")
    assert bad == []
