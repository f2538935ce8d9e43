"""Tables with no ruling lines and text lined up with spaces: rows read from the prose lines."""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import TextLine
from tabledesk.mapping.mapper import map_source
from tabledesk.mapping.text_rows import line_row
from tabledesk.sources.reader import read_source
from tabledesk.templates.registry import load_templates
from tests.fixtures.borderless_pdf import render_borderless_pdf
from tests.fixtures.report_spec import iter_cells, random_spec
from tests.fixtures.text_report import render_text

TEMPLATES, _ = load_templates()


def recovered(spec, path) -> tuple[int, int]:
    doc = map_source(read_source(path), TEMPLATES)
    ok = sum(
        1
        for c in iter_cells(spec)
        if doc.has_cell(c.table, c.row, c.col)
        and doc.cell(c.table, c.row, c.col).value == Decimal(str(c.value))
    )
    return ok, len(list(iter_cells(spec)))


@pytest.mark.parametrize(
    ("text", "cells"),
    [
        ("一、本年新收政府信息公开申请数量   13   0   0   0   1   9   23", 8),
        ("三、本年度办理结果 （一）予以公开 3 0 0 0 0 1 4", 9),
        ("行政许可   550", 2),
        ("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", 15),
    ],
)
def test_rows_are_read_from_lines(text, cells):
    row = line_row(TextLine(text, Provenance(line=7, chars=(0, len(text)))))
    assert row is not None and len(row.cells[0]) == cells
    last = row.cells[0][-1]
    assert text[last.prov.chars[0] : last.prov.chars[1]] == last.text  # exact text provenance


@pytest.mark.parametrize(
    "text",
    [
        "2023 年，洪泽区人民政府坚持以习近平新时代中国特色社会主义思想为指导 2",
        "全年共受理政府信息公开申请 21 件",
        "- 3 -",
        "联系电话 0517-87290606",
        "2023",
    ],
)
def test_prose_is_not_a_row(text):
    assert line_row(TextLine(text, Provenance(line=1))) is None


@pytest.mark.parametrize("seed", range(4))
def test_text_lined_up_with_spaces_maps_every_value(tmp_path, seed):
    spec = random_spec(random.Random(seed), "2021" if seed % 2 else "2019")
    path = tmp_path / "spaced.txt"
    path.write_text(re.sub(r"\t+", "   ", render_text(spec, "tab")), encoding="utf-8")
    ok, total = recovered(spec, path)
    assert ok == total


@pytest.mark.parametrize("seed", range(3))
def test_pdf_table_without_ruling_lines_maps_every_value(tmp_path, seed):
    spec = random_spec(random.Random(100 + seed), "2021" if seed % 2 else "2019")
    path = render_borderless_pdf(spec, tmp_path / "borderless.pdf")
    ok, total = recovered(spec, path)
    assert ok == total
