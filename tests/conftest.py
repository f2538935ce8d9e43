"""Shared test set-up: the real corpus beside the repository, and Qt kept offscreen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """../shared/corpus (real reports with hand-read truth); skipped where it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus not present: the real reports are only beside the repo in CI")
    return CORPUS


@pytest.fixture(autouse=True)
def _private_user_data(tmp_path_factory, monkeypatch):
    """The user's data folder (recovery store, own templates) in a temp folder for every test,
    so that nothing on the machine running the tests changes their verdict."""
    data = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("LOCALAPPDATA", str(data))
    # `--template FILE` adds the file here for the run: restored after each test
    monkeypatch.setenv("TABLEDESK_TEMPLATES", "")
