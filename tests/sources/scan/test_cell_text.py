"""A scanned cell's lines joined like a text PDF's, every character's confidence in step."""

from __future__ import annotations

from tabledesk.sources.scan.cell_text import join_lines, stripped


def test_a_number_keeps_one_confidence_per_digit() -> None:
    assert join_lines([("1234", (0.9, 0.4, 0.9, 0.8))]) == ("1234", (0.9, 0.4, 0.9, 0.8))


def test_a_vertical_label_runs_together_and_other_lines_keep_their_breaks() -> None:
    assert join_lines([("三", (0.9,)), ("、", (0.5,)), ("本", (0.8,))]) == ("三、本", (0.9, 0.5, 0.8))
    text, chars = join_lines([("商业", (0.9, 0.9)), ("企业单位", (0.7, 0.9, 0.9, 0.9))])
    assert text == "商业\n企业单位" and chars == (0.9, 0.9, 1.0, 0.7, 0.9, 0.9, 0.9)


def test_positions_that_no_longer_line_up_are_dropped_not_shifted() -> None:
    # NFKC turns one character into three: which digit was doubted cannot be said any more
    text, chars = join_lines([("㈠", (0.3,))])
    assert text == "(一)" and chars == ()
    assert join_lines([("12", ())]) == ("12", ())


def test_stripping_keeps_the_confidences_in_step() -> None:
    assert stripped(" 12 ", (1.0, 0.9, 0.4, 1.0)) == ("12", (0.9, 0.4))
    assert stripped(" 12 ", ()) == ("12", ())
