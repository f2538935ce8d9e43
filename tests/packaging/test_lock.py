"""One lock for every build (packaging/constraints.txt) and the CI workflow that builds, installs
and smoke-tests on Windows and Linux (.github/workflows/build.yml): what they must say, read as
files, since the workflow itself cannot run here."""

from __future__ import annotations

import re
import sys
import tomllib

import pytest
from packaging.requirements import Requirement

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "packaging"))
import build  # noqa: E402  (packaging/build.py)

WORKFLOW = REPO / ".github" / "workflows" / "build.yml"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _requirements(*extras: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    reqs = list(project["dependencies"])
    for extra in extras:
        reqs += [r for r in project["optional-dependencies"][extra] if not r.startswith("tabledesk")]
    return [Requirement(r) for r in reqs]


def test_every_runtime_build_and_ocr_dependency_is_locked_within_its_range():
    pins = build.pins()
    for req in _requirements("build", "ocr"):
        name = build.normalise(req.name)
        assert name in pins, f"{req.name} is not in packaging/constraints.txt"
        assert req.specifier.contains(pins[name]), f"{req.name}=={pins[name]} is outside {req.specifier}"
    assert "rapidocr-onnxruntime" in pins  # installed with --no-deps: only the lock pins it


def test_pandas_and_pypdfium2_have_upper_bounds():
    for req in _requirements():
        if req.name in ("pandas", "pypdfium2"):
            assert any(s.operator == "<" for s in req.specifier), req


def test_this_environment_matches_the_lock():
    """The tests ran with the versions a bundle carries (build.py refuses to build otherwise)."""
    assert build.lock_drift() == []


def test_every_install_uses_the_lock():
    texts = {
        "workflow": WORKFLOW.read_text(encoding="utf-8"),
        "setup.sh": (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8"),
        "packaging/README": (REPO / "packaging" / "README.md").read_text(encoding="utf-8"),
        "README": (REPO / "README.md").read_text(encoding="utf-8"),
    }
    for where, text in texts.items():
        installs = [
            line
            for line in text.splitlines()
            if re.search(r"pip install\s", line)
            and "--upgrade pip" not in line
            and not line.lstrip().startswith("#")
            and "`" not in line  # prose naming a command
        ]
        assert installs, where
        for line in installs:
            assert re.search(r"-c packaging[/\\]constraints\.txt", line), (where, line)


def test_the_workflow_builds_installs_and_smoke_tests_on_windows_and_linux():
    yaml = pytest.importorskip("yaml")
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = flow["jobs"]
    assert jobs["windows"]["runs-on"].startswith("windows") and jobs["linux"]["runs-on"].startswith("ubuntu")
    win = "\n".join(s.get("run", "") for s in jobs["windows"]["steps"])
    assert "packaging\\build.py --variant plain --no-window" in win
    assert "ISCC" in win and "packaging\\tabledesk.iss" in win
    assert all(flag in win for flag in ("/VERYSILENT", "/CURRENTUSER", "/SUPPRESSMSGBOXES"))
    assert "packaging\\smoke.py --no-window $env:APP" in win and "unins000.exe" in win
    lin = "\n".join(s.get("run", "") for s in jobs["linux"]["steps"])
    assert "packaging/build.py --variant plain" in lin and "packaging/smoke.py ~/.local/opt/tabledesk" in lin
    assert "pytest" in lin
    readme = (REPO / "packaging" / "README.md").read_text(encoding="utf-8")
    assert ".github/workflows/build.yml" in readme
