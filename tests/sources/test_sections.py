"""Finding the six narrative sections in prose lines from any extractor."""

from __future__ import annotations

import pytest

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import TextLine
from tabledesk.sources.sections import OFFICIAL_TITLES, find_sections, match_heading


def _lines(*texts: str) -> list[TextLine]:
    return [TextLine(t, Provenance(line=i + 1, chars=(0, len(t)))) for i, t in enumerate(texts)]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一、总体情况", 1),
        ("一、 总体情况", 1),
        ("一．总体情况", 1),
        ("一.总体情况", 1),
        ("一 总体情况", 1),
        ("第一部分 总体情况", 1),
        ("## 二、主动公开政府信息情况", 2),
        ("**三、收到和处理政府信息公开申请情况**", 3),
        ("【四、政府信息公开行政复议、行政诉讼情况】", 4),
        ("四、因政府信息公开申请提起行政复议、行政诉讼的情况", 4),
        ("五、存在的主要问题及改进情况", 5),
        ("五、存在的主要问题及改进措施", 5),
        ("六、其他需要报告的事项", 6),
        ("六,其他需要报告的事项", 6),
    ],
)
def test_heading_variants(text: str, number: int) -> None:
    hit = match_heading(text)
    assert hit is not None and hit.number == number


@pytest.mark.parametrize(
    "text",
    [
        "（一）主动公开。聚焦重点领域信息公开。",
        "(一)主动公开",
        "一是积极利用门户网站主动公开信息。",
        "一、本年新收政府信息公开申请数量",
        "三、本年度办理结果",
        "1.属于国家秘密",
        "2020年，本机关主动公开政府信息1200条。",
        "二、主动公开方面，本机关通过门户网站发布信息，同时通过政务新媒体转载，累计超过一千条，较上年有所增长。",
    ],
)
def test_not_headings(text: str) -> None:
    assert match_heading(text) is None


def test_sections_with_bodies_and_subheadings() -> None:
    lines = _lines(
        "某区2023年政府信息公开工作年度报告",
        "一、总体情况",
        "2023年，我区认真落实条例。",
        "（一）主动公开。全年公开信息1200条。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "问题一。",
        "六、其他需要报告的事项",
        "无。",
    )
    sections = find_sections(lines)
    assert [s.number for s in sections] == [1, 2, 3, 4, 5, 6]
    assert [s.title for s in sections] == [f"{'一二三四五六'[i]}、{OFFICIAL_TITLES[i + 1]}" for i in range(6)]
    assert sections[0].text == "2023年,我区认真落实条例。\n(一)主动公开。全年公开信息1200条。"
    assert [s.prov.line for s in sections] == [2, 5, 6, 7, 8, 10]
    assert sections[1].text == "" and sections[5].text == "无。"
    assert sections[4].lines[0].prov.line == 9


def test_heading_glued_to_its_first_sentence() -> None:
    text = "一、总体情况2023年，我区认真落实条例。"
    (section,) = find_sections(_lines(text))
    assert section.title == "一、总体情况"
    assert section.text == "2023年,我区认真落实条例。"
    assert section.prov.chars == (0, 6)  # the heading only
    (s2,) = find_sections(_lines("二、主动公开政府信息情况。本年度主动公开信息100条。"))
    assert s2.text == "本年度主动公开信息100条。"


def test_pdf_lines_heading_wrapped_over_two_lines() -> None:
    def pdf(text: str, page: int, top: float) -> TextLine:
        return TextLine(text, Provenance(page=page, bbox=(90.0, top, 500.0, top + 12)))

    lines = [
        pdf("三、收到和处理政府信息公开申请情况", 2, 500.0),
        pdf("四、政府信息公开行政复议、行政诉", 4, 100.0),
        pdf("讼情况", 4, 114.0),
        pdf("五、存在的主要问题及改进情况", 5, 80.0),
    ]
    sections = find_sections(lines)
    assert [(s.number, s.prov.page) for s in sections] == [(3, 2), (4, 4), (5, 5)]
    assert sections[1].title == "四、政府信息公开行政复议、行政诉讼情况"
    assert sections[1].text == ""
    assert sections[1].prov.bbox == (90.0, 100.0, 500.0, 112.0)


def test_table_of_contents_is_not_taken_for_the_sections() -> None:
    heads = [f"{'一二三四五六'[i]}、{OFFICIAL_TITLES[i + 1]}" for i in range(6)]
    lines = _lines("目录", *heads, heads[0], "正文一。", heads[1], "正文二。")
    sections = find_sections(lines)
    assert [(s.number, s.prov.line) for s in sections] == [(1, 8), (2, 10)]
    assert sections[0].text == "正文一。"
    dotted = [f"{h}……………{i + 1}" for i, h in enumerate(heads)]
    sections = find_sections(_lines(*dotted, heads[0], "正文一。"))
    assert [(s.number, s.prov.line, s.text) for s in sections] == [(1, 7, "正文一。")]


def test_a_lower_numbered_heading_inside_a_body_is_text() -> None:
    lines = _lines(
        "一、总体情况", "正文。", "三、收到和处理政府信息公开申请情况", "见上文。", "二、主动公开政府信息情况"
    )
    sections = find_sections(lines)
    assert [s.number for s in sections] == [1, 3]
    assert sections[1].text == "见上文。\n二、主动公开政府信息情况"


def test_pdf_lines_join_into_paragraphs_and_page_numbers_go() -> None:
    def pdf(text: str, page: int, x0: float, top: float, x1: float = 510.0) -> TextLine:
        return TextLine(text, Provenance(page=page, bbox=(x0, top, x1, top + 16)))

    lines = [
        pdf("五、存在的主要问题及改进情况", 4, 90, 100, 330),
        pdf("2023年，本机关政府信息公开工作取得一定成效，但对照", 4, 122, 120),
        pdf("上级要求仍有差距。", 4, 90, 140, 240),
        pdf("-4-", 4, 290, 800, 310),
        pdf("一是加强培训，提升业务水平，规范依申请公开办理流", 5, 122, 80),
        pdf("程，确保按时答复。", 5, 90, 100, 240),
    ]
    (section,) = find_sections(lines)
    assert section.text == (
        "2023年,本机关政府信息公开工作取得一定成效,但对照上级要求仍有差距。\n"
        "一是加强培训,提升业务水平,规范依申请公开办理流程,确保按时答复。"
    )
    assert [ln.prov.page for ln in section.lines] == [4, 4, 5, 5]


@pytest.mark.parametrize("footer", ["-2-", "— 3 —", "第2页 共5页", "第 12 页"])
def test_page_number_lines_are_not_section_text(footer: str) -> None:
    (section,) = find_sections(_lines("六、其他需要报告的事项", "无。", footer))
    assert section.text == "无。"
