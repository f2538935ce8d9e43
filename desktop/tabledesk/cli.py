"""The command line: a thin face over the same core the window uses.

``tabledesk`` with no arguments (or a file) opens the window; subcommands work headless.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tabledesk import __version__
from tabledesk.core.source import SourceError
from tabledesk.sources.reader import REPORT_SUFFIXES

if TYPE_CHECKING:
    from tabledesk.review.review import Review

EXIT_OK = 0
EXIT_FAILED_CHECKS = 1
EXIT_UNREADABLE = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tabledesk",
        description="Turn report PDFs, text and web pages into checked, balanced tables.",
        epilog="Without a subcommand, tabledesk opens the review window (optionally on FILE).",
    )
    p.add_argument("--version", action="version", version=f"tabledesk {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    e = sub.add_parser(
        "export",
        help="read one report, check it and write it as Excel, JSON or CSV",
        description="Read INPUT (PDF, text or HTML), fit it onto its report template, check the "
        "balance rules and write the result in the format OUTPUT's extension names: .xlsx (one "
        "sheet per table laid out like the form, failing cells red, plus checks, edits and "
        "source sheets), .json (the export contract, resources/export.schema.json) or .csv "
        "(one line per cell, UTF-8 with BOM). Exit 0 when the document was read (whatever the "
        "checks say), 2 with a one-line message when it could not be read or written.",
    )
    e.add_argument("input", help="the source report (.pdf, .txt, .html)")
    e.add_argument("-o", "--output", required=True, help="where to write the export (.xlsx, .json or .csv)")
    e.add_argument("--template", help="template id or template file (.toml) (default: detected)")
    e.add_argument(
        "--format", dest="format_id", help="template format, e.g. 2019 or 2021 (default: detected)"
    )
    e.add_argument(
        "--no-ocr",
        action="store_true",
        help="do not read scanned (image-only) PDFs by OCR: report 'no text layer' instead",
    )
    e.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    c = sub.add_parser(
        "check",
        help="check many reports at once and build one dataset from them",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Read and check every PATH in parallel worker processes, show progress on stderr\n"
        "(a bar on a terminal, one line per document otherwise) and end with a summary: documents,\n"
        "passed, with failing checks, with warnings or incomplete checks, no template, unreadable\n"
        "(with reasons).",
        epilog="exit status:\n"
        "  0  every document was read and no error-severity check failed\n"
        "  1  a check failed (with --strict also: a warning rule failed, a check could not be\n"
        "     decided because cells are missing, or a document has no known report table)\n"
        "  2  an input could not be read or an output could not be written\n"
        "  130  interrupted (Ctrl+C): only complete files are left; the dataset is not written\n"
        "\n"
        "examples:\n"
        "  tabledesk check reports/ --out dataset.xlsx\n"
        "  tabledesk check reports/*.pdf --out dataset.csv --json-dir json/ --jobs 4 --strict\n"
        "\n"
        "The dataset has one row per input (unreadable ones with their reason) and one column per\n"
        "template cell; docs/batch.md describes every column.",
    )
    c.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="report files, or folders searched recursively for " + " ".join(REPORT_SUFFIXES),
    )
    c.add_argument(
        "--out",
        metavar="DATASET",
        help="write the dataset to DATASET: .csv (UTF-8 with BOM) or .xlsx (frozen header, filters, "
        "and a 'columns' sheet with every column's labels)",
    )
    c.add_argument(
        "--json-dir",
        metavar="DIR",
        help="write each read document's export JSON into DIR (mirroring sub-folders)",
    )
    c.add_argument(
        "-j", "--jobs", type=int, default=0, metavar="N", help="worker processes (default: one per CPU core)"
    )
    c.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 also for failed warning rules, incomplete checks and documents with no template",
    )
    c.add_argument(
        "--header",
        choices=("id", "zh", "en"),
        default="id",
        help="dataset column names: stable ids such as t3.new.natural (default), or the Chinese or "
        "English labels (表三/一、本年新收政府信息公开申请数量/申请人情况/自然人)",
    )
    c.add_argument(
        "--template",
        help="template id or template file (.toml) for every input (default: detected per document)",
    )
    c.add_argument("--format", dest="format_id", help="template format for every input, e.g. 2019 or 2021")
    c.add_argument(
        "--no-ocr",
        action="store_true",
        help="do not read scanned (image-only) PDFs by OCR: count them unreadable ('no text layer')",
    )
    c.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="give up on a document still being read after this long and report it unreadable "
        "(default 600; 0: no limit)",
    )
    c.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    _template_parser(sub)
    return p


def _template_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = sub.add_parser(
        "template",
        help="teach tabledesk a new form: draft a template from a sample, check it on samples",
        description="Draft a template from one sample of a form no template knows (its tables, row "
        "and column labels, the totals its labels state as rules, detection words), or check a "
        "template file on samples. Use a template file with 'export --template FILE' and "
        "'check --template FILE', or save it in the user's template folder (the window does).",
    )
    ts = t.add_subparsers(dest="template_command", metavar="ACTION", required=True)
    d = ts.add_parser("draft", help="write the template drafted from SAMPLE")
    d.add_argument("sample", help="a report of the form (.pdf, .html, .txt …)")
    d.add_argument("-o", "--output", required=True, help="the template file to write (.toml)")
    d.add_argument("--name", default="", help="the form's name (default: its printed title)")
    k = ts.add_parser("check", help="validate a template file and run its rules on samples")
    k.add_argument("template_file", metavar="TEMPLATE", help="the template file (.toml)")
    k.add_argument("samples", nargs="*", metavar="SAMPLE", help="reports of the form to try it on")


def _export(args: argparse.Namespace) -> int:
    from tabledesk.exports.common import ExportError
    from tabledesk.exports.writer import export_format, write_export
    from tabledesk.review.review import Review

    out = Path(args.output)
    try:
        export_format(out)  # refuse an unknown extension before the slow read
        review = Review.open(
            args.input,
            template_id=args.template,
            format_id=args.format_id,
            ocr=not args.no_ocr,
            progress=_ocr_progress(),
        )
        write_export(review, out)  # what the window's File > Export writes
    except (SourceError, ExportError) as e:
        print(str(e), file=sys.stderr)
        return EXIT_UNREADABLE
    _print_suggestions(review)
    return EXIT_OK


def _ocr_progress() -> Callable[[int, int], bool] | None:
    """Pages read by OCR, on one line of a terminal (nothing when stderr is a file or pipe)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> bool:
        end = "\n" if done == total else ""
        print(f"\rOCR: page {done}/{total}", end=end, file=sys.stderr, flush=True)
        return True

    return show


