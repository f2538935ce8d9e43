"""Reading a text or web source as a stream of tokens rather than as tables.

Copies of reports come in layouts no table reader expects: pipe rows without the leading pipe,
one cell per line (``56 |``, or lines of bare ``|`` between cells), bare labels followed by their
numbers one per line, labels wrapped over two or three lines, or the labels of a few rows and
then their rows of numbers. Here every table cell and prose line of the source becomes tokens in
reading order (text, a number, an empty cell), whatever separators or line breaks stood between
them. The template's row labels are found in the text tokens (a label wrapped over several
tokens is joined while the join still begins a label), and each run of numbers goes to the
labels before it: to the last one when the run has as many numbers as that row has columns, or
to the last few in order when the run holds exactly their numbers together. A run that fits no
label that way is kept, unplaced, as an unmatched row of the table around it: its numbers are
shown, never guessed into place. A table printed in small tables of one column group each (表四
under three headings) is put together when its runs come one after another with exactly the
groups' sizes.

The result is segments with one column slot per template column, for ``build_table``; the
mapping keeps a table's stream reading where :func:`stream_reads_more` says it is the better
one. The tokens come from ``text_tokens.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tabledesk.core.document import Cell, CellStatus, Table
from tabledesk.core.provenance import Provenance
from tabledesk.core.source import RawCell, RawTable, SourceKind, TextLine
from tabledesk.core.values import parse_number
from tabledesk.mapping.alignment import align
from tabledesk.mapping.labels import best_similarity, normalize
from tabledesk.mapping.segments import ColumnSlot, Row, Segment, leaf_columns
from tabledesk.mapping.text_tokens import Tok, tokens
from tabledesk.templates.template import AxisSpec, TableSpec

LABEL_SIM = 0.8  # a text token (or a wrapped join) below this is no row label
MAX_JOIN = 6  # lines a wrapped label may be split into (the longest, 37 characters, at 8 a line)
_SINGLE_ROW_SIM = 0.6  # a label-less run taken for a one-row table by its size alone
MIN_SINGLE_ROW_WIDTH = 5
MAX_PADDING = 2  # empty cells a row may carry beyond its columns (stretched column, trailing tab)


# Sources whose tables are also read as a token stream: copies of text and web pages come in
# layouts no table reader expects. PDFs keep their page geometry.
STREAMED = (SourceKind.TEXT, SourceKind.HTML)


# Cells a reading accounts for: a number, a blank (0), or a total printed blank over parts that
# are not (UNFILLED: the table reading saw the blank where it stands and said so). Counting an
# unfilled total as unread would let any stream reading that puts something there win — even
# one that shifted the row's numbers into the blank total's place.
_ACCOUNTED = (CellStatus.OK, CellStatus.BLANK, CellStatus.UNFILLED)


def _read_cells(table: Table) -> dict[tuple[str, str], Cell]:
    return {(r.id, c.id): cell for r, c, cell in table.iter_cells() if cell.status in _ACCOUNTED}


def _numbers(cells: dict[tuple[str, str], Cell]) -> int:
    return sum(1 for c in cells.values() if c.status is CellStatus.OK)


def _unplaced_numbers(table: Table) -> int:
    return sum(1 for row in table.unmatched for text in row.values if parse_number(text) is not None)


def stream_reads_more(stream: Table, tables: Table) -> bool:
    """Whether the stream reading of a table is the better one: it places more printed numbers
    (less those it leaves unplaced), or as many and accounts for more cells; or the same, where
    the table reading took a cell for blank (0) that the stream reads as a number printed there,
    and they disagree nowhere else.

    The table reading is kept wherever it is complete or its gaps are explained: a total it
    found blank is unfilled (accounted for, see ``_ACCOUNTED``), so the stream can only tie it,
    and a tie goes to the stream only to fill a cell the table reading took for a blank 0 —
    never to overwrite an unfilled total. Numbers the table reading leaves unplaced because
    nothing in the source says whose they are stay unplaced: the stream reading does not
    guess them into place either (a row that fits its columns only by dropping an empty cell
    before its numbers is not assigned, see ``_trim``; small tables are joined only under their
    groups' headings, see ``StreamReader._join_groups``), so it places no more of them."""
    got, had = _read_cells(stream), _read_cells(tables)
    if not tables.found and not _numbers(got):
        # a table the source does not print, "found" as a row of blanks under a line that
        # resembles one of its labels (a title naming 一般公共预算财政拨款…): nothing was read
        return False
    # Printed numbers placed, less those left unplaced (a reading that takes a wrapped label's
    # first line and its empty cells for a row of blanks leaves the row's numbers unplaced);
    # then cells read at all.
    score = (_numbers(got) - _unplaced_numbers(stream), len(got))
    score_before = (_numbers(had) - _unplaced_numbers(tables), len(had))
    if score != score_before:
        return score > score_before
    differ = [k for k in got if k in had and got[k].value != had[k].value]
    return bool(differ) and all(
        had[k].status is CellStatus.BLANK and got[k].status is CellStatus.OK for k in differ
    )


@dataclass(slots=True)
class _Label:
    row: int  # index into the flattened template rows
    sim: float
    text: str
    prov: Provenance


@dataclass(slots=True)
class _Run:
    labels: list[_Label]
    values: list[Tok]
    label_text: str = ""
    assigned: list[tuple[_Label | None, list[Tok]]] = field(default_factory=list)
    before: str = ""  # all the text since the last run or paragraph, normalized


@dataclass(frozen=True, slots=True)
class _TRow:
    spec: TableSpec
    axis: AxisSpec
    width: int  # the table's leaf columns
    leaf: bool  # printed with numbers of its own (not a heading over other rows)


# --- labels ------------------------------------------------------------------------------------


class StreamReader:
    """The template's tables read from a token stream (see the module docstring)."""

    def __init__(self, specs: list[TableSpec], fmt: str) -> None:
        self.specs = specs
        self.fmt = fmt
        self.leaves = {s.id: leaf_columns(s, fmt) for s in specs}
        self.rows: list[_TRow] = []
        for s in specs:
            rows = s.rows_for(fmt)
            for r in rows:
                kids = [k for k in rows if k.parent == r.id]
                leaf = all(k.optional for k in kids)
                self.rows.append(_TRow(s, r, len(self.leaves[s.id]), leaf))
        self._names = [(r.axis.label, *r.axis.aliases) for r in self.rows]
        self._whole = {normalize(n) for names in self._names for n in names}
        self._prefixes = sorted(self._whole)
        self._memo: dict[str, tuple[int, float]] = {}

    def _begins_label(self, text: str) -> bool:
        n = normalize(text)
        return any(p.startswith(n) for p in self._prefixes)

    def _continued(self, pending: list[Tok], nxt: Tok) -> bool:
        """Whether the text before a run of empty cells is the start of a label that the next
        text continues (a wrapped label's first line), not a whole label (a row of blanks)."""
        if not normalize(nxt.text) and normalize(pending[-1].text):
            return True  # only a closing quote wrapped onto the next line: still the same label
        for m in range(1, min(MAX_JOIN, len(pending)) + 1):
            tail = _join(pending[-m:])
            n = normalize(tail)
            if not n:
                continue  # a closing quote or bracket alone on its line
            if n in self._whole:
                return False
            if self._begins_label(tail + nxt.text):
                return True
        return False

    def _best(self, text: str) -> tuple[int, float]:
        """The template row a text is likeliest the label of, and how alike they are."""
        if text in self._memo:
            return self._memo[text]
        best = (-1, 0.0)
        for j, names in enumerate(self._names):
            s = best_similarity(text, names)
            if s > best[1]:
                best = (j, s)
        self._memo[text] = best
        return best

    def _labels(self, texts: list[Tok]) -> list[_Label]:
        """Row labels among consecutive text tokens, a wrapped label joined."""
        out: list[_Label] = []
        k = 0
        while k < len(texts):
            m = 1
            while m < MAX_JOIN and k + m < len(texts) and self._begins_label(_join(texts[k : k + m + 1])):
                m += 1
            text = _join(texts[k : k + m])
            j, sim = self._best(text)
            if sim >= LABEL_SIM:
                out.append(_Label(j, sim, text, texts[k].prov))
            k += m
        return out

    # --- runs --------------------------------------------------------------------------------
    def _runs(self, toks: list[Tok]) -> list[_Run | None]:
        """Each run of numbers with the labels before it; None where a paragraph intervenes."""
        out: list[_Run | None] = []
        pending: list[Tok] = []
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.kind == "break":
                pending = []
                out.append(None)
                i += 1
                continue
            if t.kind == "text":
                pending.append(t)
                i += 1
                continue
            j = i
            while j < len(toks) and toks[j].kind in ("num", "empty"):
                j += 1
            run = toks[i:j]
            nxt = toks[j] if j < len(toks) else None
            if (
                all(x.kind == "empty" for x in run)
                and pending
                and nxt is not None
                and nxt.kind == "text"
                and self._continued(pending, nxt)
            ):
                i = j  # the empty cells beside the first line of a wrapped label
                continue
            out.append(
                _Run(self._labels(pending), run, _join(pending[-3:]), before=normalize(_join(pending)))
            )
            pending = []
            i = j
        return out

    def _assign(self, run: _Run) -> None:
        n = len(run.values)
        labels = run.labels
        if labels:
            last = labels[-1]
            trimmed = _trim(run.values, self.rows[last.row].width)
            if trimmed is not None:
                run.assigned = [(last, trimmed)]
                return
            # Several rows' numbers together: the last few labels, data rows next to each other
            # in the form (a group heading printed above its first row is no data row).
            leaves = [
                g
                for i, g in enumerate(labels)
                if self.rows[g.row].leaf and not self._heads(g, labels[i + 1 :])
            ]
            for k in range(2, len(leaves) + 1):
                group = leaves[-k:]
                rows = [self.rows[g.row] for g in group]
                if not all(self._next_to(a.row, b.row) for a, b in zip(group, group[1:], strict=False)):
                    break
                if len({r.spec.id for r in rows}) != 1 or sum(r.width for r in rows) != n:
                    continue
                at = 0
                for g, r in zip(group, rows, strict=True):
                    run.assigned.append((g, run.values[at : at + r.width]))
                    at += r.width
                return
        for j, r in enumerate(self.rows):
            if _single_row(r, self.fmt) and _trim(run.values, r.width) is not None:
                lab = _Label(j, _SINGLE_ROW_SIM, "", run.values[0].prov)
                run.assigned = [(lab, _trim(run.values, r.width) or [])]
                return

    def _heads(self, label: _Label, after: list[_Label]) -> bool:
        """Whether a label is a group heading: one of its sub-rows' labels follows it."""
        group = self.rows[label.row].axis.id
        return any(self.rows[g.row].axis.parent == group for g in after)

    def _next_to(self, a: int, b: int) -> bool:
        """Whether template row ``b`` is the data row after ``a`` (headings and optional rows
        between skipped: （六）其他处理 printed as one row leaves out its sub-rows)."""
        parent = self.rows[b].axis.parent if b < len(self.rows) else None
        return a < b and all(
            not r.leaf or r.axis.optional or r.axis.id == parent for r in self.rows[a + 1 : b]
        )

    def _join_groups(self, runs: list[_Run | None]) -> None:
        """A one-row table printed as small tables of one column group each: consecutive
        unassigned runs (no paragraph between them) whose sizes are exactly its groups' sizes,
        in order, each under a heading naming its group. Without the headings nothing says
        whose numbers the small tables hold (three tables of 结果维持…总计 could be any three
        groups): their numbers are left unplaced, as the table reading leaves them."""
        for j, r in enumerate(self.rows):
            if not _single_row(r, self.fmt):
                continue
            sizes = _group_sizes(r.spec, self.leaves[r.spec.id])
            if len(sizes) < 2:
                continue
            names = _group_names(r.spec, self.fmt, self.leaves[r.spec.id])
            for a in range(len(runs) - len(sizes) + 1):
                window = [w for w in runs[a : a + len(sizes)] if w is not None]
                if len(window) == len(sizes) and all(
                    not w.assigned and len(w.values) == s and any(n in w.before for n in group)
                    for w, s, group in zip(window, sizes, names, strict=True)
                ):
                    values = [v for w in window for v in w.values]
                    window[0].assigned = [(_Label(j, _SINGLE_ROW_SIM, "", values[0].prov), values)]
                    window[0].values = values
                    for w in window[1:]:
                        w.values = []
                    break

    # --- segments ----------------------------------------------------------------------------
    def read(self, blocks: list[RawTable | TextLine]) -> dict[str, tuple[Segment, dict[int, str | None]]]:
        """Per table: a segment of the rows read, and overrides that leave unmatched the runs
        of numbers placed nowhere (shown with the table nearest them, unless a paragraph
        stands between)."""
        runs = self._runs(tokens(blocks))
        for run in runs:
            if run is not None:
                self._assign(run)
        self._join_groups(runs)
        # Every assigned row, in stream order, kept only where the template order allows.
        placed: list[tuple[int, _Label, list[Tok]]] = []
        for k, run in enumerate(runs):
            if run is not None:
                placed += [(k, lab, vals) for lab, vals in run.assigned if lab is not None]
        order = align(
            len(placed),
            len(self.rows),
            lambda i, j: placed[i][1].sim if placed[i][1].row == j else 0.0,
            floor=0.5,
            can_fill=lambda j: False,
        )
        # (run index, table id or None for numbers placed nowhere, the row)
        entries: list[tuple[int, str | None, Row]] = []
        for i, (k, lab, vals) in enumerate(placed):
            if i in order:
                label = RawCell(lab.text, lab.prov) if lab.text else None
                entries.append((k, self.rows[lab.row].spec.id, Row([label, *_cells(vals)])))
            elif _has_number(vals):
                entries.append((k, None, Row([_label_cell(lab.text, vals), *_cells(vals)])))
        for k, run in enumerate(runs):
            if run is not None and not run.assigned and _has_number(run.values):
                entries.append((k, None, Row([_label_cell(run.label_text, run.values), *_cells(run.values)])))
        entries.sort(key=lambda e: e[0])
        out: dict[str, tuple[Segment, dict[int, str | None]]] = {}
        for n, (_k, table_id, row) in enumerate(entries):
            target = table_id or self._nearest(entries, n, runs)
            if target is None:
                continue
            spec = next(s for s in self.specs if s.id == target)
            seg, over = out.setdefault(target, (self._segment(spec), {}))
            if table_id is None:
                over[len(seg.rows)] = None
            seg.rows.append(row)
        return {k: v for k, v in out.items() if any(i not in v[1] for i in range(len(v[0].rows)))}

    @staticmethod
    def _nearest(entries: list[tuple[int, str | None, Row]], n: int, runs: list[_Run | None]) -> str | None:
        """The table of the placed row nearest before (else after) entry ``n`` with no paragraph
        between them."""
        k = entries[n][0]
        for side in (range(n - 1, -1, -1), range(n + 1, len(entries))):
            m = next((m for m in side if entries[m][1] is not None), None)
            if m is None:
                continue
            lo, hi = sorted((k, entries[m][0]))
            if all(r is not None for r in runs[lo:hi]):
                return entries[m][1]
        return None

    def _segment(self, spec: TableSpec) -> Segment:
        slots = [ColumnSlot(c.id, 1 + k, None, 0.9) for k, c in enumerate(self.leaves[spec.id])]
        return Segment(spec, slots)


def _single_row(r: _TRow, fmt: str) -> bool:
    # Only a wide one-row table is known by its size alone (表四's fifteen numbers): a run of
    # one number could be anything.
    return len(r.spec.rows_for(fmt)) == 1 and r.width >= MIN_SINGLE_ROW_WIDTH


def _join(toks: list[Tok]) -> str:
    return "".join(t.text for t in toks)


def _trim(values: list[Tok], want: int) -> list[Tok] | None:
    """The run as exactly ``want`` cells: empty cells beyond them at its end are a copy's
    padding (a stretched last column, a trailing tab).

    An empty cell of a tab or pipe row is a printed cell: a blank value, or a total left
    blank. One before the row's numbers is taken as its first column's (the row alone does not
    tell a merged label's covered cell from a blank value): dropping it to make the row fit
    would move every number after it one column to the left — a part into the place of a
    total left blank (总计（6）应等于各类申请人之和（50）on a balanced report). A row that fits
    only that way is not assigned: its numbers are shown unplaced, and a table reading that
    knows the columns from the header keeps the table."""
    if len(values) < want or len(values) - want > MAX_PADDING:
        return None
    if any(v.kind != "empty" for v in values[want:]):
        return None
    return values[:want]


def _group_sizes(spec: TableSpec, leaves: list[AxisSpec]) -> list[int]:
    sizes: list[int] = []
    parent = object()
    for c in leaves:
        if c.parent != parent:
            sizes.append(0)
            parent = c.parent
        sizes[-1] += 1
    return sizes


def _group_names(spec: TableSpec, fmt: str, leaves: list[AxisSpec]) -> list[list[str]]:
    """The labels of each column group in ``_group_sizes`` order, normalized."""
    by_id = {c.id: c for c in spec.columns_for(fmt)}
    out: list[list[str]] = []
    parent: object = object()
    for c in leaves:
        if c.parent != parent:
            parent = c.parent
            group = by_id.get(c.parent) if c.parent is not None else None
            names = (group.label, *group.aliases) if group is not None else ()
            out.append([n for n in map(normalize, names) if n])
    return out


def _has_number(values: list[Tok]) -> bool:
    return any(v.kind == "num" for v in values)


def _cells(values: list[Tok]) -> list[RawCell | None]:
    return [RawCell(v.text if v.kind == "num" else "", v.prov) for v in values]


def _label_cell(text: str, values: list[Tok]) -> RawCell | None:
    return RawCell(text, values[0].prov) if text else None
