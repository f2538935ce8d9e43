"""The review queue in the window: a folder of reports read in the background, worst first, the
first reviewable at once; edits and review state survive a restart; cancel leaves the queue
consistent; cross-year and narrative checks show in the window; the queue exports as a dataset."""

from __future__ import annotations

import random
import unicodedata

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from tests.checks.test_across import consecutive_pair
from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import write_text
from tests.ui.conftest import close_window

from tabledesk.checks.narrative import NarrativeInstance
from tabledesk.core.document import ReviewStatus
from tabledesk.store.queue import EntryState
from tabledesk.ui.grid.checks_model import ResultRole
from tabledesk.ui.window.main_window import MainWindow


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """2023 and 2024 of one agency with a carry-over mismatch, and another agency's report
    whose narrative states 1000 applications more than 表三 (one more would be 一+二 when one
    application was carried over: a scope the words may mean, checks/narrative.py)."""
    d = tmp_path_factory.mktemp("queue_ui") / "reports"
    d.mkdir()
    a, b = consecutive_pair(carry_mismatch=2)
    write_text(a, d / "county-2023.txt")
    write_text(b, d / "county-2024.txt")
    c = random_spec(random.Random(5), "2021", agency="另一区人民政府", year=2024)
    n = int(c.values["t3"]["new"]["total"])
    c.sections[0].paragraphs[0] = c.sections[0].paragraphs[0].replace(f"申请{n}件", f"申请{n + 1000}件")
    write_text(c, d / "other-2024.txt")
    return d


def make_window() -> MainWindow:
    w = MainWindow()
    w.queue_panel.jobs = 1
    w.show()
    return w


@pytest.fixture
def window(qtbot):
    # Not qtbot.addWidget (see test_main_window.py): the window must be closed our way.
    w = make_window()
    yield w
    close_window(w)


def read_folder(qtbot, window: MainWindow, folder) -> None:
    panel = window.queue_panel
    with qtbot.waitSignal(panel.extraction_finished, timeout=60000):
        assert panel.add_paths([folder]) == 3
        assert panel.progress.isVisible() and panel.cancel_button.isVisible()
    assert not panel.progress.isVisible()


def by_name(panel):
    return {e.name: e for e in panel.model.entries}


def test_a_folder_is_read_in_the_background_worst_first_and_resumes_after_a_restart(
    qtbot, qtmodeltester, folder
):
    w = make_window()
    try:
        panel = w.queue_panel
        read_folder(qtbot, w, folder)
        qtmodeltester.check(panel.model)
        assert panel.dock.isVisible()
        entries = by_name(panel)
        assert all(e.state is EntryState.READY for e in entries.values())
        # worst first: the two years disagree (errors) once looked at together; the narrative
        # mismatch is information: both years are listed first, before they were even opened
        assert [e.name for e in panel.model.entries][2] == "other-2024.txt"
        assert {e.name: e.failing for e in panel.model.entries[:2]} == {
            "county-2023.txt": 2,
            "county-2024.txt": 2,
        }
        statuses = [panel.model.index(r, 1).data() for r in range(panel.model.rowCount())]
        assert statuses[0] in ("2 checks failing", "2 项校验未通过")
        # the first document read was opened at once
        assert w.controller is not None and panel.open_id is not None
        # open 2024: the carry-over mismatch with 2023 is in its checks
        assert panel.open_entry(entries["county-2024.txt"].id)
        rules = {r.instance.rule.id for r in w.controller.problems()}
        assert "across.carried_in" in rules
        # an edit and the reviewed mark are kept in the queue
        w.controller.set_values(
            "t3", [("carried", "natural", w.controller.document.cell("t3", "carried", "natural").value - 2)]
        )
        w.controller.set_values(
            "t3", [("carried", "total", w.controller.document.cell("t3", "carried", "total").value - 2)]
        )
        assert "across.carried_in" not in {r.instance.rule.id for r in w.controller.problems()}
        qtbot.waitUntil(w.controller.undo_stack.isClean)  # saved in the queue: nothing to ask on leaving
        assert by_name(panel)["county-2023.txt"].failing == 0  # fixed in 2024: 2023 is fine too
        w.controller.set_reviewed(True)
        entry = panel.store.entry(entries["county-2024.txt"].id)
        assert entry.reviewed
        status = panel.model.index(panel.model.row_of(entry.id), 1).data()
        assert status.startswith(("reviewed", "已审核"))
        if entry.failing:  # reviewed, yet failing: the status says so
            assert str(entry.failing) in status
        assert panel.model.entries[-1].id == entry.id  # reviewed: at the end
        value = w.controller.document.cell("t3", "carried", "natural").value
    finally:
        close_window(w)
    w2 = make_window()
    try:
        qtbot.waitUntil(lambda: w2.controller is not None, timeout=10000)
        doc = w2.controller.document
        assert w2.queue_panel.open_id == entry.id
        assert doc.cell("t3", "carried", "natural").value == value
        assert doc.review_status is ReviewStatus.REVIEWED
        assert len(w2.queue_panel.model.entries) == 3
    finally:
        close_window(w2)


