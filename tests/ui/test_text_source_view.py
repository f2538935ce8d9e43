"""TextSourceView: lines in, highlights and clicks out, in source line/char coordinates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor, QTextFormat

from tabledesk.ui.source.text_source_view import TextSourceView

LINES = [f"第{n}行 本年新收政府信息公开申请数量 {n * 7}" for n in range(1, 201)]


@pytest.fixture
def view(qtbot):
    view = TextSourceView()
    view.resize(500, 300)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.set_lines(LINES)
    return view


def selected_text(view: TextSourceView, index: int) -> str:
    selections = view.extraSelections()  # keep the list alive while reading its cursors
    return selections[index].cursor.selectedText()


def test_show_lines_scrolls_to_and_highlights_the_line_and_chars(view):
    line = 150
    start = LINES[line - 1].index("申请")
    view.show_lines(line, (start, start + 2))
    selections = view.extraSelections()
    assert len(selections) == 2
    assert selections[0].cursor.blockNumber() == line - 1
    assert selections[0].format.property(QTextFormat.Property.FullWidthSelection) is True
    assert selected_text(view, 1) == "申请"
    assert line in view.visible_lines()
    assert 1 not in view.visible_lines()
    assert view.highlighted() == (line, (start, start + 2))

    view.show_lines(3)  # a whole line: no character highlight, scrolls back up
    selections = view.extraSelections()
    assert len(selections) == 1
    assert selections[0].cursor.blockNumber() == 2
    assert 3 in view.visible_lines()


def test_a_char_range_past_the_line_end_is_clamped_quietly(view, qtlog):
    view.show_lines(200, (5, 999))
    assert selected_text(view, 1) == LINES[199][5:]
    assert not [r for r in qtlog.records if r.type != 0]


def test_offsets_count_code_points_not_utf16_units(view):
    view.set_lines(["𠀀𠀁 合计 42", "second"])  # two ideographs outside the BMP
    view.show_lines(1, (6, 8))
    assert selected_text(view, 1) == "42"


def test_lines_keep_their_numbers_despite_separator_characters(view):
    view.set_lines(["a\rb", "c\u2028d", "e\x0cf", "target"])
    assert view.document().blockCount() == 4
    view.show_lines(4, (0, 6))
    assert selected_text(view, 1) == "target"


def test_table_regions_are_shaded_and_replaced(view):
    view.mark_table_regions([(10, 20), (40, 41)])
    assert [n for n in range(1, 60) if view.is_shaded(n)] == [*range(10, 21), 40, 41]
    view.mark_table_regions([(5, 6)])
    assert [n for n in range(1, 60) if view.is_shaded(n)] == [5, 6]
    # The highlight is independent of the shading.
    view.show_lines(5, (0, 2))
    assert view.is_shaded(5)


def test_click_emits_line_and_char(qtbot, view):
    line = 4
    char = LINES[line - 1].index("政府")
    view.show_lines(1)
    block = view.document().findBlockByNumber(line - 1)
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + char)
    rect = view.cursorRect(cursor)
    pos = QPoint(rect.left() + 3, rect.center().y())  # inside the character after the cursor
    with qtbot.waitSignal(view.line_clicked, timeout=1000) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert clicked.args == [line, char]


def test_view_is_read_only(qtbot, view):
    view.setFocus()
    qtbot.keyClicks(view, "xyz")
    assert view.document().findBlockByNumber(0).text() == LINES[0]