def _print_suggestions(review: Review) -> None:
    """One stderr line per failing group: its best correction, or that nothing simple explains
    it (the export holds every suggestion)."""
    from tabledesk.checks.suggest import analyse

    analysis = analyse(review)
    doc = review.document
    for s in analysis.best():
        name = doc.table(s.table_id).name.get("zh", s.table_id)
        print(f"suggested correction: {name} {s.message(doc, 'zh')} (score {s.score:.2f})", file=sys.stderr)
    for u in analysis.unexplained:
        print(
            f"no simple correction: {doc.table(u.table_id).name.get('zh', u.table_id)} {u.message('zh')}",
            file=sys.stderr,
        )


def _use_template_file(value: str | None) -> str | None:
    """``--template`` takes an id or a template file: a file is loaded (TemplateError on a bad
    one) and added to the templates this run (and its workers) know; its id is returned."""
    if value is None or not (value.lower().endswith(".toml") or Path(value).is_file()):
        return value
    from tabledesk.templates.registry import add_template_path
    from tabledesk.templates.template import load_template

    template = load_template(value)
    add_template_path(value)
    return template.id


def _template(args: argparse.Namespace) -> int:
    from tabledesk.checks.messages import render_message
    from tabledesk.exports.atomic import write_text_atomic
    from tabledesk.review.drafting import check_template_file, draft, read_sample
    from tabledesk.templates.template import TemplateError

    try:
        if args.template_command == "draft":
            result = draft(read_sample(args.sample), args.name)
            out = Path(args.output)
            try:
                write_text_atomic(out, result.to_toml())
            except OSError as e:
                print(f"{out}: cannot write: {e.strerror or e}", file=sys.stderr)
                return EXIT_UNREADABLE
            for t in result.tables:
                kept = sum(r.keep for r in t.rules)
                dropped = len(t.rules) - kept
                note = f" ({dropped} left out: they fail on the sample)" if dropped else ""
                print(f"{t.id} {t.title}: {len(t.rows)} rows, {len(t.columns)} columns, {kept} rules{note}")
            print(f"wrote {out}")
            return EXIT_OK
        template, trials = check_template_file(args.template_file, args.samples)
    except (SourceError, TemplateError) as e:
        print(str(e), file=sys.stderr)
        return EXIT_UNREADABLE
    rules = sum(len(t.rules) for t in template.tables)
    valid = f"template '{template.id}' is valid: {len(template.tables)} tables, {rules} rules"
    print(f"{args.template_file}: {valid}")
    worst = EXIT_OK
    for trial in trials:
        failed = trial.failed
        print(
            f"{trial.path.name}: {trial.cells_found}/{trial.cells_expected} cells found, "
            f"{len(trial.results) - len(failed)} checks pass, {len(failed)} fail"
        )
        for r in failed:
            table = trial.document.table(r.instance.table_id)
            print(f"  {render_message(r, 'zh', table.name)}")
        if failed:
            worst = EXIT_FAILED_CHECKS
    return worst


def _check(args: argparse.Namespace) -> int:
    from tabledesk.batch.cli import run_check
    from tabledesk.batch.pool import DEFAULT_TIMEOUT

    return run_check(
        args.paths,
        out=args.out,
        json_dir=args.json_dir,
        jobs=args.jobs,
        strict=args.strict,
        header=args.header,
        template_id=args.template,
        format_id=args.format_id,
        ocr=not args.no_ocr,
        timeout=DEFAULT_TIMEOUT if args.timeout is None else args.timeout,
        verbose=args.verbose,
    )


def wants_window(argv: list[str]) -> bool:
    """No subcommand and no option: the window (on the file given, if any)."""
    return not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-"))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.ERROR, stream=sys.stderr
    )
    handler = COMMANDS.get(args.command or "")
    if handler is None:
        parser.print_help()
        return EXIT_OK
    try:
        if args.command in ("export", "check"):
            from tabledesk.templates.template import TemplateError

            try:
                args.template = _use_template_file(args.template)
            except TemplateError as e:
                print(str(e), file=sys.stderr)
                return EXIT_UNREADABLE
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


# Subcommand name -> handler; each subcommand's parser is added in _parser().
COMMANDS = {"export": _export, "check": _check, "template": _template}
