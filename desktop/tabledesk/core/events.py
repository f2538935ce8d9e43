"""Plain-Python change events: the core tells its listeners what changed, without Qt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CellsChanged:
    """Values of these cells changed (by an edit, its undo, or a suggestion)."""

    table_id: str
    cells: tuple[tuple[str, str], ...]  # (row id, column id)


@dataclass(frozen=True, slots=True)
class StructureChanged:
    """Tables were rebuilt (template or format chosen, a row or column reassigned)."""


@dataclass(frozen=True, slots=True)
class ReviewStatusChanged:
    status: str


@dataclass(frozen=True, slots=True)
class DecisionsChanged:
    """A failing check was accepted as printed ("原文如此"), or that decision was taken back."""

    uids: tuple[tuple[str, str, str], ...]


Event = CellsChanged | StructureChanged | ReviewStatusChanged | DecisionsChanged
Listener = Callable[[Event], None]


class EventSource:
    """A minimal observer list. Listeners are called in subscription order, synchronously."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: Event) -> None:
        for listener in list(self._listeners):
            listener(event)
