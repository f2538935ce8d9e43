"""How often the top suggested correction restores an injected error (a benchmark, not a test).

Balanced reports are generated (tests/fixtures/report_spec.py), one 表三/表四 cell is broken by a
changed digit, a swap of adjacent digits or a dropped digit (``inject_error``), and we count how
often the first suggestion of that table sets that cell to its true value (top-1) and how often
one of the first three does (top-3). Target: top-1 ≥ 90 % over that mix.

Two runs: ``--docs`` documents built straight from the spec (fast: the rules and the search
only), and ``--pdf`` documents rendered as PDFs with random layouts and read back through the
whole pipeline (render_pdf → read → map → check → suggest), as ``tabledesk export`` does. With
the corpus beside the repository, hongze-district-2023's 表四 is shown too.

    .venv/bin/python benchmarks/bench_suggest.py [--docs 300] [--pdf 30] [--seed 0]

Prints the figures and writes benchmarks/results/suggest.json.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

# isort: off
from _common import CORPUS, save  # first: puts the repository root on sys.path for tests.fixtures
from tabledesk.checks.engine import Checker
from tabledesk.templates.registry import builtin_template
from tabledesk.checks.suggest import Analysis, analyse
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import (
    FORMATS,
    InjectedError,
    iter_cells,
    random_layout,
    random_spec,
    inject_error,
)

# isort: on

TARGET_TOP1 = 0.90


def _rank(analysis: Analysis, inj: InjectedError) -> int | None:
    """Position (0-based) of the first suggestion of the injected table that restores the
    injected cell's true value; None when none does."""
    key = (inj.cell.table, inj.cell.row, inj.cell.col)
    for n, s in enumerate(analysis.for_table(inj.cell.table)):
        if any(c.key == key and c.new == Decimal(inj.true_value) for c in s.changes):
            return n
    return None


class Tally:
    def __init__(self) -> None:
        self.n = 0
        self.top1 = 0
        self.top3 = 0
        self.none = 0  # no suggestion at all for the injected table
        self.by = Counter[str]()
        self.by_top1 = Counter[str]()
        self.ms: list[float] = []

    def add(self, label: str, rank: int | None, suggested: bool, ms: float) -> None:
        self.n += 1
        self.by[label] += 1
        self.ms.append(ms)
        if rank == 0:
            self.top1 += 1
            self.by_top1[label] += 1
        if rank is not None and rank < 3:
            self.top3 += 1
        if not suggested:
            self.none += 1

    def summary(self) -> dict[str, object]:
        return {
            "documents": self.n,
            "top1": self.top1 / self.n if self.n else 0.0,
            "top3": self.top3 / self.n if self.n else 0.0,
            "no_suggestion": self.none,
            "by_error": {k: {"n": v, "top1": self.by_top1[k]} for k, v in sorted(self.by.items())},
            "suggest_ms": {"median": statistics.median(self.ms), "max": max(self.ms)} if self.ms else {},
        }

    def print(self, title: str) -> None:
        s = self.summary()
        print(f"{title}: {self.n} documents")
        print(
            f"  top-1 {self.top1}/{self.n} = {s['top1']:.1%}   top-3 {self.top3}/{self.n} = {s['top3']:.1%}"
            f"   (target top-1 ≥ {TARGET_TOP1:.0%})   no suggestion: {self.none}"
        )
        for k, v in sorted(self.by.items()):
            print(f"  {k:10} {self.by_top1[k]:4d}/{v:<4d} top-1")
        if self.ms:
            print(
                f"  suggest: median {statistics.median(self.ms):.2f} ms,"
                f" max {max(self.ms):.2f} ms per document"
            )


def run_generated(n: int, seed: int) -> Tally:
    template = builtin_template()
    tally = Tally()
    for i in range(n):
        rng = random.Random(seed + i)
        spec = random_spec(rng, FORMATS[i % 2])
        inj = inject_error(spec, rng)
        checker = Checker(document_from_spec(spec), template)
        checker.run()
        t = time.perf_counter()
        analysis = analyse(checker)
        ms = (time.perf_counter() - t) * 1000
        tally.add(
            f"{inj.cell.table}/{inj.kind}", _rank(analysis, inj), bool(analysis.for_table(inj.cell.table)), ms
        )
    return tally


def run_pdf(n: int, seed: int) -> tuple[Tally, Tally]:
    """Through rendered PDFs: all documents, and those whose every other cell was read right
    (so that a miss there is the suggestion's, not the extraction's)."""
    from tests.fixtures.pdf_report import render_pdf

    from tabledesk.review.review import Review

    all_docs, clean = Tally(), Tally()
    tmp = Path(tempfile.mkdtemp(prefix="bench_suggest_"))
    for i in range(n):
        rng = random.Random(seed + 10_000 + i)
        spec = random_spec(rng, FORMATS[i % 2], layout=random_layout(rng))
        inj = inject_error(spec, rng)
        path = render_pdf(spec, tmp / f"s{i:03d}.pdf")
        try:
            review = Review.open(path)
        except Exception as e:  # noqa: BLE001 - count it, keep going
            print(f"  {path.name}: not read: {e}")
            all_docs.add(f"{inj.cell.table}/{inj.kind}", None, False, 0.0)
            continue
        t = time.perf_counter()
        analysis = analyse(review)
        ms = (time.perf_counter() - t) * 1000
        rank = _rank(analysis, inj)
        label = f"{inj.cell.table}/{inj.kind}"
        suggested = bool(analysis.for_table(inj.cell.table))
        all_docs.add(label, rank, suggested, ms)
        doc = review.document
        read_right = all(
            doc.has_cell(c.table, c.row, c.col)
            and doc.cell(c.table, c.row, c.col).value == Decimal(str(c.value))
            for c in iter_cells(spec)
        )
        if read_right:
            clean.add(label, rank, suggested, ms)
    return all_docs, clean


def hongze() -> list[str]:
    path = CORPUS / "hongze-district-2023.pdf"
    if not path.is_file():
        return []
    from tabledesk.review.review import Review

    review = Review.open(path)
    return [s.message(review.document, "zh") for s in analyse(review).best()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300, help="documents built straight from the spec (≥ 200)")
    ap.add_argument("--pdf", type=int, default=30, help="documents rendered as PDF and read back")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    gen = run_generated(args.docs, args.seed)
    gen.print("generated documents (document_from_spec + inject_error)")
    out: dict[str, object] = {"generated": gen.summary(), "target_top1": TARGET_TOP1}
    if args.pdf:
        t = time.perf_counter()
        pdf_all, pdf_clean = run_pdf(args.pdf, args.seed)
        pdf_all.print(
            f"rendered PDFs read back (render_pdf → read → map → check), {time.perf_counter() - t:.0f} s"
        )
        pdf_clean.print("  of which every other cell was read right")
        out["pdf"] = pdf_all.summary()
        out["pdf_read_right"] = pdf_clean.summary()
    lines = hongze()
    if lines:
        print("hongze-district-2023:", " | ".join(lines))
        out["hongze_2023"] = lines
    print(f"written {save('suggest', out).name}")


if __name__ == "__main__":
    main()
