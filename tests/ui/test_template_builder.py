"""The template builder in the window: a form no template knows is taught from the document on
screen — tables, rows and columns as printed, the totals as rules tried on the document at
every change — saved, used at once (undoably), and found for the next documents of the form."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from tests.fixtures.unknown_forms import bands, part_of_rows, write_html, write_pdf
from tests.ui.conftest import open_report

from tabledesk.resources import user_templates_dir
from tabledesk.ui.actions.template_builder import RuleDialog, TemplateBuilderDialog


def _builder(qtbot, window) -> TemplateBuilderDialog:  # noqa: ANN001
    assert window.template_builder.new_action.isEnabled()
    window.template_builder.new_action.trigger()
    dlg = window.findChild(QDialog, "template_builder")
    assert isinstance(dlg, TemplateBuilderDialog)
    qtbot.waitUntil(dlg.isVisible)
    return dlg


def _results(dlg: TemplateBuilderDialog) -> list[str]:
    return [dlg.rules.item(i, 1).text() for i in range(dlg.rules.rowCount())]


def test_a_new_form_is_taught_saved_used_and_found_for_the_next_documents(qtbot, window, tmp_path) -> None:
    docs = [write_pdf(bands(random.Random(s), items_n=4), tmp_path / f"b{s}.pdf") for s in range(3)]
    open_report(qtbot, window, docs[0])
    assert window.controller.document.template_id == "generic"
    dlg = _builder(qtbot, window)
    # one table found, its four printed rows and the 合计, the 合计 row and both 合计 columns as rules
    assert dlg.tables.count() == 1 and dlg.rows.rowCount() == 5
    assert dlg.rules.rowCount() == 3 and all(t.startswith("✓") for t in _results(dlg))
    assert "30 of 30 cells" in dlg.summary.text()
    # the clerk renames a row (the printed wording stays an alias) and names the form
    dlg.rows.item(0, 2).setText("本地户籍人口")
    dlg.name_edit.setText("人员登记统计表")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.document.template_id.startswith("user.form_"))
    (saved,) = user_templates_dir().glob("*.toml")
    assert "本地户籍人口" in saved.read_text(encoding="utf-8")
    c = window.controller
    assert c.results and c.failing_count() == 0
    assert c.document.tables[0].rows[0].leaf_label == "本地户籍人口"
    # a change of mapping like any other: undo goes back to the tables as printed
    c.undo_stack.undo()
    assert c.document.template_id == "generic"
    c.undo_stack.redo()
    # the next documents of the form open with the template, every cell in place
    for doc in docs[1:]:
        window.controller.undo_stack.setClean()  # no "save the corrections?" question
        open_report(qtbot, window, doc)
        d = window.controller.document
        assert d.template_id == saved.stem
        cells = [cell for t in d.tables for _r, _c, cell in t.iter_cells()]
        assert cells and all(cell.value is not None for cell in cells)
        assert window.controller.failing_count() == 0


def test_rules_are_tried_at_every_change_and_added_by_pointing(qtbot, window, tmp_path) -> None:
    form = part_of_rows(random.Random(3))
    open_report(qtbot, window, write_html(form, tmp_path / "p.html"))
    dlg = _builder(qtbot, window)
    n = dlg.rules.rowCount()
    assert n >= 1 and all(t.startswith("✓") for t in _results(dlg))
    # untick a rule: it is no longer used
    dlg.rules.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    assert _results(dlg)[0] == "not used"
    # add one by pointing: 一、… = 其中：教育 is wrong on this document, and says so at once
    table = dlg.current_table()
    assert table is not None
    rule_dlg = RuleDialog(dlg, table)
    rule_dlg.total.setCurrentIndex(0)
    rule_dlg.parts.item(1).setCheckState(Qt.CheckState.Checked)
    rule_dlg._accept()  # noqa: SLF001 - the OK button's slot, without a modal loop
    assert rule_dlg.rule is not None
    table.rules.append(rule_dlg.rule)
    dlg._show_table()  # noqa: SLF001
    dlg.recheck()
    assert dlg.rules.rowCount() == n + 1 and _results(dlg)[-1].startswith("✗")
    dlg.reject()


def test_a_sample_whose_total_is_wrong_proposes_that_rule_unticked(qtbot, window, tmp_path) -> None:
    form = bands(random.Random(1), items_n=4)
    form.body[0][1] = str(int(form.body[0][1]) + 100)
    open_report(qtbot, window, write_pdf(form, tmp_path / "s.pdf"))
    dlg = _builder(qtbot, window)
    ticks = [dlg.rules.item(i, 0).checkState() for i in range(dlg.rules.rowCount())]
    assert Qt.CheckState.Unchecked in ticks and Qt.CheckState.Checked in ticks
    assert "0 failing" in dlg.summary.text()
    dlg.reject()


def test_a_reassigned_row_is_remembered_as_an_alias_of_the_users_template(qtbot, window, tmp_path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tabledesk.review.drafting import draft, read_sample
    from tabledesk.store.user_templates import save_template

    sample = write_pdf(bands(random.Random(0), items_n=4), tmp_path / "b0.pdf")
    saved = save_template(draft(read_sample(sample)))
    other = bands(random.Random(1), items_n=4)
    other.body[1][0] = "暂住登记人员"  # printed otherwise than in the sample
    doc = write_pdf(other, tmp_path / "b1.pdf")
    open_report(qtbot, window, doc)
    c = window.controller
    assert c.document.template_id == saved.stem
    table = c.document.tables[0]
    row = next(r for r in table.rows if r.source_label == "暂住登记人员")
    assert row.leaf_label == "流动人口" and row.confidence < 1.0  # placed by its position only
    # the clerk says (row menu › This printed row is… › 流动人口) that it is right
    window.mapping_actions.assign(table.id, row.printed_index, row.id, "流动人口")
    box = window.findChild(QMessageBox, "remember_alias")
    qtbot.waitUntil(box.isVisible)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert 'aliases = ["暂住登记人员"]' in saved.read_text(encoding="utf-8")
    # the next document printing that wording maps by itself
    c.undo_stack.setClean()
    open_report(qtbot, window, doc)
    again = next(r for r in window.controller.document.tables[0].rows if r.source_label == "暂住登记人员")
    assert again.leaf_label == "流动人口" and again.confidence == 1.0
    assert window.controller.failing_count() == 0
