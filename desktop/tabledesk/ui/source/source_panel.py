"""The left side of the window: the source as printed (PDF pages, text with table regions, or a
web page as its rendered text), linked both ways with the grid cells."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from tabledesk.checks.narrative import locate
from tabledesk.core.document import Cell, Document
from tabledesk.core.provenance import Provenance
from tabledesk.core.source import SourceError, TextLine
from tabledesk.sources.encoding import decode_bytes
from tabledesk.sources.html import read_html
from tabledesk.ui.source.page_view import PageView
from tabledesk.ui.source.rendered_text import RenderedText, render_source
from tabledesk.ui.source.text_source_view import TextSourceView

CellKey = tuple[str, str, str]


class SourcePanel(QStackedWidget):
    cell_clicked = Signal(str, str, str)  # the grid cell printed where the user clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page_view = PageView(self)
        self.text_view = TextSourceView(self)
        self.addWidget(self.page_view)
        self.addWidget(self.text_view)
        self.document: Document | None = None
        self._pdf: Path | None = None
        # A web page is shown as its text; this converts its places to the shown text and back.
        self._rendered: RenderedText | None = None
        self.page_view.point_clicked.connect(self._on_point)
        self.text_view.line_clicked.connect(self._on_line)

    def show_source(self, path: Path, kind: str) -> None:
        if kind == "pdf":
            self.setCurrentWidget(self.page_view)
            if self._pdf != path or self.page_view.page_count() == 0:
                self.page_view.open_pdf(path)
            self._pdf = path
        else:
            self.setCurrentWidget(self.text_view)
            self.page_view.close_pdf()
            self._pdf = None
            self._rendered = None
            if kind == "html":
                try:
                    self._rendered = render_source(read_html(path))
                except (OSError, SourceError):
                    self._rendered = None
            if self._rendered is not None:
                self.text_view.set_lines(self._rendered.lines)
                return
            try:
                text = decode_bytes(path.read_bytes(), str(path)).text
            except (OSError, SourceError):
                text = ""
            self.text_view.set_lines(text.splitlines())

    def set_document(self, document: Document | None) -> None:
        self.document = document
        if document is None or document.source.kind == "pdf":
            return
        regions = []
        for table in document.tables:
            lines = [line for _, _, c in table.iter_cells() if (line := self._view_line(c.prov)) is not None]
            if lines:
                regions.append((min(lines), max(lines)))
        self.text_view.mark_table_regions(regions)

    def show_cells(self, cells: list[Cell]) -> None:
        provs = [c.prov for c in cells if c.prov.page is not None or c.prov.line is not None]
        if not provs:
            return
        if provs[0].page is not None:
            self.page_view.show_regions([(p.page, p.bbox) for p in provs if p.page is not None and p.bbox])
        else:
            self._show_text(provs[0])

    def show_sentence(self, provs: Sequence[Provenance], sentence: str = "") -> None:
        """A narrative sentence (checks/narrative.py): its lines on the page, or in the text
        (searched for in the text shown when its place was not kept)."""
        if not provs and sentence and self.currentWidget() is self.text_view:
            lines = self.text_view.toPlainText().splitlines()
            shown = locate(sentence, [TextLine(t, Provenance(line=i + 1)) for i, t in enumerate(lines)])
            if shown and shown[0].line is not None:  # found in the text shown: already its place
                self.text_view.show_lines(shown[0].line, shown[0].chars)
            return
        boxes = [(p.page, p.bbox) for p in provs if p.page is not None and p.bbox is not None]
        if boxes and self.currentWidget() is self.page_view:
            self.page_view.show_regions(boxes)
        elif provs and provs[0].line is not None and self.currentWidget() is self.text_view:
            self._show_text(provs[0])

    def _view_line(self, prov: Provenance) -> int | None:
        if prov.line is None or self._rendered is None:
            return prov.line
        return self._rendered.view_line(prov.line)

    def _show_text(self, prov: Provenance) -> None:
        """Highlight a place of a text source (or of a web page, in its rendered text)."""
        if self._rendered is None:
            if prov.line is not None:
                self.text_view.show_lines(prov.line, prov.chars)
            return
        place = self._rendered.to_view(prov)
        if place is not None:
            self.text_view.show_lines(*place)

    def _cells(self) -> list[tuple[CellKey, Provenance]]:
        if self.document is None:
            return []
        return [
            ((t.id, r.id, c.id), cell.prov) for t in self.document.tables for r, c, cell in t.iter_cells()
        ]

    def _on_point(self, page: int, x: float, y: float) -> None:
        for key, prov in self._cells():
            b = prov.bbox
            if (
                prov.page == page
                and b is not None
                and b[0] - 1 <= x <= b[2] + 1
                and b[1] - 1 <= y <= b[3] + 1
            ):
                self.cell_clicked.emit(*key)
                return

    def _on_line(self, line: int, char: int) -> None:
        if self._rendered is not None:
            place = self._rendered.to_source(line, char)
            if place is None:
                return
            line, char = place
        best = None
        for key, prov in self._cells():
            if prov.line == line and prov.chars is not None:
                lo, hi = prov.chars
                if lo <= char <= hi:
                    self.cell_clicked.emit(*key)
                    return
                dist = min(abs(char - lo), abs(char - hi))
                if best is None or dist < best[0]:
                    best = (dist, key)
        if best is not None:
            self.cell_clicked.emit(*best[1])

    def close_pdf(self) -> None:
        self.page_view.close_pdf()
        self._pdf = None

    def shutdown(self) -> None:
        self.page_view.shutdown()
