"""The frozen Linux build: PyInstaller builds dist/tabledesk, and the built executable works.

Slow (about 1.5 minutes on 2 cores), so it runs in CI (``CI=true``) and locally only on request:
``TABLEDESK_FROZEN_BUILD=1 .venv/bin/python -m pytest tests/packaging/test_frozen_build.py``.
The build and the smoke checks are packaging/build.py's own (export of the bundled sample,
``check`` with two spawned workers, the window under Xvfb timed to first show); this test
asserts on the report it writes and on what the folder holds.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "dist"
FOLDER = DIST / "tabledesk"
MAX_MIB = 400  # the plain build is ~270 MiB; far more means something unwanted came along

pytestmark = [
    pytest.mark.frozen,
    pytest.mark.skipif(
        os.environ.get("CI", "").lower() != "true" and os.environ.get("TABLEDESK_FROZEN_BUILD") != "1",
        reason="the frozen build takes ~1.5 min: runs in CI, or locally with TABLEDESK_FROZEN_BUILD=1",
    ),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the CI smoke build is Linux's"),
]


@pytest.fixture(scope="module")
def build_report() -> dict:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail("PyInstaller is missing: pip install -e '.[build]' (the dev extra includes it)")
    proc = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build.py"), "--variant", "plain"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=600,
    )
    print(proc.stdout)  # the figures, in the test log
    assert proc.returncode == 0, f"{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return json.loads((DIST / "build-report.json").read_text(encoding="utf-8"))["plain"]


def test_the_built_app_exports_checks_and_shows_its_window(build_report: dict, capsys) -> None:
    smoke = build_report["smoke"]
    assert smoke["export_tables"] >= 1
    assert smoke["check_seconds"] > 0
    assert smoke["window_seconds"], "the window was not timed"
    with capsys.disabled():
        print(
            f"\nfrozen build: {build_report['build_seconds']} s to build, "
            f"{build_report['size_bytes'] / 2**20:.0f} MiB, first window after "
            f"{smoke['window_seconds'][0]} s (cold: {smoke['window_cold']})"
        )


def test_the_build_holds_only_what_the_app_uses(build_report: dict) -> None:
    internal = FOLDER / "_internal"
    names = {p.name for p in internal.rglob("*")}
    assert build_report["size_bytes"] < MAX_MIB * 2**20
    # The resources the app looks up through resources.py.
    for part in ("templates/gov-disclosure-annual.toml", "translations/tabledesk_zh_CN.qm",
                 "samples/sample-report-2023.pdf", "icons/tabledesk-64.png",
                 "export.schema.json"):  # fmt: skip
        assert (internal / "resources" / part).is_file(), part
    # Qt: no QML/Quick/WebEngine; the plain variant: no OCR engine.
    assert not any(n.startswith(("libQt6Qml", "libQt6Quick", "libQt6WebEngine", "libQt6Pdf")) for n in names)
    assert not {"onnxruntime", "cv2", "rapidocr_onnxruntime"} & names
    # Metadata for the version and the About box's licence list.
    assert any(n.startswith("tabledesk-") and n.endswith(".dist-info") for n in names)
    assert any(n.lower().startswith("pandas-") and n.endswith(".dist-info") for n in names)
    assert "direct_url.json" not in names, "the build machine's paths are not shipped"
