"""Starting the window: ``tabledesk [FILE]``."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tabledesk.ui.i18n import install_translator
from tabledesk.ui.main_window import MainWindow
from tabledesk.ui.settings import APPLICATION, ORGANISATION, Settings


def run_app(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0], *[a for a in argv if a.startswith("-")]])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    settings = Settings()
    install_translator(app, settings.language)
    window = MainWindow(settings)
    window.show()
    files = [a for a in argv if not a.startswith("-")]
    if files:
        window.open_path(Path(files[0]))
    return app.exec()
