"""Columns of a scanned table that has no vertical rules, from the white gutters between them.

Pure image geometry (numpy), no OCR. Each row band (the paper between two horizontal rules) is
projected onto the x axis and cut into runs of ink at gaps wider than the space between two
characters. Columns are then grown from the narrowest runs up: a number or a short header
settles a column, a wider run that falls within one column widens it, and a run reaching over
two columns is a spanning cell (a group header, a title row) and says nothing about columns.
The edges are the middles of the gutters left between the columns, or the end of a rule where
one ends inside a gutter (a table drawn in Word ends each cell's border at its column edge).
A rule end that is plainly drawn (:func:`drawn_edges`) is an edge even where no gutter shows
one: a group label set wide, a label wrapping, or a punctuation mark's blank can hide a gutter,
never a drawn border. Coordinates are pixels of the deskewed page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of ink along one row band: x0..x1 (end exclusive) and its ink height."""

    x0: int
    x1: int
    height: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0


def band_runs(ink: np.ndarray, x0: int, x1: int, gap: int, min_size: int) -> list[Run]:
    """Runs of ink in ``ink`` (one band, already cut to its rows) between x0 and x1, joined
    over gaps narrower than ``gap``; a run smaller than ``min_size`` both ways is dust."""
    band = ink[:, x0:x1]
    cols = np.flatnonzero(band.any(axis=0))
    if cols.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(cols) > gap)
    starts = np.concatenate(([cols[0]], cols[breaks + 1]))
    ends = np.concatenate((cols[breaks], [cols[-1]])) + 1
    out: list[Run] = []
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        rows = np.flatnonzero(band[:, a:b].any(axis=1))
        h = int(rows[-1] - rows[0] + 1)
        if b - a < min_size and h < min_size:
            continue
        out.append(Run(x0 + a, x0 + b, h))
    return out


def split_at_edges(
    ink: np.ndarray, runs: list[Run], edges: Sequence[int], reach: int, min_gap: int
) -> list[Run]:
    """Runs cut where a known column edge (a rule's end) lies in or near a blank at least
    ``min_gap`` wide: a row label set close to the group label beside it is two cells, while
    one label running over the edge (spaced like any other characters) stays whole."""
    out: list[Run] = []
    for run in runs:
        inner = [e for e in edges if run.x0 + min_gap < e < run.x1 - min_gap]
        if not inner:
            out.append(run)
            continue
        blank = np.asarray(~ink[:, run.x0 : run.x1].any(axis=0), dtype=bool)
        cuts: list[tuple[int, int]] = []  # (gap start, gap end) in page x
        for e in inner:
            best: tuple[int, int] | None = None
            for a, b in _blank_spans(blank):
                a, b = run.x0 + a, run.x0 + b
                if b - a >= min_gap and a - reach <= e <= b + reach:
                    if best is None or abs((a + b) / 2 - e) < abs(sum(best) / 2 - e):
                        best = (a, b)
            if best is not None and best not in cuts:
                cuts.append(best)
        if not cuts:
            out.append(run)
            continue
        cuts.sort()
        start = run.x0
        for a, b in cuts:
            out.append(_trimmed(ink, start, a))
            start = b
        out.append(_trimmed(ink, start, run.x1))
    return [r for r in out if r.width > 0]


def _trimmed(ink: np.ndarray, a: int, b: int) -> Run:
    band = ink[:, a:b]
    cols = np.flatnonzero(band.any(axis=0))
    rows = np.flatnonzero(band.any(axis=1))
    if cols.size == 0:
        return Run(a, a, 0)
    return Run(a + int(cols[0]), a + int(cols[-1]) + 1, int(rows[-1] - rows[0] + 1))


def _over(r: Run, span: tuple[int, int]) -> bool:
    """Whether ``r`` reaches out of ``span`` on both sides (a header over its numbers)."""
    return r.x0 < span[0] and span[1] < r.x1


def _between(r: Run, spans: Sequence[tuple[int, int]], k: int) -> bool:
    """Whether ``r``, over column ``k``, is centred nearer the middle between it and the
    column on the side it reaches out to than on column k: a cell spanning both."""
    mid = (r.x0 + r.x1) / 2
    own = (spans[k][0] + spans[k][1]) / 2
    for j, out in ((k - 1, r.x0 < spans[k][0]), (k + 1, r.x1 > spans[k][1])):
        if out and 0 <= j < len(spans):
            pair = (own + (spans[j][0] + spans[j][1]) / 2) / 2
            if abs(mid - pair) < abs(mid - own):
                return True
    return False


def _past_middle(r: Run, spans: Sequence[tuple[int, int]], k: int) -> bool:
    """Whether ``r``, over column ``k``, reaches past the middle of a gutter beside it."""
    left = k > 0 and r.x0 < (spans[k - 1][1] + spans[k][0]) / 2
    right = k + 1 < len(spans) and r.x1 > (spans[k][1] + spans[k + 1][0]) / 2
    return left or right


