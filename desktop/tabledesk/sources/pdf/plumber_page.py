"""The fallback reader: one page through pdfplumber (pdfminer's content-stream parser), for
pages whose text pdfium cannot give us faithfully (rotated text, glyphs without Unicode — which
pdfminer reports as ``(cid:N)`` so the share of unreadable text can be judged).

pdfplumber is imported only when a page needs it: it costs a sixth of a second to import.
"""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

from tabledesk.sources.pdf.facts import PageFacts, Rect, Segment

if TYPE_CHECKING:
    from pdfplumber.page import Page
    from pdfplumber.pdf import PDF

Box = tuple[float, float, float, float]


def open_pdf(data: bytes) -> PDF:
    """pdfplumber's document over ``data`` (the caller closes it)."""
    import pdfplumber

    # pdfminer warns about fonts and broken streams through `logging`; without a handler
    # Python's last-resort handler would print them on the terminal. They belong in the
    # application's log.
    logging.getLogger("pdfminer").addHandler(logging.NullHandler())
    pdf = pdfplumber.open(io.BytesIO(data))
    _ = pdf.pages  # pages are parsed lazily; the page tree must be readable now
    return pdf


def read_page(page: Page) -> tuple[PageFacts, list[list[Box]]]:
    """The facts of ``page`` and the cells of its ruled tables (pdfplumber's own finder)."""
    facts = PageFacts(
        float(page.width),
        float(page.height),
        list(page.chars),
        [
            Rect(r["x0"], r["top"], r["x1"], r["bottom"], bool(r.get("stroke")), bool(r.get("fill")))
            for r in page.rects
        ],
        [Segment(ln["x0"], ln["top"], ln["x1"], ln["bottom"]) for ln in page.lines],
        [[(float(x), float(y)) for x, y in c["pts"]] for c in page.curves],
    )
    boxes = [[c for c in t.cells if c is not None] for t in page.find_tables()]
    return facts, boxes
