"""Small helpers shared by the benchmark scripts (timing, result files)."""

from __future__ import annotations

import json
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
