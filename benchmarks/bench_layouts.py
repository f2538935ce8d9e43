"""Verdicts on reports laid out in ordinary ways (a benchmark, not a test): for each layout of
tests/fixtures (表三's groups on rows of their own, zeros printed blank, totals left blank, 表四
split into three small tables), generated balanced reports are written as text, read back
through the whole pipeline and checked; then one cell of each is broken (``inject_error``).

Per layout it prints: balanced reports with a red check (target 0), numbers read into the wrong
cell or left as a silent 0 (target 0), reports whose blank totals come out *unfilled* (target:
all where totals are blank), and injected errors flagged red (target: all that the printed
numbers can show — an error in a total left blank is not printed at all): red, or else shown
as a total not filled in whose parts' sum is the wrong one (a report that prints zeros blank
cannot tell a 0 total from one left unfilled when no other total beside it is filled).

    .venv/bin/python benchmarks/bench_layouts.py [--docs 8] [--seed 0]

Prints the figures and writes benchmarks/results/layouts.json.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

# isort: off
from _common import save  # first: puts the repository root on sys.path for tests.fixtures
from tabledesk.review.review import Review
from tests.fixtures.report_spec import FORMATS, LAYOUTS, inject_error, iter_cells, random_spec
from tests.fixtures.text_report import is_unfilled, write_text

# isort: on


def _red(review: Review) -> int:
    # read by status value and severity so the script also runs against an older tree
    return sum(1 for r in review.results if r.status.value == "failed" and r.severity != "info")


def run(layout: str, docs: int, seed: int, folder: Path) -> dict[str, object]:
    rng = random.Random(seed)
    balanced_red = wrong_cells = unfilled_docs = blank_docs = 0
    flagged = flagged_unfilled = injected = 0
    for n in range(docs):
        spec = random_spec(random.Random(seed * 1000 + n), FORMATS[n % 2], **LAYOUTS[layout])
        review = Review.open(write_text(spec, folder / f"{layout}-{n}.txt"))
        balanced_red += _red(review) > 0
        doc = review.document
        blanks = False
        for cell in iter_cells(spec):
            got = doc.cell(cell.table, cell.row, cell.col)
            if is_unfilled(spec, cell.table, cell.row, cell.col) and cell.value != 0:
                blanks = True
                wrong_cells += got.value is not None  # a blank total must not become a number
            else:
                wrong_cells += got.value != cell.value
        if blanks:
            blank_docs += 1
            unfilled_docs += any(r.status.value == "unfilled" for r in review.results)
        bad = spec.copy()
        err = inject_error(bad, rng)
        c = err.cell
        if is_unfilled(bad, c.table, c.row, c.col) or (
            bad.layout.blank_totals == "column" and c.table == "t4"
        ):
            continue  # not printed, or 表四 without its 总计: nothing in print can show it
        injected += 1
        wrong = Review.open(write_text(bad, folder / f"{layout}-{n}-bad.txt"))
        key = (c.table, c.row, c.col)
        if _red(wrong):
            flagged += 1
        elif any(r.status.value == "unfilled" and key in r.instance.cells() for r in wrong.results):
            flagged_unfilled += 1
    return {
        "docs": docs,
        "balanced_with_red": balanced_red,
        "cells_wrong_or_silent_zero": wrong_cells,
        "blank_total_docs": blank_docs,
        "unfilled_reported": unfilled_docs,
        "injected": injected,
        "flagged": flagged,
        "flagged_unfilled": flagged_unfilled,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=8, help="documents per layout (half 2019, half 2021)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    out: dict[str, object] = {}
    print(f"{'layout':<22} {'red on balanced':>16} {'wrong cells':>12} {'unfilled':>9} {'flagged':>11}")
    print(f"{'':<61}(red+unfilled)")
    with tempfile.TemporaryDirectory() as tmp:
        for layout in LAYOUTS:
            r = run(layout, args.docs, args.seed, Path(tmp))
            out[layout] = r
            unfilled = f"{r['unfilled_reported']}/{r['blank_total_docs']}" if r["blank_total_docs"] else "–"
            print(
                f"{layout:<22} {r['balanced_with_red']:>9}/{r['docs']:<6} "
                f"{r['cells_wrong_or_silent_zero']:>12} {unfilled:>9} "
                f"{r['flagged']:>5}+{r['flagged_unfilled']}/{r['injected']:<3}"
            )
    print(f"written {save('layouts', out)}")


if __name__ == "__main__":
    main()
