"""Milliseconds of CPU a page: tabledesk reading (both readers), with mapping and checks, beside
pdfplumber's own ``extract_tables`` and pypdfium2's plain text, over generated and real reports.

Columns, each the best of ``--repeat`` runs on a freshly opened file, in CPU time of this
process (other jobs on a shared machine do not inflate it), interleaved so load hits all alike:

* ``pdfium``: ``read_pdf`` as tabledesk reads (pdfium, pdfplumber only for pages it must);
* ``plumber``: ``read_pdf(prefer=pdfplumber)``, every page through pdfplumber (the old reader);
* ``+map``: mapping onto the template and every check, added to ``pdfium``: what ``tabledesk
  export`` does after reading;
* ``extract_tables``: pdfplumber's ``page.extract_tables()`` on every page;
* ``pdfium text``: pypdfium2's ``get_text_range()`` on every page, the floor of any reading.

Target: ``pdfium`` at least 3x faster than ``extract_tables`` (aim: 5x), with the same values
(tests/sources/test_pdf_readers.py checks that on every fixture).

    .venv/bin/python benchmarks/bench_pdf_extract.py [--generated 20] [--repeat 3]

Prints one line per document and totals, writes JSON to benchmarks/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from tests.fixtures.pdf_report import render_pdf  # noqa: E402
from tests.fixtures.report_spec import FORMATS, random_layout, random_spec  # noqa: E402

from tabledesk.sources.pdf.extract import read_pdf  # noqa: E402
from tabledesk.sources.pdf.facts import PageReader  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "benchmarks" / "results"
COLUMNS = ("pdfium", "plumber", "map", "extract_tables", "pdfium_text")


def _cpu(fn: Callable[[], object]) -> float:
    t = time.process_time()
    fn()
    return time.process_time() - t


def _extract_tables(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()


def _pdfium_text(path: Path) -> None:
    doc = pdfium.PdfDocument(path)
    try:
        for page in doc:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        doc.close()


def _mapper() -> Callable[[object], None]:
    """Map onto the template and run every check: what `tabledesk export` does after reading."""
    from tabledesk.checks.engine import Checker
    from tabledesk.mapping.mapper import map_source
    from tabledesk.templates.registry import load_templates

    templates, _ = load_templates()

    def map_and_check(src) -> None:  # noqa: ANN001
        doc = map_source(src, templates)
        Checker(doc, next(t for t in templates if t.id == doc.template_id)).run()

    return map_and_check


def _docs(n_generated: int) -> list[tuple[str, Path]]:
    docs: list[tuple[str, Path]] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench_pdf_"))
    for i in range(n_generated):
        rng = random.Random(1000 + i)
        fmt = FORMATS[i % 2]
        spec = random_spec(rng, fmt, layout=random_layout(rng))
        docs.append((f"generated-{fmt}-{i:02d}", render_pdf(spec, tmp / f"g{i:02d}.pdf")))
    if CORPUS.exists():
        docs += sorted((p.stem, p) for p in CORPUS.glob("*.pdf"))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generated", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    mapper = _mapper()
    rows = []
    head = " ".join(f"{c:>14}" for c in ("pdfium", "plumber", "+map", "extract_tables", "pdfium text"))
    print(f"{'ms a page':30} {'pages':>5} {head}")
    for name, path in _docs(args.generated):
        best = dict.fromkeys(COLUMNS, float("inf"))
        src = read_pdf(path, workers=1)
        for _ in range(args.repeat):
            best["pdfium"] = min(best["pdfium"], _cpu(lambda p=path: read_pdf(p, workers=1)))
            best["plumber"] = min(
                best["plumber"], _cpu(lambda p=path: read_pdf(p, prefer=PageReader.PDFPLUMBER, workers=1))
            )
            best["map"] = min(best["map"], _cpu(lambda s=src: mapper(s)))
            best["extract_tables"] = min(best["extract_tables"], _cpu(lambda p=path: _extract_tables(p)))
            best["pdfium_text"] = min(best["pdfium_text"], _cpu(lambda p=path: _pdfium_text(p)))
        row = {"document": name, "pages": src.pages, "readers": sorted(set(src.page_readers.values()))}
        row.update({f"{k}_s": v for k, v in best.items()})
        rows.append(row)
        per = [
            best["pdfium"],
            best["plumber"],
            best["pdfium"] + best["map"],
            best["extract_tables"],
            best["pdfium_text"],
        ]
        print(f"{name:30} {src.pages:5d} " + " ".join(f"{1000 * v / src.pages:14.1f}" for v in per))

    summary: dict[str, object] = {}
    for group, sel in (
        ("generated", [r for r in rows if str(r["document"]).startswith("generated-")]),
        ("real", [r for r in rows if not str(r["document"]).startswith("generated-")]),
        ("all", rows),
    ):
        pages = sum(int(r["pages"]) for r in sel)  # type: ignore[call-overload]
        if not pages:
            continue
        ms = {k: 1000 * sum(float(r[f"{k}_s"]) for r in sel) / pages for k in COLUMNS}  # type: ignore[arg-type]
        ms["pdfium+map"] = ms["pdfium"] + ms["map"]
        speedup = ms["extract_tables"] / ms["pdfium"]
        summary[group] = {"pages": pages, "ms_per_page": ms, "speedup_vs_extract_tables": speedup}
        per = [ms["pdfium"], ms["plumber"], ms["pdfium+map"], ms["extract_tables"], ms["pdfium_text"]]
        print(
            f"{'TOTAL ' + group:30} {pages:5d} "
            + " ".join(f"{v:14.1f}" for v in per)
            + f"   pdfium {speedup:.1f}x faster than extract_tables (target >= 3, aim 5)"
        )

    RESULTS.mkdir(parents=True, exist_ok=True)
    ignore = RESULTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    out = RESULTS / f"pdf_extract-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps({"summary": summary, "documents": rows}, indent=1), encoding="utf-8")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
