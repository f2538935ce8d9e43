"""Bad inputs, made by code: mutations of report PDFs, hostile web pages and text copies, and
damaged review stores. Every generator takes a ``random.Random`` so a failing variant can be
made again from its seed (the variant's file name carries it)."""

from __future__ import annotations

import json
import random
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.fixtures.raw_pdf import raw_pdf_bytes

# ----------------------------------------------------------------------------- PDF mutations
Mutation = Callable[[bytes, random.Random], bytes]


def flip_bits(data: bytes, rng: random.Random) -> bytes:
    """A few bits flipped anywhere (a bad disk sector, a mangled download)."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def overwrite_run(data: bytes, rng: random.Random) -> bytes:
    """A run of random bytes over the middle of the file."""
    out = bytearray(data)
    i = rng.randrange(len(out))
    n = rng.randint(1, 512)
    out[i : i + n] = rng.randbytes(min(n, len(out) - i))
    return bytes(out)


def truncate_keep_eof(data: bytes, rng: random.Random) -> bytes:
    """The middle of the file cut out, the end (%%EOF) kept: passes the quick checks."""
    i = rng.randrange(16, len(data) - 64)
    j = min(len(data) - 32, i + rng.randint(1, len(data) // 3))
    return data[:i] + data[j:]


def duplicate_chunk(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    n = rng.randint(1, 4096)
    return data[:i] + data[i : i + n] * rng.randint(2, 4) + data[i:]


def zero_run(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    i = rng.randrange(len(out))
    n = rng.randint(16, 2048)
    out[i : i + n] = bytes(min(n, len(out) - i))
    return bytes(out)


def junk_before_header(data: bytes, rng: random.Random) -> bytes:
    return rng.randbytes(rng.randint(1, 900)).replace(b"%", b"#") + data


def mangle_numbers(data: bytes, rng: random.Random) -> bytes:
    """Object numbers, lengths and offsets changed: digits swapped for others."""
    out = bytearray(data)
    digits = [i for i, b in enumerate(out) if 48 <= b <= 57]
    for i in rng.sample(digits, min(len(digits), rng.randint(1, 12))):
        out[i] = 48 + rng.randrange(10)
    return bytes(out)


PDF_MUTATIONS: tuple[Mutation, ...] = (
    flip_bits,
    overwrite_run,
    truncate_keep_eof,
    duplicate_chunk,
    zero_run,
    junk_before_header,
    mangle_numbers,
)


def pdf_variants(seeds: dict[str, bytes], count: int, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    """``count`` mutated copies of the PDFs in ``seeds`` (name -> bytes), each named for the
    seed PDF, the mutation and its random seed."""
    rng = random.Random(seed)
    names = sorted(seeds)
    for k in range(count):
        name = names[k % len(names)]
        mutation = PDF_MUTATIONS[(k // len(names)) % len(PDF_MUTATIONS)]
        s = rng.randrange(1 << 30)
        yield f"{Path(name).stem}.{mutation.__name__}.{s}.pdf", mutation(seeds[name], random.Random(s))


def flate_bomb_pdf(inflated: int = 80 * 2**20) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated`` bytes (80 MB of spaces is
    80 KB compressed: past the 64 MB limit)."""
    bomb = zlib.compress(b" " * inflated, 9)
    return minimal_pdf(bomb, b"/Filter /FlateDecode ")


