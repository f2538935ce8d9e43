"""The OCR tests run with the fonts pdfium sees pinned when ``TABLEDESK_PDFIUM_FONT_DIRS`` is
set (tests/fixtures/scan_with_fonts.py): run them with an empty directory, with the system's
fonts, and with the Chinese fonts pdfium prefers put first, and they read the same (the
fixtures embed their fonts; issue 25)."""

from __future__ import annotations

from tests.fixtures.scan_with_fonts import pin_from_env

pin_from_env()
