"""Reading a report published as a web page (or saved by a browser, or exported by Word).

The page is parsed with the standard library's tolerant tokenizer into a small tree, repairing
the tag soup government sites serve the way browsers do where it matters here (unclosed
``<td>``/``<tr>``/``<p>``/``<li>``, stray end tags, a ``<head>`` that is never closed). Scripts,
styles, the head, forms' drop-downs and hidden elements are ignored. A ``<table>`` becomes a
:class:`RawTable` with row and column spans expanded onto a rectangular grid; a table that holds
other tables (page layout), a single cell, or a cell of paragraphs is read as ordinary flow, so
the report's tables nested in a site's layout still come out as tables. Text outside tables
becomes one :class:`TextLine` per block element or ``<br>``.

Provenance is the source file's line and the ``[start, end)`` column range of the text on its
first line (from the tokenizer's positions), so the window can point at the source. A
single-file web archive (.mht) is read through the page inside it (positions then count in that
page, and a warning says so).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.entities import html5
from html.parser import HTMLParser
from pathlib import Path

from tabledesk.core.provenance import Provenance
from tabledesk.core.source import (
    ExtractedSource,
    RawCell,
    RawTable,
    SourceError,
    SourceKind,
    SourceProblem,
    TextLine,
)
from tabledesk.sources.encoding import declared_charset, decode_bytes, read_bytes, web_archive_page
from tabledesk.sources.text import clean

VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen basefont bgsound"
    " frame".split()
)
# Never shown as page text (a <select> is a navigation drop-down, a <button> says 打印/关闭).
IGNORED = frozenset(
    "script style head noscript template title iframe object svg math select textarea button"
    " frameset xml".split()
)
HEAD_ONLY = frozenset("meta link title style script base noscript template object".split())
BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table tr td th caption blockquote pre section article"
    " header footer nav aside main address hr figure figcaption form fieldset legend center details"
    " summary body html tbody thead tfoot".split()
)
# Block starts close an open <p> (browsers do the same: "close a p element").
_CLOSES_P = BLOCKS - {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "body", "html"}
_TABLE_PARTS = {"td", "th", "tr", "tbody", "thead", "tfoot", "caption"}
_CELL_SCOPE = {"td", "th", "table", "caption"}
_SPACE = " \t\n\r\f\xa0\u3000"
_MAX_DEPTH = 200
_LONG_CELL = 200  # characters: more than any printed table cell, less than a paragraph
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")

Pos = tuple[int, int]
Char = tuple[str, int, int, int]  # character, line, start column, end column


@dataclass(slots=True)
class _Text:
    data: str
    line: int
    col: int
    entity: bool = False  # "&nbsp;": every character points at the whole reference
    end_col: int = 0  # for entities: where the reference ends (the next token's start)


@dataclass(slots=True)
class _Elem:
    tag: str
    attrs: dict[str, str]
    line: int
    col: int
    parent: _Elem | None = None
    children: list[_Elem | _Text] = field(default_factory=list)

    def hidden(self) -> bool:
        if self.tag in IGNORED or "hidden" in self.attrs:
            return True
        style = re.sub(r"\s", "", self.attrs.get("style", "").lower())
        return "display:none" in style or "visibility:hidden" in style


class _TreeBuilder(HTMLParser):
    """Tokens to a tree, with the few tag-soup repairs a report page needs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.root = _Elem("#document", {}, 1, 0)
        self.stack = [self.root]
        self._entity: _Text | None = None

    def _mark(self) -> Pos:
        pos = self.getpos()
        if self._entity is not None:  # an entity ends where the next token starts
            ent = self._entity
            if pos[0] == ent.line:
                ent.end_col = pos[1]
            self._entity = None
        return pos

    def _pop_through(self, name: str, boundary: set[str]) -> bool:
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag == name:
                del self.stack[i:]
                return True
            if tag in boundary:
                return False
        return False

    def _append(self, node: _Elem | _Text) -> None:
        parent = self.stack[-1]
        parent.children.append(node)
        if isinstance(node, _Elem):
            node.parent = parent

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self._mark()
        tag = tag.lower()
        if self.stack[-1].tag == "head" and tag not in HEAD_ONLY:
            self._pop_through("head", set())
        if tag in _CLOSES_P:
            self._pop_through("p", _CELL_SCOPE)
        if tag == "li":
            self._pop_through("li", _CELL_SCOPE | {"ul", "ol"})
        elif tag in ("dt", "dd"):
            for other in ("dt", "dd"):
                self._pop_through(other, _CELL_SCOPE | {"dl"})
        elif tag in ("td", "th"):
            for other in ("td", "th"):
                self._pop_through(other, {"table", "tr"})
        elif tag == "tr":
            self._pop_through("tr", {"table"})
        elif tag in ("tbody", "thead", "tfoot"):
            for part in ("tr", "tbody", "thead", "tfoot"):
                self._pop_through(part, {"table"})
        elem = _Elem(tag, {k.lower(): (v or "") for k, v in attrs}, line, col)
        self._append(elem)
        # Old pages leave thousands of <font> tags open; past a sane depth an element takes no
        # children (its text goes to its parent), which keeps the recursive walk shallow.
        depth = len(self.stack)
        if tag not in VOID and (
            depth < _MAX_DEPTH or (tag in _TABLE_PARTS | {"table"} and depth < 2 * _MAX_DEPTH)
        ):
            self.stack.append(elem)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() not in VOID and self.stack[-1].tag == tag.lower():
            self.stack.pop()  # <div/> in XHTML-ish pages

    def handle_endtag(self, tag: str) -> None:
        line, col = self._mark()
        tag = tag.lower()
        if tag == "br":  # </br> is a line break in every browser
            self._append(_Elem("br", {}, line, col))
            return
        if tag == "table":
            self._pop_through("table", set())
        elif tag in _TABLE_PARTS:
            self._pop_through(tag, {"table"})
        elif not self._pop_through(tag, _CELL_SCOPE) and tag == "p":
            self._append(_Elem("p", {}, line, col))  # a stray </p> still breaks the line

    def handle_data(self, data: str) -> None:
        line, col = self._mark()
        if self.stack[-1].tag == "head" and data.strip(_SPACE):
            self._pop_through("head", set())
        self._append(_Text(data, line, col))

    def _entity_text(self, text: str) -> None:
        line, col = self._mark()
        node = _Text(text, line, col, entity=True, end_col=col + len(text))
        self._append(node)
        self._entity = node

    def handle_entityref(self, name: str) -> None:
        self._entity_text(html5.get(name + ";", html5.get(name, f"&{name}")))

    def handle_charref(self, name: str) -> None:
        try:
            code = int(name[1:], 16) if name[:1] in ("x", "X") else int(name)
            text = chr(code) if 0 < code < 0x110000 else "\ufffd"
        except ValueError:
            text = f"&#{name}"
        self._entity_text(text)

    def handle_comment(self, data: str) -> None:
        self._mark()

    def unknown_decl(self, data: str) -> None:
        self._mark()


