"""What the table reader takes from a PDF page, whichever library read it: characters with
their boxes and font size, rectangles and line segments, in pdfplumber's coordinates (points
from the top-left corner of the MediaBox).

:class:`PageFacts` is the one shape both readers fill (``pdfium_page`` and ``plumber_page``), so
glyph handling, grid finding and mapping never know which one read a page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class PageReader(enum.Enum):
    """Which library read a page's text layer (the source record keeps it per page)."""

    PDFIUM = "pdfium"
    PDFPLUMBER = "pdfplumber"


@dataclass(slots=True, frozen=True)
class Rect:
    """A rectangle as pdfminer classifies one: a closed axis-aligned four-sided path."""

    x0: float
    top: float
    x1: float
    bottom: float
    stroke: bool
    fill: bool


@dataclass(slots=True, frozen=True)
class Segment:
    """A path of one straight segment (pdfminer's ``LTLine``)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(slots=True)
class PageFacts:
    """One page's characters (pdfplumber-style dicts: text, x0, x1, top, bottom, size),
    rectangles, line segments and the points of other paths (each path's vertices, for the
    table finder's edges)."""

    width: float
    height: float
    chars: list[dict[str, Any]] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)
    lines: list[Segment] = field(default_factory=list)
    curves: list[list[tuple[float, float]]] = field(default_factory=list)
