"""Never write over an input: an output that is one of the files being read, by name or
through a link, a second name (hard link) or a different case of its name, is refused before
any work starts (``tabledesk export``, ``tabledesk check``, the window's File › Export).

Names are compared case-insensitively on every system: the clerks' Windows disks ignore case,
and on a disk that does not, ``R.CSV`` beside ``r.csv`` is a confusing name to choose anyway.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def _name_key(path: str | Path) -> str:
    p = Path(path)
    try:
        p = p.resolve()  # links, "..", the current folder
    except (OSError, RuntimeError):  # a link loop: compare as written
        p = p.absolute()
    return os.path.normcase(str(p)).casefold()


def _file_key(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino) if st.st_ino else None


class Inputs:
    """The files a command reads, to ask of each output whether it is one of them."""

    def __init__(self, paths: Iterable[str | Path]) -> None:
        self._names: dict[str, Path] = {}
        self._files: dict[tuple[int, int], Path] = {}
        for p in paths:
            self._names.setdefault(_name_key(p), Path(p))
            key = _file_key(p)
            if key is not None:
                self._files.setdefault(key, Path(p))

    def clash(self, output: str | Path) -> Path | None:
        """The input that ``output`` is (or would overwrite), or None."""
        key = _file_key(output)
        if key is not None and key in self._files:
            return self._files[key]
        return self._names.get(_name_key(output))


def overwrite_problem(output: str | Path, source: str | Path) -> str:
    """Why ``output`` is refused (it is ``source``, which is being read), without the path."""
    same = str(output) == str(source)
    what = "it is the input" if same else f"it is the input {source}"
    return f"not written: {what} (choose another output name)"


def refuse_inputs(outputs: Iterable[str | Path], inputs: Iterable[str | Path]) -> str | None:
    """One line refusing the first output that is one of the inputs, or None when none is."""
    given = Inputs(inputs)
    for out in outputs:
        hit = given.clash(out)
        if hit is not None:
            return f"{out}: {overwrite_problem(out, hit)}"
    return None
