"""The command line: a thin face over the same core the window uses.

``tabledesk`` with no arguments (or a file) opens the window; subcommands work headless.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tabledesk import __version__
from tabledesk.core.source import SourceError

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
        help="read one report, check it and write the export JSON",
        description="Read INPUT (PDF, text or HTML), fit it onto its report template, check the "
        "balance rules and write the result. Exit 0 when the document was read (whatever the "
        "checks say), 2 with a one-line message when it could not be.",
    )
    e.add_argument("input", help="the source report (.pdf, .txt, .html)")
    e.add_argument("-o", "--output", required=True, help="where to write the export (.json)")
    e.add_argument("--template", help="template id (default: detected)")
    e.add_argument("--format", dest="format_id", help="template format, e.g. 2019 or 2021 (default: detected)")
    e.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    return p


def _export(args: argparse.Namespace) -> int:
    from tabledesk.io.json_export import document_json, write_json
    from tabledesk.review import Review

    out = Path(args.output)
    if out.suffix.lower() != ".json":
        print(f"{out}: unsupported export type '{out.suffix}' (use .json)", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        review = Review.open(args.input, template_id=args.template, format_id=args.format_id)
    except SourceError as e:
        print(str(e), file=sys.stderr)
        return EXIT_UNREADABLE
    data = document_json(review.document, review.results)
    try:
        write_json(out, data)
    except OSError as e:
        print(f"{out}: cannot write: {e.strerror or e}", file=sys.stderr)
        return EXIT_UNREADABLE
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        # No subcommand: the window, on the file given if any.
        from tabledesk.ui.app import run_app  # Qt only when the window is wanted

        return run_app(argv)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if getattr(args, "verbose", False) else logging.ERROR, stream=sys.stderr)
    handler = COMMANDS.get(args.command or "")
    if handler is None:
        parser.print_help()
        return EXIT_OK
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


# Subcommand name -> handler; each subcommand's parser is added in _parser().
COMMANDS = {"export": _export}
