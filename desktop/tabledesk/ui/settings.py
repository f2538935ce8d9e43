"""Typed access to the user's settings (QSettings, organisation and application "tabledesk").

Always the INI format, on every platform: one readable file the user can delete or send with a
bug report, and one code path for tests, which point ``QSettings.setPath(IniFormat, ...)`` at a
temporary folder. Lists are stored as JSON strings because INI turns a one-element list into a
plain string on the way back.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "tabledesk"
APPLICATION = "tabledesk"
MAX_RECENT_FILES = 10


class Language(Enum):
    ZH_CN = "zh_CN"
    EN = "en"

    @classmethod
    def parse(cls, value: object) -> Language:
        """Tolerant of stale or hand-edited values: anything unknown is the default, Chinese."""
        for language in cls:
            if isinstance(value, str) and value.replace("-", "_").lower() == language.value.lower():
                return language
        return cls.ZH_CN


class _Key:
    LANGUAGE = "ui/language"
    RECENT_FILES = "files/recent"
    ZOOM = "page_view/zoom"
    SPLITTER = "splitters/{name}"
    GEOMETRY = "window/geometry"
    STATE = "window/state"


class Settings:
    """``Settings()`` reads and writes the user's file; pass a ``QSettings`` to use another."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
        )

    @property
    def file_name(self) -> str:
        return self._s.fileName()

    def sync(self) -> None:
        self._s.sync()

    # --- language --------------------------------------------------------------------------

    @property
    def language(self) -> Language:
        return Language.parse(self._s.value(_Key.LANGUAGE, Language.ZH_CN.value))

    @language.setter
    def language(self, language: Language) -> None:
        self._s.setValue(_Key.LANGUAGE, language.value)

    # --- recent files ----------------------------------------------------------------------

    @property
    def recent_files(self) -> list[Path]:
        """Most recent first; files that no longer exist are dropped (and forgotten)."""
        stored = self._json_list(_Key.RECENT_FILES)
        existing = [Path(p) for p in stored if isinstance(p, str) and Path(p).is_file()]
        if len(existing) != len(stored):
            self._store_recent(existing)
        return existing

    def add_recent_file(self, path: str | Path) -> None:
        """Put ``path`` first (moving it if already listed) and keep at most 10."""
        path = Path(path).resolve()
        others = [p for p in self._raw_recent() if p != path]
        self._store_recent([path, *others][:MAX_RECENT_FILES])

    def remove_recent_file(self, path: str | Path) -> None:
        path = Path(path).resolve()
        self._store_recent([p for p in self._raw_recent() if p != path])

    def clear_recent_files(self) -> None:
        self._s.remove(_Key.RECENT_FILES)

    # --- page view -------------------------------------------------------------------------

    @property
    def zoom(self) -> float | None:
        """The page view's zoom; ``None`` means fit-width (the default)."""
        value = self._s.value(_Key.ZOOM)
        try:
            zoom = float(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None
        return zoom if zoom is not None and zoom > 0 else None

    @zoom.setter
    def zoom(self, zoom: float | None) -> None:
        if zoom is None:
            self._s.remove(_Key.ZOOM)
        else:
            self._s.setValue(_Key.ZOOM, float(zoom))

    # --- window ----------------------------------------------------------------------------

    def splitter_sizes(self, name: str) -> list[int] | None:
        """Sizes saved for the splitter called ``name`` (e.g. "main"), or ``None``."""
        sizes = self._json_list(_Key.SPLITTER.format(name=name))
        if sizes and all(isinstance(s, int) and s >= 0 for s in sizes):
            return sizes
        return None

    def set_splitter_sizes(self, name: str, sizes: list[int]) -> None:
        self._s.setValue(_Key.SPLITTER.format(name=name), json.dumps([int(s) for s in sizes]))

    @property
    def window_geometry(self) -> QByteArray | None:
        """``QWidget.saveGeometry()`` as saved; give it to ``restoreGeometry``."""
        return self._bytes(_Key.GEOMETRY)

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._s.setValue(_Key.GEOMETRY, QByteArray(value))

    @property
    def window_state(self) -> QByteArray | None:
        """``QMainWindow.saveState()`` as saved (docks and toolbars)."""
        return self._bytes(_Key.STATE)

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._s.setValue(_Key.STATE, QByteArray(value))

    # --- internals -------------------------------------------------------------------------

    def _raw_recent(self) -> list[Path]:
        return [Path(p) for p in self._json_list(_Key.RECENT_FILES) if isinstance(p, str)]

    def _store_recent(self, paths: list[Path]) -> None:
        self._s.setValue(_Key.RECENT_FILES, json.dumps([str(p) for p in paths], ensure_ascii=False))

    def _json_list(self, key: str) -> list[Any]:
        raw = self._s.value(key)
        if not isinstance(raw, str):
            return []
        try:
            value = json.loads(raw)
        except ValueError:
            return []
        return value if isinstance(value, list) else []

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None
