"""Time from ``PageView.open_pdf`` to the first page shown, offscreen (target: under 1 s).

Runs on the real reports in ../shared/corpus when present and on generated 30- and 300-page
reports (dense ruled tables with Chinese labels).
"cold" is the first open in the process (pdfium loads its fonts then), "warm" the median of
five re-opens. Prints a table and writes benchmarks/results/bench_page_view.json.

    .venv/bin/python benchmarks/bench_page_view.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO / "desktop"))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tabledesk.ui.source.page_view import PageView  # noqa: E402

TARGET_S = 1.0


def generated_report(path: Path, pages: int = 30) -> Path:
    """A report-like PDF: Chinese headings and ruled tables of numbers on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    for number in range(1, pages + 1):
        c.setFont("STSong-Light", 18)
        c.drawString(60, height - 70, f"政府信息公开工作年度报告 第{number}页")
        c.setFont("STSong-Light", 9)
        for row in range(28):
            for col in range(8):
                x, y = 40 + col * 64, height - 120 - row * 24
                c.rect(x, y, 64, 24)
                c.drawString(x + 4, y + 8, "申请数量" if col == 0 else str(row * 8 + col))
        c.showPage()
    c.save()
    return path


def time_to_first_page(app: QApplication, view: PageView, path: Path) -> float:
    """Seconds from open_pdf to page 1's image on screen (painted), or inf on failure."""
    loop = QEventLoop()
    clock = QElapsedTimer()
    result: list[float] = []

    def shown(page: int) -> None:
        if page == 1 and not result:
            view.viewport().repaint()  # include the paint, not just the hand-over
            result.append(clock.nsecsElapsed() / 1e9)
            loop.quit()

    view.page_shown.connect(shown)
    view.document_failed.connect(loop.quit)
    QTimer.singleShot(20_000, loop.quit)
    clock.start()
    view.open_pdf(path)
    loop.exec()
    view.page_shown.disconnect(shown)
    view.document_failed.disconnect(loop.quit)
    view.close_pdf()
    app.processEvents()
    return result[0] if result else float("inf")


def main() -> int:
    app = QApplication(sys.argv[:1])
    view = PageView()
    view.resize(1000, 800)
    view.show()
    app.processEvents()
    with tempfile.TemporaryDirectory() as tmp:
        files = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
        files.append(generated_report(Path(tmp) / "generated-30-pages.pdf", pages=30))
        files.append(generated_report(Path(tmp) / "generated-300-pages.pdf", pages=300))
        rows = []
        for path in files:
            cold = time_to_first_page(app, view, path)
            warm = statistics.median(time_to_first_page(app, view, path) for _ in range(5))
            rows.append({"file": path.name, "cold_s": round(cold, 4), "warm_s": round(warm, 4)})
    view.shutdown()

    print(f"{'file':40} {'cold s':>8} {'warm s':>8}   (open_pdf -> first page shown, offscreen)")
    for row in rows:
        flag = "" if row["cold_s"] < TARGET_S else "  OVER TARGET"
        print(f"{row['file']:40} {row['cold_s']:8.3f} {row['warm_s']:8.3f}{flag}")
    out = REPO / "benchmarks" / "results" / "bench_page_view.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"benchmark": "page_view_first_page", "target_s": TARGET_S, "results": rows}
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0 if all(row["cold_s"] < TARGET_S for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
