"""The source panel on text and web sources: a web page (or a web archive) is shown as its text,
not its markup, with each cell's place still linked to the grid both ways; long text lines wrap."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPlainTextEdit
from tests.fixtures.html_report import write_html, write_mht
from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import write_text

from tabledesk.review.review import open_document
from tabledesk.ui.source.source_panel import SourcePanel


@pytest.fixture
def panel(qtbot):
    panel = SourcePanel()
    panel.resize(600, 400)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _open(panel: SourcePanel, path: Path):  # noqa: ANN202
    doc = open_document(path)
    panel.show_source(path, doc.source.kind)
    panel.set_document(doc)
    return doc


@pytest.mark.parametrize("archive", [False, True])
def test_web_page_is_shown_as_text_with_cells_linked_both_ways(qtbot, panel, tmp_path: Path, archive: bool):
    spec = random_spec(random.Random(31), "2021", scale=250)
    if archive:
        path = write_mht(spec, tmp_path / "report.mht", base64=True)
    else:
        path = write_html(spec, tmp_path / "report.html", saved_by_browser=True)
    doc = _open(panel, path)
    view = panel.text_view
    shown = view.toPlainText()
    assert "<td" not in shown and "&nbsp;" not in shown and "MsoNormal" not in shown
    assert "Content-Transfer-Encoding" not in shown
    assert spec.title in shown and "一、本年新收政府信息公开申请数量" in shown
    # grid -> text: the cell's number is what gets highlighted
    cell = doc.cell("t3", "new", "natural")
    panel.show_cells([cell])
    line, chars = view.highlighted()
    assert chars is not None and view.document().findBlockByNumber(line - 1).text()[slice(*chars)] == cell.raw
    # text -> grid: clicking that number selects its cell
    with qtbot.waitSignal(panel.cell_clicked) as sig:
        view.line_clicked.emit(line, chars[0])
    assert tuple(sig.args) == ("t3", "new", "natural")
    # the table regions are shaded in the shown text
    assert view.is_shaded(line)


def test_text_sources_still_show_their_own_lines(panel, tmp_path: Path):
    spec = random_spec(random.Random(32), "2019")
    path = write_text(spec, tmp_path / "report.txt")
    doc = _open(panel, path)
    assert panel.text_view.toPlainText().split("\n") == path.read_text(encoding="utf-8").splitlines()
    cell = doc.cell("t3", "new", "total")
    panel.show_cells([cell])
    assert panel.text_view.highlighted() == (cell.prov.line, cell.prov.chars)


def test_long_text_lines_wrap_instead_of_being_cut_off(panel, tmp_path: Path):
    path = tmp_path / "long.txt"
    path.write_text("本机关认真贯彻落实政府信息公开条例。" * 30 + "\n第二行\n", encoding="utf-8")
    panel.show_source(path, "text")
    view = panel.text_view
    assert view.lineWrapMode() is QPlainTextEdit.LineWrapMode.WidgetWidth
    assert view.document().findBlockByNumber(0).layout().lineCount() > 1
    assert view.horizontalScrollBar().maximum() == 0
    assert view.line_count() == 2  # still one block per source line
