"""部门决算, the second report family (a benchmark, not a test): generated reports
(tests/fixtures/final_accounts) read through the whole pipeline as PDF, web page and copied
text, against their truth.

It prints, per kind of source:

* amounts recovered (target ≥ 99.5 %) and balanced reports with a failing, incomplete or
  unfilled check (target 0: totals off their parts by rounding among them);
* injected slips (transposed digits, a slipped decimal point, a wrong or dropped digit) flagged
  red, their fix suggested first, and listed among the alternatives;
* reports whose tables disagree as published (表三 apart from 表一; a 类 not the sum of its 款)
  flagged;
* read + map + check time a page beside pdfplumber's own ``extract_tables`` over the same PDFs,
  measured in the same run (CPU time, best of ``--repeat``).

    .venv/bin/python benchmarks/bench_final_accounts.py [--docs 20] [--seed 0]

Writes benchmarks/results/final_accounts.json.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

# isort: off
from _common import save  # first: puts the repository root on sys.path for tests.fixtures
from tabledesk.checks.engine import CheckStatus
from tabledesk.checks.suggest import analyse
from tabledesk.review.review import Review
from tests.fixtures.final_accounts.errors import DISAGREEMENTS, KINDS, as_published, inject_error
from tests.fixtures.final_accounts.generate import generate
from tests.fixtures.final_accounts.html import write_html
from tests.fixtures.final_accounts.pdf import write_pdf
from tests.fixtures.final_accounts.rules import rounding_gaps
from tests.fixtures.final_accounts.spec import FinalAccountsSpec, iter_cells
from tests.fixtures.final_accounts.text import write_text

# isort: on

SOURCES = ("pdf", "html", "text")
PROBLEMS = ("failed", "incomplete", "unfilled")


def _write(spec: FinalAccountsSpec, kind: str, path: Path) -> Path:
    if kind == "pdf":
        return write_pdf(spec, path.with_suffix(".pdf"))
    if kind == "html":
        return write_html(spec, path.with_suffix(".html"))
    return write_text(spec, path.with_suffix(".txt"))


def _cpu(fn: object, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()  # type: ignore[operator]
        best = min(best, time.process_time() - t)
    return best


def balanced(kind: str, docs: int, seed: int, folder: Path) -> dict[str, object]:
    cells = right = red = gaps = 0
    rules: Counter[str] = Counter()
    for s in range(seed, seed + docs):
        spec = generate(s)
        gaps += len(rounding_gaps(spec))
        review = Review.open(_write(spec, kind, folder / f"b{s}"))
        doc = review.document
        for c in iter_cells(spec):
            cells += 1
            right += doc.has_cell(c.table, c.row, c.col) and doc.cell(c.table, c.row, c.col).value == c.value
        bad = [r for r in review.results if r.status.value in PROBLEMS]
        red += bool(bad)
        rules.update(r.instance.rule.id for r in bad)
    return {
        "amounts": cells,
        "recovered": right,
        "recovered_pct": round(100 * right / max(cells, 1), 3),
        "balanced_with_problem": red,
        "rounding_gaps": gaps,
        "problem_rules": dict(rules.most_common(5)),
    }


# How sure the suggestions said they were, against how often they were right (10-point buckets).
RELIABILITY: dict[int, list[int]] = {}


def _reliability(suggestions: list[object], key: tuple[str, str, str], true: object, quantum: object) -> None:
    for x in suggestions:
        right = any(c.key == key and abs(c.new - true) <= quantum for c in x.changes)  # type: ignore[attr-defined]
        bucket = min(9, int(x.confidence * 10))  # type: ignore[attr-defined]
        RELIABILITY.setdefault(bucket, [0, 0])
        RELIABILITY[bucket][0] += 1
        RELIABILITY[bucket][1] += right


def injected(kind: str, docs: int, seed: int, folder: Path) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for slip in KINDS:
        st = Counter[str]()
        for s in range(seed, seed + docs):
            spec, err = inject_error(generate(s), random.Random(s), slip)
            review = Review.open(_write(spec, kind, folder / f"e{s}"))
            key = (err.table, err.row, err.col)
            st["n"] += 1
            st["flagged"] += any(
                key in r.cells for r in review.results if r.status is CheckStatus.FAILED
            )
            listed = list(analyse(review).suggestions)
            _reliability(listed, key, err.true_value, spec.unit.quantum)
            hits = [
                x
                for x in listed
                if any(c.key == key and abs(c.new - err.true_value) <= spec.unit.quantum for c in x.changes)
            ]
            st["listed"] += bool(hits)
            st["top1"] += bool(hits) and hits[0].rank == 0
        out[slip] = dict(st)
    for kind_ in DISAGREEMENTS:
        st = Counter[str]()
        for s in range(seed, seed + docs):
            spec, _ = as_published(generate(s), random.Random(s), kind_)
            review = Review.open(_write(spec, kind, folder / f"p{s}"))
            st["n"] += 1
            st["flagged"] += any(r.status is CheckStatus.FAILED for r in review.results)
        out[f"as_published.{kind_}"] = dict(st)
    return out


def speed(docs: int, seed: int, folder: Path, repeat: int) -> dict[str, float]:
    import pdfplumber

    paths = [write_pdf(generate(s), folder / f"t{s}.pdf") for s in range(seed, seed + docs)]
    pages = 0
    ours = theirs = 0.0
    for p in paths:
        with pdfplumber.open(p) as pdf:
            pages += len(pdf.pages)

        def plumber(path: Path = p) -> None:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_tables()

        ours += _cpu(lambda path=p: Review.open(path), repeat)
        theirs += _cpu(plumber, repeat)
    return {
        "pages": pages,
        "tabledesk_ms_per_page": round(1000 * ours / pages, 1),
        "pdfplumber_extract_tables_ms_per_page": round(1000 * theirs / pages, 1),
        "ratio": round(theirs / ours, 2) if ours else 0.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    results: dict[str, object] = {"docs": args.docs, "seed": args.seed}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind in SOURCES:
            b = balanced(kind, args.docs, args.seed, folder)
            e = injected(kind, max(4, args.docs // 2), args.seed + 1000, folder)
            results[kind] = {"balanced": b, "errors": e}
            print(
                f"{kind:5} amounts {b['recovered']}/{b['amounts']} ({b['recovered_pct']}%), "
                f"balanced with a problem {b['balanced_with_problem']}/{args.docs} "
                f"(rounding gaps {b['rounding_gaps']})"
            )
            for name, st in e.items():
                extra = f", top-1 {st['top1']}, listed {st['listed']}" if "top1" in st else ""
                print(f"      {name:24} flagged {st['flagged']}/{st['n']}{extra}")
        print("confidence shown   suggestions  right")
        table = {}
        for b in sorted(RELIABILITY):
            n, right = RELIABILITY[b]
            table[f"{b * 10}-{b * 10 + 10}"] = {"n": n, "right_pct": round(100 * right / n, 1)}
            print(f"  {b * 10:2d}–{b * 10 + 10:3d}%        {n:6d}   {100 * right / n:5.1f}%")
        results["reliability"] = table
        s = speed(min(args.docs, 10), args.seed, folder, args.repeat)
        results["speed"] = s
        print(
            f"speed over {s['pages']} pages: tabledesk read+map+check "
            f"{s['tabledesk_ms_per_page']} ms a page, "
            f"pdfplumber extract_tables {s['pdfplumber_extract_tables_ms_per_page']} ms a page "
            f"({s['ratio']}× faster)"
        )
    print("wrote", save("final_accounts", results))


if __name__ == "__main__":
    main()
