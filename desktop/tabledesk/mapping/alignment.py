"""Monotonic alignment of printed rows (or columns) with a template's, by label similarity.

The form's order is fixed, so a printed item can only match template items in order: a garbled
label between two good matches still finds its place, a missing row leaves a gap, and an extra
printed row stays unmatched instead of displacing the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

MATCH_FLOOR = 0.45  # below this similarity two labels are not taken for the same item
GAP_FLOOR = 0.15  # within a gap of equal size on both sides, pair in order above this


def align(
    n_printed: int,
    n_template: int,
    score: Callable[[int, int], float],
    *,
    floor: float = MATCH_FLOOR,
    can_fill: Callable[[int], bool] | None = None,
) -> dict[int, tuple[int, float]]:
    """Best order-preserving matching; returns printed index -> (template index, similarity)."""
    sims = [[score(i, j) for j in range(n_template)] for i in range(n_printed)]
    # best[i][j]: best total over printed[i:] and template[j:].
    best = [[0.0] * (n_template + 1) for _ in range(n_printed + 1)]
    for i in range(n_printed - 1, -1, -1):
        row, nxt = best[i], best[i + 1]
        for j in range(n_template - 1, -1, -1):
            v = max(nxt[j], row[j + 1])
            s = sims[i][j]
            if s >= floor:
                v = max(v, nxt[j + 1] + (s - floor) + 0.01)
            row[j] = v
    out: dict[int, tuple[int, float]] = {}
    i = j = 0
    while i < n_printed and j < n_template:
        s = sims[i][j]
        if s >= floor and abs(best[i][j] - (best[i + 1][j + 1] + (s - floor) + 0.01)) < 1e-9:
            out[i] = (j, s)
            i, j = i + 1, j + 1
        elif abs(best[i][j] - best[i + 1][j]) < 1e-9:
            i += 1
        else:
            j += 1
    _fill_gaps(out, n_printed, n_template, sims, can_fill)
    return out


def _fill_gaps(
    out: dict[int, tuple[int, float]],
    n_printed: int,
    n_template: int,
    sims: Sequence[Sequence[float]],
    can_fill: Callable[[int], bool] | None,
) -> None:
    """Between two matches, k unmatched printed items facing k unmatched template items are
    paired in order (a label too damaged to read, where position still says what it is)."""
    anchors = sorted(out.items())
    bounds = [(-1, -1)] + [(i, j) for i, (j, _) in anchors] + [(n_printed, n_template)]
    for (pi, pj), (ni, nj) in zip(bounds, bounds[1:], strict=False):
        gap_p = list(range(pi + 1, ni))
        gap_t = [j for j in range(pj + 1, nj) if can_fill is None or can_fill(j)]
        if gap_p and len(gap_p) == len(gap_t) and (pi >= 0 or ni < n_printed):
            for i, j in zip(gap_p, gap_t, strict=True):
                if sims[i][j] >= GAP_FLOOR:
                    out[i] = (j, max(sims[i][j], 0.3))
