"""Geometry shared by the PDF and the scan readers: grouping edge positions that lie close
together, and joining a grid's slots into the (possibly spanning) cells of a table.

Both readers find a table's row and column edges from ruling lines (points in a PDF, pixels in
a scan) and then merge the slots no line parts; the logic is the same, only the units differ.
"""

from __future__ import annotations

from collections.abc import Sequence

Slot = tuple[int, int]  # (row, column) of a slot in the grid of edges


def cluster(values: Sequence[float], tol: float) -> list[float]:
    """Sorted representatives (means) of values that lie within ``tol`` of their neighbour."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


class SlotUnion:
    """The slots of an ``rows`` × ``cols`` grid, joined into cells (union–find with path
    halving): every slot starts as a cell of its own; :meth:`union` merges two cells."""

    def __init__(self, rows: int, cols: int) -> None:
        self._parent: dict[Slot, Slot] = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(self, slot: Slot) -> Slot:
        parent = self._parent
        while parent[slot] != slot:
            parent[slot] = parent[parent[slot]]
            slot = parent[slot]
        return slot

    def union(self, a: Slot, b: Slot) -> None:
        self._parent[self.find(a)] = self.find(b)

    def spans(self) -> list[tuple[int, int, int, int]]:
        """Each cell as (first row, first column, rows spanned, columns spanned), in row order."""
        groups: dict[Slot, list[Slot]] = {}
        for slot in self._parent:
            groups.setdefault(self.find(slot), []).append(slot)
        out = []
        for members in groups.values():
            r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
            c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
            out.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
        return sorted(out)
