"""Generic checks on forms no template knows: false alarms on balanced forms and injected errors
caught, per layout (行次/栏次, 科目编码 hierarchies, 其中 rows, totals printed first,
percentage and year columns, header bands, two-sided 总表), each read from HTML and a ruled PDF.

    .venv/bin/python benchmarks/bench_generic.py            # 10 forms per layout and format
    .venv/bin/python benchmarks/bench_generic.py --forms 3
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from tests.fixtures.unknown_forms import FORMS, write_html, write_pdf

import _common  # noqa: F401 - puts the source tree on the path
from tabledesk.checks.engine import CheckStatus
from tabledesk.review.review import Review


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--forms", type=int, default=10, help="forms per layout and format")
    args = ap.parse_args()
    print(f"{'layout':<14} {'format':<6} {'forms':>5} {'checks':>7} {'false alarms':>13} {'caught':>8}")
    totals = [0, 0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in FORMS.items():
            for kind, write in (("html", write_html), ("pdf", write_pdf)):
                checks = alarms = caught = 0
                for seed in range(args.forms):
                    clean = make(random.Random(seed))
                    review = Review.open(write(clean, Path(tmp) / f"c{seed}.{kind}"))
                    checks += len(review.results)
                    alarms += sum(1 for r in review.results if r.status is CheckStatus.FAILED)
                    bad = make(random.Random(seed))
                    bad.inject_error(random.Random(seed + 100))
                    review = Review.open(write(bad, Path(tmp) / f"b{seed}.{kind}"))
                    caught += any(r.status is CheckStatus.FAILED for r in review.results)
                print(
                    f"{name:<14} {kind:<6} {args.forms:>5} {checks:>7} {alarms:>13} {caught:>5}/{args.forms}"
                )
                totals = [totals[0] + args.forms, totals[1] + checks, totals[2] + alarms, totals[3] + caught]
    n, checks, alarms, caught = totals
    print(f"{'TOTAL':<21} {n:>5} {checks:>7} {alarms:>13} {caught:>5}/{n}")


if __name__ == "__main__":
    main()
