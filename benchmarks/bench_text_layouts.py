"""Recovery over generated reports in the layouts clerks actually receive: text copied from web
pages, pages saved by browsers, PDF-to-Markdown output (tests/fixtures/text_layouts.py and the
web forms of html_report.py), both formats, blank zeros or not, every other report with an
injected slip.

    .venv/bin/python benchmarks/bench_text_layouts.py [--reports 20] [--layouts bare_pipe,torn]

Prints one line per layout: printed values recovered, clean reports with a failed check (false
alarms), cells read as 0 where something else is printed (silent zeros), slips caught, titles
(agency and year) read; writes JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _common import ROOT, save

sys.path[:0] = [str(ROOT / "desktop")]

from tests.fixtures.layout_sweep import ALL_LAYOUTS, sweep  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=20, help="reports per layout")
    ap.add_argument("--layouts", default=",".join(ALL_LAYOUTS))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    layouts = tuple(x for x in args.layouts.split(",") if x)
    with tempfile.TemporaryDirectory(prefix="bench_layouts_") as tmp:
        scores = sweep(layouts, args.reports, Path(tmp), seed=args.seed)
    head = ("layout", "recovered", "rate", "false alarms", "silent 0", "caught", "titles")
    print("{:14} {:>13} {:>8} {:>12} {:>8} {:>7} {:>7}".format(*head))
    out = {}
    for name, s in scores.items():
        print(
            f"{name:14} {s.recovered:6d}/{s.values:<6d} {s.recovery:8.2%} {s.false_alarms:12d} "
            f"{s.silent_zeros:8d} {s.caught:3d}/{s.slips:<3d} {s.titles_right:3d}/{s.titles:<3d}"
        )
        out[name] = {
            "values": s.values,
            "recovered": s.recovered,
            "false_alarms": s.false_alarms,
            "silent_zeros": s.silent_zeros,
            "slips": s.slips,
            "caught": s.caught,
            "titles": s.titles,
            "titles_right": s.titles_right,
            "misses": s.misses[:20],
        }
    save("text_layouts", {"reports": args.reports, "seed": args.seed, "layouts": out})


if __name__ == "__main__":
    main()