def test_cancel_leaves_the_queue_consistent(qtbot, window, folder):
    panel = window.queue_panel
    seen = []
    panel._on_result_orig = panel._on_result

    def first_then_cancel(res):
        seen.append(res)
        panel._on_result_orig(res)
        panel.cancel()

    with qtbot.waitSignal(panel.extraction_finished, timeout=60000):
        panel.store.add(sorted(folder.iterdir()))
        panel.start()
        panel._thread.result_ready.disconnect(panel._on_result)
        panel._thread.result_ready.connect(first_then_cancel)
    states = [e.state for e in panel.store.entries()]
    assert states.count(EntryState.READY) >= 1
    assert set(states) <= {EntryState.READY, EntryState.PENDING}
    sessions = panel.store.store.conn.execute(
        "SELECT count(*) FROM sessions WHERE kind = 'queue'"
    ).fetchone()[0]
    assert sessions == states.count(EntryState.READY)
    assert not panel.running and not panel.cancel_button.isVisible()


def test_a_narrative_check_highlights_its_sentence(qtbot, window, folder, tmp_path):
    panel = window.queue_panel
    read_folder(qtbot, window, folder)
    other = by_name(panel)["other-2024.txt"]
    assert panel.open_entry(other.id)
    model = window.checks_view.model()
    rows = [
        r
        for r in range(model.rowCount())
        if isinstance(model.index(r, 1).data(ResultRole).instance, NarrativeInstance)
    ]
    assert len(rows) == 1
    result = model.index(rows[0], 1).data(ResultRole)
    assert result.severity == "info"  # no scope of its words gives the number: information
    window._on_check_clicked(model.index(rows[0], 1))
    line, chars = window.source.text_view.highlighted()
    text = (folder / "other-2024.txt").read_text(encoding="utf-8").splitlines()[line - 1]
    assert result.instance.sentence[:10] in unicodedata.normalize("NFKC", text).replace(" ", "")
    assert chars is not None and "申请" in text[chars[0] : chars[1]]
    # and the queue exports as the consolidated dataset
    assert panel.export_dataset(tmp_path / "dataset.csv")
    frame = pd.read_csv(tmp_path / "dataset.csv")
    assert sorted(frame["file"].map(lambda p: p.rsplit("/", 1)[-1])) == [
        "county-2023.txt",
        "county-2024.txt",
        "other-2024.txt",
    ]


def test_agency_and_year_are_editable_only_where_the_title_does_not_give_them(qtbot, window, tmp_path):
    d = tmp_path / "untitled"
    d.mkdir()
    spec = random_spec(random.Random(11), "2021", agency="某镇人民政府", year=2022)
    text = write_text(spec, d / "untitled.txt").read_text(encoding="utf-8")
    (d / "untitled.txt").write_text(text.replace(spec.title, "政府信息公开工作年度报告"), encoding="utf-8")
    write_text(random_spec(random.Random(12), "2021", agency="某县人民政府", year=2023), d / "titled.txt")
    panel = window.queue_panel
    with qtbot.waitSignal(panel.extraction_finished, timeout=60000):
        panel.add_paths([d])
    model = panel.model
    rows = {e.name: i for i, e in enumerate(model.entries)}
    editable = Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(rows["titled.txt"], 2)) & editable
    assert not model.flags(model.index(rows["titled.txt"], 3)) & editable
    year = model.index(rows["untitled.txt"], 3)
    assert model.flags(year) & editable and year.data() == ""
    assert not model.setData(year, "last year")
    assert model.setData(year, "2022")
    agency = model.index(model.row_of(model.entries[year.row()].id), 2)
    assert model.setData(agency, "某镇人民政府")
    entry = panel.store.entry(model.entries[year.row()].id)
    assert (entry.agency, entry.year, entry.year_set) == ("某镇人民政府", 2022, True)
    assert panel.store.records()[[e.id for e in panel.store.entries()].index(entry.id)].year == 2022


