"""File › Print, Print Preview and Print to PDF: the corrected tables on paper, one table per
page, laid out like the printed form (column groups as bands, row labels indented).

Offices print in black and white, so nothing is told by colour alone: a cell whose check fails
is hatched inside a heavy border with a "!" before its value, a corrected cell has a black
corner and its printed value after it in brackets; a key at the foot of each page says so. The
page header names the agency, the year and the table; the footer numbers the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QMarginsF, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAction,
    QBrush,
    QFont,
    QFontMetricsF,
    QKeySequence,
    QPageLayout,
    QPainter,
    QPen,
    QPolygonF,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog

from tabledesk.checks.engine import CheckStatus
from tabledesk.core.document import Table
from tabledesk.core.values import format_number
from tabledesk.ui.editing.review_controller import ReviewController
from tabledesk.ui.grid.band_header import band_spans
from tabledesk.ui.grid.table_model import column_path, grid_rows

if TYPE_CHECKING:
    from tabledesk.ui.host import WindowHost

PAD = 3.0  # points of air inside a cell


@dataclass(frozen=True, slots=True)
class PageText:
    title: str  # agency, year
    table: str  # the table's name
    page: str  # "第 1 页 / 共 6 页"


def failing_cells(controller: ReviewController) -> set[tuple[str, str, str]]:
    return {k for r in controller.results() if r.status is CheckStatus.FAILED for k in r.cells}


class TablePainter:
    """Paints the review's tables onto a paged device, one table per page."""

    def __init__(self, controller: ReviewController) -> None:
        self.controller = controller
        self.failing = failing_cells(controller)

    def title(self) -> str:
        doc = self.controller.document
        if doc.year is not None:
            return QCoreApplication.translate("Printing", "{agency} · {year}").format(
                agency=doc.agency or doc.source.path, year=doc.year
            )
        return doc.agency or str(doc.source.path)

    def paint(self, printer: QPrinter) -> int:
        """Print every table; returns the number of pages."""
        tables = self.controller.document.tables
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        try:
            for i, table in enumerate(tables):
                if i:
                    printer.newPage()
                rect = printer.pageLayout().paintRect(QPageLayout.Unit.Point)
                # draw in points whatever the printer's resolution
                scale = printer.resolution() / 72.0
                painter.save()
                painter.scale(scale, scale)
                text = PageText(
                    self.title(),
                    self.controller.table_name(table.id),
                    QCoreApplication.translate("Printing", "Page {page} of {pages}").format(
                        page=i + 1, pages=len(tables)
                    ),
                )
                self._page(painter, QRectF(0, 0, rect.width(), rect.height()), table, text)
                painter.restore()
        finally:
            painter.end()
        return len(tables)

    # -- one page ----------------------------------------------------------------------------
    def _page(self, p: QPainter, page: QRectF, table: Table, text: PageText) -> None:
        # pixel sizes: the painter is scaled to points, and a point size would be scaled twice
        small = QFont(p.font())
        small.setPixelSize(8)
        head = QFont(p.font())
        head.setPixelSize(12)
        head.setBold(True)
        p.setPen(QPen(Qt.GlobalColor.black))
        p.setFont(small)
        p.drawText(QRectF(page.left(), page.top(), page.width(), 14), Qt.AlignmentFlag.AlignLeft, text.title)
        p.drawText(QRectF(page.left(), page.top(), page.width(), 14), Qt.AlignmentFlag.AlignRight, text.page)
        p.setFont(head)
        p.drawText(
            QRectF(page.left(), page.top() + 16, page.width(), 20), Qt.AlignmentFlag.AlignCenter, text.table
        )
        key = QCoreApplication.translate(
            "Printing",
            "Key: ! hatched, heavy border = a check fails · "
            "◣ black corner = corrected (printed value in brackets)",
        )
        p.setFont(small)
        p.drawText(QRectF(page.left(), page.bottom() - 12, page.width(), 12), Qt.AlignmentFlag.AlignLeft, key)
        body = QRectF(page.left(), page.top() + 42, page.width(), page.height() - 42 - 18)
        self._table(p, body, table)

    def _table(self, p: QPainter, area: QRectF, table: Table) -> None:
        font = QFont(p.font())
        font.setPixelSize(9)
        bold = QFont(font)
        bold.setBold(True)
        fm, fmb = QFontMetricsF(font), QFontMetricsF(bold)
        paths = [column_path(table, c) for c in range(len(table.columns))]
        levels = max((len(x) for x in paths), default=1)
        spans = band_spans(paths)
        rows = grid_rows(table)
        line = fm.height()
        # widths: numbers (with the printed value of a corrected cell), leaf labels on two lines
        widths = []
        for c, path in enumerate(paths):
            w = fm.horizontalAdvance(path[-1][: (len(path[-1]) + 1) // 2]) + 2 * PAD
            for g in rows:
                if g.data_index is not None:
                    w = max(w, fmb.horizontalAdvance(self._cell_text(table, g.data_index, c)) + 2 * PAD + 6)
            widths.append(max(w, 28.0))
        labels = [("\u3000" * g.depth) + g.label for g in rows]
        label_w = min(
            max((fm.horizontalAdvance(x) for x in labels), default=60) + 2 * PAD, area.width() * 0.38
        )
        label_w = max(label_w, 60.0)
        band_h = line + 2 * PAD
        leaf_h = 2 * line + 2 * PAD
        header_h = (levels - 1) * band_h + leaf_h
        heights = [
            max(
                line + 2 * PAD,
                fm.boundingRect(
                    QRectF(0, 0, label_w - 2 * PAD, 1000), Qt.TextFlag.TextWrapAnywhere, x
                ).height()
                + 2 * PAD,
            )
            for x in labels
        ]
        total_w = label_w + sum(widths)
        total_h = header_h + sum(heights)
        scale = min(1.0, area.width() / total_w, area.height() / total_h)
        p.save()
        p.translate(area.left() + max(0.0, (area.width() - total_w * scale) / 2), area.top())
        p.scale(scale, scale)
        thin = QPen(Qt.GlobalColor.black, 0.5)
        p.setPen(thin)
        # header: the corner, bands and leaves
        p.setFont(bold)
        p.drawRect(QRectF(0, 0, label_w, header_h))
        xs = [label_w]
        for w in widths:
            xs.append(xs[-1] + w)
        drawn: set[tuple[int, int]] = set()
        for c, path in enumerate(paths):
            for level in range(len(path) - 1):
                first, last = spans[level].get(c, (c, c))
                if (level, first) in drawn:
                    continue
                drawn.add((level, first))
                box = QRectF(xs[first], level * band_h, xs[last + 1] - xs[first], band_h)
                p.drawRect(box)
                p.drawText(box, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWrapAnywhere), path[level])
            top = (len(path) - 1) * band_h
            box = QRectF(xs[c], top, widths[c], header_h - top)
            p.setFont(font)
            p.drawRect(box)
            inner = box.adjusted(PAD, PAD, -PAD, -PAD)
            p.drawText(inner, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWrapAnywhere), path[-1])
            p.setFont(bold)
        # body
        y = header_h
        for g, label, h in zip(rows, labels, heights, strict=True):
            p.setFont(bold if g.data_index is None else font)
            p.setPen(thin)
            p.drawRect(QRectF(0, y, label_w, h))
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWrapAnywhere
            p.drawText(QRectF(PAD, y, label_w - 2 * PAD, h), int(flags), label)
            if g.data_index is None:
                p.drawRect(QRectF(label_w, y, sum(widths), h))
            else:
                for c in range(len(widths)):
                    self._cell(p, QRectF(xs[c], y, widths[c], h), table, g.data_index, c, font, bold)
            y += h
        p.restore()

    def _cell_text(self, table: Table, r: int, c: int) -> str:
        cell = table.cells[r][c]
        key = (table.id, table.rows[r].id, table.columns[c].id)
        text = format_number(cell.value) if cell.value is not None else "—"
        if cell.edited:
            text += f" ({format_number(cell.printed) or cell.raw or '—'})"
        if key in self.failing:
            text = "! " + text
        return text

    def _cell(self, p: QPainter, box: QRectF, table: Table, r: int, c: int, font: QFont, bold: QFont) -> None:
        cell = table.cells[r][c]
        failing = (table.id, table.rows[r].id, table.columns[c].id) in self.failing
        if failing:
            p.fillRect(box, QBrush(Qt.GlobalColor.gray, Qt.BrushStyle.BDiagPattern))
            p.setPen(QPen(Qt.GlobalColor.black, 1.6))
            p.drawRect(box.adjusted(0.8, 0.8, -0.8, -0.8))
        p.setPen(QPen(Qt.GlobalColor.black, 0.5))
        p.drawRect(box)
        if cell.edited:
            corner = QPolygonF([box.topLeft(), box.topLeft() + QPointF(6, 0), box.topLeft() + QPointF(0, 6)])
            p.setBrush(QBrush(Qt.GlobalColor.black))
            p.drawPolygon(corner)
            p.setBrush(Qt.BrushStyle.NoBrush)
        p.setFont(bold if failing or cell.edited else font)
        flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        p.drawText(box.adjusted(PAD, 0, -PAD, 0), int(flags), self._cell_text(table, r, c))


