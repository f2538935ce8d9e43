"""Numbers the narrative states, checked against the tables.

A report's prose repeats some of its tables' figures ("全年共受理政府信息公开申请21件"); when the
two disagree one of them is wrong. The phrases and the cells they are about are data: the
template file's ``[[narrative]]`` entries (``docs/template-format.md``). Each match becomes a
:class:`NarrativeInstance` — an ordinary rule instance ``sum(cells) = stated number`` with
severity ``warning`` (prose is looser than a table: "受理" may count last year's carry-over too),
so the engine, the checks list and the exports treat it like any other check, plus the sentence
and where it is printed so the window can highlight it.
"""

from __future__ import annotations

import logging
import re
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from tabledesk.checks.compile import CellKey, RuleInstance
from tabledesk.core.document import Document
from tabledesk.core.provenance import Provenance
from tabledesk.core.source import TextLine
from tabledesk.templates.template import RuleSpec, Template, TemplateError

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])")
_QUOTE_MAX = 48  # characters of the sentence quoted in a message


@dataclass(frozen=True, slots=True)
class NarrativeSpec:
    """One ``[[narrative]]`` entry: phrases, and the cells whose sum the number should be."""

    rule: RuleSpec
    patterns: tuple[re.Pattern[str], ...]
    cells: tuple[CellKey, ...]
    # Other plausible scopes of the same words, tried in order when ``cells`` disagree ("受理"
    # often counts 一+二, last year's carry-over too); none: only ``cells``.
    scopes: tuple[tuple[CellKey, ...], ...] = ()


@dataclass(frozen=True)
class NarrativeInstance(RuleInstance):
    """A narrative check: ``sum(cells) = number stated in `sentence```.

    ``section`` is the index of the document section the sentence is in, ``span`` the number's
    place in that section's text, ``provs`` where the sentence is printed (PDF lines with page
    and box, or text lines with line and characters; empty when the read source is not at hand,
    e.g. a review restored from a file — the window then searches the source it shows).
    """

    sentence: str = ""
    section: int = -1
    span: tuple[int, int] = (0, 0)
    stated: Decimal = Decimal(0)
    provs: tuple[Provenance, ...] = ()


# ----------------------------------------------------------------------------- the template
@cache
def _specs_of(path: str) -> tuple[NarrativeSpec, ...]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ()  # the template loader has said what is wrong with the file
    out: list[NarrativeSpec] = []
    for n, entry in enumerate(data.get("narrative", []) or []):
        ident = str(entry.get("id") or f"narrative.{n + 1}")
        where = f"[[narrative]] '{ident}'"
        try:
            patterns = tuple(re.compile(p) for p in entry.get("patterns", []))
        except re.error as e:
            raise TemplateError(path, None, f"{where}: bad pattern: {e}") from None
        if not patterns or any("n" not in p.groupindex for p in patterns):
            raise TemplateError(path, None, f"{where}: needs patterns, each with a group (?P<n>…)")
        cells = entry.get("cells", [])
        if not cells or not all(isinstance(c, list) and len(c) == 3 for c in cells):
            raise TemplateError(path, None, f"{where}: cells must be [table, row, column] triples")
        scopes = entry.get("scopes", []) or []
        if not all(
            isinstance(sc, list) and sc and all(isinstance(c, list) and len(c) == 3 for c in sc)
            for sc in scopes
        ):
            raise TemplateError(path, None, f"{where}: scopes must be lists of [table, row, column] triples")
        message = entry.get("message") or {}
        rule = RuleSpec(
            id=ident,
            expr=" + ".join(":".join(c) for c in cells) + " = stated",
            each="once",
            message={k: str(v) for k, v in message.items()},
            severity=str(entry.get("severity", "warning")),
        )
        out.append(
            NarrativeSpec(
                rule,
                patterns,
                tuple((str(t), str(r), str(c)) for t, r, c in cells),
                tuple(tuple((str(t), str(r), str(c)) for t, r, c in sc) for sc in scopes),
            )
        )
    return tuple(out)


def narrative_specs(template: Template) -> tuple[NarrativeSpec, ...]:
    """The template's ``[[narrative]]`` entries (read from its file; none for a template built
    in code). Raises TemplateError for an entry that cannot be used."""
    if not template.path or not Path(template.path).is_file():
        return ()
    return _specs_of(template.path)


# ----------------------------------------------------------------------------- numbers in prose
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def parse_stated(text: str) -> Decimal | None:
    """'1,136' → 1136; '二十一' → 21; '两' → 2; anything else → None."""
    s = text.replace(",", "").replace("，", "")
    if s.isdigit():
        return Decimal(s)
    if not s or any(ch not in _DIGITS and ch not in _UNITS for ch in s):
        return None
    total, digit = 0, None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return Decimal(total + (digit or 0))