def test_in_a_pdf_the_sentence_is_outlined_on_its_page(qtbot, window, tmp_path):
    spec = random_spec(random.Random(5), "2021", agency="另一区人民政府", year=2024)
    n = int(spec.values["t3"]["new"]["total"])
    spec.sections[0].paragraphs[0] = spec.sections[0].paragraphs[0].replace(f"申请{n}件", f"申请{n + 1000}件")
    pdf = render_pdf(spec, tmp_path / "other.pdf")
    with qtbot.waitSignal(window.review_opened, timeout=60000):
        window.open_path(pdf)
    model = window.checks_view.model()
    row = next(
        r
        for r in range(model.rowCount())
        if isinstance(model.index(r, 1).data(ResultRole).instance, NarrativeInstance)
    )
    provs = model.index(row, 1).data(ResultRole).instance.provs
    window._on_check_clicked(model.index(row, 1))
    pv = window.source.page_view
    qtbot.waitUntil(lambda: len(pv.outline_scene_rects()) == len(provs), timeout=10000)
    page = pv.page_scene_rect(provs[0].page)
    assert all(page.contains(r) for r in pv.outline_scene_rects())


def test_reviewed_document_that_still_fails_says_so():
    from tabledesk.exports.dataset import DocStatus, DocumentRecord
    from tabledesk.store.queue import EntryState, QueueEntry
    from tabledesk.ui.queue.queue_model import status_text

    def entry(failing: int) -> QueueEntry:
        record = DocumentRecord(
            "a.pdf", DocStatus.FAILED if failing else DocStatus.PASSED, failed_errors=failing
        )
        return QueueEntry(1, "a.pdf", EntryState.READY, "", "", None, False, False, 1, record, "reviewed")

    assert status_text(entry(2)) == "reviewed, 2 checks still failing"  # "reviewed" alone hid it
    assert status_text(entry(0)) == "reviewed"


def test_a_folder_of_both_report_families(qtbot, window, tmp_path):
    """A 部门决算 with a slipped amount beside a disclosure report: each read by its own
    template, the slip counted and listed first, and opened from the queue with its tables."""
    from tests.fixtures.final_accounts.errors import inject_error
    from tests.fixtures.final_accounts.generate import generate
    from tests.fixtures.final_accounts.pdf import write_pdf

    d = tmp_path / "mixed"
    d.mkdir()
    write_text(random_spec(random.Random(8), "2021"), d / "disclosure.txt")
    bad, err = inject_error(generate(9), random.Random(9), "decimal_slip")
    write_pdf(bad, d / "accounts.pdf")
    panel = window.queue_panel
    with qtbot.waitSignal(panel.extraction_finished, timeout=60000):
        assert panel.add_paths([d]) == 2
    entries = by_name(panel)
    accounts = entries["accounts.pdf"]
    assert accounts.record is not None and accounts.record.template_id == "dept-final-accounts"
    assert entries["disclosure.txt"].record.template_id == "gov-disclosure-annual"
    assert accounts.failing >= 1 and entries["disclosure.txt"].failing == 0
    assert panel.model.entries[0].name == "accounts.pdf"  # worst first
    assert panel.open_entry(accounts.id)
    qtbot.waitUntil(lambda: window.controller is not None and "fa3" in window.grids, timeout=60000)
    assert window.controller.document.cell(err.table, err.row, err.col).value == err.printed_value
