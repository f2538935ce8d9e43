"""Where a piece of text came from in its source document."""

from __future__ import annotations

from dataclasses import dataclass

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Provenance:
    """A place in a source.

    PDFs give ``page`` (from 1) and ``bbox`` ``(x0, top, x1, bottom)`` in PDF points measured
    from the page's top-left corner (pdfplumber's convention). Text and HTML sources give
    ``line`` (from 1) and ``chars``, the ``[start, end)`` character range within that line.
    """

    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None
    chars: tuple[int, int] | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self.page is not None:
            out["page"] = self.page
        if self.bbox is not None:
            out["bbox"] = [round(v, 2) for v in self.bbox]
        if self.line is not None:
            out["line"] = self.line
        if self.chars is not None:
            out["chars"] = list(self.chars)
        return out

    @staticmethod
    def union(items: list[Provenance]) -> Provenance:
        """The smallest place covering all of ``items`` (same page or line assumed: first wins)."""
        items = [p for p in items if p is not None]
        if not items:
            return Provenance()
        first = items[0]
        boxes = [p.bbox for p in items if p.bbox is not None and p.page == first.page]
        bbox = None
        if boxes:
            bbox = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
        return Provenance(page=first.page, bbox=bbox, line=first.line, chars=first.chars)
