"""Item 5: when the parent of a check run is killed (SIGKILL: no clean-up of its own), its
workers and the resource tracker end too instead of reading and writing on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

PARENT = """
import sys
from pathlib import Path
from tabledesk.batch.pool import BatchOptions, BatchRun, Input
from tests.robustness.slow_worker import slow

if __name__ == "__main__":
    d = Path(sys.argv[1])
    inputs = [Input(d / f"doc{i}.txt", Path(f"doc{i}.txt")) for i in range(2)]
    BatchRun(inputs, BatchOptions(jobs=2, timeout=0), worker=slow).run()
"""


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text(encoding="ascii")
        out |= {int(x) for x in text.split()}
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_workers_end_when_the_parent_is_killed(tmp_path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "desktop"), str(REPO)])}
    parent = subprocess.Popen(  # stderr: the orphaned tracker's notes on the semaphores it frees
        [sys.executable, str(script), str(tmp_path)], cwd=REPO, env=env, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 90
        while len(list(tmp_path.glob("doc*.pid"))) < 2:
            assert time.monotonic() < deadline, "the workers did not start"
            assert parent.poll() is None, "the parent ended early"
            time.sleep(0.2)
        workers = {int(p.name.split(".")[-2]) for p in tmp_path.glob("doc*.pid")}
        family = _children(parent.pid)  # the workers and the resource tracker
        assert workers <= family
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 15
        while any(_alive(p) for p in family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in family if _alive(p)], "orphaned processes still running"
        beats = {p: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.beat")}
        time.sleep(0.5)
        assert beats == {p: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.beat")}
    finally:
        if parent.poll() is None:
            parent.kill()
