"""Small helpers shared by the benchmark scripts (timing, result files)."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CORPUS = ROOT.parent / "shared" / "corpus"

# The benchmarks import the test fixture generators (tests/fixtures) from the source tree.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timeit(fn: Callable[[], object], *, repeat: int = 200, warmup: int = 5) -> dict[str, float]:
    """Median and best wall time of ``fn`` in milliseconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return {"median_ms": statistics.median(times), "best_ms": min(times), "runs": repeat}


def save(name: str, data: dict[str, object]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux carries ru_maxrss over an exec (a child
    started by a big parent would report the parent's size), so read the high-water mark of
    this image where /proc has it."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return _maxrss_mb(resource.RUSAGE_SELF)


def children_peak_rss_mb() -> float:
    """The largest peak resident memory of this process's children that have ended."""
    return _maxrss_mb(resource.RUSAGE_CHILDREN)


def _maxrss_mb(who: int) -> float:
    rss = resource.getrusage(who).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024  # bytes on macOS, KiB elsewhere
