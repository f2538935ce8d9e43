"""The scans the OCR tests read are the same on every machine, whatever fonts it has: every
fixture PDF embeds the fonts it draws with (tests/fixtures/fonts.py)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pdfplumber
from pdfminer.pdftypes import resolve1

from tests.fixtures.fonts import FIXTURE_FONTS, font_file
from tests.fixtures.pdf_report import render_pdf
from tests.fixtures.report_spec import random_spec

ROOT = Path(__file__).resolve().parents[3]


def _scan_hash(pdf: Path, dest: Path, font_dirs: list[str]) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "desktop"), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-m", "tests.fixtures.scan_with_fonts", str(pdf), str(dest), *font_dirs],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return done.stdout.strip()


def _font_sets(tmp_path: Path) -> list[list[str]]:
    """No font at all; the system's fonts; and the system's with the Chinese fonts pdfium
    prefers for an unembedded Chinese font put first (AR PL UMing, WenQuanYi), where installed."""
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    extra = sorted({str(p.parent) for f in FIXTURE_FONTS.values() if (p := font_file(f)) is not None})
    return [[str(empty)], ["/usr/share/fonts"], [*extra, "/usr/share/fonts"]]


def test_a_fixture_scan_is_the_same_bytes_whatever_fonts_the_machine_has(tmp_path) -> None:
    pdf = render_pdf(random_spec(random.Random(3), "2019"), tmp_path / "r.pdf")
    hashes = {_scan_hash(pdf, tmp_path / f"s{k}.pdf", dirs) for k, dirs in enumerate(_font_sets(tmp_path))}
    assert len(hashes) == 1


def test_an_unembedded_font_scans_differently_with_other_fonts_installed(tmp_path) -> None:
    """The control: reportlab's built-in STSong-Light names a font without embedding it, and
    its scan changes with the machine's fonts (why the fixtures embed theirs)."""
    pdf = render_pdf(random_spec(random.Random(3), "2019", font="STSong-Light"), tmp_path / "r.pdf")
    hashes = {_scan_hash(pdf, tmp_path / f"s{k}.pdf", dirs) for k, dirs in enumerate(_font_sets(tmp_path))}
    assert len(hashes) > 1


def test_every_font_a_fixture_pdf_draws_with_is_embedded(tmp_path) -> None:
    pdf = render_pdf(random_spec(random.Random(3), "2019", fake_bold=True), tmp_path / "r.pdf")
    fonts = {}
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            used = {ch["fontname"] for ch in page.chars}
            for f in resolve1(page.page_obj.resources["Font"]).values():
                font = resolve1(f)
                if resolve1(font["BaseFont"]).name in used:
                    fonts[resolve1(font["BaseFont"]).name] = font
    assert fonts
    for name, font in fonts.items():
        descendants = [resolve1(d) for d in resolve1(font.get("DescendantFonts", []))]
        descriptor = resolve1(font.get("FontDescriptor") or descendants[0].get("FontDescriptor"))
        assert any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3")), (
            name,
            font.get("BaseFont"),
        )
