"""Atomic file writes: a crash or a full disk never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tabledesk.core.os_errors import (  # noqa: F401 - re-exported: the exports name them from here
    ERROR_ACCESS_DENIED,
    LOCK_ERRORS,
)

log = logging.getLogger(__name__)

# About 2.5 s in all: long enough for a scanner, short enough that a workbook left open in
# Excel is reported while the clerk is still looking.
RETRY_DELAYS = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.8)


def is_lock_error(e: OSError) -> bool:
    """True when Windows says another program holds the file."""
    return getattr(e, "winerror", None) in LOCK_ERRORS


def replace_retrying(
    src: str | Path,
    dst: str | Path,
    *,
    delays: tuple[float, ...] = RETRY_DELAYS,
    replace: Callable[[str | Path, str | Path], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """``os.replace(src, dst)``, tried again after each of ``delays`` while Windows reports the
    target (or the new file) held by another program; the last error is raised."""
    for delay in (*delays, None):
        try:
            (replace or os.replace)(src, dst)
            return
        except OSError as e:
            if delay is None or not is_lock_error(e):
                raise
            log.info(
                "%s is held by another program (winerror %s): retrying", dst, getattr(e, "winerror", None)
            )
            sleep(delay)


def temp_prefix(target: Path) -> str:
    """The start of a temp file's name beside ``target``: short whatever the target's name (a
    legal 240-byte name plus a suffix would pass the 255-byte limit of file names), yet telling
    which target it was for, so a run can remove the half-written files it left."""
    digest = hashlib.blake2s(target.name.encode("utf-8", "surrogateescape"), digest_size=4).hexdigest()
    return f".td{digest}."


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write to a temp file beside ``path``, fsync it, then rename it over ``path``.

    Raises OSError (unwritable folder, full disk, file locked by another program); the
    previous content of ``path`` is then untouched and no temp file is left behind.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent or ".")
    try:
        # mkstemp makes the file private (0600); an export is for colleagues on a shared folder:
        # the permissions a plain open() would give, or the replaced file's.
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode_for(target))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        replace_retrying(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    # Make the rename itself durable where the platform lets us open a folder.
    with contextlib.suppress(OSError):
        dir_fd = os.open(target.parent or ".", os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def mode_for(target: Path) -> int:
    """The permissions a plain open() would give a new ``target``, or the existing file's."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes_atomic(path, text.encode(encoding))
