"""``python -m tabledesk``: the window without arguments, command-line subcommands otherwise."""

import sys

from tabledesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
