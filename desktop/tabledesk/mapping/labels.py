"""Label normalisation and fuzzy matching for printed row and column labels.

Printed labels differ from the form in width (（ vs (), spaces and line breaks, quote styles,
enumerator punctuation (``1、`` vs ``1.``), truncation in narrow cells, and one or two missing or
wrong characters (real reports print "2.其他法律行政止公开"). :func:`similarity` scores a
printed label against a template label in [0, 1] with all of that in mind.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

_QUOTES = "\"'“”‘’「」『』《》〈〉"
_ENUM = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．]|"
    r"[(（]?\d{1,2}[)）]|\d{1,2}[、.．](?!\d))"
)
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """NFKC, no whitespace, no quotes, Chinese punctuation folded to one form."""
    s = unicodedata.normalize("NFKC", text or "")
    s = re.sub(r"\s+", "", s)
    s = s.translate({ord(q): None for q in _QUOTES})
    s = s.replace("、", ".").replace("．", ".").replace("：", ":").replace("，", ",").replace("；", ";")
    s = s.replace("【", "[").replace("】", "]")
    return s


def _enum_value(token: str) -> str:
    t = token.strip("()（）、.．")
    if t.isdigit():
        return f"d{int(t)}"
    if len(t) == 1 and t in _CN_DIGITS:
        kind = "p" if token.startswith(("(", "（")) else "c"
        return f"{kind}{_CN_DIGITS[t]}"
    if t == "十":
        return "c10"
    return t


@lru_cache(maxsize=8192)
def split_enum(label: str) -> tuple[str, str]:
    """``("(三)不予公开")`` → ``("p3", "不予公开")``; no enumerator → ``("", label)``."""
    s = normalize(label)
    m = _ENUM.match(s)
    if not m:
        return "", s
    return _enum_value(m.group(0)), s[m.end() :]


@lru_cache(maxsize=65536)
def similarity(printed: str, label: str) -> float:
    """How well a printed label matches a template label (or alias), in [0, 1]."""
    pe, pc = split_enum(printed)
    le, lc = split_enum(label)
    if not pc and not lc:
        return 1.0 if pe == le and pe else 0.0
    if not pc or not lc:
        return 0.0
    if pc == lc:
        score = 1.0
    else:
        score = 0.0
        shorter, longer = (pc, lc) if len(pc) <= len(lc) else (lc, pc)
        # Truncated in a narrow cell, or printed with an explanatory note in brackets.
        if len(shorter) >= 4 and longer.startswith(shorter):
            score = 0.92
        elif len(shorter) >= 3 and shorter in longer:
            score = 0.8 * len(shorter) / len(longer) + 0.15
        # The full comparison only where its cheap upper bounds could beat what we have.
        sm = SequenceMatcher(None, pc, lc, autojunk=False)
        if sm.real_quick_ratio() > score and sm.quick_ratio() > score:
            score = max(score, sm.ratio())
    if pe and le:
        score = score + 0.08 if pe == le else score - 0.2
    return max(0.0, min(1.0, score))


def best_similarity(printed: str, labels: tuple[str, ...]) -> float:
    return max((similarity(printed, lab) for lab in labels), default=0.0)


_INNER_ENUM = re.compile(r"[(（][一二三四五六七八九十]+[)）]|(?<![\d.])\d{1,2}[、.．](?!\d)")


def tail_label(text: str) -> str:
    """The last enumerated label in a text where a group label and its row label were printed
    together ("三、本年度办理结果(一)予以公开" → "(一)予以公开"); the text itself otherwise."""
    starts = [m.start() for m in _INNER_ENUM.finditer(text) if m.start() > 0]
    return text[starts[-1] :] if starts else text
