"""The review window on the screens clerks have: a 1366×768 office laptop and a 1920×1080
monitor, under Xvfb (xcb, a real X server), on a real report.

Everything the clerk needs must lie on the screen — every dock, the status bar, the suggestion's
Apply and Dismiss buttons — and at 1366×768 all of 表三's number columns must be visible beside
the page view at its default width. Screenshots go to artefacts/window/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]
ARTEFACTS = REPO / "artefacts" / "window"

CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from PySide6.QtCore import QRect, QTimer
    from PySide6.QtWidgets import QApplication, QDockWidget
    from tabledesk.ui.i18n import install_translator
    from tabledesk.ui.settings import Language, Settings
    from tabledesk.ui.window.main_window import MainWindow

    report, shot = sys.argv[1:3]
    app = QApplication(sys.argv[:1])
    if app.platformName() != "xcb":
        sys.exit(f"platform is {app.platformName()!r}, not xcb")
    settings = Settings()
    install_translator(app, Language.ZH_CN)
    window = MainWindow(settings)
    window.show()
    out = {}

    def rect(widget):
        top_left = widget.mapToGlobal(widget.rect().topLeft())
        return [top_left.x(), top_left.y(), widget.width(), widget.height()]

    def measure():
        screen = window.screen().geometry()
        out["screen"] = [screen.x(), screen.y(), screen.width(), screen.height()]
        out["window"] = rect(window)
        out["first_tab"] = window.tabs.tabText(window.tabs.currentIndex())
        for dock in window.findChildren(QDockWidget):
            dock.show()
        app.processEvents()
        out["docks"] = {d.objectName() or d.windowTitle(): rect(d) for d in window.findChildren(QDockWidget)}
        out["status_bar"] = rect(window.statusBar())
        bar = window.suggestion_actions.bar
        out["suggestion_visible"] = bar.isVisible()
        out["apply"] = rect(bar.apply_button)
        out["dismiss"] = rect(bar.dismiss_button)
        for dock in window.findChildren(QDockWidget):
            dock.hide()
        grid = window.grids["t3"]
        window.tabs.setCurrentWidget(grid)
        QTimer.singleShot(300, measure_t3)

    def measure_t3():
        grid = window.grids["t3"]
        viewport = grid.viewport().width()
        out["t3_columns"] = [
            [grid.columnViewportPosition(c), grid.columnWidth(c)] for c in range(grid.model().columnCount())
        ]
        out["t3_viewport"] = viewport
        out["page_view_width"] = window.source.width()
        window.screen().grabWindow(0).save(shot)
        print("RESULT " + json.dumps(out, ensure_ascii=False))
        window.controller.undo_stack.setClean()
        window.close()
        app.exit(0)

    window.review_opened.connect(lambda: QTimer.singleShot(1500, measure))
    window.open_failed.connect(lambda m: (print(m), app.exit(4)))
    window.open_path(Path(report))
    QTimer.singleShot(60000, lambda: (print("timeout"), app.exit(5)))
    sys.exit(app.exec())
    """
)


def inside(box: list[int], screen: list[int]) -> bool:
    x, y, w, h = box
    sx, sy, sw, sh = screen
    return sx <= x and sy <= y and x + w <= sx + sw and y + h <= sy + sh


@pytest.mark.xvfb
@pytest.mark.corpus
@pytest.mark.parametrize("xvfb_screen", ["1366x768", "1920x1080"], indirect=True)
def test_everything_lies_on_the_screen_and_table3_fits_beside_the_page(xvfb_screen, hongze_2023_pdf, request):
    size = request.node.callspec.params["xvfb_screen"]
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / f"fit-{size}.png"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(
        QT_QPA_PLATFORM="xcb",
        DISPLAY=xvfb_screen,
        PYTHONPATH=os.pathsep.join([str(REPO / "desktop"), env.get("PYTHONPATH", "")]),
    )
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(hongze_2023_pdf), str(shot)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert child.returncode == 0, f"child exited {child.returncode}:\n{child.stdout}\n{child.stderr}"
    line = next(x for x in child.stdout.splitlines() if x.startswith("RESULT "))
    out = json.loads(line.removeprefix("RESULT "))
    screen = out["screen"]
    assert screen[2:] == [int(v) for v in size.split("x")]
    assert inside(out["window"], screen), out["window"]
    assert out["docks"], "no dock to check"
    for name, box in out["docks"].items():
        assert inside(box, screen), (name, box)
    assert inside(out["status_bar"], screen), out["status_bar"]
    assert out["suggestion_visible"]  # the report's 表四 totals have suggestions
    assert inside(out["apply"], screen) and inside(out["dismiss"], screen)
    assert out["first_tab"].startswith("表四")  # opened on the first problem, with its badge
    # every number column of 表三 wholly inside the grid's viewport, beside the page view
    for x, width in out["t3_columns"]:
        assert x >= 0 and x + width <= out["t3_viewport"], out
    assert out["page_view_width"] >= 360
    image = QImage(str(shot))
    assert image.width() == screen[2] and image.height() == screen[3]
