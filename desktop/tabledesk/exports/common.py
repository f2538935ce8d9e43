"""What every exporter shares: the input they read (a review's document, results and template),
the labels of statuses and edit reasons, one export error, the plain wording of OS errors, and
the cell lookups the sheets and lines are built from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from tabledesk.checks.engine import CheckResult, CheckStatus
from tabledesk.core.document import Document
from tabledesk.core.edits import Edit, EditReason
from tabledesk.core.os_errors import describe_os_error as describe_os_error  # re-exported
from tabledesk.core.source import SourceProblem
from tabledesk.templates.template import Template

REASON_LABELS: dict[EditReason, dict[str, str]] = {
    EditReason.EXTRACTION_ERROR: {"zh": "识别错误", "en": "extraction error"},
    EditReason.SOURCE_INCONSISTENT: {"zh": "原文数据有误", "en": "source inconsistent"},
    EditReason.OCR_ERROR: {"zh": "OCR 识别错误", "en": "OCR error"},
    EditReason.SUGGESTED: {"zh": "采纳建议", "en": "suggested correction"},
}

ACCEPTED_LABEL = "原文如此"  # a failing check the clerk accepted as printed (core/decisions.py)

STATUS_LABELS: dict[CheckStatus, str] = {
    CheckStatus.PASSED: "通过",
    CheckStatus.WITHIN_ROUNDING: "通过（四舍五入误差内）",
    CheckStatus.INCOMPLETE: "数据不全",
    CheckStatus.UNFILLED: "合计未填写",
    CheckStatus.FAILED: "未通过",
}


class ExportError(Exception):
    """An export that could not be written; ``str()`` is one line: ``"<path>: <problem>"``."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


class _HasReview(Protocol):
    document: Document
    template: Template | None

    @property
    def results(self) -> list[CheckResult]: ...


@dataclass(frozen=True, slots=True)
class ExportInput:
    """What every exporter reads: the document, its check results and (optionally) its
    template, which gives the Excel sheets their corner labels."""

    document: Document
    results: list[CheckResult]
    template: Template | None = None


ExportSource = _HasReview | tuple[Document, list[CheckResult]] | ExportInput


def export_input(source: ExportSource) -> ExportInput:
    """A Review, a (document, results) pair or an ExportInput, as an ExportInput."""
    if isinstance(source, ExportInput):
        return source
    if isinstance(source, tuple):
        document, results = source
        return ExportInput(document, list(results), _template_of(document))
    return ExportInput(source.document, list(source.results), source.template)


def _template_of(document: Document) -> Template | None:
    from tabledesk.templates.registry import template_by_id

    return template_by_id(document.template_id)


# Why a source could not be read, in Chinese (the dataset under --header zh, the command line
# under a Chinese locale); its English wording is SourceError.problem.
PROBLEMS_ZH: dict[SourceProblem, str] = {
    SourceProblem.NOT_FOUND: "找不到文件",
    SourceProblem.UNSUPPORTED: "不支持的文件类型",
    SourceProblem.CORRUPT: "文件已损坏",
    SourceProblem.ENCRYPTED: "PDF 已加密：请先去掉密码",
    SourceProblem.NO_TEXT_LAYER: "没有文字层（扫描件）：需要 OCR 识别",
    SourceProblem.UNREADABLE_TEXT: "文字层无法识别：需要 OCR 识别",
    SourceProblem.NO_TEMPLATE: "未找到已知报告模板的表格",
}

# The fixed wordings of exports.common.describe_os_error and of the exports' own refusals.
PHRASES_ZH: dict[str, str] = {
    "the file is open in another program (close it there and try again)": (
        "文件正被其他程序打开（请先在那里关闭再试）"
    ),
    "the file is open in another program, or the folder is not writable": (
        "文件正被其他程序打开，或文件夹不可写"
    ),
    "permission denied, or the file is open in another program": "没有权限，或文件正被其他程序打开",
    "the disk is full": "磁盘已满",
    "the disk quota is exceeded": "超出磁盘配额",
    "the disk is read-only": "磁盘只读",
    "the folder does not exist": "文件夹不存在",
    "that is a folder": "这是一个文件夹",
    "cannot write: ": "无法写入：",
    "unsupported export type": "不支持的导出类型",
    "unsupported dataset type": "不支持的数据集类型",
}


def problem_zh(problem: str, kind: SourceProblem | None = None) -> str:
    """A reason in Chinese: by its kind where it has one (a corrupt file keeps its English
    detail), else its known phrases replaced; anything unknown stays as it was."""
    if kind is not None and kind in PROBLEMS_ZH:
        zh = PROBLEMS_ZH[kind]
        return zh if kind is not SourceProblem.CORRUPT else f"{zh}（{problem}）"
    for en, text in PHRASES_ZH.items():
        problem = problem.replace(en, text)
    return problem


# ----------------------------------------------------------------------------- shared by exporters
def last_edits(document: Document) -> dict[tuple[str, str, str], Edit]:
    """The latest edit that set each cell (the one whose reason the exports show)."""
    out: dict[tuple[str, str, str], Edit] = {}
    for edit in document.edits:
        for key in edit.cells():
            out[key] = edit
    return out


def results_by_cell(results: list[CheckResult]) -> dict[tuple[str, str, str], list[CheckResult]]:
    out: dict[tuple[str, str, str], list[CheckResult]] = {}
    for r in results:
        for key in r.cells:
            out.setdefault(key, []).append(r)
    return out


def document_name(data: ExportInput) -> str:
    """The source's file name, without its folder (either separator: a review saved on Windows
    reopened elsewhere): what the exports name the source by, beside its hash."""
    path = data.document.source.path
    return PurePosixPath(path.replace("\\", "/")).name or path
