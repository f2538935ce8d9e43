"""The review window's responsiveness (offscreen): open to first page shown, edit to repainted
grid, and scrolling a 5,000-row generic table.

Targets: open to first page under 1 s on the real reports; edit to repainted grid under 16 ms;
scrolling asks the model no more than a lookup per painted cell (data() calls per visible cell
per paint, printed). Writes benchmarks/results/window.json.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# isort: off
from _common import CORPUS, ROOT, save  # first: puts the repository root on sys.path
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication
from tabledesk.review.review import Review
from tabledesk.ui.grid.grid_view import GridView
from tabledesk.ui.window.main_window import MainWindow
from tabledesk.ui.editing.review_controller import ReviewController
from tabledesk.ui.grid.table_model import TableModel

# isort: on


def open_to_first_page(app: QApplication, path: Path) -> float:
    window = MainWindow()
    window.show()
    shown: list[float] = []
    window.source.page_view.page_shown.connect(lambda _p: shown.append(time.perf_counter()))
    t = time.perf_counter()
    window.open_path(path)
    while not shown and time.perf_counter() - t < 30:
        app.processEvents()
    window.close()
    return shown[0] - t if shown else float("inf")


class CountingModel(TableModel):
    calls = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN201
        CountingModel.calls += 1
        return super().data(index, role)


def edit_to_repaint(app: QApplication, path: Path) -> list[float]:
    review = Review.open(path)
    controller = ReviewController(review)
    model = TableModel(controller, "t3")
    grid = GridView(model)
    grid.resize(900, 700)
    grid.show()
    app.processEvents()
    times = []
    index = model.index_of("new", "natural")
    for i in range(200):
        t = time.perf_counter()
        model.setData(index, str(20 + i % 7))
        grid.viewport().repaint()  # synchronous paint of what changed
        times.append((time.perf_counter() - t) * 1000)
    return times


def big_generic_table(app: QApplication) -> dict[str, float]:
    lines = ["项目\t甲\t乙\t丙\t合计"]
    for i in range(1, 5001):
        a, b, c = i % 97, i % 13, i % 7
        lines.append(f"项目{i}\t{a}\t{b}\t{c}\t{a + b + c}")
    lines.append(
        "合计\t"
        + "\t".join(
            str(sum(x))
            for x in zip(
                *[(i % 97, i % 13, i % 7, i % 97 + i % 13 + i % 7) for i in range(1, 5001)], strict=True
            )
        )
    )
    path = Path(tempfile.mkdtemp()) / "big.txt"
    path.write_text("某表\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    t = time.perf_counter()
    review = Review.open(path)
    open_s = time.perf_counter() - t
    controller = ReviewController(review)
    model = CountingModel(controller, review.document.tables[0].id)
    grid = GridView(model)
    grid.resize(900, 700)
    grid.show()
    app.processEvents()
    bar = grid.verticalScrollBar()
    paints, per_paint_ms = 0, []
    CountingModel.calls = 0
    visible_cells = 0
    for step in range(0, bar.maximum(), max(1, bar.maximum() // 100)):
        bar.setValue(step)
        t = time.perf_counter()
        grid.viewport().repaint()
        per_paint_ms.append((time.perf_counter() - t) * 1000)
        paints += 1
        rows = grid.rowAt(grid.viewport().height() - 1) - grid.rowAt(0) + 1
        visible_cells += rows * model.columnCount()
    return {
        "rows": model.rowCount(),
        "open_and_check_s": open_s,
        "paint_ms_median": statistics.median(per_paint_ms),
        "data_calls_per_visible_cell": CountingModel.calls / max(visible_cells, 1),
    }


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    out: dict[str, object] = {}
    reports = sorted(CORPUS.glob("*.pdf")) if CORPUS.exists() else []
    reports.append(ROOT / "resources" / "samples" / "sample-report-2023.pdf")
    for path in reports:
        secs = open_to_first_page(app, path)
        out[f"open_first_page_s/{path.stem}"] = secs
        print(f"open to first page shown, {path.stem}: {secs:.3f} s (target < 1 s: {secs / 1.0:.2f}×)")
    times = edit_to_repaint(app, reports[-1])
    med = statistics.median(times)
    out["edit_to_repaint_ms"] = {"median": med, "max": max(times)}
    print(
        f"edit to repainted grid: {med:.2f} ms median, {max(times):.2f} ms worst"
        f" (target < 16 ms: {med / 16:.2f}×)"
    )
    big = big_generic_table(app)
    out["generic_5000_rows"] = big
    print(
        f"5,000-row generic table: opened and checked in {big['open_and_check_s']:.2f} s; "
        f"scroll paint {big['paint_ms_median']:.2f} ms median; "
        f"{big['data_calls_per_visible_cell']:.1f} model data() calls per visible cell per paint "
        "(one per role Qt asks for: display, alignment, colour, icon, font…)"
    )
    print(f"written: {save('window', out)}")
    QCoreApplication.processEvents()


if __name__ == "__main__":
    main()
