"""The plain wording of OS errors, shared by every reader and writer, and the Windows errors
that mean another program holds a file."""

from __future__ import annotations

import errno

# Windows errors of a file another program holds open. Antivirus scanners, the search indexer
# and cloud-sync clients open a newly written file for a moment; Excel or WPS hold an open
# workbook until it is closed. ERROR_ACCESS_DENIED is also what MoveFileEx reports when the
# target is open without FILE_SHARE_DELETE.
ERROR_ACCESS_DENIED = 5
ERROR_SHARING_VIOLATION = 32
ERROR_LOCK_VIOLATION = 33
ERROR_USER_MAPPED_FILE = 1224
ERROR_UNABLE_TO_REMOVE_REPLACED = 1175
ERROR_UNABLE_TO_MOVE_REPLACEMENT = 1176
LOCK_ERRORS = frozenset(
    (
        ERROR_ACCESS_DENIED,
        ERROR_SHARING_VIOLATION,
        ERROR_LOCK_VIOLATION,
        ERROR_USER_MAPPED_FILE,
        ERROR_UNABLE_TO_REMOVE_REPLACED,
        ERROR_UNABLE_TO_MOVE_REPLACEMENT,
    )
)


def describe_os_error(e: OSError) -> str:
    """A short, plain description of why a file could not be read or written: the one wording
    of each OS error, whichever command or window meets it."""
    winerror = getattr(e, "winerror", None)
    if winerror in LOCK_ERRORS - {ERROR_ACCESS_DENIED}:
        return "the file is open in another program (close it there and try again)"
    if winerror == ERROR_ACCESS_DENIED:  # also a workbook Excel holds open, on replacing it
        return "the file is open in another program, or the folder is not writable"
    if e.errno == errno.ENOSPC or winerror in (39, 112):  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
        return "the disk is full"
    if e.errno == errno.EDQUOT:
        return "the disk quota is exceeded"
    if e.errno == errno.EROFS:
        return "the disk is read-only"
    if isinstance(e, FileNotFoundError):
        return "the folder does not exist"
    if isinstance(e, IsADirectoryError):
        return "that is a folder"
    if isinstance(e, PermissionError):
        return "permission denied, or the file is open in another program"
    return e.strerror or str(e) or type(e).__name__
