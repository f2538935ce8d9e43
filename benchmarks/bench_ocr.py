"""Scanned reports: seconds per page and digit accuracy of OCR over generated scans.

Each report is generated (tests/fixtures), rendered to 150-dpi grey images, turned a little,
speckled, JPEG-compressed and wrapped back into an image-only PDF (tests/fixtures/scan_pdf.py),
then read with ``read_scan`` and mapped onto the template. A cell counts as correct when its
value equals the generated one; a wrong cell the reader did not mark uncertain is "wrong and not
flagged" (the clerk would never look at it). Targets: >= 99.5 % of cells and 0 wrong and not
flagged, in every font, <= 1.5 s a page.

    .venv/bin/python benchmarks/bench_ocr.py [--reports 4] [--horizontal 1] [--fonts 4]

``--fonts N`` renders N reports in each font family of tests/fixtures/fonts.py (Song, Kai,
Hei, Ming and Noto Serif, embedded, from the Debian packages scripts/setup.sh installs) with
thousands separators, negative numbers (the 2019 format's 本年增/减) and decimals (amounts)
in every report (fully ruled; from the third report on, every other pair ruled with horizontal
lines only), and prints accuracy and "wrong and not flagged" per family and ruling. A cell
left empty counts as wrong and not flagged too (its figure says how many were).
``TABLEDESK_PDFIUM_FONT_DIRS=dir[:dir...]`` pins the fonts pdfium sees (tests/fixtures/
scan_with_fonts.py): the figures are the same whichever fonts the machine has.
``--horizontal`` adds reports ruled with horizontal lines only (the page-wise fallback),
reported on their own line; ``--layouts N`` adds N reports of each ruling with every other
layout knob at random (page frames, tables broken over pages, blank zeros, font sizes ...);
``-v`` lists the wrong cells; ``--corpus`` also scans the real reports in ../shared/corpus at
150 and 300 dpi and scores the exports against their truth files (score-export.py).
Writes JSON to benchmarks/results/ocr.json.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

from tests.fixtures.fonts import FIXTURE_FONTS, font_file  # noqa: E402
from tests.fixtures.pdf_report import render_pdf  # noqa: E402
from tests.fixtures.report_spec import iter_cells, random_layout, random_spec  # noqa: E402
from tests.fixtures.scan_pdf import scan_pdf  # noqa: E402
from tests.fixtures.scan_with_fonts import pin_from_env  # noqa: E402

from _common import CORPUS, save  # noqa: E402
from tabledesk.core.document import UNCERTAIN_BELOW  # noqa: E402
from tabledesk.mapping.mapper import map_source  # noqa: E402
from tabledesk.sources.scan.engine import engine  # noqa: E402
from tabledesk.sources.scan.extract import read_scan  # noqa: E402
from tabledesk.templates.registry import load_templates  # noqa: E402


def run(
    n: int,
    rules: str,
    tmp: Path,
    templates,  # noqa: ANN001
    *,
    layouts: bool = False,
    seed: int = 100,
    verbose: bool = False,
    font: str | None = None,
) -> list[dict[str, object]]:
    """The figures of ``n`` reports. ``font``: every report drawn in that fixture font, with
    thousands separators and both formats (negatives and decimals), fully ruled and ruled with
    horizontal lines only, with figures per family and ruling."""
    tally: dict[str, dict[str, float]] = {}
    for k in range(n):
        fmt = ("2021", "2019")[k % 2]
        rng = random.Random(seed + k)
        knobs: dict[str, object] = {"rules": rules}
        if layouts:
            # every layout knob at random (page frames, breaks, blank zeros, font sizes ...)
            layout = random_layout(rng)
            layout.rules = rules
            knobs = {"layout": layout}
        elif font is not None:
            # both formats, then both again ruled with horizontal lines only
            knobs.update(
                font=font,
                thousands_sep=True,
                scale=rng.choice([250, 800, 2500]),
                rules=("grid", "grid", "horizontal", "horizontal")[k % 4],
            )
        elif k % 4 == 1:
            knobs.update(blank_zeros=True, thousands_sep=True, font_size=8.0)
        spec = random_spec(rng, fmt, **knobs)
        name = f"{rules}-{FIXTURE_FONTS[font].family if font else ''}-{k}"
        pdf = render_pdf(spec, tmp / f"{name}.pdf")
        scan = scan_pdf(pdf, tmp / f"{name}-scan.pdf", seed=100 + k)
        key = (
            f"font {FIXTURE_FONTS[font].family} {spec.layout.rules}"
            if font
            else rules + (" (random layouts)" if layouts else "")
        )
        t = tally.setdefault(
            key,
            dict.fromkeys(
                ("reports", "cells", "correct", "pages", "uncertain", "wrong", "empty", "seconds"), 0
            ),
        )
        start = time.perf_counter()
        src = read_scan(scan)
        t["seconds"] += time.perf_counter() - start
        t["pages"] += src.pages
        t["reports"] += 1
        doc = map_source(src, templates)
        bad = 0
        misses: list[str] = []
        for c in iter_cells(spec):
            t["cells"] += 1
            cell = doc.cell(c.table, c.row, c.col) if doc.has_cell(c.table, c.row, c.col) else None
            ok = cell is not None and cell.value is not None and Decimal(cell.value) == Decimal(str(c.value))
            if not ok:
                got = None if cell is None else (cell.value, cell.raw)
                misses.append(f"{c.table}/{c.row}/{c.col}: want {c.value}, got {got}")
            t["correct"] += ok
            bad += not ok
            if cell is not None and cell.uncertain:
                t["uncertain"] += 1
            elif not ok:
                # left empty (its number unplaced or lost) or a wrong value: either way the
                # clerk is not pointed at it, so both count as wrong and not flagged
                t["wrong"] += 1
                t["empty"] += cell is None or cell.value is None
        label = FIXTURE_FONTS[font].family if font else rules
        ruled = f", {spec.layout.rules}" if font else ""
        # what was read, every character and confidence: the same digest under any fonts
        readings = hashlib.sha256(
            repr(
                [
                    [(c.text, c.confidence, c.char_confidence) if c else None for c in row]
                    for table in src.tables
                    for row in table.cells
                ]
            ).encode()
        ).hexdigest()[:12]
        print(
            f"  {label:10} report {k} ({fmt}{ruled}): {src.pages} pages, {bad} wrong cells,"
            f" readings {readings}",
            flush=True,
        )
        if verbose:
            for m in misses:
                print("     ", m)
    return [
        {
            "rules": key,
            "reports": int(t["reports"]),
            "pages": int(t["pages"]),
            "cells": int(t["cells"]),
            "correct": int(t["correct"]),
            "accuracy": t["correct"] / max(t["cells"], 1),
            "uncertain": int(t["uncertain"]),
            "wrong_not_flagged": int(t["wrong"]),
            "left_empty": int(t["empty"]),
            "seconds_per_page": t["seconds"] / max(t["pages"], 1),
        }
        for key, t in tally.items()
    ]


def run_corpus(tmp: Path, dpi: int) -> dict[str, object] | None:
    """The real reports beside the project (../shared/corpus), scanned at ``dpi`` and scored
    against their hand-read truth files by ../shared/tools/score-export.py."""
    import json
    import shutil
    import subprocess

    scorer = CORPUS.parent / "tools" / "score-export.py"
    pdfs = [p for p in sorted(CORPUS.glob("*.pdf")) if p.with_suffix(".truth.json").exists()]
    if not pdfs or not scorer.exists():
        return None
    folder = tmp / f"corpus-{dpi}"
    folder.mkdir()
    for pdf in pdfs:
        scan_pdf(pdf, folder / pdf.name, seed=3, dpi=dpi)
        shutil.copy(pdf.with_suffix(".truth.json"), folder / pdf.with_suffix(".truth.json").name)
    cmd = f"{sys.executable} -m tabledesk export {{input}} -o {{output}}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop")}
    done = subprocess.run(
        [sys.executable, str(scorer), "--cmd", cmd, str(folder)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    line = next(
        (ln[ln.index("{") :] for ln in (done.stdout + done.stderr).splitlines() if '"cells_ok"' in ln), None
    )
    if line is None:
        raise SystemExit(f"score-export.py gave no figures:\n{done.stdout}\n{done.stderr}")
    score = json.loads(line)
    return {
        "rules": f"corpus {dpi} dpi",
        "reports": len(pdfs),
        "cells": score["cells"],
        "correct": score["cells_ok"],
        "accuracy": score["cells_ok"] / max(score["cells"], 1),
        "seconds_per_document": score["median_s"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=4, help="fully ruled reports (default 4)")
    ap.add_argument("--horizontal", type=int, default=1, help="reports ruled with horizontal lines only")
    ap.add_argument("--layouts", type=int, default=0, help="reports with random layouts (each ruling style)")
    ap.add_argument("--fonts", type=int, default=0, help="reports in each font family (4: both rulings)")
    ap.add_argument("--seed", type=int, default=100, help="first random seed")
    ap.add_argument(
        "--corpus",
        action="store_true",
        help="also scan the real reports in ../shared/corpus (150 and 300 dpi)",
    )
    ap.add_argument("-v", "--verbose", action="store_true", help="list every wrong cell")
    args = ap.parse_args()
    pinned = pin_from_env()
    if pinned is not None:
        print(f"pdfium sees only the fonts in {', '.join(pinned)}")
    templates, _ = load_templates()
    t = time.perf_counter()
    engine()
    print(f"engine loaded in {time.perf_counter() - t:.2f} s (uncertain below {UNCERTAIN_BELOW})")
    out = []
    with tempfile.TemporaryDirectory() as d:
        for rules, n in (("grid", args.reports), ("horizontal", args.horizontal)):
            if n:
                out += run(n, rules, Path(d), templates, seed=args.seed, verbose=args.verbose)
        for rules in ("grid", "horizontal") if args.layouts else ():
            out.extend(
                run(
                    args.layouts,
                    rules,
                    Path(d),
                    templates,
                    layouts=True,
                    seed=args.seed + 1000,
                    verbose=args.verbose,
                )
            )
        for font in FIXTURE_FONTS.values() if args.fonts else ():
            if font_file(font) is None:
                print(f"font {font.family}: {font.name} is not installed (apt-get install {font.package})")
                continue
            out.extend(
                run(
                    args.fonts,
                    "grid",
                    Path(d),
                    templates,
                    seed=args.seed + 2000,
                    verbose=args.verbose,
                    font=font.name,
                )
            )
        for dpi in (150, 300) if args.corpus else ():
            score = run_corpus(Path(d), dpi)
            if score is None:
                print(f"no corpus at {CORPUS}: skipped")
                break
            print(
                f"{score['rules']:10} {score['correct']}/{score['cells']} cells correct "
                f"({100 * score['accuracy']:.2f} %),"
                f" {score['seconds_per_document']:.1f} s a document (median)"
            )
            out.append(score)
    for r in (r for r in out if "pages" in r):
        print(
            f"{r['rules']:10} {r['correct']}/{r['cells']} cells correct ({100 * r['accuracy']:.2f} %), "
            f"{r['uncertain']} marked uncertain, {r['wrong_not_flagged']} wrong and not flagged"
            f" ({r['left_empty']} of them left empty), "
            f"{r['seconds_per_page']:.2f} s a page over {r['pages']} pages"
        )
    print("targets: >= 99.5 % of cells, <= 1.5 s a page")
    save("ocr", {"runs": out})


if __name__ == "__main__":
    main()
