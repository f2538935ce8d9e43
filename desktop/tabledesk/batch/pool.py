"""Checking many reports at once: a pool of worker processes, small results, a summary.

:class:`BatchRun` reads and checks documents in worker processes (the spawn start method, so
it behaves the same on every platform and never forks a process holding threads or Qt). Each
worker imports tabledesk and loads the templates once, in its initializer, and sends back a
:class:`JobResult` — a few kilobytes: the document's dataset record, never the document.
Iterate over a run to get results as they finish (biggest files are started first, so the
last minutes are not spent waiting on one large PDF); :meth:`BatchRun.cancel` may be called
from any thread (the review window runs the iteration in a thread of its own).

A cancelled or interrupted run leaves only complete files: export JSON is written atomically
(temp file, then rename) by the worker, and workers still busy when the run stops are ended
and their temp files removed. The command line (``tabledesk check``) over it is ``batch/cli.py``.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any

from tabledesk.core.logs import log_failure
from tabledesk.core.os_errors import describe_os_error
from tabledesk.exports.atomic import temp_prefix
from tabledesk.exports.dataset import DocStatus, DocumentRecord
from tabledesk.sources.reader import REPORT_SUFFIXES

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Input:
    """A document to check: its path, and the path below the folder it was found in (which
    names its export JSON inside ``--json-dir``)."""

    path: Path
    rel: PurePath


@dataclass(frozen=True, slots=True)
class Job:
    index: int
    path: str
    json_path: str | None
    template_id: str | None
    format_id: str | None
    ocr: bool = True  # read scanned PDFs by OCR
    timeout: float = 0.0  # seconds a document may take; 0 = no limit


@dataclass(frozen=True, slots=True)
class JobResult:
    """One checked input, small enough to send between processes."""

    index: int  # position in the run's inputs
    record: DocumentRecord
    json_path: str | None = None  # the export JSON written, if any
    write_error: str = ""  # one line when the export JSON could not be written
    seconds: float = 0.0  # reading and checking, in the worker (wall clock)
    cpu_seconds: float = 0.0  # the same in CPU time (steadier on a busy machine)


@dataclass(frozen=True, slots=True)
class BatchOptions:
    jobs: int = 0  # worker processes; 0 = one per CPU core
    json_dir: Path | None = None  # write each read document's export JSON here
    template_id: str | None = None  # force a template (default: detected per document)
    format_id: str | None = None  # force a template format
    verbose: bool = False  # workers log to stderr
    ocr: bool = True  # read scanned (image-only) PDFs by OCR
    # a document still being read after this many seconds is reported unreadable and its
    # worker replaced (a PDF that sends a library into an endless loop must not stall the
    # run); 0 = no limit. Generous: a 100-page scan reads in two or three minutes.
    timeout: float = 600.0  # = DEFAULT_TIMEOUT (a slots dataclass cannot name it)


DEFAULT_TIMEOUT = 600.0


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def find_inputs(paths: Sequence[str | Path]) -> list[Input]:
    """Files as given, and under folders every report (``sources.reader.REPORT_SUFFIXES``:
    recursively, sorted, hidden files and folders skipped). A path that does not exist is
    kept: it is reported as unreadable like any other bad input. The same file named twice is checked once."""
    out: list[Input] = []
    seen: set[Path] = set()

    def add(path: Path, rel: PurePath) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(Input(path, rel))

    for arg in paths:
        p = Path(arg)
        if not p.is_dir():
            add(p, PurePath(p.name))
            continue
        for dirpath, dirnames, filenames in os.walk(p):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith(".") and name.lower().endswith(REPORT_SUFFIXES):
                    f = Path(dirpath) / name
                    add(f, f.relative_to(p))
    return out


def json_paths(inputs: Sequence[Input], json_dir: Path) -> list[Path]:
    """``json_dir/<path below its folder>.json``; a.pdf and a.txt side by side give a.json and
    a.txt.json (names compared ignoring case, for case-insensitive file systems)."""
    taken: set[str] = set()
    out = []
    for inp in inputs:
        rel, name = inp.rel, inp.rel.name
        more = (rel.with_name(f"{name}-{n}.json") for n in itertools.count(2))
        candidates = itertools.chain([rel.with_suffix(".json"), rel.with_name(name + ".json")], more)
        chosen = next(c for c in candidates if str(c).lower() not in taken)
        taken.add(str(chosen).lower())
        out.append(json_dir / chosen)
    return out


class BatchError(RuntimeError):
    """The run itself cannot go on (worker processes cannot start); ``str()`` is one line."""


# ----------------------------------------------------------------------------- workers
_cancelled: Any = None  # the run's multiprocessing Event, in each worker


def _init_worker(cancelled: Any, verbose: bool) -> None:
    """Once per worker: ignore Ctrl+C (the parent decides how to stop), import and load
    everything a job needs, so that jobs only read and check."""
    global _cancelled
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _cancelled = cancelled
    _exit_with_parent()
    logging.basicConfig(level=logging.INFO if verbose else logging.CRITICAL, format="%(message)s")
    if not verbose:
        import warnings

        warnings.simplefilter("ignore")  # library warnings would tear the progress bar
    import tabledesk.exports.json_export  # noqa: F401
    import tabledesk.review.review  # noqa: F401
    import tabledesk.sources.html  # noqa: F401
    import tabledesk.sources.pdf.extract  # noqa: F401
    import tabledesk.sources.text  # noqa: F401
    from tabledesk.templates.registry import load_templates

    load_templates()


def _exit_with_parent() -> None:
    """End this worker as soon as the process that started it is gone (killed, crashed): an
    orphaned worker would go on reading and writing export JSON nobody asked for any more.
    The parent's sentinel (a pipe the OS closes when the parent dies) wakes a watching thread;
    it works the same on every platform, with no polling."""
    from multiprocessing.connection import wait as wait_for

    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - always started by a pool
        return

    def watch() -> None:
        wait_for([parent.sentinel])
        os._exit(3)

    threading.Thread(target=watch, name="tabledesk-parent-watch", daemon=True).start()


def check_one(job: Job) -> JobResult:
    """Read, check and (optionally) export one document. Never raises for bad input."""
    from tabledesk.core.source import SourceError
    from tabledesk.review.review import Review

    t0, c0 = time.perf_counter(), time.process_time()

    def done(record: DocumentRecord, written: str | None = None, error: str = "") -> JobResult:
        return JobResult(
            job.index, record, written, error, time.perf_counter() - t0, time.process_time() - c0
        )

    try:
        review = Review.open(job.path, template_id=job.template_id, format_id=job.format_id, ocr=job.ocr)
    except SourceError as e:
        return done(DocumentRecord.from_error(job.path, e))
    except Exception as e:  # a bug or a file that breaks a library: one bad input, not the run
        log_failure(log, "%s: reading failed", job.path)
        return done(
            DocumentRecord(
                job.path, DocStatus.UNREADABLE, f"internal error: {type(e).__name__}: {e}", "other"
            )
        )
    record = DocumentRecord.from_review(job.path, review.document, review.results)
    written, error = None, ""
    if job.json_path and not (_cancelled is not None and _cancelled.is_set()):
        from tabledesk.exports.json_export import document_json, write_json

        try:
            Path(job.json_path).parent.mkdir(parents=True, exist_ok=True)
            write_json(job.json_path, document_json(review.document, review.results))
            written = job.json_path
        except OSError as e:
            error = f"{job.json_path}: cannot write: {describe_os_error(e)}"
        except ValueError as e:  # text that cannot be encoded: the record still counts
            log_failure(log, "%s: export JSON not written", job.json_path)
            error = f"{job.json_path}: cannot write: {e}"
    return done(record, written, error)


def run_job(worker: Callable[[Job], JobResult], job: Job) -> JobResult:
    """``worker(job)`` in the worker process, given at most ``job.timeout`` seconds. A reading
    cannot be stopped from outside its thread, so past the limit the document is answered for
    as unreadable and this process ends itself just after: the pool then starts a fresh one
    (and retries the documents that were waiting on this worker)."""
    if not job.timeout:
        return worker(job)
    out: list[JobResult | BaseException] = []

    def work() -> None:
        try:
            out.append(worker(job))
        except BaseException as e:  # noqa: BLE001 - handed to the pool as from the worker itself
            out.append(e)

    thread = threading.Thread(target=work, name="tabledesk-job", daemon=True)
    thread.start()
    thread.join(job.timeout)
    if out:
        if isinstance(out[0], BaseException):
            raise out[0]
        return out[0]
    log.error("%s: still reading after %g s: given up", job.path, job.timeout)
    threading.Timer(0.5, os._exit, args=(4,)).start()  # once the answer below is sent
    reason = f"reading took longer than {job.timeout:g} s: skipped (a damaged or unusual file)"
    return JobResult(
        job.index, DocumentRecord(job.path, DocStatus.UNREADABLE, reason, "timeout"), seconds=job.timeout
    )


# ----------------------------------------------------------------------------- the pool
class BatchRun:
    """Check ``inputs`` in a process pool; iterate for :class:`JobResult` s as they finish.

    Use it as a context manager (or call :meth:`close`) so that an interrupted iteration still
    ends the workers. A worker that dies (a crash in a PDF library, the memory killer) costs
    only the document it was reading: the others in flight are retried one at a time, and the
    one that kills a worker on its own is reported unreadable. When workers cannot even start,
    iteration raises :class:`BatchError`. As with any spawn pool, a script using this must be
    importable (not read from stdin) and guard its entry point with ``if __name__ == "__main__":``.
    """

    def __init__(
        self,
        inputs: Sequence[Input],
        options: BatchOptions | None = None,
        worker: Callable[[Job], JobResult] = check_one,  # a module-level function (pickled by name)
    ) -> None:
        self.options = options or BatchOptions()
        self.worker = worker
        self.inputs = list(inputs)
        jsons = json_paths(self.inputs, self.options.json_dir) if self.options.json_dir else None
        self.jobs = [
            Job(
                i,
                str(inp.path),
                str(jsons[i]) if jsons else None,
                self.options.template_id,
                self.options.format_id,
                self.options.ocr,
                self.options.timeout,
            )
            for i, inp in enumerate(self.inputs)
        ]
        self.workers = max(1, min(self.options.jobs or default_jobs(), len(self.jobs) or 1))
        self._cancel = threading.Event()
        self._ctx = multiprocessing.get_context("spawn")
        self._mp_cancel = self._ctx.Event()
        self._executor: ProcessPoolExecutor | None = None
        self._inflight: dict[Future[JobResult], Job] = {}
        self._alone: set[int] = set()  # jobs retried on their own after a worker died
        self._worked = False  # a worker has finished a job: workers can start
        self._broken_pools = 0

    def __enter__(self) -> BatchRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Stop soon: no new documents start; iteration ends. Safe from any thread."""
        self._cancel.set()
        self._mp_cancel.set()

    def run(self, on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
        """Run to the end (or until cancelled), calling ``on_result`` as each document is done
        (in this thread); returns the results in input order."""
        out: list[JobResult] = []
        with self:
            for r in self:
                out.append(r)
                if on_result is not None:
                    on_result(r)
        return sorted(out, key=lambda r: r.index)

    def __iter__(self) -> Iterator[JobResult]:
        def size(job: Job) -> int:
            try:
                return os.path.getsize(job.path)
            except OSError:
                return 0

        queue = deque(sorted(self.jobs, key=size, reverse=True))
        suspects: deque[Job] = deque()  # in flight when a worker died: retried alone
        try:
            while (queue or suspects or self._inflight) and not self.cancelled:
                self._fill(queue, suspects)
                done, _ = wait(list(self._inflight), timeout=0.2, return_when=FIRST_COMPLETED)
                broken = False
                for fut in done:
                    job = self._inflight.pop(fut)
                    try:
                        res = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        if job.index in self._alone:  # it killed its worker on its own
                            yield self._crashed(job)
                        else:
                            suspects.append(job)
                    except Exception as e:  # e.g. a result that could not be sent back
                        rec = DocumentRecord(job.path, DocStatus.UNREADABLE, f"internal error: {e}", "other")
                        yield JobResult(job.index, rec)
                    else:
                        self._worked = True
                        yield replace(res, record=res.record.interned())
                if broken:
                    self._broken_pools += 0 if self._worked else 1
                    if self._broken_pools >= 3:
                        raise BatchError(
                            "the worker processes stop before reading anything (a broken "
                            "installation, or a script without an `if __name__ == '__main__':` guard)"
                        )
                    suspects.extend(self._inflight.values())
                    self._inflight.clear()
                    self._stop_workers()
        finally:
            self.close()

    def _fill(self, queue: deque[Job], suspects: deque[Job]) -> None:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=self._ctx,
                initializer=_init_worker,
                initargs=(self._mp_cancel, self.options.verbose),
            )
        # Workers start ignoring Ctrl+C, even before their initializer; once they are all
        # running, Ctrl+C is never ignored here (one pressed while jobs were handed out was lost)
        starting = len(getattr(self._executor, "_processes", None) or {}) < self.workers
        with _sigint_ignored() if starting else contextlib.nullcontext():
            if suspects:
                if not self._inflight:
                    job = suspects.popleft()
                    self._alone.add(job.index)
                    self._inflight[self._executor.submit(run_job, self.worker, job)] = job
                return
            while queue and len(self._inflight) < 2 * self.workers:
                job = queue.popleft()
                self._inflight[self._executor.submit(run_job, self.worker, job)] = job

    def _crashed(self, job: Job) -> JobResult:
        rec = DocumentRecord(job.path, DocStatus.UNREADABLE, "the reader crashed on this file", "other")
        return JobResult(job.index, rec)

    def _stop_workers(self) -> None:
        """End the pool now; remove temp files of exports that were being written."""
        ex, self._executor = self._executor, None
        if ex is None:
            return
        for p in list(getattr(ex, "_processes", {}).values()):  # no public way before 3.14
            with contextlib.suppress(Exception):
                p.terminate()
        ex.shutdown(wait=True, cancel_futures=True)
        targets: dict[Path, set[str]] = {}
        for job in self.jobs:
            if job.json_path:
                t = Path(job.json_path)
                targets.setdefault(t.parent, set()).add(temp_prefix(t))
        for folder, prefixes in targets.items():
            # exports/atomic.py names its temp files "<temp_prefix(target)><random>.tmp"
            for tmp in folder.glob(".td*.tmp") if folder.is_dir() else ():
                if tmp.name[: len(".td") + 9] in prefixes:
                    with contextlib.suppress(OSError):
                        tmp.unlink()

    def close(self) -> None:
        """Stop the workers (busy ones too). Complete files stay; half-written ones go."""
        if self._executor is None:
            return
        if self._inflight or self.cancelled:
            self.cancel()
            self._inflight.clear()
            self._stop_workers()
        else:
            ex, self._executor = self._executor, None
            ex.shutdown(wait=True)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT while worker processes may be started: a process started while SIGINT is
    ignored keeps ignoring it from its first instruction (only possible in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