def minimal_pdf(content: bytes, filters: bytes = b"", pages: int = 1) -> bytes:
    """A valid PDF of ``pages`` pages sharing one content stream."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Length %d %s>>\nstream\n" % (len(content), filters) + content + b"\nendstream",
    ]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    return raw_pdf_bytes(objs)


# ----------------------------------------------------------------------------- hostile pages and text
FORMULAS = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0")


def span_bomb_html(rows: int = 1400, colspan: int = 1000) -> str:
    """A 32 KB page whose spans claim rows x colspan grid positions (1.4 million)."""
    return "<table>" + f"<tr><td colspan={colspan}>1" * rows + "</table>"


def hostile_html(rng: random.Random, report: str) -> str:
    """A report page with one hostile change: absurd spans, deep nesting, huge numbers, a
    formula as its title, broken markup, a long run of tables."""
    kind = rng.randrange(7)
    if kind == 0:
        return report.replace("<td>", f"<td colspan={rng.randint(50, 1000)}>", rng.randint(1, 40))
    if kind == 1:
        depth = rng.randint(200, 3000)
        return report.replace("<body>", "<body>" + "<div><span>" * depth, 1)
    if kind == 2:
        digits = rng.choice((20, 310, 4301, 20000))
        return report.replace(">0<", ">" + "9" * digits + "<", rng.randint(1, 3))
    if kind == 3:
        return report.replace("<body>", f"<body><h1>{rng.choice(FORMULAS)}</h1>", 1)
    if kind == 4:
        cut = rng.randrange(len(report))
        return report[:cut] + "<table><tr><td" + report[cut:]
    if kind == 5:
        return report.replace("</body>", "<table><tr><td>1<td>2</table>" * rng.randint(100, 800), 1)
    return report.replace("<td>", "<td rowspan=65534>", rng.randint(1, 10))


def hostile_text(rng: random.Random, report: str) -> str:
    """A text copy with one hostile change: huge numbers, NULs and control characters, a line
    of hundreds of kilobytes, a formula at the start of a line, a thousand tab-separated columns."""
    kind = rng.randrange(6)
    lines = report.split("\n")
    i = rng.randrange(len(lines))
    if kind == 0:
        digits = rng.choice((20, 310, 4301, 20000))
        lines[i] = lines[i].replace("\t0", "\t" + "9" * digits, 1) if "\t0" in lines[i] else "9" * digits
    elif kind == 1:
        lines[i] = "".join(rng.choice("\x00\x01\x1b\x7f\ufeff\u202e\t") for _ in range(200)) + lines[i]
    elif kind == 2:
        lines[i] = "表" * rng.randint(20_000, 200_000)
    elif kind == 3:
        lines.insert(i, rng.choice(FORMULAS))
    elif kind == 4:
        lines[i] = "\t".join(str(rng.randrange(10)) for _ in range(rng.randint(500, 3000)))
    else:
        lines = [line + "\t" * rng.randint(0, 300) for line in lines]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- damaged stores
def tamper_store(path: Path, how: str) -> None:
    """Damage one row of a review store (``path``, written by tabledesk) as a hand or a bad
    disk would: the snapshot gone, an operation's data malformed, a bad timestamp, a number
    that is not one, or the file's bytes overwritten."""
    if how == "bytes":
        data = bytearray(path.read_bytes())
        for i in range(len(data) // 2, len(data) // 2 + 512):
            data[i] = 0xFF
        path.write_bytes(bytes(data))
        return
    con = sqlite3.connect(path)
    try:
        if how == "no_snapshot":
            con.execute("DELETE FROM snapshots")
        elif how == "bad_timestamp":
            con.execute("UPDATE sessions SET updated = 'yesterday', created = '2024-13-45'")
        elif how == "snapshot_not_json":
            con.execute("UPDATE snapshots SET document = '{not json'")
        elif how == "snapshot_bad_number":
            (text,) = con.execute("SELECT document FROM snapshots").fetchone()
            doc = json.loads(text)
            _set_first_value(doc, "1e999999")
            con.execute("UPDATE snapshots SET document = ?", (json.dumps(doc),))
        elif how in ("op_malformed", "op_bad_number", "op_bad_time", "op_not_object", "op_unknown"):
            data = {
                "op_malformed": '{"table": 5, "cells": "x"}',
                "op_bad_number": json.dumps(
                    {
                        "changes": [{"table": "t1", "row": "a", "col": "b", "old": "NaN?", "new": "1e99999"}],
                        "reason": "extraction_error",
                        "time": "2024-01-01T00:00:00",
                    }
                ),
                "op_bad_time": json.dumps({"changes": [], "reason": "extraction_error", "time": "noon"}),
                "op_not_object": "[1, 2, 3]",
                "op_unknown": "{}",
            }[how]
            op = "explode" if how == "op_unknown" else "apply"
            con.execute("INSERT INTO ops SELECT id, seq + 1, ?, ?, updated FROM sessions", (op, data))
            con.execute("UPDATE sessions SET seq = seq + 1")
        else:  # pragma: no cover - a typo in a test
            raise ValueError(how)
        con.commit()
    finally:
        con.close()


STORE_DAMAGE = (
    "no_snapshot",
    "bad_timestamp",
    "snapshot_not_json",
    "snapshot_bad_number",
    "op_malformed",
    "op_bad_number",
    "op_bad_time",
    "op_not_object",
    "op_unknown",
    "bytes",
)


def _set_first_value(node: object, value: str) -> bool:
    """Put ``value`` as the first cell value found in a stored document."""
    if isinstance(node, dict):
        if "value" in node and "printed" in node and node["value"] is not None:  # a cell
            node["value"] = value
            return True
        return any(_set_first_value(v, value) for v in node.values())
    if isinstance(node, list):
        return any(_set_first_value(v, value) for v in node)
    return False
