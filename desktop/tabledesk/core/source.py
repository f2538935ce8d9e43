"""What an extractor hands to the template mapping: raw tables and prose with provenance.

Every source kind (PDF, text, HTML, later OCR) is read into an :class:`ExtractedSource`; the
mapping (``mapping/mapper.py``) then fits it onto a template. Extractors do no template logic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from tabledesk.core.provenance import Provenance


class SourceKind(Enum):
    PDF = "pdf"
    TEXT = "text"
    HTML = "html"


class SourceProblem(Enum):
    """Why a source could not be read; the window treats some kinds specially (an image-only PDF
    still opens, with its pages shown and an empty grid to type into)."""

    NOT_FOUND = "not_found"
    UNSUPPORTED = "unsupported"  # a file type we do not read
    CORRUPT = "corrupt"  # corrupt or truncated file
    ENCRYPTED = "encrypted"
    NO_TEXT_LAYER = "no_text_layer"  # image-only PDF: OCR needed
    UNREADABLE_TEXT = "unreadable_text"  # (cid:123) or private-use glyphs: OCR needed
    NO_TEMPLATE = "no_template"  # readable, but no table of any known template
    OTHER = "other"


class SourceError(Exception):
    """A source that cannot be read; ``str()`` is the one line the user sees:
    ``"<path>: <problem>"``."""

    def __init__(self, path: str, problem: str, kind: SourceProblem = SourceProblem.OTHER) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
        self.kind = kind


@dataclass(slots=True)
class RawCell:
    """One printed cell. ``text`` keeps line breaks as ``\\n``; it is NFKC-normalised and cleaned
    of fake-bold doubling but otherwise as printed (the mapping does label normalisation)."""

    text: str
    prov: Provenance
    row_span: int = 1
    col_span: int = 1
    # OCR only: the recogniser's confidence (0..1) in the text, the lowest of the cell's lines;
    # None for text read from a text layer.
    confidence: float | None = None
    # OCR only: each character's confidence, one per character of ``text`` (line breaks 1.0);
    # empty when not known
    char_confidence: tuple[float, ...] = ()
    # OCR only: the weight (0..1) the recogniser gave a minus sign before the first digit of a
    # number it read without one (where the column may be negative, a sign in doubt)
    minus: float = 0.0


@dataclass(slots=True)
class RawTable:
    """A rectangular grid as printed on one page (or one text/HTML table).

    ``cells[r][c]`` is the cell whose top-left corner sits at (r, c); positions covered by a
    merged cell (or empty positions with no cell at all) are ``None``. ``page`` and ``bbox`` are
    set for PDFs, ``line`` (first line) for text sources.
    """

    cells: list[list[RawCell | None]]
    prov: Provenance = field(default_factory=Provenance)
    # x-ranges of the grid's columns in PDF points, when known (lets the mapping align the
    # columns of a table continued on the next page by position rather than by index).
    col_edges: list[tuple[float, float]] | None = None

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.cells), default=0)


@dataclass(slots=True)
class TextLine:
    """One line (PDF) or paragraph line (text/HTML) of prose outside the tables."""

    text: str
    prov: Provenance


@dataclass(slots=True)
class ExtractedSource:
    """A read source: its identity, its tables and its prose, both in reading order.

    ``order`` of tables and lines can be recovered from provenance: (page, top) for PDFs, line
    for text sources; ``blocks`` gives the interleaving directly.
    """

    path: str
    kind: SourceKind
    sha256: str
    pages: int
    tables: list[RawTable] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # PDFs: the tables as read on each page, before the parts of a table continued on the next
    # page were joined, and every page's height — what re-reading one region of a page needs
    # to put the source together again (sources/scan/region.py).
    parts: list[RawTable] = field(default_factory=list)
    page_heights: dict[int, float] = field(default_factory=dict)
    # PDFs read from their text layer: which reader read each page ("pdfium", or "pdfplumber"
    # where pdfium's text could not be trusted), so a misread can be traced to its reader.
    page_readers: dict[int, str] = field(default_factory=dict)
    # A title the source gives outside its text (a web page's <title>): the agency and year
    # when the page itself does not print them.
    title: str = ""

    def blocks(self) -> list[RawTable | TextLine]:
        """Tables and prose lines interleaved in reading order."""

        def key(item: RawTable | TextLine) -> tuple[float, float, float]:
            p = item.prov
            if p.page is not None:
                return (p.page, p.bbox[1] if p.bbox else 0.0, 0.0)
            # a web page saved on one line: the place within the line orders it
            return (0, float(p.line or 0), float(p.chars[0] if p.chars else 0))

        return sorted([*self.tables, *self.lines], key=key)
