"""A long PDF's first tables handed over while the rest is read (sources/pdf/early.py): each
hand-over holds the pages read so far and only those, and the whole source the reader returns
is the same as without hand-overs — nothing shown early is lost or kept twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabledesk.core.source import ExtractedSource
from tabledesk.sources.pdf import extract
from tabledesk.sources.pdf.extract import read_pdf
from tests.fixtures.long_report import render_long_report


class _Recorder:
    """Takes every hand-over it is offered (or none), noting what it was asked."""

    def __init__(self, wanted: bool = True) -> None:
        self.wanted = wanted
        self.asked: list[tuple[int, int]] = []
        self.taken: list[ExtractedSource] = []

    def wants(self, pages_read: int, pages: int) -> bool:
        self.asked.append((pages_read, pages))
        return self.wanted

    def take(self, source: ExtractedSource) -> None:
        self.taken.append(source)


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_long_report(tmp_path_factory.mktemp("early") / "long.pdf", pages=12)


def _cells(src: ExtractedSource) -> list[tuple[int | None, str]]:
    return [(c.prov.page, c.text) for t in src.tables for row in t.cells for c in row if c is not None]


def test_the_first_tables_are_handed_over_before_the_last_page_is_read(long_pdf: Path) -> None:
    plain = read_pdf(long_pdf)
    early = _Recorder()
    whole = read_pdf(long_pdf, early=early)
    assert _cells(whole) == _cells(plain) and whole.page_readers == plain.page_readers
    assert [ln.text for ln in whole.lines] == [ln.text for ln in plain.lines]
    # the four tables lie on pages far apart: one hand-over for each page that brought tables
    table_pages = sorted({t.prov.page for t in whole.parts if t.prov.page is not None})
    assert len(early.taken) == len(table_pages) >= 3
    for part in early.taken:
        read = sorted(part.page_heights)
        assert read == list(range(1, len(read) + 1)) and len(read) < whole.pages
        assert part.pages == whole.pages and part.sha256 == whole.sha256
        # exactly the tables of the pages read: none from later pages, none missing, none twice
        mine = [c for c in _cells(whole) if c[0] is not None and c[0] <= read[-1]]
        assert sorted(_cells(part)) == sorted(mine)
    assert [len(p.page_heights) for p in early.taken] == table_pages[: len(early.taken)]
    # asked only when a page brought new tables, never after the last (that is the whole)
    assert early.asked == [(k, whole.pages) for k in table_pages if k < whole.pages]


def test_a_hand_over_declined_waits_for_the_next_page(long_pdf: Path) -> None:
    early = _Recorder(wanted=False)
    n = read_pdf(long_pdf, early=early).pages
    assert early.taken == []
    # asked after every page from the first table's on, while its tables wait to be handed over
    assert early.asked == [(k, n) for k in range(1, n)]


def test_pages_read_by_the_other_process_are_not_handed_over_one_by_one(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On two processes, the first half is read here page by page and handed over as it comes;
    the second half arrives all at once with the whole document."""
    monkeypatch.setattr(extract, "POOL_MIN_PAGES", 2)
    early = _Recorder()
    whole = read_pdf(long_pdf, workers=2, early=early)
    assert _cells(whole) == _cells(read_pdf(long_pdf, workers=1))
    mid = (whole.pages + 1) // 2
    assert early.taken and all(len(p.page_heights) <= mid for p in early.taken)
    assert max(k for k, _ in early.asked) <= mid
