"""The structure of a printed table no template describes, inferred from its words and layout:
which columns and rows hold values, which are identifiers (行次/栏次/序号, 科目编码), percentages,
ratios or years, and which rows and columns are the totals of which others — 合计/总计/小计 above
or below their parts, "其中" rows that are parts of the row above (never addends of a total),
function-classification codes (类/款/项: a 类 is the sum of its 款, a 款 of its 项, and a total
sums the 类 only), and header bands (本季度/本年累计, 预算数/决算数) that a total never crosses.

It decides from the printed words and the layout — never from whether the numbers happen to add
up, so a real error is still flagged — and where the structure is ambiguous it states no sum
rather than a wrong one. The generic checks (``checks/generic.py``) state its sums as rules, and
a template drafted from a sample starts from the same inference.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from tabledesk.core.document import Axis, Table
from tabledesk.core.values import total_word_level


class Role(Enum):
    """What a printed row or column holds."""

    VALUE = "value"  # amounts or counts: summed and checked
    LINE_NUMBER = "line_number"  # 行次 / 栏次 / 序号: 1, 2, 3 …
    CODE = "code"  # 科目编码 and the like: identifiers that look like numbers
    PERCENT = "percent"  # 占比, 增长率, 比重, %: never summed
    YEAR = "year"  # 年度 / 年份: never summed
    PART_OF_ABOVE = "part_of_above"  # 其中：… a part of the row above, not an addend


@dataclass(frozen=True, slots=True)
class Sum:
    """``total`` (a row or column index) equals the sum of ``parts`` (indices, in print order)."""

    total: int
    parts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Structure:
    row_roles: tuple[Role, ...]
    column_roles: tuple[Role, ...]
    row_sums: tuple[Sum, ...]  # each holds in every VALUE column
    column_sums: tuple[Sum, ...]  # each holds in every VALUE row


# -- words ------------------------------------------------------------------------------------
# a label naming a total anywhere in it (see _total_sums: a total whose extent is unclear)
_ANY_TOTAL = re.compile(r"(合计|总计|小计|共计|total)", re.IGNORECASE)
_LINE_NUMBER = re.compile(r"^(行次|栏次|序号|行号|编号|序次|次序|no\.?|#)$", re.IGNORECASE)
_CODE = re.compile(r"(编码|代码|科目编号|code)", re.IGNORECASE)
_PERCENT = re.compile(
    r"(%|％|百分比|占比|比重|比例|增长|增幅|增减率|同比|环比|完成率|执行率|率$|ratio|rate)", re.IGNORECASE
)
_YEAR = re.compile(r"(年度|年份|^年$|year)", re.IGNORECASE)
_PART_OF = re.compile(r"^(其中|内[:：]|包括[:：])")
# a function-classification code leading a label: "201 一般公共服务支出", "2010101行政运行"
_LEADING_CODE = re.compile(r"^\[?(\d{3}(?:\d{2}){0,3})\]?(?=\s|[^\d.．、,，]|$)")


def _clean(label: str) -> str:
    text = unicodedata.normalize("NFKC", label or "")
    text = re.sub(r"\s+", "", text)
    return re.sub(r"^[(（\[【]*|[)）\]】:：]*$", "", text)


# a total named for what it totals, at the end: "本年收入合计" (a subtotal of the rows above:
# the 总计 below it adds the balances brought forward), "收入总计"
_NAMED_TOTAL = re.compile(r"^[\u4e00-\u9fff]{1,12}(合计|总计)$")


def total_level(label: str) -> int:
    """2 for a total, 1 for a subtotal, 0 for anything else: by the label's first words, or a
    short name ending in 合计 (a subtotal) or 总计 (a total)."""
    level = total_word_level(label)
    if level:
        return level
    m = _NAMED_TOTAL.match(_clean(label))
    if m:
        return 2 if m.group(1) == "总计" else 1
    return 0


def label_role(label: str) -> Role | None:
    """The role a label alone gives its row or column, or None when the label says nothing."""
    text = _clean(label)
    if not text:
        return None
    if _LINE_NUMBER.match(text):
        return Role.LINE_NUMBER
    if _PART_OF.match(text):
        return Role.PART_OF_ABOVE
    if _PERCENT.search(text):
        return Role.PERCENT
    if _CODE.search(text):
        return Role.CODE
    if _YEAR.search(text):
        return Role.YEAR
    return None


def leading_code(label: str) -> str | None:
    """The classification code a row label starts with (3, 5 or 7 digits), or None."""
    m = _LEADING_CODE.match(unicodedata.normalize("NFKC", label or "").strip())
    return m.group(1) if m else None


# -- columns and rows -------------------------------------------------------------------------
def _column_role(path: Sequence[str], values: Sequence[Decimal | None], texts: Sequence[str]) -> Role:
    for part in reversed(path):
        role = label_role(part)
        if role is not None and role is not Role.PART_OF_ABOVE:
            return role
    known = [v for v in values if v is not None]
    if len(known) >= 3 and all(v == v.to_integral_value() for v in known):
        whole = [int(v) for v in known]
        if whole == list(range(whole[0], whole[0] + len(whole))) and whole[0] in (0, 1):
            return Role.LINE_NUMBER  # 1, 2, 3 … down the rows: the printed line numbers
        if all(len(str(w)) in (3, 5, 7) for w in whole) and _prefix_coded([str(w) for w in whole]):
            return Role.CODE
    if any(t.strip().endswith(("%", "％")) for t in texts if t):
        return Role.PERCENT
    return Role.VALUE


def _prefix_coded(codes: Sequence[str]) -> bool:
    """Codes that nest by prefix (201 ⊃ 20101 ⊃ 2010101), as classification codes do."""
    longer = [c for c in codes if len(c) > 3]
    return bool(longer) and all(any(c.startswith(p) for p in codes if len(p) < len(c)) for c in longer)


def _row_codes(table: Table, roles: Sequence[Role]) -> list[str | None]:
    """Each row's classification code: from a code column where there is one, else from the
    label's first digits."""
    code_cols = [j for j, r in enumerate(roles) if r is Role.CODE]
    out: list[str | None] = []
    for i, row in enumerate(table.rows):
        code = None
        for j in code_cols:
            v = table.cells[i][j].value
            if v is not None and v == v.to_integral_value() and len(str(int(v))) in (3, 5, 7):
                code = str(int(v))
        out.append(code or leading_code(row.leaf_label))
    return out


