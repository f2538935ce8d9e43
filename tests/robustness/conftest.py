"""Shared inputs of the robustness suite: a report in every format, made by code."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.fixtures.html_report import write_html
from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.report_spec import random_spec
from tests.fixtures.text_report import write_text

SAMPLES = REPO / "resources" / "samples"


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Balanced reports: 'pdf' and 'pdf2019' (rendered), 'txt', 'html', and the shipped samples
    'sample_pdf' and 'sample_txt' (each test copies what it changes)."""
    d = tmp_path_factory.mktemp("reports")
    out = {
        "pdf": render_pdf(random_spec(random.Random(11), "2021"), d / "r2021.pdf"),
        "pdf2019": render_pdf(random_spec(random.Random(12), "2019"), d / "r2019.pdf"),
        "txt": write_text(random_spec(random.Random(13), "2021"), d / "r.txt"),
        "html": write_html(random_spec(random.Random(14), "2021"), d / "r.html"),
    }
    for key, name in (("sample_pdf", "sample-report-2023.pdf"), ("sample_txt", "sample-report-2023.txt")):
        out[key] = Path(shutil.copy(SAMPLES / name, d / name))
    return out