class PrintActions(QObject):
    """File › Print… (Ctrl+P), Print Preview…, Print to PDF…"""

    def __init__(self, window: WindowHost) -> None:
        super().__init__(window.widget())
        self.host = window
        w = window.widget()
        self.print_action = QAction(QCoreApplication.translate("Printing", "&Print…"), w)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.print_dialog)
        self.preview_action = QAction(QCoreApplication.translate("Printing", "Print Pre&view…"), w)
        self.preview_action.triggered.connect(self.preview)
        self.pdf_action = QAction(QCoreApplication.translate("Printing", "Print to P&DF…"), w)
        self.pdf_action.triggered.connect(self.choose_pdf)
        actions = [self.print_action, self.preview_action, self.pdf_action]
        for a in actions:
            w.addAction(a)
        window.file_menu.insertActions(window.close_action, actions)
        window.file_menu.insertSeparator(window.close_action)
        self.update()

    def update(self) -> None:
        has = self.host.controller is not None
        for a in (self.print_action, self.preview_action, self.pdf_action):
            a.setEnabled(has)

    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        layout = printer.pageLayout()
        layout.setOrientation(QPageLayout.Orientation.Landscape)  # 表四 has fifteen columns
        layout.setMargins(QMarginsF(12, 12, 12, 12))
        layout.setUnits(QPageLayout.Unit.Millimeter)
        printer.setPageLayout(layout)
        if self.host.path is not None:
            printer.setDocName(self.host.path.stem)
        return printer

    def paint(self, printer: QPrinter) -> int:
        c = self.host.controller
        return TablePainter(c).paint(printer) if c is not None else 0

    def print_dialog(self) -> None:
        if self.host.controller is None:
            return
        printer = self._printer()
        dialog = QPrintDialog(printer, self.host.widget())
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.paint(printer)

    def preview(self) -> None:
        if self.host.controller is None:
            return
        printer = self._printer()
        dialog = QPrintPreviewDialog(printer, self.host.widget())
        dialog.paintRequested.connect(self.paint)
        dialog.resize(self.host.widget().size() * 0.9)
        dialog.exec()

    def choose_pdf(self) -> None:
        if self.host.controller is None or self.host.path is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self.host.widget(),
            QCoreApplication.translate("Printing", "Print to PDF"),
            str(self.host.path.with_name(self.host.path.stem + "-corrected.pdf")),
            "PDF (*.pdf)",
        )
        if name:
            self.print_to_pdf(name)

    def print_to_pdf(self, path: str) -> int:
        """Write the corrected tables to ``path`` as a PDF; returns the number of pages."""
        printer = self._printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(path)
        pages = self.paint(printer)
        self.host.widget().statusBar().showMessage(
            QCoreApplication.translate("Printing", "Printed {n} tables to {name}").format(n=pages, name=path),
            8000,
        )
        return pages
