"""``tabledesk check``: the command-line face of a batch run (``batch/pool.py``).

:func:`run_check` checks the command's arguments before anything starts, runs the pool with
progress on stderr (:class:`Progress`), checks the same agency's consecutive years against each
other (:func:`cross_year`), writes the dataset and prints a :class:`Summary`, whose exit code the
command returns.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO, cast

from tabledesk.batch.lang import problem_text, say, status_word
from tabledesk.batch.pool import (
    DEFAULT_TIMEOUT,
    BatchError,
    BatchOptions,
    BatchRun,
    Input,
    JobResult,
    find_inputs,
    json_paths,
)
from tabledesk.batch.preload import dataset_libraries, preload
from tabledesk.core.os_errors import describe_os_error
from tabledesk.exports.dataset import DocStatus
from tabledesk.sources.reader import REPORT_SUFFIXES

log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------- summary
@dataclass(slots=True)
class Summary:
    results: list[JobResult] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1

    def of(self, status: DocStatus) -> list[JobResult]:
        return [r for r in self.results if r.record.status is status]

    @property
    def write_errors(self) -> list[JobResult]:
        return [r for r in self.results if r.write_error]

    def exit_code(self, strict: bool = False) -> int:
        """2 when an input could not be read (or its JSON not written), else 1 when an
        error-severity check failed (with ``strict``: any check failed or was incomplete, or a
        document had no template), else 0."""
        if self.of(DocStatus.UNREADABLE) or self.write_errors:
            return 2
        bad = {DocStatus.FAILED}
        if strict:
            bad |= {DocStatus.WARNINGS, DocStatus.NO_TEMPLATE}
        return 1 if any(r.record.status in bad for r in self.results) else 0

    def text(self, limit: int = 20, lang: str = "en") -> str:
        n = len(self.results)
        pages = sum(r.record.pages for r in self.results)
        rate = (
            say("summary_rate", lang, docs=n / self.seconds, pages=pages / self.seconds)
            if self.seconds
            else ""
        )
        head = say(
            "summary_head",
            lang,
            n=n,
            seconds=self.seconds,
            rate=rate,
            workers=self.workers,
            es="es" if self.workers != 1 else "",
        )
        counts = [
            ("passed", DocStatus.PASSED),
            ("failed", DocStatus.FAILED),
            ("warnings", DocStatus.WARNINGS),
            ("no_template", DocStatus.NO_TEMPLATE),
            ("unreadable", DocStatus.UNREADABLE),
        ]
        pad = 14 if lang == "zh" else 24
        lines = [head] + [
            f"  {(say(msg, lang) + ('：' if lang == 'zh' else ':')).ljust(pad)} {len(self.of(st))}"
            for msg, st in counts
        ]
        colon = "：" if lang == "zh" else ": "
        sections = [
            (
                status_word("unreadable", lang),
                [f"{r.record.file}{colon}{r.record.reason}" for r in self.of(DocStatus.UNREADABLE)],
            ),
            (
                status_word("no_template", lang),
                [f"{r.record.file}{colon}{r.record.reason}" for r in self.of(DocStatus.NO_TEMPLATE)],
            ),
            (say("json_not_written", lang), [r.write_error for r in self.write_errors]),
            (
                say("failed", lang),
                [
                    f"{r.record.file}{colon}{say('failing_n', lang, n=r.record.failed_checks)}"
                    for r in self.of(DocStatus.FAILED)
                ],
            ),
            (
                "With printed numbers left unplaced while cells are empty",
                [f"{r.record.file}: {r.record.unplaced} numbers" for r in self.results if r.record.unplaced],
            ),
            (
                "With totals not filled in",
                [f"{r.record.file}: {r.record.unfilled} checks" for r in self.results if r.record.unfilled],
            ),
        ]
        for title, items in sections:
            if items:
                lines.append(f"{title[0].upper()}{title[1:]}{colon.strip()}")
                lines += [f"  {x}" for x in items[:limit]]
                if len(items) > limit:
                    lines.append(f"  {say('more', lang, n=len(items) - limit)}")
        return "\n".join(lines)


# ----------------------------------------------------------------------------- the command
class Progress:
    """Progress on a stream: a bar redrawn in place on a terminal, else one line per document
    (logs and CI output stay readable)."""

    def __init__(self, total: int, stream: TextIO, tty: bool | None = None, lang: str = "en") -> None:
        self.lang = lang
        self.total = total
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.done = 0
        self.t0 = time.perf_counter()
        self._drawn = 0.0

    def start(self) -> None:
        if self.tty:
            self._draw()

    def update(self, result: JobResult) -> None:
        self.done += 1
        if not self.tty:
            rec = result.record
            detail = f" ({say('failing_n', self.lang, n=rec.failed_checks)})" if rec.failed_checks else ""
            detail = f": {rec.reason}" if rec.reason else detail
            print(
                f"[{self.done}/{self.total}] {rec.file}: {status_word(rec.status.value, self.lang)}{detail}",
                file=self.stream,
                flush=True,
            )
            return
        if time.perf_counter() - self._drawn >= 0.1 or self.done == self.total:
            self._draw()  # redrawing more than ten times a second would only cost time

    def _draw(self) -> None:
        now = self._drawn = time.perf_counter()
        elapsed = now - self.t0
        rate = self.done / elapsed if elapsed else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        width = shutil.get_terminal_size((80, 20)).columns
        tail = f" {self.done}/{self.total}  {rate:.1f}/s  ETA {int(eta) // 60}:{int(eta) % 60:02d}"
        bar_w = max(10, width - len(tail) - 4)
        fill = bar_w * self.done // max(1, self.total)
        line = f"[{'#' * fill}{'.' * (bar_w - fill)}]{tail}"
        self.stream.write("\r" + line[: width - 1])
        self.stream.flush()

    def finish(self) -> None:
        if self.tty and self.done:
            self.stream.write("\n")
            self.stream.flush()


def run_check(
    paths: Sequence[str | Path],
    *,
    out: str | Path | None = None,
    json_dir: str | Path | None = None,
    jobs: int = 0,
    strict: bool = False,
    header: str = "id",
    template_id: str | None = None,
    format_id: str | None = None,
    verbose: bool = False,
    ocr: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    quiet: bool = False,
    lang: str = "en",
) -> int:
    """``tabledesk check``: check every input, write the dataset and JSON, print a summary
    (``quiet``: only errors). Messages in ``lang`` (zh or en). Returns the exit code (see
    :meth:`Summary.exit_code`; 130 when interrupted)."""
    from tabledesk.exports.dataset import build_dataset, dataset_kind, write_dataset

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    # Everything that can be wrong with the command itself fails now, not after an hour.
    if jobs < 0:
        print(say("jobs_range", lang), file=stderr)
        return 2
    if timeout < 0:
        print(say("timeout_range", lang), file=stderr)
        return 2
    if out is not None:
        try:
            dataset_kind(out)
        except ValueError as e:
            print(problem_text(str(e), lang), file=stderr)
            return 2
        if not Path(out).resolve().parent.is_dir():
            print(say("folder_missing", lang, path=out), file=stderr)
            return 2
    if json_dir is not None:
        try:
            Path(json_dir).mkdir(parents=True, exist_ok=True)
        except OSError as e:
            print(
                say("cannot_create", lang, path=json_dir, reason=problem_text(describe_os_error(e), lang)),
                file=stderr,
            )
            return 2
    inputs = find_inputs(paths)
    if not inputs:
        print(say("nothing_to_check", lang, suffixes=", ".join(REPORT_SUFFIXES)), file=stderr)
        return 2
    if (problem := _output_over_input(inputs, out, json_dir)) is not None:
        print(problem, file=stderr)
        return 2
    options = BatchOptions(
        jobs, Path(json_dir) if json_dir else None, template_id, format_id, verbose, ocr, timeout
    )
    progress = Progress(len(inputs), cast(TextIO, _Null()) if quiet else stderr, lang=lang)
    if out is not None:  # pandas for the dataset, imported while the workers read
        preload(dataset_libraries(out))
    t0 = time.perf_counter()
    progress.start()
    run = BatchRun(inputs, options)
    try:
        results = run.run(progress.update)
    except BatchError as e:
        progress.finish()
        print(say("check_error", lang, error=e), file=stderr)
        return 2
    except KeyboardInterrupt:  # run() has ended the workers and removed their temp files
        progress.finish()
        print(say("check_interrupted", lang, done=progress.done, total=len(inputs)), file=stderr)
        return 130
    progress.finish()
    results, across = cross_year(results)
    summary = Summary(results, time.perf_counter() - t0, run.workers)
    code = summary.exit_code(strict)
    if out is not None:
        ds = build_dataset([r.record for r in summary.results], header=header)
        try:
            write_dataset(ds, out)
        except OSError as e:
            print(
                say("cannot_write", lang, path=out, reason=problem_text(describe_os_error(e), lang)),
                file=stderr,
            )
            code = 2
    if quiet:
        return code
    print(summary.text(lang=lang), file=stdout)
    if across:
        print(say("across", lang), file=stdout)
        print("\n".join(f"  {line}" for line in across), file=stdout)
    return code


class _Null:
    """A stream that drops what is written (``--quiet``'s progress)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _output_over_input(
    inputs: Sequence[Input], out: str | Path | None, json_dir: str | Path | None
) -> str | None:
    """One line when the dataset or an export JSON would be written over an input."""
    from tabledesk.exports.targets import refuse_inputs

    outputs: list[Path] = [Path(out)] if out is not None else []
    if json_dir is not None:
        outputs += json_paths(inputs, Path(json_dir))
    return refuse_inputs(outputs, [i.path for i in inputs])


