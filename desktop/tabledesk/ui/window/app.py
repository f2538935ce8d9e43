"""Starting the window: ``tabledesk [FILE]``."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from tabledesk.resources import resource_path
from tabledesk.ui.i18n import install_translator
from tabledesk.ui.settings import APPLICATION, ORGANISATION, Settings
from tabledesk.ui.window.main_window import MainWindow
from tabledesk.ui.workers.ocr_warmup import warm_ocr_later


def run_app(argv: list[str]) -> int:
    if sys.platform.startswith("linux"):
        # The GTK file dialog speaks the desktop's language, not the one chosen here; Qt's own
        # dialog is translated with the rest (qtbase_zh_CN.qm, ui/i18n.py).
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    existing = QApplication.instance()
    # a QApplication (not a bare QCoreApplication) is what this process makes and tests start
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication([sys.argv[0], *[a for a in argv if a.startswith("-")]])
    )
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName("tabledesk")  # ties the window to packaging/tabledesk.desktop
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(str(resource_path("icons", f"tabledesk-{size}.png")))
    app.setWindowIcon(icon)
    settings = Settings()
    install_translator(app, settings.language)
    window = MainWindow(settings)
    window.show()
    warm_ocr_later()  # the first scan then finds the OCR engine loaded
    files = [a for a in argv if not a.startswith("-")]
    if files:
        window.open_path(Path(files[0]))
    return app.exec()