def infer(table: Table) -> Structure:
    """The structure of a printed table (see the module docstring)."""
    n_rows, n_cols = len(table.rows), len(table.columns)
    column_roles = tuple(
        _column_role(
            table.columns[j].path,
            [table.cells[i][j].value for i in range(n_rows)],
            [table.cells[i][j].raw for i in range(n_rows)],
        )
        for j in range(n_cols)
    )
    row_roles = tuple(_row_role(r) for r in table.rows)
    codes = _row_codes(table, column_roles)
    row_sums = _code_sums(codes, row_roles) + _total_sums(table.rows, row_roles, codes)
    # columns: only value columns take part; a band (the header above the leaf) bounds a total
    column_sums = _total_sums(table.columns, column_roles, [None] * n_cols, banded=True)
    return Structure(row_roles, column_roles, tuple(row_sums), tuple(column_sums))


def _row_role(row: Axis) -> Role:
    role = label_role(row.leaf_label)
    if role in (Role.LINE_NUMBER, Role.PERCENT, Role.PART_OF_ABOVE):
        return role
    return Role.VALUE


def _code_sums(codes: Sequence[str | None], roles: Sequence[Role]) -> list[Sum]:
    """A 类 is the sum of its 款, a 款 of its 项: each coded row with coded rows one level down."""
    out: list[Sum] = []
    coded = [(i, c) for i, c in enumerate(codes) if c is not None and roles[i] is Role.VALUE]
    lengths = sorted({len(c) for _, c in coded})
    for i, code in coded:
        deeper = [n for n in lengths if n > len(code)]
        if not deeper:
            continue
        parts = tuple(k for k, c in coded if len(c) == deeper[0] and c.startswith(code))
        if parts:
            out.append(Sum(i, parts))
    return out


def _total_sums(
    items: Sequence[Axis], roles: Sequence[Role], codes: Sequence[str | None], banded: bool = False
) -> list[Sum]:
    levels = [total_level(a.leaf_label) if roles[k] is Role.VALUE else 0 for k, a in enumerate(items)]
    # a row whose label names a total without saying of what ("本年收入合计"): neither checked
    # nor summed, and a total's parts do not reach past it
    opaque = [
        roles[k] is Role.VALUE and not levels[k] and bool(_ANY_TOTAL.search(_clean(a.leaf_label)))
        for k, a in enumerate(items)
    ]
    top = min((len(c) for c in codes if c is not None), default=0)
    out: list[Sum] = []
    for k, level in enumerate(levels):
        if not level:
            continue
        band = _band(items[k]) if banded else None
        above = _walk(levels, roles, opaque, k, -1)
        below = _walk(levels, roles, opaque, k, +1) if not above else []
        parts = above or below
        if below and any(levels[p] for p in below):
            continue  # 合计 above subtotals below it: which rows each covers is not printed
        if banded:
            bands = {_band(items[p]) for p in parts}
            if band is not None:
                parts = [p for p in parts if _band(items[p]) == band]
            elif len(bands) > 1:
                continue  # a total over several bands (本季度 and 本年累计): not one sum
        if top:
            # in a classified table a total sums the top level (类) only
            parts = [p for p in parts if codes[p] is None or len(codes[p] or "") == top]
        if parts:
            out.append(Sum(k, tuple(sorted(parts))))
    return out


def _walk(levels: list[int], roles: Sequence[Role], opaque: list[bool], k: int, step: int) -> list[int]:
    """The parts of the total at ``k``, walking up (step -1) or down (+1): back to a total of
    its level or higher; a lower subtotal stands for the items it covers (walking up)."""
    out: list[int] = []
    skipping = False
    j = k + step
    while 0 <= j < len(levels):
        if opaque[j] or levels[j] >= levels[k]:
            break
        if roles[j] is Role.VALUE:
            if levels[j]:
                out.append(j)
                skipping = step < 0
            elif not skipping:
                out.append(j)
        j += step
    return out


def _band(axis: Axis) -> str | None:
    return axis.path[-2] if len(axis.path) >= 2 else None
