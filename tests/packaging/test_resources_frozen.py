"""resources.py finds resources/ both in the source tree and in a frozen (PyInstaller) layout.

The frozen-like layout is the one the spec produces: ``<app>/_internal/`` holds the tabledesk
package and ``resources/``, and the bootloader sets ``sys.frozen`` and ``sys._MEIPASS`` to that
folder. ``<app>/resources`` does not exist there, so code that found resources relative to its
own file instead of asking resources.py would fail in the child process below.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tabledesk import resources
from tabledesk.resources import resource_path, resources_root

REPO = Path(__file__).resolve().parents[2]


def test_source_tree_resources_are_the_repository_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert resources_root() == REPO / "resources"
    assert resource_path("templates", "gov-disclosure-annual.toml").is_file()
    assert resource_path("icons", "tabledesk.svg").is_file()


def test_frozen_resources_are_under_meipass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert resources.resources_root() == tmp_path / "_internal" / "resources"
    assert resource_path("translations", "tabledesk_zh_CN.qm") == (
        tmp_path / "_internal" / "resources" / "translations" / "tabledesk_zh_CN.qm"
    )


CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    internal = Path(sys.argv[1])
    sys.frozen = True            # what PyInstaller's bootloader sets
    sys._MEIPASS = str(internal)
    sys.path.insert(0, str(internal))

    import tabledesk
    from tabledesk.__main__ import main
    from tabledesk.resources import resources_root
    from tabledesk.templates.registry import builtin_template
    from tabledesk.ui.i18n import translation_file
    from tabledesk.ui.settings import Language

    template = builtin_template()
    code = main(["export", sys.argv[2], "-o", sys.argv[3]])
    print(json.dumps({
        "package": tabledesk.__file__,
        "resources": str(resources_root()),
        "translation": translation_file(Language.ZH_CN),
        "template": getattr(template, "id", None),
        "code": code,
    }))
    """
)


@pytest.fixture(scope="module")
def frozen_layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    internal = tmp_path_factory.mktemp("app") / "_internal"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "desktop" / "tabledesk", internal / "tabledesk", ignore=ignore)
    shutil.copytree(REPO / "resources", internal / "resources", ignore=ignore)
    return internal


def test_the_app_runs_from_a_frozen_like_layout(frozen_layout: Path, tmp_path: Path) -> None:
    sample = frozen_layout / "resources" / "samples" / "sample-report-2023.pdf"
    out = tmp_path / "sample.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(frozen_layout), str(sample), str(out)],
        cwd=tmp_path,  # not the repository: nothing may be found relative to the working folder
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert Path(seen["package"]).is_relative_to(frozen_layout), "imported the source tree, not the copy"
    assert Path(seen["resources"]) == frozen_layout / "resources"
    assert Path(seen["translation"]).is_file()
    assert Path(seen["translation"]).is_relative_to(frozen_layout)
    assert seen["code"] in (0, 1)  # 1: the sample has a failing check on purpose
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["template"]["id"] == "gov-disclosure-annual"
    assert any(t["found"] for t in exported["tables"])
