"""The command line: a thin face over the same core the window uses.

``tabledesk`` with no arguments (or a file) opens the window; subcommands work headless. A first
word that is neither a subcommand nor a file is a usage error, and without a display the window
is refused in one line (exit 2) rather than left to Qt to abort. Paths with wildcards are
expanded here (Windows shells pass ``reports\\*.pdf`` through as typed); ``-v``/``-q`` work
before or after the subcommand; messages are Chinese under a Chinese locale (``batch/lang.py``).
"""

from __future__ import annotations

import argparse
import difflib
import glob
import logging
import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tabledesk import __version__
from tabledesk.batch.lang import detect_lang, error_line, say
from tabledesk.core.source import SourceError
from tabledesk.sources.reader import REPORT_SUFFIXES, SUPPORTED

if TYPE_CHECKING:
    from tabledesk.review.review import Review

EXIT_OK = 0
EXIT_FAILED_CHECKS = 1
EXIT_UNREADABLE = 2


def _common(sub: bool) -> argparse.ArgumentParser:
    """-v and -q, accepted before and after the subcommand (the subcommand's copy only sets
    them when given, so ``tabledesk -v check …`` keeps the -v)."""
    p = argparse.ArgumentParser(add_help=False)
    default = argparse.SUPPRESS if sub else False
    p.add_argument("-v", "--verbose", action="store_true", default=default, help="log details to stderr")
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default,
        help="print only errors (no progress, no summary)",
    )
    return p


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tabledesk",
        description="Turn report PDFs, text and web pages into checked, balanced tables.",
        epilog="Without a subcommand, tabledesk opens the review window (optionally on FILE). "
        "Messages are in Chinese when the locale is Chinese (TABLEDESK_LANG=zh or en overrides).",
        parents=[_common(False)],
    )
    p.add_argument("--version", action="version", version=f"tabledesk {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    e = sub.add_parser(
        "export",
        parents=[_common(True)],
        help="read one report, check it and write it as Excel, JSON or CSV",
        description="Read INPUT (PDF, text or HTML), fit it onto its report template, check the "
        "balance rules and write the result in the format OUTPUT's extension names: .xlsx (one "
        "sheet per table laid out like the form, failing cells red, plus checks, edits and "
        "source sheets), .json (the export contract, resources/export.schema.json) or .csv "
        "(one line per cell, UTF-8 with BOM); '-o -' writes the JSON to standard output. Exit 0 when "
        "the document was read (whatever the checks say; with --strict 1 when a check failed or "
        "could not be decided), 2 with a one-line message when it could not be read or written.",
    )
    e.add_argument("input", help="the source report (.pdf, .txt, .html); a wildcard must match one file")
    e.add_argument(
        "-o",
        "--output",
        required=True,
        help="where to write the export (.xlsx, .json or .csv); '-': the JSON to standard output",
    )
    e.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a check failed (error or warning) or could not be decided",
    )
    e.add_argument("--template", help="template id or template file (.toml) (default: detected)")
    e.add_argument(
        "--format", dest="format_id", help="template format, e.g. 2019 or 2021 (default: detected)"
    )
    e.add_argument(
        "--no-ocr",
        action="store_true",
        help="do not read scanned (image-only) PDFs by OCR: report 'no text layer' instead",
    )
    e.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="give up on the document if reading takes longer than this, with exit status 2 "
        "(default 600; 0: no limit)",
    )
    c = sub.add_parser(
        "check",
        parents=[_common(True)],
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
        "  tabledesk check reports\\2023\\*.pdf --out dataset.xlsx   (wildcards expanded by tabledesk)\n"
        "\n"
        "The dataset has one row per input (unreadable ones with their reason) and one column per\n"
        "template cell; docs/batch.md describes every column.",
    )
    c.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="report files (wildcards such as reports/*.pdf or reports/**/*.pdf are expanded), or "
        "folders searched recursively for " + " ".join(REPORT_SUFFIXES),
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
    _template_parser(sub)
    return p


