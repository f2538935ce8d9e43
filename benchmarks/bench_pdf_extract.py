"""How long ``read_pdf`` takes beside pdfplumber's own ``page.find_tables()`` over the same pages.

Target: reading (and, when mapping/mapper.py exists, mapping) a report costs at most 1.2x what
pdfplumber needs just to find the tables. Each figure is the best of ``--repeat`` runs on a
freshly opened file, so both sides pay for pdfminer's layout analysis.

    .venv/bin/python benchmarks/bench_pdf_extract.py [--generated 20] [--repeat 3]

Prints one line per document and writes JSON to benchmarks/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

import pdfplumber  # noqa: E402
from tests.fixtures.pdf_report import render_pdf  # noqa: E402
from tests.fixtures.report_spec import FORMATS, random_layout, random_spec  # noqa: E402

from tabledesk.sources.pdf.extract import read_pdf  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "benchmarks" / "results"


def _best(fn, repeat: int) -> float:  # noqa: ANN001
    # CPU time of this process: other jobs on a shared machine do not inflate it
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def _find_tables(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.find_tables()


def _mapper():  # noqa: ANN202
    """Map onto the template and run every check: what `tabledesk export` does after reading."""
    from tabledesk.checks.engine import Checker
    from tabledesk.mapping.mapper import map_source
    from tabledesk.templates.registry import load_templates

    templates, _ = load_templates()

    def map_and_check(src):  # noqa: ANN001, ANN202
        doc = map_source(src, templates)
        Checker(doc, next(t for t in templates if t.id == doc.template_id)).run()

    return map_and_check


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generated", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    docs: list[tuple[str, Path]] = (
        sorted((p.stem, p) for p in CORPUS.glob("*.pdf")) if CORPUS.exists() else []
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench_pdf_"))
    for i in range(args.generated):
        rng = random.Random(1000 + i)
        fmt = FORMATS[i % 2]
        spec = random_spec(rng, fmt, layout=random_layout(rng))
        docs.append((f"generated-{fmt}-{i:02d}", render_pdf(spec, tmp / f"g{i:02d}.pdf")))

    mapper = _mapper()
    rows = []
    print(f"{'document':32} {'pages':>5} {'read_pdf':>9} {'find_tables':>11} {'ratio':>6}")
    for name, path in docs:
        # interleaved, so load from other jobs on the machine hits both sides alike
        read_s = ft_s = float("inf")
        for _ in range(args.repeat):
            read_s = min(read_s, _best(lambda p=path: read_pdf(p), 1))
            ft_s = min(ft_s, _best(lambda p=path: _find_tables(p), 1))
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        row = {
            "document": name,
            "pages": pages,
            "read_pdf_s": read_s,
            "find_tables_s": ft_s,
            "ratio": read_s / ft_s,
        }
        if mapper is not None:
            try:
                src = read_pdf(path)
                row["map_s"] = _best(lambda s=src: mapper(s), args.repeat)  # type: ignore[misc]
                row["ratio_with_map"] = (read_s + row["map_s"]) / ft_s
            except Exception as e:  # noqa: BLE001 - report, do not stop the benchmark
                row["map_error"] = str(e)
        rows.append(row)
        extra = f"  (+map+check {row['ratio_with_map']:.2f})" if "ratio_with_map" in row else ""
        print(f"{name:32} {pages:5d} {read_s:9.3f} {ft_s:11.3f} {row['ratio']:6.2f}{extra}")
    total_read = sum(r["read_pdf_s"] for r in rows)
    total_ft = sum(r["find_tables_s"] for r in rows)
    total_map = sum(r.get("map_s", 0.0) for r in rows)
    print(
        f"{'TOTAL':32} {'':5} {total_read:9.3f} {total_ft:11.3f} {total_read / total_ft:6.2f}"
        f"  (+map+check {(total_read + total_map) / total_ft:.2f}; target ≤ 1.20)"
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    ignore = RESULTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    out = RESULTS / f"pdf_extract-{time.strftime('%Y%m%dT%H%M%S')}.json"
    summary = {
        "total_read_s": total_read,
        "total_map_check_s": total_map,
        "total_find_tables_s": total_ft,
        "ratio": total_read / total_ft,
        "ratio_with_map_check": (total_read + total_map) / total_ft,
    }
    out.write_text(json.dumps({"summary": summary, "documents": rows}, indent=1), encoding="utf-8")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
