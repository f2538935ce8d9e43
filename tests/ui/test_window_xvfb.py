"""The whole review window on a real X server (xcb, not offscreen), on the bundled sample
report, with screenshots to look at in artefacts/window/ (git-ignored)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]
ARTEFACTS = REPO / "artefacts" / "window"
SAMPLE = REPO / "resources" / "samples" / "sample-report-2023.pdf"

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from tabledesk.ui.i18n import install_translator
    from tabledesk.ui.window.main_window import MainWindow
    from tabledesk.ui.settings import Language, Settings

    report, out_dir, language = sys.argv[1:4]
    app = QApplication(sys.argv[:1])
    if app.platformName() != "xcb":
        sys.exit(f"platform is {app.platformName()!r}, not xcb")
    settings = Settings()
    settings.language = Language.parse(language)
    install_translator(app, settings.language)
    window = MainWindow(settings)
    window.resize(1366, 768)
    window.show()

    def shoot():
        ok = window.grab().save(f"{out_dir}/window-{language}.png")
        ok = ok and window.screen().grabWindow(0).save(f"{out_dir}/screen-{language}.png")
        print("failing", window.controller.failing_count())
        window.close()
        app.exit(0 if ok else 3)

    def opened():
        window.go_to_problem(1)  # F8: the first failing check, its cells outlined on the page
        QTimer.singleShot(1500, shoot)

    window.review_opened.connect(opened)
    window.open_failed.connect(lambda m: (print(m), app.exit(4)))
    window.open_path(Path(report))
    QTimer.singleShot(40000, lambda: (print("timeout"), app.exit(5)))
    sys.exit(app.exec())
    """
)


@pytest.mark.xvfb
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_review_window_runs_on_a_real_x_server(xvfb_display, tmp_path, language):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    # HOME and the XDG folders already point into tmp_path (the autouse isolated_profile).
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(
        QT_QPA_PLATFORM="xcb",
        DISPLAY=xvfb_display,
        PYTHONPATH=os.pathsep.join([str(REPO / "desktop"), env.get("PYTHONPATH", "")]),
    )
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(SAMPLE), str(ARTEFACTS), language],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )
    assert child.returncode == 0, f"child exited {child.returncode}:\n{child.stdout}\n{child.stderr}"
    assert "failing 1" in child.stdout  # the sample's one misprinted 表四 total
    shot = QImage(str(ARTEFACTS / f"window-{language}.png"))
    assert not shot.isNull() and shot.width() >= 1000
    colours = {shot.pixel(x, y) for x in range(0, shot.width(), 9) for y in range(0, shot.height(), 9)}
    assert len(colours) > 20
