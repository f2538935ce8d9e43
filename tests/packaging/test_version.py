"""The version constant (read on every start without a metadata lookup) is pyproject.toml's."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tabledesk

REPO = Path(__file__).resolve().parents[2]


def test_version_constant_is_the_projects() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert tabledesk.__version__ == project["version"]