class _Buffer:
    """Characters with their source positions, cut into segments at hard breaks."""

    def __init__(self) -> None:
        self.segments: list[list[Char]] = [[]]

    def add_text(self, node: _Text, pre: bool) -> None:
        seg = self.segments[-1]
        if node.entity:  # an entity: all its characters point at its source
            for ch in node.data:
                seg.append((ch, node.line, node.col, node.end_col))
            return
        line, col = node.line, node.col
        for ch in node.data:
            if ch == "\n" and pre:
                self.hard_break()
                seg = self.segments[-1]
            else:
                seg.append((ch, line, col, col + 1))
            if ch == "\n":
                line, col = line + 1, 0
            else:
                col += 1

    def hard_break(self) -> None:
        if self.segments[-1]:
            self.segments.append([])

    def take(self) -> list[tuple[str, Provenance]]:
        out = [_render(seg) for seg in self.segments]
        self.segments = [[]]
        return [x for x in out if x[0]]


def _render(seg: list[Char]) -> tuple[str, Provenance]:
    """Collapse white space as a browser does (dropping a source line break between two Chinese
    characters, which browsers render as nothing in Chinese text) and normalise."""
    chars: list[Char] = []
    i = 0
    while i < len(seg):
        if seg[i][0] not in _SPACE:
            chars.append(seg[i])
            i += 1
            continue
        j = i
        while j < len(seg) and seg[j][0] in _SPACE:
            j += 1
        newline = any(c[0] == "\n" for c in seg[i:j])
        before = chars[-1][0] if chars else ""
        after = seg[j][0] if j < len(seg) else ""
        if chars and after and not (newline and _CJK.match(before) and _CJK.match(after)):
            chars.append((" ", *seg[i][1:]))
        i = j
    if not chars:
        return "", Provenance()
    first = chars[0]
    last = max((c for c in chars if c[1] == first[1]), key=lambda c: c[3])
    text = clean("".join(c[0] for c in chars)).strip()
    return text, Provenance(line=first[1], chars=(first[2], last[3]))


