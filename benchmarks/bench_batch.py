"""Batch checking throughput beside pdfplumber's own ``find_tables``, and peak memory.

Over a generated corpus of report PDFs (default 200, a fifth with a changed digit; cached in
benchmarks/results/corpus and reused), with 1 and N worker processes (N = CPU cores):

* ours: ``BatchRun`` reading, mapping and checking every report (what ``tabledesk check``
  does, without writing files), then building and writing the dataset (reported apart);
* floor: the same processes (spawn, pdfplumber imported once per worker) opening every PDF
  and calling ``page.find_tables()`` on every page — the least any pdfplumber-based reader
  must do. Target: our reports/s at least 1.5x the floor's (tabledesk reads pages through
  pdfium). The ratio of CPU time per report is printed beside it: on a machine busy with other
  work it is the steadier figure.

Peak memory on a generated 100-page report, each in a fresh process: ``tabledesk check``
(dataset and JSON written) with one worker — the worker's peak RSS plus the parent's (which
holds pandas for the dataset), target under 400 MB; ``read_pdf`` alone (the page pool's
process included), target under 150 MB; and pdfplumber's find_tables for comparison.

    .venv/bin/python benchmarks/bench_batch.py [--reports 200] [--jobs N] [--skip-memory]

Prints a table and writes benchmarks/results/batch.json (git-ignored).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

from benchmarks._common import RESULTS, children_peak_rss_mb, peak_rss_mb, save  # noqa: E402

from tabledesk.batch.pool import BatchOptions, BatchRun, Input, default_jobs  # noqa: E402

CORPUS = RESULTS / "corpus"
CORPUS_VERSION = 1  # bump when the generated reports should change
LONG_PAGES = 100


# ----------------------------------------------------------------------------- the corpus
def _render(i: int, path: str) -> None:
    from tests.fixtures.pdf_report import render_pdf
    from tests.fixtures.report_spec import FORMATS, inject_error, random_layout, random_spec

    rng = random.Random(20_000 + i)
    spec = random_spec(rng, FORMATS[i % 2], layout=random_layout(rng))
    if i % 5 == 4:
        inject_error(spec, rng)
    render_pdf(spec, path)


def corpus(n: int, jobs: int) -> list[Path]:
    """``n`` generated reports, rendered once and then reused (a manifest guards the seed)."""
    CORPUS.mkdir(parents=True, exist_ok=True)
    manifest = CORPUS / "manifest.json"
    # The generators are part of the corpus: when they change, the seeds make other reports.
    fixtures = [ROOT / "tests" / "fixtures" / n for n in ("report_spec.py", "pdf_report.py")]
    want = {
        "version": CORPUS_VERSION,
        "fixtures": hashlib.sha256(b"".join(f.read_bytes() for f in fixtures)).hexdigest(),
    }
    if not manifest.exists() or json.loads(manifest.read_text(encoding="utf-8")) != want:
        for p in [*CORPUS.glob("g*.pdf"), *CORPUS.glob("long-*.pdf")]:
            p.unlink()
        manifest.write_text(json.dumps(want), encoding="utf-8")
    paths = [CORPUS / f"g{i:04d}.pdf" for i in range(n)]
    missing = [(i, str(p)) for i, p in enumerate(paths) if not p.exists()]
    if missing:
        print(f"rendering {len(missing)} reports into {CORPUS.relative_to(ROOT)} (once) …", flush=True)
        with _pool(jobs, None) as ex:
            list(ex.map(_render, *zip(*missing, strict=True)))
    return paths


def long_report() -> Path:
    """A report padded with prose to about LONG_PAGES pages (tables in the middle)."""
    path = CORPUS / f"long-{LONG_PAGES}p-v{CORPUS_VERSION}.pdf"
    if path.exists():
        return path
    import pdfplumber
    from tests.fixtures.pdf_report import render_pdf
    from tests.fixtures.report_spec import random_spec

    para = (
        "本机关坚持以公开为常态、不公开为例外，围绕重点领域持续深化政务公开，"
        "及时发布政策文件、财政预决算、重大项目、公共资源配置、社会公益事业建设等信息，"
        "做好政策解读和回应关切，不断提升政务公开标准化规范化水平。"
    )
    per_page = None
    n = 40
    for _ in range(4):
        spec = random_spec(random.Random(7), "2021")
        spec.sections[0].paragraphs += [para] * (n // 2)
        spec.sections[4].paragraphs += [para] * (n - n // 2)
        render_pdf(spec, path)
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        if abs(pages - LONG_PAGES) <= 2:
            break
        per_page = n / max(1, pages - 3)
        n = int(per_page * (LONG_PAGES - 3))
    return path


# ----------------------------------------------------------------------------- the floor
def _init_floor() -> None:
    import pdfplumber  # noqa: F401 - once per worker, as BatchRun imports tabledesk once


def _find_tables(path: str) -> tuple[int, float]:
    """Pages, and the CPU seconds spent."""
    import pdfplumber

    c0 = time.process_time()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.find_tables()
            page.close()
        return len(pdf.pages), time.process_time() - c0


def _pool(jobs: int, init) -> ProcessPoolExecutor:  # noqa: ANN001
    import multiprocessing

    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=init)


def floor(paths: list[Path], jobs: int) -> dict[str, float]:
    order = sorted(paths, key=lambda p: p.stat().st_size, reverse=True)  # as BatchRun schedules
    t0 = time.perf_counter()
    with _pool(jobs, _init_floor) as ex:
        done = list(ex.map(_find_tables, [str(p) for p in order]))
    rates = _rates(len(paths), sum(d[0] for d in done), time.perf_counter() - t0)
    rates["cpu_s_per_report"] = sum(d[1] for d in done) / len(done)
    return rates


def ours(paths: list[Path], jobs: int) -> tuple[dict[str, float], list]:
    t0 = time.perf_counter()
    with BatchRun([Input(p, Path(p.name)) for p in paths], BatchOptions(jobs=jobs)) as run:
        results = list(run)
    rates = _rates(len(paths), sum(r.record.pages for r in results), time.perf_counter() - t0)
    rates["cpu_s_per_report"] = sum(r.cpu_seconds for r in results) / len(results)
    return rates, results


def _rates(n: int, pages: int, seconds: float) -> dict[str, float]:
    return {
        "seconds": seconds,
        "reports": n,
        "pages": pages,
        "reports_per_s": n / seconds,
        "pages_per_s": pages / seconds,
    }


# ----------------------------------------------------------------------------- memory
def memory_probe(path: str, what: str) -> None:
    """Run in a fresh process: ``tabledesk check`` on one file with one worker, writing the
    dataset and the JSON (or only find_tables in a one-worker pool); prints peaks as JSON."""
    import io
    import tempfile

    from tabledesk.batch.cli import run_check

    with tempfile.TemporaryDirectory() as tmp:
        if what == "read":
            from tabledesk.sources.pdf.extract import read_pdf

            pages = read_pdf(path).pages
        elif what == "ours":
            sink = io.StringIO()
            run_check(
                [path],
                out=Path(tmp) / "d.xlsx",
                json_dir=Path(tmp) / "json",
                jobs=1,
                stdout=sink,
                stderr=sink,
            )
            pages = int(
                json.loads(next((Path(tmp) / "json").glob("*.json")).read_text(encoding="utf-8"))["source"][
                    "pages"
                ]
            )
        else:
            with _pool(1, _init_floor) as ex:
                pages = ex.submit(_find_tables, path).result()[0]
    print(json.dumps({"pages": pages, "parent_mb": peak_rss_mb(), "worker_mb": children_peak_rss_mb()}))


def memory(path: Path) -> dict[str, dict[str, float]]:
    out = {}
    for what in ("ours", "read", "find_tables"):
        proc = subprocess.run(
            [sys.executable, __file__, "--memory-probe", str(path), what],
            capture_output=True,
            text=True,
            check=True,
        )
        m = json.loads(proc.stdout.strip().splitlines()[-1])
        m["total_mb"] = m["parent_mb"] + m["worker_mb"]
        out[what] = m
    return out


# ----------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=default_jobs(), help="N (default: CPU cores)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest counts")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--memory-probe", nargs=2, metavar=("PDF", "WHAT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_probe:
        memory_probe(*args.memory_probe)
        return

    paths = corpus(args.reports, args.jobs)
    data: dict[str, object] = {
        "reports": len(paths),
        "cpu_cores": os.cpu_count(),
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "targets": {"throughput_vs_find_tables": 1.5, "peak_memory_mb": 400, "read_peak_memory_mb": 150},
        "runs": [],
    }
    print(f"{len(paths)} reports, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB")
    print(
        f"{'processes':>9} {'':12} {'reports/s':>10} {'pages/s':>9} {'seconds':>8}"
        f" {'CPU s/rep':>9} {'ratio':>6}"
    )
    results = []
    for jobs in sorted({1, args.jobs}):
        fl: dict[str, float] = {}
        ou: dict[str, float] = {}
        for _ in range(args.repeat):  # interleaved, so that both meet the same machine load
            f = floor(paths, jobs)
            o, results = ours(paths, jobs)
            fl = f if not fl or f["seconds"] < fl["seconds"] else fl
            ou = o if not ou or o["seconds"] < ou["seconds"] else ou
        ratio = ou["reports_per_s"] / fl["reports_per_s"]
        cpu_ratio = fl["cpu_s_per_report"] / ou["cpu_s_per_report"]
        run = {"processes": jobs, "ours": ou, "find_tables": fl, "ratio": ratio, "cpu_ratio": cpu_ratio}
        data["runs"].append(run)  # type: ignore[attr-defined]
        for name, r in (("find_tables", fl), ("tabledesk", ou)):
            tail = f" {ratio:6.2f} (CPU {cpu_ratio:.2f})" if name == "tabledesk" else ""
            print(
                f"{jobs:9d} {name:12} {r['reports_per_s']:10.2f} {r['pages_per_s']:9.2f} {r['seconds']:8.1f} "
                f"{r['cpu_s_per_report']:9.3f}{tail}"
            )

    from collections import Counter

    from tabledesk.exports.dataset import build_dataset, dataset_bytes

    data["statuses"] = dict(Counter(r.record.status.value for r in results))
    # every fifth report has one changed digit: how many of those fail, and how many others do not pass
    injected = [r.record.status.value for r in results if int(Path(r.record.file).stem[1:]) % 5 == 4]
    balanced = [r.record.status.value for r in results if int(Path(r.record.file).stem[1:]) % 5 != 4]
    data["injected_errors_found"] = f"{injected.count('failed')}/{len(injected)}"
    data["balanced_not_passed"] = f"{len(balanced) - balanced.count('passed')}/{len(balanced)}"
    t0 = time.perf_counter()
    ds = build_dataset([r.record for r in sorted(results, key=lambda r: r.index)])
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    size = len(dataset_bytes(ds, "xlsx"))
    t_xlsx = time.perf_counter() - t0
    data["dataset"] = {
        "rows": len(ds.frame),
        "columns": ds.frame.shape[1],
        "build_s": t_build,
        "xlsx_s": t_xlsx,
        "xlsx_bytes": size,
    }
    print(
        f"statuses {data['statuses']}; changed digit found in {data['injected_errors_found']}, "
        f"balanced reports not passed: {data['balanced_not_passed']}"
    )
    print(
        f"dataset {ds.frame.shape[0]}x{ds.frame.shape[1]}: built in {t_build:.2f} s, .xlsx in {t_xlsx:.2f} s"
    )

    if not args.skip_memory:
        long = long_report()
        mem = memory(long)
        data["memory"] = mem
        for what, m in mem.items():
            print(
                f"peak memory, {m['pages']}-page PDF, {what:11}: worker {m['worker_mb']:.0f} MB + "
                f"parent {m['parent_mb']:.0f} MB = {m['total_mb']:.0f} MB"
            )
    print(f"written {save('batch', data).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
