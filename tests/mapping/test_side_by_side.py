"""Two tables printed side by side (收入 | 支出 of a 收入支出决算总表): cut into their halves before
the segments are looked for, however the grid was printed."""

from __future__ import annotations

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import RawCell, RawTable, TextLine
from tabledesk.mapping.segments import SegmentFinder
from tabledesk.mapping.side_by_side import heading_for, split_side_by_side
from tabledesk.mapping.table_titles import lift_titles
from tabledesk.templates.registry import template_by_id

FA = template_by_id("dept-final-accounts")
SPECS = FA.tables_for("default")
TITLE_OF = SegmentFinder(SPECS, "default").title_of


def _grid(rows: list[list[str]], page: int = 1, x: tuple[float, float] = (40, 550)) -> RawTable:
    prov = Provenance(page=page, bbox=(x[0], 100, x[1], 400))
    return RawTable([[RawCell(t, prov) if t is not None else None for t in r] for r in rows], prov)


def _texts(block: RawTable | TextLine) -> object:
    if isinstance(block, TextLine):
        return block.text
    return [[c.text if c else None for c in r] for r in block.cells]


HEADER = ["项目", "行次", "金额", "项目", "行次", "金额"]
ROW = ["一、一般公共预算财政拨款收入", "1", "100.00", "一、一般公共服务支出", "13", "60.00"]


def test_a_grid_is_cut_where_its_header_repeats_and_its_line_numbers_dropped() -> None:
    blocks = [TextLine("收入支出决算总表", Provenance(page=1)), _grid([HEADER, ROW])]
    out = split_side_by_side(blocks, SPECS, TITLE_OF)
    assert [_texts(b) for b in out[1:]] == [
        heading_for(FA.table("fa1.income")),
        [["项目", "金额"], ["一、一般公共预算财政拨款收入", "100.00"]],
        heading_for(FA.table("fa1.expense")),
        [["项目", "金额"], ["一、一般公共服务支出", "60.00"]],
    ]
    assert TITLE_OF(heading_for(FA.table("fa1.expense"))) is FA.table("fa1.expense")


def test_the_next_page_of_the_grid_is_cut_the_same_way() -> None:
    more = ["本年收入合计", "9", "100.00", "本年支出合计", "39", "100.00"]
    blocks = [TextLine("收入支出决算总表", Provenance(page=1)), _grid([HEADER, ROW]), _grid([more], page=2)]
    out = split_side_by_side(blocks, SPECS, TITLE_OF)
    assert _texts(out[-1]) == [["本年支出合计", "100.00"]]
    assert _texts(out[-2]) == heading_for(FA.table("fa1.expense"))


def test_without_a_repeated_header_the_labels_right_of_numbers_start_the_right_half() -> None:
    rows = [
        ["一、一般公共预算财政拨款收入", "100.00", "一、一般公共服务支出", "60.00"],
        ["二、事业收入", "5.00", "二、教育支出", "45.00"],
        ["本年收入合计", "105.00", "本年支出合计", "105.00"],
    ]
    out = split_side_by_side([TextLine("收入支出决算总表", Provenance()), _grid(rows)], SPECS, TITLE_OF)
    assert _texts(out[-1])[0] == ["一、一般公共服务支出", "60.00"]  # type: ignore[index]


def test_halves_printed_as_two_grids_beside_each_other() -> None:
    left = _grid([["项目", "金额"], ["一、一般公共预算财政拨款收入", "100.00"]], x=(40, 290))
    right = _grid([["项目", "金额"], ["一、一般公共服务支出", "60.00"]], x=(300, 550))
    out = split_side_by_side([TextLine("收入支出决算总表", Provenance(page=1)), left, right], SPECS, TITLE_OF)
    assert [_texts(b) for b in out[1:]] == [_texts(left), heading_for(FA.table("fa1.expense")), _texts(right)]


def test_grids_of_other_tables_are_left_alone() -> None:
    grid = _grid([["项目", "本年收入合计", "财政拨款收入"], ["合计", "100.00", "100.00"]])
    blocks = [TextLine("收入决算表", Provenance(page=1)), grid]
    assert split_side_by_side(blocks, SPECS, TITLE_OF) == blocks


def test_title_and_note_rows_of_a_pasted_grid_become_lines() -> None:
    grid = _grid(
        [
            ["收入决算表", "公开02表", None],
            ["部门：某局", "单位：万元", None],
            ["项目", "本年收入合计", "财政拨款收入"],
        ]
    )
    out = lift_titles([grid], TITLE_OF)
    assert [_texts(b) for b in out] == [
        "收入决算表  公开02表",
        "部门：某局  单位：万元",
        [["项目", "本年收入合计", "财政拨款收入"]],
    ]
