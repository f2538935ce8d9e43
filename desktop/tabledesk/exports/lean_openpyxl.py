"""openpyxl without numpy and Pillow: openpyxl imports numpy, when it is installed, only to
accept numpy scalars as cell values, and Pillow only to embed pictures — together a quarter of
a second at every start of an Excel export, for things we never write (cells get Decimal, int,
float or str; pandas turns its numpy values into Python ones before they reach openpyxl; there
are no pictures). Import this module before openpyxl.

Whatever is already loaded (the window, OCR, a dataset built with pandas) is left alone, and
both stay importable for everyone else afterwards.
"""

from __future__ import annotations

import sys

if "openpyxl" not in sys.modules:
    blocked = [name for name in ("numpy", "PIL") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError
    try:
        import openpyxl  # noqa: F401
    finally:
        for name in blocked:
            del sys.modules[name]
