"""A text or web source as a stream of tokens in reading order, for ``text_stream.py``: every
table cell and every prose line becomes text, numbers and empty cells, whatever separators or
line breaks stood between them.

A prose line is split at its bars (``56 |``, ``规章 | 0 | 0 |``) and a label followed by numbers
(``规章 0 0 5``) into the label and the numbers. A line that is only ``|`` is an empty cell after
a line that ends in a bar (``56 |`` then ``|``), else a separator between cells. Empty cells
before a row's label are the columns of a merged group label, not blanks. Text longer than a
label, or a sentence, is a *break*: a paragraph between tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import RawTable, TextLine
from tabledesk.core.values import is_blank, parse_number
from tabledesk.mapping.labels import normalize

MAX_LABEL = 45  # characters: longer text is a paragraph, which ends what came before


@dataclass(slots=True)
class Tok:
    kind: str  # "text" | "num" | "empty" | "break"
    text: str
    prov: Provenance


def _cell_tokens(text: str, prov: Provenance) -> list[Tok]:
    s = text.strip()
    if not s or is_blank(s):
        return [Tok("empty", "", prov)]
    if parse_number(s) is not None:
        return [Tok("num", s, prov)]
    parts = s.split()
    n = 0
    while n < len(parts) and parse_number(parts[len(parts) - 1 - n]) is not None:
        n += 1
    label = " ".join(parts[: len(parts) - n])
    if n and label and label[-1].isdigit():
        n, label = 0, s  # a number glued to words ("第2023 5") is text
    out = []
    if label:
        kind = "break" if len(normalize(label)) > MAX_LABEL or "。" in label else "text"
        out.append(Tok(kind, label, prov))
    out += [Tok("num", p, prov) for p in parts[len(parts) - n :]]
    return out


def _part(prov: Provenance, line: str, start: int, end: int) -> Provenance:
    if prov.line is None:
        return prov
    base = prov.chars[0] if prov.chars else 0
    return Provenance(line=prov.line, chars=(base + start, base + end))


def _line_tokens(line: TextLine, after_bar: bool) -> tuple[list[Tok], bool]:
    """Tokens of a prose line, and whether it ends with a bar. A line that is only ``|`` is an
    empty cell after a line ending in a bar (``56 |`` then ``|``), else a separator."""
    text = line.text
    body = text.strip()
    if "|" not in body:
        return _cell_tokens(body, line.prov), False
    if body == "|":
        return ([Tok("empty", "", line.prov)] if after_bar else []), True
    spans = []
    start = 0
    for m in re.finditer(r"\|", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    if not text[: spans[0][1]].strip():
        spans = spans[1:]  # the opening bar
    if spans and not text[spans[-1][0] :].strip():
        spans = spans[:-1]  # the closing bar
    out: list[Tok] = []
    for a, b in spans:
        out += _cell_tokens(text[a:b], _part(line.prov, text, a, b))
    return _drop_label_padding(out), body.endswith("|")


def _drop_label_padding(toks: list[Tok]) -> list[Tok]:
    """Empty cells before a row's label are the label columns of a merged group cell."""
    first_text = next((i for i, t in enumerate(toks) if t.kind != "empty"), None)
    if first_text is None or toks[first_text].kind not in ("text", "break"):
        return toks
    return toks[first_text:]


def tokens(blocks: list[RawTable | TextLine]) -> list[Tok]:
    out: list[Tok] = []
    after_bar = False
    for b in blocks:
        if isinstance(b, TextLine):
            toks, after_bar = _line_tokens(b, after_bar)
            out += toks
            continue
        after_bar = False
        for row in b.cells:
            toks = [t for c in row if c is not None for t in _cell_tokens(c.text, c.prov)]
            out += _drop_label_padding(toks)
    return out