def _template_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = sub.add_parser(
        "template",
        parents=[_common(True)],
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
    from tabledesk.batch.deadline import DeadlinePassed, call_with_deadline
    from tabledesk.batch.pool import DEFAULT_TIMEOUT
    from tabledesk.exports.common import ExportError
    from tabledesk.exports.targets import refuse_inputs
    from tabledesk.exports.writer import export_format, render_export, write_export
    from tabledesk.review.review import Review

    lang = args.lang
    to_stdout = args.output == "-"
    out = Path(args.output)
    try:
        inputs = expand_globs([args.input])
    except NoMatchError as e:
        print(say("no_match", lang, pattern=e.pattern), file=sys.stderr)
        return EXIT_UNREADABLE
    if len(inputs) != 1:
        print(say("export_many", lang, pattern=args.input, n=len(inputs)), file=sys.stderr)
        return EXIT_UNREADABLE
    if not to_stdout and (problem := refuse_inputs([out], inputs)) is not None:
        print(problem, file=sys.stderr)  # before anything is read: the input stays as it is
        return EXIT_UNREADABLE
    timeout = DEFAULT_TIMEOUT if args.timeout is None else args.timeout
    if timeout < 0:
        print("--timeout must be 0 (no limit) or more seconds", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        if not to_stdout:
            export_format(out)  # refuse an unknown extension before the slow read
        review = call_with_deadline(
            lambda: Review.open(
                inputs[0],
                template_id=args.template,
                format_id=args.format_id,
                ocr=not args.no_ocr,
                progress=None if args.quiet else _ocr_progress(lang),
            ),
            timeout,
        )
        if to_stdout:
            _write_stdout(render_export(review, "json"))
        else:
            write_export(review, out)  # what the window's File > Export writes
    except (SourceError, ExportError) as e:
        print(error_line(e, lang), file=sys.stderr)
        return EXIT_UNREADABLE
    except DeadlinePassed as e:  # the reading thread cannot be stopped: end the process
        print(f"{inputs[0]}: {e}", file=sys.stderr, flush=True)
        os._exit(EXIT_UNREADABLE)
    except Exception as e:  # a bug, or a file that breaks a library: one line (details with -v)
        logging.getLogger(__name__).info("%s: reading failed", inputs[0], exc_info=True)
        print(f"{inputs[0]}: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not args.quiet:
        _print_suggestions(review, lang)
    if args.strict:
        from tabledesk.checks.engine import CheckStatus

        bad = [r for r in review.results if r.status in (CheckStatus.FAILED, CheckStatus.INCOMPLETE)]
        if bad:
            if not args.quiet:
                print(say("strict_failed", lang, n=len(bad)), file=sys.stderr)
            return EXIT_FAILED_CHECKS
    return EXIT_OK


def _write_stdout(data: bytes) -> None:
    """The export's bytes (UTF-8) to standard output, as they would be in the file: a Windows
    console's code page must not re-encode them."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()


def _ocr_progress(lang: str) -> Callable[[int, int], bool] | None:
    """Pages read by OCR: on one line redrawn on a terminal, else one line per page (a log or
    a pipe shows that a long OCR is moving)."""
    tty = sys.stderr.isatty()

    def show(done: int, total: int) -> bool:
        line = say("ocr_page", lang, done=done, total=total)
        if tty:
            end = "\n" if done == total else ""
            print("\r" + line, end=end, file=sys.stderr, flush=True)
        elif done:
            print(line, file=sys.stderr, flush=True)
        return True

    return show


def _print_suggestions(review: Review, lang: str) -> None:
    """One stderr line per failing group: its most likely correction with its confidence (and
    its alternatives where no one is sure), or that nothing simple explains it (the export holds
    every suggestion)."""
    from tabledesk.checks.suggest import analyse

    analysis = analyse(review)
    doc = review.document
    for s in analysis.best():
        name = doc.table(s.table_id).name.get(lang) or s.table_id
        listed = analysis.alternatives(s) or [s]
        text = " / ".join(x.described(doc, lang) for x in listed)
        print(say("suggested", lang, table=name, text=text), file=sys.stderr)
    for u in analysis.unexplained:
        name = doc.table(u.table_id).name.get(lang) or u.table_id
        print(say("unexplained", lang, table=name, text=u.message(lang)), file=sys.stderr)


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
    from tabledesk.core.os_errors import describe_os_error
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
                print(f"{out}: cannot write: {describe_os_error(e)}", file=sys.stderr)
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

    try:
        paths = expand_globs(args.paths)
    except NoMatchError as e:
        print(say("no_match", args.lang, pattern=e.pattern), file=sys.stderr)
        return EXIT_UNREADABLE
    return run_check(
        paths,
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
        quiet=args.quiet,
        lang=args.lang,
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = detect_lang()
    word = first_word(argv)
    if word is not None and word not in COMMANDS and not looks_like_file(word):
        print(unknown_command(word, lang), file=sys.stderr)
        return EXIT_UNREADABLE  # 2, as argparse exits on any other usage error
    parser = _parser()
    args = parser.parse_args(argv)
    args.lang = lang
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
        print(say("interrupted", lang), file=sys.stderr)
        return 130


# ----------------------------------------------------------------------------- words and places
def first_word(argv: list[str]) -> str | None:
    """The first argument that is not an option (-v, -q) before the subcommand."""
    for arg in argv:
        if arg in ("-v", "--verbose", "-q", "--quiet"):
            continue
        return None if arg.startswith("-") else arg
    return None


def looks_like_file(word: str) -> bool:
    """A report or review to open in the window: it exists, or it is named like one."""
    return (
        Path(word).exists()
        or any(sep in word for sep in ("/", "\\"))
        or word.lower().endswith((*SUPPORTED, ".tdreview"))
    )


def wants_window(argv: list[str]) -> bool:
    """No subcommand and no option: the window (on the file given, if any). A first word that
    is neither a subcommand nor a file goes to :func:`main`, which calls it a usage error."""
    return not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-") and looks_like_file(argv[0]))


def unknown_command(word: str, lang: str) -> str:
    guess = difflib.get_close_matches(word, list(COMMANDS), n=1, cutoff=0.5)
    hint = say("did_you_mean", lang, guess=guess[0]) if guess else ""
    return say("unknown_command", lang, word=word, commands=", ".join(COMMANDS), hint=hint)


def display_problem(
    lang: str, environ: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """Why the window cannot open here (one line), or None. On Linux without DISPLAY or
    WAYLAND_DISPLAY Qt's xcb plugin aborts the process (exit 134, a message about plugins);
    a QT_QPA_PLATFORM such as offscreen or vnc needs no display."""
    env = os.environ if environ is None else environ
    if (platform or sys.platform) in ("win32", "darwin"):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa and not qpa.startswith(("xcb", "wayland")):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return say("no_display", lang)


_WILDCARD = re.compile(r"[*?[]")


class NoMatchError(ValueError):
    """A wildcard pattern that matches no file."""

    def __init__(self, pattern: str) -> None:
        super().__init__(f"{pattern}: no files match")
        self.pattern = pattern


def expand_globs(args: list[str]) -> list[str]:
    """Arguments with wildcards (``*``, ``?``, ``[…]``, ``**`` for sub-folders) replaced by the
    files they match, sorted; others as given. Windows shells pass patterns through unexpanded,
    so tabledesk does it (a POSIX shell has already, and a name that exists is never a pattern).
    Raises NoMatchError for a pattern that matches nothing."""
    out: list[str] = []
    for arg in args:
        if not _WILDCARD.search(arg) or Path(arg).exists():
            out.append(arg)
            continue
        matches = sorted(glob.glob(arg, recursive=True))
        if not matches:
            raise NoMatchError(arg)
        out += matches
    return out


# Subcommand name -> handler; each subcommand's parser is added in _parser().
COMMANDS = {"export": _export, "check": _check, "template": _template}
