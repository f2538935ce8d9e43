"""The page view on the real xcb platform, under Xvfb, with a screenshot to look at.

Offscreen tests cannot catch a missing xcb library, a broken X connection or absent CJK fonts;
this one starts its own X server, runs a child Python with ``QT_QPA_PLATFORM=xcb`` that shows
the page view on a generated report, waits for the first page and saves what the X server
shows to ``artefacts/xvfb/`` (git-ignored).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]
ARTEFACTS = REPO / "artefacts" / "xvfb"

CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
    from tabledesk.ui.i18n import install_translator
    from tabledesk.ui.source.page_view import PageView

    pdf, screen_png, widget_png = sys.argv[1:4]
    app = QApplication(sys.argv[:1])
    if app.platformName() != "xcb":
        sys.exit(f"platform is {app.platformName()!r}, not xcb")
    install_translator(app, "zh_CN")
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel("政府信息公开工作年度报告 · 核对页面"))  # Qt's own CJK text rendering
    view = PageView()
    layout.addWidget(view)
    window.resize(900, 700)

    def grab():
        shot = window.screen().grabWindow(0)  # the root window: what the X server really shows
        ok = shot.save(screen_png) and window.grab().save(widget_png)
        view.shutdown()
        app.exit(0 if ok else 3)

    def on_shown(page):
        if page == 1:
            view.page_shown.disconnect(on_shown)
            QTimer.singleShot(300, grab)  # let the other visible pages arrive too

    view.page_shown.connect(on_shown)
    view.document_failed.connect(lambda reason: (print(reason), app.exit(4)))
    window.show()
    view.open_pdf(pdf)
    QTimer.singleShot(20000, lambda: (print("timeout"), app.exit(5)))
    sys.exit(app.exec())
    """
)


@pytest.mark.xvfb
def test_page_view_shows_a_report_on_a_real_x_server(xvfb_display, sample_pdf):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    screen_png, widget_png = ARTEFACTS / "screen.png", ARTEFACTS / "page_view.png"
    for png in (screen_png, widget_png):
        png.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(
        QT_QPA_PLATFORM="xcb",
        DISPLAY=xvfb_display,
        PYTHONPATH=os.pathsep.join([str(REPO / "desktop"), env.get("PYTHONPATH", "")]),
    )
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(sample_pdf.path), str(screen_png), str(widget_png)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, f"child exited {child.returncode}:\n{child.stdout}\n{child.stderr}"
    assert "Could not load the Qt platform plugin" not in child.stderr
    shot = QImage(str(screen_png))
    assert not shot.isNull() and shot.width() == 1024
    # Something other than one flat colour: the page (white), the view's grey, black text.
    colours = {shot.pixel(x, y) for x in range(0, shot.width(), 7) for y in range(0, shot.height(), 7)}
    assert len(colours) > 20
