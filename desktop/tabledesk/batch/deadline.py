"""A time limit on one document's reading outside the pool (``tabledesk export --timeout``).

Reading cannot be stopped from outside its thread (a PDF library looping in C does not look
at flags), so the work runs in a daemon thread and the caller, once the limit has passed, says
so in one line and ends the process (``os._exit``): the same way the pool's workers give up
(``pool.run_job``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlinePassed(Exception):
    """The work was still running when its time was up (it goes on in its thread)."""


def call_with_deadline(work: Callable[[], T], seconds: float) -> T:
    """``work()``, or DeadlinePassed after ``seconds`` (0: no limit). Its exceptions pass through."""
    if not seconds:
        return work()
    out: list[T] = []
    err: list[BaseException] = []

    def run() -> None:
        try:
            out.append(work())
        except BaseException as e:  # noqa: BLE001 - handed back to the caller's thread
            err.append(e)

    thread = threading.Thread(target=run, name="tabledesk-read", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise DeadlinePassed(f"reading took longer than {seconds:g} s: given up")
    if err:
        raise err[0]
    return out[0]
