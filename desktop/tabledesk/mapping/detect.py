"""Which template and format a source is, and the agency and year its title gives."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tabledesk.core.source import ExtractedSource
from tabledesk.mapping.labels import normalize
from tabledesk.templates.template import Template


@dataclass(frozen=True, slots=True)
class Detection:
    template: Template
    format_id: str
    score: float  # how many of the template's column and row labels the source prints


def source_text(src: ExtractedSource) -> str:
    parts = [ln.text for ln in src.lines]
    for t in src.tables:
        for row in t.cells:
            parts.extend(c.text for c in row if c is not None)
    return normalize("\n".join(parts))


def detect_template(src: ExtractedSource, templates: list[Template]) -> Detection | None:
    """The best-fitting template: most of its table labels printed; format by its markers."""
    text = source_text(src)
    best: Detection | None = None
    for tpl in templates:
        if not all(normalize(w) in text for w in tpl.detect):
            continue
        if tpl.min_tables > 1:
            titled = sum(1 for t in tpl.tables if any(normalize(x) in text for x in (t.title, *t.aliases)))
            if titled < tpl.min_tables:
                continue  # one table of a set (a 收入决算表 alone) is not the set
        labels = {normalize(a.label) for t in tpl.tables for a in (*t.rows, *t.columns)}
        hits = sum(1 for lab in labels if len(lab) >= 2 and lab in text)
        score = hits / max(len(labels), 1)
        if score < 0.15:
            continue
        fmt = detect_format(tpl, text, read_title(src, tpl)[1])
        if best is None or score > best.score:
            best = Detection(tpl, fmt, score)
    return best


def detect_format(tpl: Template, text: str, year: int | None) -> str:
    scores = []
    for f in tpl.formats:
        hits = sum(1 for m in f.markers if normalize(m) in text)
        by_year = 0.5 if year is not None and f.years and f.years[0] <= year <= f.years[1] else 0.0
        scores.append((hits + by_year, f.id))
    scores.sort(key=lambda s: s[0], reverse=True)
    return scores[0][1] if scores else "default"


_YEAR_FIRST = re.compile(r"^(?P<year>(19|20)\d{2})\s*年\s*度?\s*(?P<agency>.+?)\s*政府信息公开")
# A title printed without its year: the agency is what stands before 政府信息公开…报告.
_NO_YEAR = re.compile(r"^(?P<agency>.+?)政府信息公开(工作)?(年度)?(工作)?报告")
# What copies put before a title: a markdown heading's #, a web form's "标题:", 【…】 labels.
_TITLE_PREFIX = re.compile(r"^(?:#+|(?:标题|题目|文章标题|名称)[:：]|【[^】]{0,8}】)\s*")
_HEAD_LINES = 30  # a page header (breadcrumbs, date, font size, print links) comes first
_TITLE_MAX = 80
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def read_title(src: ExtractedSource, tpl: Template) -> tuple[str, int | None]:
    """Agency and year from the title (the first line naming a report, with the line before it
    when the title is split over two), where it gives them; the year from the file name when
    the text has none ("某某局2024年度报告.txt")."""
    lines = [t for ln in src.lines[:_HEAD_LINES] if (t := _TITLE_PREFIX.sub("", re.sub(r"\s+", "", ln.text)))]
    pattern = re.compile(tpl.title_pattern) if tpl.title_pattern else None
    titles = [
        i
        for i, t in enumerate(lines)
        if ("报告" in t or (pattern is not None and pattern.search(t))) and len(t) <= _TITLE_MAX
    ]
    # a running head names the report without its year; the title itself has one
    at = next(
        (i for i in titles if _title_parts(lines[i], tpl)[1] is not None), titles[0] if titles else None
    )
    if at is None:
        head = lines[:8]
    elif at and not _title_parts(lines[at], tpl)[0]:
        head = lines[at - 1 : at + 1]  # "某某县人民政府" then "2023年政府信息公开…"
    else:
        head = [lines[at]]
    agency, year = _title_parts("".join(head), tpl)
    if not agency and src.title:
        # a site names its pages "<report title>_<column>" or "<title> - <site>"
        named = _TITLE_PREFIX.sub("", re.sub(r"\s+", "", re.split(r"[_|｜]| - ", src.title)[0]))
        from_head = _title_parts(named, tpl)
        agency, year = from_head[0], year or from_head[1]
    if year is None:
        m = _FILE_YEAR.search(src.path.replace("\\", "/").rsplit("/", 1)[-1])
        year = int(m.group(1)) if m else None
    return agency, year


def _title_parts(joined: str, tpl: Template) -> tuple[str, int | None]:
    if tpl.title_pattern:
        m = re.search(tpl.title_pattern, joined)
        if m:
            agency = m.groupdict().get("agency") or ""
            year = m.groupdict().get("year")
            agency, year_from_agency = _split_year_first(agency)
            return agency.strip(" ：:"), int(year) if year else year_from_agency
    m = _YEAR_FIRST.search(joined)
    if m:
        return m.group("agency").strip(), int(m.group("year"))
    m = re.search(r"((19|20)\d{2})\s*年", joined)
    year = int(m.group(1)) if m else None
    m2 = _NO_YEAR.search(joined)
    if m2 and year is None and len(m2.group("agency")) <= 40:
        return m2.group("agency").strip(" ：:"), None
    return "", year


def _split_year_first(agency: str) -> tuple[str, int | None]:
    """'2023年度某某局' matched as agency by a pattern expecting the year after it."""
    m = re.match(r"^((19|20)\d{2})年度?(.+)$", agency)
    if m:
        return m.group(3), int(m.group(1))
    return agency, None
