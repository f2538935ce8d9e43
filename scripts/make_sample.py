"""Regenerate the bundled sample report (resources/samples/) from the fixture generator.

    .venv/bin/python scripts/make_sample.py

The sample is our own: a generated agency, realistic numbers, our own wording. One 表四
total is printed wrong on purpose (as real reports sometimes are) so the sample shows a
failing check the moment it opens.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

from tests.fixtures.pdf_report import render_pdf  # noqa: E402
from tests.fixtures.report_spec import random_spec  # noqa: E402
from tests.fixtures.text_report import write_text  # noqa: E402


def main() -> None:
    out = ROOT / "resources" / "samples"
    out.mkdir(parents=True, exist_ok=True)
    spec = random_spec(
        random.Random(2023),
        "2021",
        agency="青河县人民政府办公室",
        year=2023,
        page_frame=True,
        t3_break_before="results.unable.need_create",
        scale=30,
    )
    t4 = spec.values["t4"]["all"]
    t4["review.upheld"] = 3
    t4["review.total"] = 3 + int(t4["review.corrected"]) + int(t4["review.other"]) + int(t4["review.pending"]) - 1
    render_pdf(spec, out / "sample-report-2023.pdf")
    write_text(spec, out / "sample-report-2023.txt")
    print(f"written: {out / 'sample-report-2023.pdf'} and .txt")


if __name__ == "__main__":
    main()
