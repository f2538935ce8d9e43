"""``tabledesk`` / ``python -m tabledesk``: the window without a subcommand, the command line
otherwise. The window's Qt is imported only when the window is wanted, so the command line
runs on machines without a display."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from tabledesk.batch.lang import detect_lang
    from tabledesk.cli import display_problem, wants_window
    from tabledesk.cli import main as cli_main

    argv = list(sys.argv[1:] if argv is None else argv)
    if wants_window(argv):
        problem = display_problem(detect_lang())
        if problem is not None:  # Qt would abort (exit 134) with a message about plugins
            print(problem, file=sys.stderr)
            return 2
        from tabledesk.ui.window.app import run_app

        return run_app(argv)
    return cli_main(argv)


if __name__ == "__main__":
    # A frozen Windows build starts the batch pool's spawned workers through this entry point.
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