def _span(value: str | None, limit: int) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    n = int(m.group(1)) if m else 1
    return max(0, min(n, limit))


# A report table is a few hundred cells; a page's tables together rarely reach ten thousand.
# Spans let a few bytes claim millions of grid positions (colspan=1000 on every cell of a long
# table): past these limits a table is left out with a warning, so a small hostile page costs
# a few megabytes and a second, not gigabytes and minutes.
MAX_TABLE_CELLS = 20_000  # grid positions (rows x columns) of one table
MAX_PAGE_CELLS = 200_000  # of all the page's tables


class _Emitter:
    def __init__(self) -> None:
        self.tables: list[RawTable] = []
        self.lines: list[TextLine] = []
        self.warnings: list[str] = []
        self.buf = _Buffer()
        self.cells = 0  # grid positions of the tables so far

    def flush(self) -> None:
        self.lines.extend(TextLine(t, p) for t, p in self.buf.take())

    def flow(self, node: _Elem | _Text, buf: _Buffer | None = None, pre: bool = False) -> None:
        """Walk ``node``; with ``buf`` given (a table cell) blocks become line breaks."""
        if isinstance(node, _Text):
            (buf if buf is not None else self.buf).add_text(node, pre)
            return
        if node.hidden():
            return
        tag = node.tag
        if tag == "br":
            self._break(buf)
            return
        if tag == "table" and buf is None and not _is_layout(node):
            self.flush()
            self.table(node)
            return
        block = tag in BLOCKS
        if block:
            self._break(buf)
        for child in node.children:
            self.flow(child, buf, pre or tag == "pre")
        if block:
            self._break(buf)

    def _break(self, buf: _Buffer | None) -> None:
        if buf is not None:
            buf.hard_break()
        else:
            self.flush()

    def table(self, node: _Elem) -> None:
        rows: list[list[_Elem]] = []
        for el in _table_items(node):
            if el.tag == "caption":
                self.flow(el)
                self.flush()
            elif el.tag == "tr":
                rows.append([c for c in _row_cells(el)])
        grid: dict[tuple[int, int], RawCell | None] = {}
        placed: list[tuple[int, int, RawCell]] = []
        limit = min(MAX_TABLE_CELLS, MAX_PAGE_CELLS - self.cells)
        for r, cells in enumerate(rows):
            c = 0
            for td in cells:
                while (r, c) in grid:
                    c += 1
                rs = _span(td.attrs.get("rowspan"), 65534) or len(rows) - r  # 0 = to the end
                cs = _span(td.attrs.get("colspan"), 1000) or 1
                rs = min(rs, len(rows) - r)
                if len(grid) + rs * cs > limit:
                    self._too_big(node, limit)
                    return
                buf = _Buffer()
                for child in td.children:
                    self.flow(child, buf)
                parts = buf.take()
                text = "\n".join(t for t, _ in parts)
                prov = parts[0][1] if parts else Provenance(line=td.line, chars=(td.col, td.col))
                cell = RawCell(text, prov, row_span=rs, col_span=cs)
                for dr in range(rs):
                    for dc in range(cs):
                        grid[(r + dr, c + dc)] = None
                placed.append((r, c, cell))
                c += cs
        if not rows:
            return
        width = max((c + 1 for _, c in grid), default=0)
        if width * len(rows) > limit:  # short rows under one long one still fill the grid
            self._too_big(node, limit)
            return
        self.cells += width * len(rows)
        cells_out: list[list[RawCell | None]] = [[None] * width for _ in rows]
        for r, c, cell in placed:
            cells_out[r][c] = cell
        self.tables.append(RawTable(cells_out, Provenance(line=node.line, chars=(node.col, node.col))))

    def _too_big(self, node: _Elem, limit: int) -> None:
        if limit < MAX_TABLE_CELLS:
            why = f"the page's tables have more than {MAX_PAGE_CELLS:,} cells in all"
        else:
            why = f"more than {MAX_TABLE_CELLS:,} cells (rows x columns)"
        self.warnings.append(f"the table on line {node.line} is left out: {why}, not a report table")