def _normalise(text: str) -> tuple[str, list[int]]:
    """NFKC, whitespace removed; and for each kept character its index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            if not c.isspace():
                out.append(c)
                index.append(i)
    return "".join(out), index


@dataclass(frozen=True, slots=True)
class Statement:
    """A number the narrative states about some cells."""

    spec: NarrativeSpec
    section: int
    sentence: str  # as printed (normalised), trimmed to the sentence
    span: tuple[int, int]  # the number, in the section text
    stated: Decimal


def find_statements(document: Document, specs: tuple[NarrativeSpec, ...]) -> list[Statement]:
    out: list[Statement] = []
    for si, section in enumerate(document.sections):
        text, index = _normalise(section.text)
        start = 0
        for sentence in _SENTENCE_END.split(text):
            if not sentence:
                continue
            seen: set[tuple[int, int]] = set()
            for spec in specs:
                for pattern in spec.patterns:
                    for m in pattern.finditer(sentence):
                        value = parse_stated(m.group("n"))
                        a, b = start + m.start("n"), start + m.end("n")
                        if value is None or (a, b) in seen:
                            continue
                        seen.add((a, b))
                        span = (index[a], index[b - 1] + 1)
                        out.append(Statement(spec, si, sentence, span, value))
            start += len(sentence)
    return out


def _quote(sentence: str) -> str:
    s = sentence.rstrip("。；;")
    return s if len(s) <= _QUOTE_MAX else s[: _QUOTE_MAX - 1] + "…"


# ----------------------------------------------------------------------------- where printed
def locate(sentence: str, lines: list[TextLine]) -> tuple[Provenance, ...]:
    """The lines a sentence is printed on (it may wrap over several PDF lines): the prose is
    joined space-free and normalised, searched, and the lines the match overlaps returned."""
    key, _ = _normalise(sentence)
    if not key or not lines:
        return ()
    joined: list[str] = []
    owner: list[int] = []
    for li, line in enumerate(lines):
        norm, _ = _normalise(line.text)
        joined.append(norm)
        owner.extend([li] * len(norm))
    text = "".join(joined)
    at = text.find(key)
    if at < 0:
        return ()
    hit = sorted(set(owner[at : at + len(key)]))
    provs: list[Provenance] = []
    for li in hit:
        p = lines[li].prov
        if p.line is not None and li in (hit[0], hit[-1]):
            # a text line: mark the sentence's characters on its first and last line
            norm, idx = _normalise(lines[li].text)
            first = sum(len(j) for j in joined[:li])
            lo = max(at, first) - first
            hi = min(at + len(key), first + len(norm)) - first
            if 0 <= lo < hi <= len(idx):
                p = Provenance(line=p.line, chars=(idx[lo], idx[hi - 1] + 1))
        provs.append(p)
    return tuple(provs)


def _source_lines(document: Document) -> list[TextLine]:
    lines = getattr(document.extracted, "lines", None)
    return list(lines) if isinstance(lines, list) else []


# ----------------------------------------------------------------------------- instances
def is_narrative(result_or_instance: object) -> bool:
    """Whether a check compares the tables with the prose (a warning about what the text says,
    not a balance rule of the tables)."""
    inst = getattr(result_or_instance, "instance", result_or_instance)
    return isinstance(inst, NarrativeInstance)


def narrative_instances(
    document: Document, template: Template | None, lines: list[TextLine] | None = None
) -> list[NarrativeInstance]:
    """One warning instance per number the narrative states about cells the document has.
    ``lines``: the prose lines with provenance, when the read source is not at hand (a review
    restored from a store keeps them beside it); by default the document's extracted source's."""
    if template is None or not document.sections:
        return []
    try:
        specs = narrative_specs(template)
    except TemplateError as e:
        log.warning("%s", e)
        return []
    lines = lines or _source_lines(document)
    out: list[NarrativeInstance] = []
    for st in find_statements(document, specs):
        cells = [k for k in st.spec.cells if document.has_cell(*k)]
        if not cells or all(document.cell(*k).value is None for k in cells):
            continue  # nothing in the tables to compare with
        rule = st.spec.rule
        if st.spec.scopes:
            scope = _matching_scope(document, st)
            if scope is not None:
                cells = scope
            else:
                # no plausible scope agrees: the prose likely speaks of another scope (one
                # office, part of the year) — information for the clerk, not a warning
                rule = replace(rule, severity="info")
        table = document.table(cells[0][0])
        names = []
        for t, r, c in cells:
            tb = document.table(t)
            names.append(f"{tb.rows[tb.row_index(r)].leaf_label}/{tb.columns[tb.col_index(c)].leaf_label}")
        quote = _quote(st.sentence)
        out.append(
            NarrativeInstance(
                rule=rule,
                table_id=table.id,
                key=f"s{st.section}@{st.span[0]}",
                where={"zh": "正文", "en": "narrative"},
                params={
                    "sentence": {"zh": quote, "en": quote},
                    "cells": {"zh": "、".join(names), "en": ", ".join(names)},
                },
                op="=",
                lhs=tuple((Decimal(1), k) for k in cells),
                lhs_const=Decimal(0),
                rhs=(),
                rhs_const=st.stated,
                defines=None,
                sentence=st.sentence,
                section=st.section,
                span=st.span,
                stated=st.stated,
                provs=locate(st.sentence, lines),
            )
        )
    return out


def _matching_scope(document: Document, st: Statement) -> list[CellKey] | None:
    """The first of the statement's scopes (its cells, then the template's ``scopes``) whose
    cells the document has, all filled, adding up to the stated number."""
    for scope in (st.spec.cells, *st.spec.scopes):
        if not all(document.has_cell(*k) for k in scope):
            continue
        values = [document.cell(*k).value for k in scope]
        if all(v is not None for v in values) and sum(v for v in values if v is not None) == st.stated:
            return list(scope)
    return None
