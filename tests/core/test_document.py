from decimal import Decimal

import pytest

from tabledesk.core.document import ReviewStatus
from tabledesk.core.edits import CellChange, Edit, EditReason
from tabledesk.core.events import CellsChanged, ReviewStatusChanged
from tabledesk.core.values import NumberKind, format_number, half_width, is_blank, parse_number
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec


@pytest.fixture
def doc():
    import random

    return document_from_spec(random_spec(random.Random(3), "2021"))


def test_apply_and_revert_restore_values_log_and_emit_events(doc):
    events = []
    doc.events.subscribe(events.append)
    cell = doc.cell("t3", "new", "natural")
    before = cell.value
    edit = Edit(
        (CellChange("t3", "new", "natural", before, before + 5),), reason=EditReason.SOURCE_INCONSISTENT
    )
    doc.apply(edit)
    assert cell.value == before + 5 and cell.printed == before and cell.edited
    assert doc.edits == [edit]
    assert CellsChanged("t3", (("new", "natural"),)) in events
    assert ReviewStatusChanged("in_progress") in events
    doc.revert(edit)
    assert cell.value == before and not cell.edited
    assert doc.edits == []
    assert events[-1] == CellsChanged("t3", (("new", "natural"),))


def test_review_status_and_unsubscribe(doc):
    seen = []
    unsubscribe = doc.events.subscribe(seen.append)
    doc.set_review_status(ReviewStatus.REVIEWED)
    unsubscribe()
    doc.set_review_status(ReviewStatus.IN_PROGRESS)
    assert seen == [ReviewStatusChanged("reviewed")]


def test_edit_records_who_and_when(doc):
    edit = Edit((CellChange("t4", "all", "review.total", Decimal(0), Decimal(11)),))
    assert edit.reason is EditReason.EXTRACTION_ERROR
    assert edit.time.tzinfo is not None
    assert isinstance(edit.user, str)
    assert edit.cells() == [("t4", "all", "review.total")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("21", Decimal(21)),
        ("11\n36", Decimal(1136)),  # a number wrapped in a narrow cell
        ("1,234", Decimal(1234)),
        ("7730.28", Decimal("7730.28")),
        ("－3", Decimal(-3)),
        ("１２", Decimal(12)),  # full-width digits
        ("15件", Decimal(15)),
        ("1,2", None),  # not a thousands separator
        ("0 0", None),  # two numbers glued into one cell: not one number
        ("abc", None),
        ("", None),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_blank_and_precision():
    assert is_blank("") and is_blank(" — ") and is_blank("/") and not is_blank("0")
    assert half_width(Decimal("7730.28"), NumberKind.AMOUNT) == Decimal("0.005")
    assert half_width(Decimal("7545"), NumberKind.AMOUNT) == Decimal("0.5")
    assert half_width(Decimal("7545"), NumberKind.COUNT) == 0
    assert format_number(Decimal("7730.28")) == "7730.28" and format_number(Decimal(12)) == "12"


def test_a_restored_review_without_its_extraction_cannot_be_remapped(doc):
    # document_from_spec builds the tables directly: printed values, no extracted source,
    # like a review reopened from a file. Redoing the mapping would wipe what was read.
    assert doc.extracted is None and not doc.can_remap()
    for t in doc.tables:
        for _, _, cell in t.iter_cells():
            cell.printed = None
    assert doc.can_remap()  # an empty grid typed in by hand can switch format freely


def test_an_ocr_confirmation_survives_a_remap_that_reads_the_same_value(doc):
    """replace_tables dropped the `confirmed` flag: an uncertain OCR cell the clerk had
    confirmed turned uncertain again after a re-map or a region read again."""
    import copy

    cell = doc.cell("t3", "new", "natural")
    cell.ocr_confidence = 0.5
    assert cell.uncertain
    doc.apply(Edit((CellChange("t3", "new", "natural", cell.value, cell.value),)))
    assert cell.confirmed and not cell.uncertain
    fresh = copy.deepcopy(doc.tables)
    fresh_cell = fresh[[t.id for t in fresh].index("t3")].cell("new", "natural")
    fresh_cell.confirmed = False  # a new reading knows nothing of the clerk's confirmation
    doc.replace_tables(fresh, doc.template_id, doc.format_id)
    again = doc.cell("t3", "new", "natural")
    assert again is fresh_cell and again.confirmed and not again.uncertain


def test_a_printed_total_row_the_form_lacks_is_not_unplaced_numbers() -> None:
    """A balanced report that prints a 合计 row under 表二（一） (the form has none) came out
    'warnings': its column totals counted as numbers that might belong in the table's blank
    cells. A total's numbers are derived, never a cell's missing value; other rows still count."""
    from tabledesk.core.document import Axis, Cell, CellStatus, Table, UnmatchedRow
    from tabledesk.core.values import NumberKind

    blank = Cell(Decimal(0), Decimal(0), "", CellStatus.BLANK, None, 1.0, NumberKind.COUNT)  # type: ignore[arg-type]
    table = Table("t", "t", {"zh": "t", "en": "t"}, [Axis("r1", ("甲",))], [Axis("c1", ("数",))], [[blank]])
    table.unmatched = [UnmatchedRow("合计", ["合计", "1", "15", "257"])]
    assert table.empty_cells() == 1 and table.unplaced_numbers() == []
    table.unmatched.append(UnmatchedRow("2.重复申请", ["2.重复申请", "3"]))
    assert table.unplaced_numbers() == ["3"]