def _table_items(table: _Elem) -> list[_Elem]:
    """Rows (and captions) of ``table`` in display order, not looking into nested tables; rows
    wrapped in stray elements (a <form> between <table> and <tr>) still count."""
    head: list[_Elem] = []
    body: list[_Elem] = []
    foot: list[_Elem] = []

    def walk(el: _Elem, into: list[_Elem]) -> None:
        for child in el.children:
            if not isinstance(child, _Elem) or child.hidden() or child.tag == "table":
                continue
            if child.tag in ("tr", "caption"):
                into.append(child)
            elif child.tag == "thead":
                walk(child, head)
            elif child.tag == "tfoot":
                walk(child, foot)
            elif child.tag not in ("td", "th"):
                walk(child, into)

    walk(table, body)
    return [*head, *body, *foot]


def _row_cells(tr: _Elem) -> list[_Elem]:
    out: list[_Elem] = []
    for child in tr.children:
        if isinstance(child, _Elem) and child.tag != "table":
            if child.tag in ("td", "th"):
                out.append(child)
            elif not child.hidden():
                out.extend(_row_cells(child))
    return out


def _is_layout(table: _Elem) -> bool:
    """A table used to lay out a page: it holds other tables, it is a single cell, or a cell
    holds paragraphs of text."""
    stack = list(table.children)
    while stack:
        node = stack.pop()
        if isinstance(node, _Elem) and not node.hidden():
            if node.tag == "table":
                return True
            stack.extend(node.children)
    rows = [el for el in _table_items(table) if el.tag == "tr"]
    if len(rows) <= 1 and sum(len(_row_cells(r)) for r in rows) <= 1:
        return True
    return any(_text_length(td) > _LONG_CELL for tr in rows for td in _row_cells(tr))


def _text_length(node: _Elem) -> int:
    stack: list[_Elem | _Text] = [node]
    n = 0
    while stack:
        item = stack.pop()
        if isinstance(item, _Text):
            n += len(item.data.strip(_SPACE))
        elif not item.hidden():
            stack.extend(item.children)
    return n


def parse_html(text: str) -> tuple[list[RawTable], list[TextLine]]:
    """Tables and prose of a decoded page (exposed for tests)."""
    tables, lines, _title, _warnings = parse_page(text)
    return tables, lines


def parse_page(text: str) -> tuple[list[RawTable], list[TextLine], str, list[str]]:
    """Tables, prose, the ``<title>`` and warnings (tables left out) of a decoded page."""
    builder = _TreeBuilder()
    builder.feed(text.replace("\r\n", "\n").replace("\r", "\n"))
    builder.close()
    builder._mark()
    emitter = _Emitter()
    emitter.flow(builder.root)
    emitter.flush()
    return emitter.tables, emitter.lines, _head_title(builder.root), emitter.warnings


def _head_title(root: _Elem) -> str:
    """The page's ``<title>`` (never shown in the page, but often the report's title when the
    page prints it only as an image or in its site header)."""
    stack: list[_Elem | _Text] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, _Elem):
            if node.tag == "title":
                text = "".join(c.data for c in node.children if isinstance(c, _Text))
                return clean(" ".join(text.split()))
            stack.extend(reversed(node.children))
    return ""


def read_html(path: str | Path) -> ExtractedSource:
    """Read a web page report; raises :class:`SourceError` for a missing, empty or undecodable
    file. The encoding comes from a BOM, then the page's declared charset, then the bytes."""
    data = read_bytes(path)
    warnings = []
    page, declared = data, None
    archived = web_archive_page(data)
    if archived is not None:
        page, declared = archived
        warnings.append("web archive (.mht): line numbers count in the page inside the archive")
    decoded = decode_bytes(page, str(path), declared or declared_charset(page))
    try:
        tables, lines, title, left_out = parse_page(decoded.text)
        warnings += left_out
    except Exception as exc:  # the tokenizer is tolerant; anything else is a broken file
        raise SourceError(str(path), f"cannot parse page: {exc}", SourceProblem.CORRUPT) from exc
    if not tables and not lines:
        warnings.append("the page has no visible text")
    return ExtractedSource(
        path=str(path),
        kind=SourceKind.HTML,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=0,
        tables=tables,
        lines=lines,
        warnings=warnings,
        title=title,
    )
