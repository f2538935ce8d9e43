"""Rows keyed by a classification code: 功能分类科目 (类 201 / 款 20101 / 项 2010101) and the like.

Some forms do not have fixed rows: a 部门决算's 收入决算表 prints one row per classification code
the department used, in any number, each with its code and name. A template says where such
rows go with a *keyed* entry among its rows (``codes = "functional"``), and which code scheme
they follow (``[[codes]]``: the lengths of the code levels and the names of the codes a form
may print without their code). This module is the one place that knows

* the row id of a code (``c2010101``) and back;
* the parent of a code among the codes a document prints (the longest printed prefix at a
  level of the scheme; a 项 whose 款 is not printed belongs to its 类);
* which name a top-level code is printed under when its code is not.

``templates/keyed.py`` turns a template table with a keyed entry into one with a document's code
rows.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

CODE_ROW_PREFIX = "c"  # row id of code 2010101: c2010101 (ids must not start with a digit)
NAME_ROW_PREFIX = "n"  # a row printed with a name the scheme does not know, and no code


@dataclass(frozen=True, slots=True)
class CodeScheme:
    """A classification: the digit lengths of its levels and the names of known codes."""

    id: str
    levels: tuple[int, ...] = (3, 5, 7)
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # code -> its names, current first

    def level(self, code: str) -> int | None:
        """0 for a 类, 1 for a 款 … ; None when the code has no length of the scheme."""
        return self.levels.index(len(code)) if len(code) in self.levels else None

    def code_of_name(self, name: str) -> str | None:
        """The code a top-level name stands for (a 收入支出决算总表 prints 类 by name only)."""
        key = _name_key(name)
        if not key:
            return None
        top = self.levels[0]
        for code, known in self.names.items():
            if len(code) == top and any(_name_key(k) == key for k in known):
                return code
        return None


@dataclass(frozen=True, slots=True)
class KeyedRows:
    """Where a table's code rows go: after the template row at ``at`` - 1, under ``parent``."""

    scheme: str
    at: int  # index among the template's rows where the code rows are inserted
    parent: str | None = None  # the group of the top-level codes (the 合计 row), if any


@dataclass(frozen=True, slots=True)
class CodeRow:
    """One printed row of a keyed table: its code (or "" when printed by name only) and name."""

    code: str
    name: str
    # printed with its code (2010101 行政运行), not by name only (一、一般公共服务支出 on a
    # 收入支出决算总表): the label shows the code only where the form printed it
    coded: bool = True

    @property
    def row_id(self) -> str:
        if self.code:
            return CODE_ROW_PREFIX + self.code
        digest = zlib.crc32(_name_key(self.name).encode("utf-8")) & 0xFFFFFF
        return f"{NAME_ROW_PREFIX}{digest:06x}"

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip() if self.code and self.coded else self.name


def code_of_row(row_id: str) -> str | None:
    """``c2010101`` → ``2010101``; None for other rows."""
    if row_id.startswith(CODE_ROW_PREFIX) and row_id[1:].isdigit():
        return row_id[1:]
    return None


def is_keyed_row(row_id: str) -> bool:
    """Rows that come from a document's codes (or unknown names), not from the template."""
    return code_of_row(row_id) is not None or bool(re.fullmatch(NAME_ROW_PREFIX + r"[0-9a-f]{6}", row_id))


def parents(codes: Sequence[str], scheme: CodeScheme) -> dict[str, str | None]:
    """Each code's parent among ``codes``: its longest printed prefix at a level of the scheme."""
    present = set(codes)
    out: dict[str, str | None] = {}
    for code in codes:
        out[code] = next(
            (code[:n] for n in sorted(scheme.levels, reverse=True) if n < len(code) and code[:n] in present),
            None,
        )
    return out


_ENUM = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十]+[)）、.．]|\d{1,2}[、.．](?!\d))\s*")


def _name_key(name: str) -> str:
    s = unicodedata.normalize("NFKC", name or "")
    s = _ENUM.sub("", s)
    return re.sub(r"[\s（）()“”\"']", "", s)
