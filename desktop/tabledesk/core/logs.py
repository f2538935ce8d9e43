"""Logging a failure that the program gets past (a page OCR could not read, a table layout that
failed): one line on stderr, with the exception's type and message; the traceback only when
the user asked for details (``-v``: the log is enabled for INFO)."""

from __future__ import annotations

import logging
import sys


def log_failure(logger: logging.Logger, message: str, *args: object) -> None:
    """``logger.error(message)`` plus ": <Type>: <text>" of the exception being handled."""
    error = sys.exc_info()[1]
    detail = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".rstrip(": ")
    logger.error(message + ": %s", *args, detail, exc_info=logger.isEnabledFor(logging.INFO))
