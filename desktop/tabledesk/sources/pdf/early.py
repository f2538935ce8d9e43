"""Tables before the whole document is read: a long PDF's reader hands over what the pages read
so far hold while it reads on, so the window can show the first tables at once.

:class:`EarlyTables` is the reader's caller, asked after each page read in this process whether
it wants the tables read so far (``wants`` — it decides how often: mapping them costs a little)
and, when it does and pages since the last hand-over brought new tables, given them as a source
of its own (``take``): the pages read so far, stitched; the complete source the reader returns
at the end is assembled afresh, never from these, so nothing shown early is kept twice."""

from __future__ import annotations

from typing import Protocol

from tabledesk.core.source import ExtractedSource


class EarlyTables(Protocol):
    def wants(self, pages_read: int, pages: int) -> bool:
        """Whether to be handed the tables of the first ``pages_read`` of ``pages`` now."""
        ...

    def take(self, source: ExtractedSource) -> None:
        """The pages read so far (``source.page_heights`` names them), on the reading thread."""
        ...
