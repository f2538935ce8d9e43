"""What a PDF may cost before it is read: a few bytes must not buy gigabytes or hours.

* **Decompressed bytes.** A compressed stream (Flate) can inflate a thousandfold: a 1 MB "flate
  bomb" made pdfminer hold 2 GB. Before any library parses the file every Flate stream is
  inflated once, in bounded chunks, and one that passes :data:`MAX_STREAM_BYTES` rejects the
  file. A page of a report is a few hundred kilobytes; an uncompressed 300 dpi colour scan of an
  A4 page is 26 MB.
* **Pages.** An annual report has a few dozen pages; reading (and above all OCR of) thousands
  of pages would run for hours: more than :data:`MAX_PAGES` rejects the file.
"""

from __future__ import annotations

import re
import zlib

MAX_STREAM_BYTES = 64 * 1024 * 1024
MAX_PAGES = 500

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_IN = 64 * 1024  # compressed bytes fed at a time
_OUT = 1024 * 1024  # decompressed bytes taken at a time (what the check holds in memory)


def inflates_past(data: bytes, limit: int = MAX_STREAM_BYTES) -> bool:
    """Whether a Flate stream in ``data`` decompresses to more than ``limit`` bytes. Streams
    that are not zlib data (images, damaged streams) are skipped: the reader judges those."""
    view = memoryview(data)
    for m in _STREAM.finditer(data):
        d = zlib.decompressobj()
        total, i = 0, m.end()
        try:
            while not d.eof and i < len(view):
                chunk: bytes | memoryview = view[i : i + _IN]
                i += len(chunk)
                while chunk:
                    total += len(d.decompress(chunk, _OUT))
                    if total > limit:
                        return True
                    chunk = d.unconsumed_tail
        except zlib.error:
            continue
    return False