def _blank_spans(blank: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True in ``blank``."""
    padded = np.concatenate(([False], blank, [False]))
    d = np.diff(padded.astype(np.int8))
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist(), strict=True))


def column_spans(
    bands: Sequence[Sequence[Run]], fine: Sequence[Sequence[Run]], x0: int, x1: int
) -> list[tuple[int, int]]:
    """Columns (x0, x1 of the ink they hold) from the runs of each band, grown from the
    narrowest runs up. A gutter is paper that parts two runs in at least half the rows: no
    run may grow a column over one (a group header fitting between the numbers of its outer
    columns would swallow the columns under it). A gap between columns much wider than the
    others lacks a column whose every cell is blank: its header, read from ``fine`` (runs
    parted at half a character's gap), puts it back."""
    w = x1 - x0
    parts = np.zeros(w, dtype=np.int32)
    multi = 0
    for runs in bands:
        if len(runs) < 2:
            continue
        multi += 1
        for a, b in zip(runs, runs[1:], strict=False):
            parts[a.x1 - x0 : b.x0 - x0] += 1
    gutter = parts >= max(2, multi / 2)
    cols: list[list[int]] = []
    _grow(cols, [r for runs in bands for r in runs], lambda a, b: bool(gutter[a - x0 : b - x0].any()))
    for runs in bands:
        _headed_blank_columns(cols, runs)
    cols.sort()
    if len(cols) >= 3:
        pitch = float(
            np.median([(c[0] + c[1]) / 2 - (p[0] + p[1]) / 2 for p, c in zip(cols, cols[1:], strict=False)])
        )
        for p, c in zip(list(cols), list(cols[1:]), strict=False):
            # between two columns of values (a label column is wider than their pitch)
            narrow = max(p[1] - p[0], c[1] - c[0]) <= pitch
            if narrow and (c[0] + c[1]) / 2 - (p[0] + p[1]) / 2 > 1.6 * pitch:
                inside = [r for runs in fine for r in runs if p[1] < r.x0 and r.x1 < c[0]]
                # each header its own column: one over several of them (a group header)
                # widens none
                for r in sorted(inside, key=lambda r: (r.width, r.x0)):
                    if not any(r.x0 < o[1] and o[0] < r.x1 for o in cols):
                        cols.append([r.x0, r.x1])
    return sorted((c[0], c[1]) for c in cols)


def _headed_blank_columns(cols: list[list[int]], runs: Sequence[Run]) -> None:
    """Columns that the gutters hid, put back from one row: where two or more runs of a band
    each sit on one column, a run between columns (in what looked like a gutter), not much
    wider than those and standing clear of its neighbours, is a column of its own: the
    header of a column blank in every row, or a number of a section whose columns fall
    elsewhere than the rest of the table's. It must stand most of that row's pitch from
    every column, so a header or number centred over two columns opens none between them."""

    def centre(a: float, b: float) -> float:
        return (a + b) / 2

    on = [r for r in runs if sum(1 for c in cols if r.x0 < c[1] and c[0] < r.x1) == 1]
    if len(on) < 2:
        return
    widest = max(r.width for r in on)
    free = [
        r
        for r in runs
        if r not in on and r.width <= 1.5 * widest and not any(r.x0 < c[1] and c[0] < r.x1 for c in cols)
    ]
    if not free:
        return
    # the row's pitch as printed: texts of hidden columns stand between the others
    pitch = float(np.median(np.diff(sorted(centre(r.x0, r.x1) for r in [*on, *free]))))
    order = sorted(runs, key=lambda r: r.x0)
    for r in free:
        k = order.index(r)
        # set close to a neighbour it is part of that text (a label wrapped into pieces)
        gaps = [r.x0 - order[k - 1].x1] if k else []
        gaps += [order[k + 1].x0 - r.x1] if k + 1 < len(order) else []
        mid = centre(r.x0, r.x1)
        if min(gaps, default=0) >= 0.2 * pitch and all(
            abs(centre(c[0], c[1]) - mid) >= 0.8 * pitch for c in cols
        ):
            cols.append([r.x0, r.x1])


def _grow(cols: list[list[int]], runs: Sequence[Run], blocked: Callable[[int, int], bool]) -> None:
    """Columns grown by ``runs``, narrowest first; runs over two columns are left out, and so
    are runs that would cover paper for which ``blocked(x0, x1)`` holds."""
    for run in sorted(runs, key=lambda r: (r.width, r.x0)):
        hit = [c for c in cols if run.x0 < c[1] and c[0] < run.x1]
        if len(hit) > 1:
            continue
        if not hit:
            if not blocked(run.x0, run.x1):
                cols.append([run.x0, run.x1])
            continue
        c = hit[0]
        lo, hi = min(c[0], run.x0), max(c[1], run.x1)
        if any(o is not c and lo < o[1] and o[0] < hi for o in cols):
            continue
        if (lo < c[0] and blocked(lo, c[0])) or (hi > c[1] and blocked(c[1], hi)):
            continue
        c[0], c[1] = lo, hi


def drawn_edges(rules: Sequence[Sequence[tuple[int, int]]], x0: int, x1: int, em: float) -> list[int]:
    """Column edges the rules draw: where rules end inside the table, x0..x1. ``rules`` holds
    each rule's segments (x0, x1), ``em`` is the type size in pixels.

    A rule that stops short of the table's side stops at a column edge: the cells beyond it are
    merged with the row above (a group label) or belong to a header spanning fewer columns.
    The scan may also break a rule (dust, a faded stroke): two segments of one rule facing
    each other across a short blank, or a stroke fading near the table's side, end nowhere in
    particular. So an end counts where two or more rules end within a third of a character of
    each other, or where one rule ends well inside the table with no segment of its own
    resuming within two characters."""
    ends: list[tuple[int, int]] = []  # (x, rule)
    for k, segs in enumerate(rules):
        order = sorted(segs)
        for i, (a, b) in enumerate(order):
            before = order[i - 1][1] if i else None
            after = order[i + 1][0] if i + 1 < len(order) else None
            for x, facing in ((a, before), (b, after)):
                if not x0 + em / 2 < x < x1 - em / 2:
                    continue
                broken = facing is not None and abs(x - facing) < 2 * em
                lone_ok = not broken and x0 + 2 * em < x < x1 - 2 * em
                ends.append((x, k if lone_ok else -1 - k))
    out: list[int] = []
    group: list[tuple[int, int]] = []
    for x, k in [*sorted(ends), (10**9, 0)]:
        if group and x - group[-1][0] > em / 3:
            rules_here = {r if r >= 0 else -1 - r for _, r in group}
            if len(rules_here) >= 2 or any(r >= 0 for _, r in group):
                out.append(sorted(g[0] for g in group)[len(group) // 2])
            group = []
        group.append((x, k))
    return out


def column_edges(
    spans: Sequence[tuple[int, int]],
    x0: int,
    x1: int,
    rule_ends: Sequence[int],
    bands: Sequence[Sequence[Run]],
    drawn: Sequence[int] = (),
    near: int = 0,
) -> list[int]:
    """Edges from x0 to x1: in each gutter between two columns, the end of a rule found there
    (the edge as drawn), or else the middle of the stretch that the fewest runs cross (a long
    label reaching into the gutter stays on its side). ``bands`` are the runs of each row.
    Every edge in ``drawn`` (:func:`drawn_edges`) is one too, unless an edge lies within
    ``near`` pixels of it already: the gutters missed it (a column over which text runs)."""
    cover = np.zeros(x1 - x0 + 1, dtype=np.int32)
    for runs in bands:
        hits = [[k for k, s in enumerate(spans) if r.x0 < s[1] and s[0] < r.x1] for r in runs]
        alone = {h[0] for h in hits if len(h) == 1}  # columns with a text of their own here
        for r, hit in zip(runs, hits, strict=True):
            # a label reaching out of its column on one side holds the edge off, and so does
            # a row of headers each over its column of numbers; a header over several columns
            # does not (even centred on one of them, its middle one), nor a value lying wholly
            # in a gutter (a section's number centred under a header spanning two columns) or
            # centred nearer the middle of two columns than on its own. Past the middle of a
            # gutter only a header beside its neighbours' own headers reaches (they nearly
            # touch); a lone text there is a title over the table.
            k = hit[0] if len(hit) == 1 else -1
            beside = bool({k - 1, k + 1} & alone)
            if k < 0 or (_over(r, spans[k]) and not beside) or _between(r, spans, k):
                continue
            if not beside and _past_middle(r, spans, k):
                continue
            cover[r.x0 - x0 : r.x1 - x0] += 1
    xs = [x0]
    for (_a, b), (c, _d) in zip(spans, spans[1:], strict=False):
        inside = sorted(e for e in rule_ends if b <= e <= c)
        if inside:
            mid = (b + c) // 2
            xs.append(min(inside, key=lambda e: abs(e - mid)))
            continue
        seg = cover[b - x0 : c - x0]
        if seg.size == 0:
            xs.append((b + c) // 2)
            continue
        low = seg == seg.min()
        best = max(_blank_spans(low), key=lambda s: s[1] - s[0])
        xs.append(b + (best[0] + best[1]) // 2)
    xs.append(x1)
    xs += [d for d in drawn if x0 < d < x1 and all(abs(d - x) > near for x in xs)]
    xs.sort()
    return [x for k, x in enumerate(xs) if k == 0 or x > xs[k - 1]]
