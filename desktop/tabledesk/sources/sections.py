"""The narrative sections of a report: 一、总体情况 … 六、其他需要报告的事项.

Works on the prose lines of any extractor (text, HTML, PDF): a section carries the provenance
of its heading line, so for a PDF it knows its page. Headings are recognised by a Chinese (or
Arabic) ordinal with a separator, then the section's key words: real reports vary the wording
("存在的主要问题及改进措施"), the punctuation ("一．", "一 、", half-width after NFKC), wrap a
long heading over two PDF lines, glue the first sentence to the heading, or wrap it in markdown
("## 一、总体情况", "**一、总体情况**"). "（一）…" sub-headings are never sections.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import TextLine

# The official titles, by section number.
OFFICIAL_TITLES: dict[int, str] = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}

# Key words that must open the title (after the ordinal), and the full title with the variants
# seen in published reports; the full pattern tells where a glued heading ends.
_KEY = {
    1: r"(总体情况|概述|总体概况|基本情况)",
    2: r"主动公开",
    3: r"(收到和处理|收到与处理|依申请公开|政府信息公开申请)",
    4: r"[^。,;]{0,14}?行政复议",
    5: r"存在的?(主要)?(问题|不足)",
    6: r"其[他它](需要|需)?(报告|说明)",
}
_FULL = {
    1: r"(总体情况|概述|总体概况|基本情况)",
    2: r"主动公开(政府信息)?(工作)?的?情况",
    3: r"(收到(和|与)处理政府信息公开申请|依申请公开(政府信息)?|政府信息公开申请(办理)?)(工作)?的?情况",
    4: r"[^。,;]{0,16}?行政复议[、,和及与]?(提起)?行政诉讼的?情况",
    5: r"存在的?(主要)?(问题|不足)(及|和|与)(其)?改进(的)?(情况|措施|计划|方向)",
    6: r"其[他它](需要|需)?(报告|说明)的?(事项|情况)",
}

_NUMERALS = "一二三四五六七八九十"
# Optional markdown / bracket decoration, an ordinal (一 … 十, 1 … 9, optionally 第…部分), a
# separator, then the title. "（一）" does not match: the ordinal must open the line.
_HEAD = re.compile(
    r"^[#*\s【\[]*"
    r"(?:第\s*)?(?P<num>[一二三四五六七八九十]|[1-9])\s*"
    r"(?P<sep>部分\s*[、.,:：．，]?|[、.,:：．，]|\s)\s*"
)
_TRAIL = re.compile(r"[\s*#】\]:：]+$")
# Page numbers a PDF or a copy of one leaves between paragraphs: "-2-", "— 3 —", "第2页 共5页".
_PAGE_NUMBER = re.compile(
    r"^([-－—–]\s*\d{1,3}\s*[-－—–]|第\s*\d{1,3}\s*页(\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)$"
)
_MAX_HEADING = 40  # a bare heading longer than this is a sentence that mentions the words


@dataclass(slots=True)
class Section:
    """One narrative section: ``title`` as printed (heading only, without a glued sentence),
    ``text`` the body lines joined with newlines, ``prov`` where the heading is."""

    number: int  # 1 … 6, by the official order (from the title's words, not the printed ordinal)
    title: str
    text: str
    prov: Provenance
    lines: list[TextLine] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HeadingMatch:
    number: int
    title_end: int  # index in the line's text where the heading ends (start of a glued body)
    complete: bool  # the full title matched (not only its key words)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def match_heading(text: str) -> HeadingMatch | None:
    """Whether a line opens one of the six sections, and where its heading ends."""
    text = _clean(text)
    m = _HEAD.match(text)
    if not m:
        return None
    rest_start = m.end()
    rest = re.sub(r"\s", "", text[rest_start:])
    for number, key in _KEY.items():
        if not re.match(key, rest):
            continue
        full = re.match(_FULL[number], rest)
        if full:
            end = _position_after(text, rest_start, full.end())
            tail = text[end:]
            close = re.match(r"[\s*#】\]:：]*", tail)
            end += close.end() if close else 0
            return HeadingMatch(number, end, True)
        bare = _TRAIL.sub("", text)
        if len(bare) <= _MAX_HEADING and not re.search(r"[。;]", bare):
            return HeadingMatch(number, len(text), False)
        return None
    return None


def _position_after(text: str, start: int, n_chars: int) -> int:
    """Index in ``text`` after ``n_chars`` non-space characters counted from ``start``."""
    seen = 0
    i = start
    while i < len(text) and seen < n_chars:
        if not text[i].isspace():
            seen += 1
        i += 1
    return i


def is_heading(text: str) -> bool:
    return match_heading(text) is not None


def find_sections(lines: list[TextLine]) -> list[Section]:
    """The sections in reading order; lines before the first heading (the report's title) are
    in no section. A heading whose number does not advance is body text (a report quoting
    itself), except after a table of contents (headings with nothing between them)."""
    sections: list[Section] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        hit = match_heading(line.text)
        if hit is not None and sections and hit.number <= sections[-1].number:
            if any(s.lines for s in sections):
                hit = None
            else:
                sections = []  # what we took for sections was a table of contents
        if hit is None:
            if sections:
                sections[-1].lines.append(line)
            i += 1
            continue
        text = _clean(line.text)
        title, glued = text[: hit.title_end].strip(), _body_start(text[hit.title_end :])
        title = _TRAIL.sub("", re.sub(r"^[#*\s【\[]+", "", title))
        consumed = 1
        if not hit.complete and i + 1 < len(lines):
            # A heading wrapped over two lines ("…行政复议、行政诉" / "讼情况…").
            joined = match_heading(text + _clean(lines[i + 1].text))
            if joined is not None and joined.complete and joined.number == hit.number:
                nxt = _clean(lines[i + 1].text)
                cut = joined.title_end - len(text)
                title = _TRAIL.sub("", text + nxt[:cut].strip())
                glued = _body_start(nxt[cut:])
                consumed = 2
        section = Section(hit.number, title, "", _heading_prov(line, text, hit))
        if glued:
            section.lines.append(TextLine(glued, line.prov))
        sections.append(section)
        i += consumed
    for s in sections:
        s.lines = [x for x in s.lines if x.text.strip() and not _PAGE_NUMBER.match(_clean(x.text))]
        s.text = _paragraphs(s.lines)
    return sections


def _paragraphs(lines: list[TextLine]) -> str:
    """Body text, one paragraph a line. Text and HTML lines already are paragraphs; PDF lines
    are wrapped, so they are joined unless the next line is indented or this one stops short
    of the right margin (the end of a paragraph)."""
    boxes = [x.prov.bbox for x in lines if x.prov.bbox is not None]
    if len(boxes) < len(lines) or not boxes:
        return "\n".join(_clean(x.text) for x in lines)
    left = min(b[0] for b in boxes)
    right = max(b[2] for b in boxes)
    out: list[str] = []
    before: tuple[float, float, float, float] | None = None
    for x in lines:
        text = _clean(x.text)
        box = x.prov.bbox
        assert box is not None
        em = max(box[3] - box[1], 6.0)  # the line's height: about one character's width
        # A paragraph goes on unless this line is indented or the last one stopped short.
        goes_on = before is not None and box[0] <= left + em and before[2] >= right - 2 * em
        if goes_on and out:
            ascii_seam = out[-1][-1:].isascii() and out[-1][-1:].isalnum() and text[:1].isascii()
            out[-1] += (" " if ascii_seam else "") + text
        else:
            out.append(text)
        before = box
    return "\n".join(out)


def _body_start(text: str) -> str:
    # "二、主动公开政府信息情况。本年度…": the punctuation closed the heading, not the body.
    # A table of contents: "一、总体情况……1" leaves only leader dots and a page number.
    text = text.lstrip(" 。.,，、:：;；").strip()
    return "" if re.fullmatch(r"[.…·\-\s\d]*", text) else text


def _heading_prov(line: TextLine, text: str, hit: HeadingMatch) -> Provenance:
    """The heading's place; for text sources narrowed to the heading when a sentence is glued to
    it and the line's characters map one to one onto the printed ones."""
    p = line.prov
    raw = line.text
    if p.chars is None or hit.title_end >= len(text) or len(raw) != len(text) or raw != raw.strip():
        return p
    start, end = p.chars
    if end - start != len(raw):
        return p
    return Provenance(page=p.page, bbox=p.bbox, line=p.line, chars=(start, start + hit.title_end))
