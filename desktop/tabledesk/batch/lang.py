"""The command line's language: Chinese where the user's locale is Chinese, English otherwise.

Every line ``tabledesk export`` and ``tabledesk check`` print for a person (errors, progress,
the summary, suggestions) is a message id here with its zh and en wording, rendered by
:func:`say`. Reasons coming from below (a :class:`SourceError`, an export's OS error) are put in
Chinese by their kind or their fixed wording (:func:`problem_text`); anything else keeps its
English detail. argparse's own usage lines stay English (Python ships no Chinese for them).
"""

from __future__ import annotations

import locale
import os
import sys

from tabledesk.core.source import SourceError, SourceProblem
from tabledesk.exports.common import problem_zh

MESSAGES: dict[str, tuple[str, str]] = {
    # id: (zh, en)
    "unknown_command": (
        "tabledesk：未知命令“{word}”（可用命令：{commands}）{hint}",
        "tabledesk: unknown command '{word}' (choose from {commands}){hint}",
    ),
    "did_you_mean": ("，是不是“{guess}”？", "; did you mean '{guess}'?"),
    "no_display": (
        "tabledesk：没有图形显示（DISPLAY 未设置），无法打开窗口；"
        "命令行请用 tabledesk export 或 tabledesk check（见 tabledesk --help）",
        "tabledesk: no display (DISPLAY is not set): the window cannot open; on the command line "
        "use tabledesk export or tabledesk check (see tabledesk --help)",
    ),
    "no_match": ("{pattern}：没有匹配的文件", "{pattern}: no files match"),
    "export_many": (
        "{pattern}：匹配到 {n} 个文件，export 一次只读一个（多个请用 tabledesk check）",
        "{pattern}: matches {n} files; export reads one (use tabledesk check for many)",
    ),
    "interrupted": ("已中断", "interrupted"),
    # {text}: the correction with its calibrated confidence (or each of the alternatives)
    "suggested": ("建议更正：{table} {text}", "suggested correction: {table} {text}"),
    "unexplained": ("无简单更正：{table} {text}", "no simple correction: {table} {text}"),
    "strict_failed": (
        "{n} 项校验未通过或无法判断（--strict）",
        "{n} check(s) failed or could not be decided (--strict)",
    ),
    "ocr_page": ("OCR：第 {done}/{total} 页", "OCR: page {done}/{total}"),
    # tabledesk check
    "jobs_range": (
        "--jobs 须为 1 或更大（0：每个 CPU 核心一个）",
        "--jobs must be 1 or more (0: one per CPU core)",
    ),
    "timeout_range": ("--timeout 须为 0（不限）或正的秒数", "--timeout must be 0 (no limit) or more seconds"),
    "folder_missing": ("{path}：文件夹不存在", "{path}: the folder does not exist"),
    "cannot_create": ("{path}：无法创建：{reason}", "{path}: cannot create: {reason}"),
    "cannot_write": ("{path}：无法写入：{reason}", "{path}: cannot write: {reason}"),
    "nothing_to_check": (
        "没有可检查的文件：未找到 {suffixes} 文件",
        "nothing to check: no {suffixes} files found",
    ),
    "check_error": ("tabledesk check：{error}", "tabledesk check: {error}"),
    "check_interrupted": (
        "已中断：已检查 {done}/{total} 份文件；数据集未写出",
        "interrupted: {done} of {total} documents checked; dataset not written",
    ),
    "summary_head": (
        "{n} 份文件，用时 {seconds:.1f} 秒（{rate}{workers} 个进程）",
        "{n} documents in {seconds:.1f} s ({rate}{workers} process{es})",
    ),
    "summary_rate": ("每秒 {docs:.1f} 份、{pages:.1f} 页，", "{docs:.1f} documents/s, {pages:.1f} pages/s, "),
    "passed": ("全部通过", "passed"),
    "failed": ("校验未通过", "with failing checks"),
    "warnings": ("有警告或无法判断", "warnings or incomplete"),
    "no_template": ("无已知模板", "no template"),
    "unreadable": ("无法读取", "unreadable"),
    "json_not_written": ("未写出的导出 JSON", "Export JSON not written"),
    "failing_n": ("{n} 项未通过", "{n} failing"),
    "more": ("……另有 {n} 项（见数据集）", "… and {n} more (see the dataset)"),
    "across": (
        "跨年度（同一机关相邻年度的报告不一致）：",
        "Across years (the same agency's consecutive reports disagree):",
    ),
}

# The status words of the per-document progress lines and the summary's sections.
STATUS_WORDS = {
    "passed": ("通过", "passed"),
    "failed": ("未通过", "failed"),
    "warnings": ("有警告", "warnings"),
    "no_template": ("无模板", "no template"),
    "unreadable": ("无法读取", "unreadable"),
}


def _windows_chinese() -> bool:
    try:
        import ctypes

        lang_id = int(ctypes.windll.kernel32.GetUserDefaultUILanguage())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False
    return lang_id & 0x3FF == 0x04  # LANG_CHINESE, whatever the sub-language


def detect_lang(environ: dict[str, str] | None = None, platform: str | None = None) -> str:
    """ "zh" when the user's locale is Chinese, else "en". ``TABLEDESK_LANG`` (zh or en) wins;
    then, as gettext reads them, LANGUAGE, LC_ALL, LC_MESSAGES and LANG; on Windows the user's
    interface language (a Chinese Windows sets none of those variables)."""
    env = os.environ if environ is None else environ
    forced = env.get("TABLEDESK_LANG", "").lower()
    if forced in ("zh", "en"):
        return forced
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            return "zh" if value.lower().startswith("zh") else "en"
    if (platform or sys.platform) == "win32":
        if _windows_chinese():
            return "zh"
        name = (locale.getlocale()[0] or "").lower()
        return "zh" if name.startswith(("zh", "chinese")) else "en"
    return "en"


def say(msg_id: str, lang: str, **params: object) -> str:
    zh, en = MESSAGES[msg_id]
    return (zh if lang == "zh" else en).format(**params)


def status_word(status: str, lang: str) -> str:
    zh, en = STATUS_WORDS.get(status, (status, status))
    return zh if lang == "zh" else en


def problem_text(problem: str, lang: str, kind: SourceProblem | None = None) -> str:
    """A reason from below in the user's language: by its kind where it has one, else its
    known phrases replaced (any detail that is not known stays as it was)."""
    return problem if lang != "zh" else problem_zh(problem, kind)


def error_line(e: Exception, lang: str) -> str:
    """A SourceError or ExportError as the one line the user sees: "<path>：<problem>"."""
    path = getattr(e, "path", "")
    problem = getattr(e, "problem", str(e))
    kind = e.kind if isinstance(e, SourceError) else None
    if not path:
        return problem_text(problem, lang, kind)
    return f"{path}{'：' if lang == 'zh' else ': '}{problem_text(problem, lang, kind)}"
