"""Rendering check results as sentences in Chinese or English.

Core results carry only numbers; the rule's message template (from the template file) and the
verdict phrases here turn them into text, so the window and the exports say the same thing.
"""

from __future__ import annotations

from decimal import Decimal

from tabledesk.checks.engine import CheckResult, CheckStatus
from tabledesk.checks.interval import Interval
from tabledesk.core.values import format_number, plain_number

_VERDICT = {
    "zh": {
        CheckStatus.FAILED: "，不相等",
        CheckStatus.INCOMPLETE: "，缺少数据，尚无法确定",
        CheckStatus.WITHIN_ROUNDING: "，在四舍五入误差内",
        CheckStatus.UNFILLED: "；其中合计未填写，按各项之和推算",
        CheckStatus.PASSED: "",
    },
    "en": {
        CheckStatus.FAILED: ": not equal",
        CheckStatus.INCOMPLETE: ": data missing, cannot tell yet",
        CheckStatus.WITHIN_ROUNDING: ": equal within rounding",
        CheckStatus.UNFILLED: "; a total is not filled in, taken as the sum of its items",
        CheckStatus.PASSED: "",
    },
}
_NOT_EQUAL_OPS = {
    "<=": ("不大于", "at most"),
    ">=": ("不小于", "at least"),
    "<": ("小于", "less than"),
    ">": ("大于", "more than"),
}


def render_interval(i: Interval, lang: str, exact_point: Decimal | None = None) -> str:
    """'5', 'at least 1', 'at most 3', '1–3' or 'unknown'."""
    zh = lang == "zh"
    if exact_point is not None:
        return format_number(exact_point)
    if i.exact:
        return format_number(i.lo)
    lo_known, hi_known = i.lo.is_finite(), i.hi.is_finite()
    if lo_known and hi_known:
        return (
            f"{format_number(i.lo)}～{format_number(i.hi)}"
            if zh
            else f"{format_number(i.lo)}–{format_number(i.hi)}"
        )
    if lo_known:
        return f"至少 {format_number(i.lo)}" if zh else f"at least {format_number(i.lo)}"
    if hi_known:
        return f"至多 {format_number(i.hi)}" if zh else f"at most {format_number(i.hi)}"
    return "未知" if zh else "unknown"


def side_text(result: CheckResult, lhs: bool, lang: str) -> str:
    """A side's value; with no missing cell, the printed sum (rounding intervals' midpoint)."""
    side = result.lhs if lhs else result.rhs
    point = None
    if not result.missing:
        point = (side.lo + side.hi) / 2
        point = point.normalize() if point != point.to_integral_value() else point.to_integral_value()
    return render_interval(side, lang, point)


def side_json(result: CheckResult, lhs: bool) -> int | float | str | None:
    """The export's form of a side: a number when known, else '>=1', '<=3', '1..3' or null."""
    side = result.lhs if lhs else result.rhs
    if not result.missing or side.exact:
        mid = (side.lo + side.hi) / 2
        return plain_number(mid.normalize() if mid != mid.to_integral_value() else mid.to_integral_value())
    lo_known, hi_known = side.lo.is_finite(), side.hi.is_finite()
    if lo_known and hi_known:
        return f"{format_number(side.lo)}..{format_number(side.hi)}"
    if lo_known:
        return f">={format_number(side.lo)}"
    if hi_known:
        return f"<={format_number(side.hi)}"
    return None


def render_unfilled(result: CheckResult, lang: str, table_name: dict[str, str]) -> str | None:
    """ "表三 “一、本年新收…”行：总计未填写；各项之和为 272" for a rule whose total was left
    blank (None for any other result)."""
    fill = result.fill_in
    defined = result.instance.params.get("defined")
    if fill is None or defined is None:
        return None
    inst = result.instance
    table = table_name.get(lang, inst.table_id)
    where = inst.where.get(lang, "")
    label = defined.get(lang, "")
    if lang == "zh":
        return f"{table} {where}：{label}未填写；各项之和为 {format_number(fill)}".replace(" ：", "：")
    head = f"{table}, {where}" if where else table
    return f"{head}: {label} not filled in; the items add up to {format_number(fill)}"


def render_message(result: CheckResult, lang: str, table_name: dict[str, str]) -> str:
    inst = result.instance
    lang = lang if lang in ("zh", "en") else "en"
    if result.status is CheckStatus.UNFILLED and (unfilled := render_unfilled(result, lang, table_name)):
        return unfilled
    template = inst.rule.message.get(lang) or inst.rule.message.get("zh") or inst.rule.expr
    params = {
        "table": table_name.get(lang, inst.table_id),
        "where": inst.where.get(lang, ""),
        "lhs": side_text(result, True, lang),
        "rhs": side_text(result, False, lang),
        "diff": format_number(abs(result.difference)) if result.difference is not None else "",
        "rule": inst.rule.id,
    }
    for var, labels in inst.params.items():
        params[var] = labels.get(lang, "")
    try:
        text = template.format(**params)
    except (KeyError, IndexError, ValueError):  # a user template naming an unknown parameter
        text = f"{params['table']} {params['where']}: {inst.rule.expr} ({params['lhs']} / {params['rhs']})"
    verdict = _VERDICT[lang][result.status]
    if result.status is CheckStatus.FAILED and result.informational:
        return text + (
            "，不一致；正文所说可能是另一口径（如某一部门、部分事项），仅供参考"
            if lang == "zh"
            else ": they differ; the prose may speak of another scope (one office, part of the cases): "
            "for information"
        )
    if result.status is CheckStatus.FAILED and result.difference is not None:
        verdict += f"，相差 {params['diff']}" if lang == "zh" else f", off by {params['diff']}"
    return text + verdict


def render_unplaced(table_name: dict[str, str], numbers: list[str], empty: int, lang: str) -> str:
    """A table whose printed numbers were not all placed while some of its cells are empty."""
    shown = numbers[:8]
    more = len(numbers) > len(shown)
    if lang == "zh":
        listed = "、".join(shown) + ("…" if more else "")
        return (
            f"{table_name.get('zh', '')}：原文有 {len(numbers)} 个数字未能放入表格（{listed}），"
            f"而表中有 {empty} 个空白格——空白未必是 0，请核对这些数字的位置"
        )
    listed = ", ".join(shown) + (", …" if more else "")
    return (
        f"{table_name.get('en', '')}: {len(numbers)} printed numbers could not be placed ({listed}) "
        f"while {empty} of its cells are empty: a blank may not be 0, check where they belong"
    )