def cross_year(results: list[JobResult]) -> tuple[list[JobResult], list[str]]:
    """Check the same agency's consecutive years among the results (checks/across.py): failures
    are counted in both documents' records and added to both export JSONs (in the table's
    checks, as the window's export has them). Returns the results and one line per failure."""
    from tabledesk.checks.across import YearReport, check_reports
    from tabledesk.checks.engine import CheckStatus
    from tabledesk.exports.json_export import check_json, write_json
    from tabledesk.templates.registry import builtin_template

    read = [r for r in results if r.record.status.read]
    reports = [
        YearReport(
            r.record.file,
            r.record.agency,
            r.record.year,
            r.record.template_id,
            r.record.format_id,
            r.record.values,
        )
        for r in read
    ]
    lines: list[str] = []
    changed: dict[int, JobResult] = {}
    for i, (doc, checks) in check_reports(reports, builtin_template()).items():
        res, rec = read[i], read[i].record
        failed = [c for c in checks if c.status is CheckStatus.FAILED]
        errors = sum(1 for c in failed if c.severity == "error")
        incomplete = sum(1 for c in checks if c.status is CheckStatus.INCOMPLETE)
        e, w, n = (
            rec.failed_errors + errors,
            rec.failed_warnings + len(failed) - errors,
            rec.incomplete + incomplete,
        )
        failed_rules = tuple(dict.fromkeys([*rec.failed_rules, *(c.instance.rule.id for c in failed)]))
        incomplete_rules = tuple(
            dict.fromkeys(
                [
                    *rec.incomplete_rules,
                    *(c.instance.rule.id for c in checks if c.status is CheckStatus.INCOMPLETE),
                ]
            )
        )
        record = replace(
            rec.with_counts(e, w, n), failed_rules=failed_rules, incomplete_rules=incomplete_rules
        )
        changed[res.index] = replace(res, record=record)
        lines += [f"{rec.file}: {_message(c, doc)}" for c in failed]
        if res.json_path:
            try:
                with open(res.json_path, encoding="utf-8") as fh:
                    data = json.load(fh)
                for table in data.get("tables", []):
                    table["checks"] += [
                        check_json(c, doc.table(table["id"]))
                        for c in checks
                        if c.instance.table_id == table["id"]
                    ]
                write_json(res.json_path, data)
            except (OSError, ValueError, KeyError) as err:
                log.warning("%s: cross-year checks not added: %s", res.json_path, err)
    return [changed.get(r.index, r) for r in results], lines


def _message(result: Any, doc: Any) -> str:
    from tabledesk.checks.messages import render_message

    return render_message(result, "zh", doc.table(result.instance.table_id).name)
