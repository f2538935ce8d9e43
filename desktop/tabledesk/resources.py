"""The one place that knows where the ``resources/`` folder is, and the user's data folder.

From the source tree it is ``<repo>/resources``; in a frozen PyInstaller build the spec copies it
to ``sys._MEIPASS/resources``. Everything else asks :func:`resource_path` so that packaging can
move the folder without touching callers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_root() -> Path:
    """The ``resources/`` folder of this installation (it may not exist in a broken install)."""
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base is not None:
        return Path(frozen_base) / "resources"
    # desktop/tabledesk/resources.py -> parents[2] is the repository root.
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    """``resources_root() / parts...``; the caller decides whether a missing file is an error."""
    return resources_root().joinpath(*parts)


def docs_path(*parts: str) -> Path:
    """The user documentation (``docs/``): beside resources/ in the source tree and, as the
    PyInstaller spec copies it, in the frozen build."""
    return resources_root().parent.joinpath("docs", *parts)


def user_data_dir() -> Path:
    """Where tabledesk keeps per-user data when the caller does not say (the window passes
    QStandardPaths' AppDataLocation): the platform's usual place, standard library only."""
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "tabledesk"
    if os.uname().sysname == "Darwin":
        return Path.home() / "Library" / "Application Support" / "tabledesk"
    xdg = os.environ.get("XDG_DATA_HOME")
    base_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base_dir / "tabledesk"


def user_templates_dir() -> Path:
    """The user's own templates (drafted in the window or by ``tabledesk template draft``):
    found by the window, ``export`` and ``check`` alike."""
    return user_data_dir() / "templates"
