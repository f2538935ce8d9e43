"""Reading a text or HTML source's bytes and decoding them without asking the user.

Chinese government reports reach us as UTF-8 (with or without a BOM), as GBK/GB2312 (Windows
Notepad "ANSI", pages saved by older browsers, Word's "save as web page") and now and then as
UTF-16 with a BOM (Notepad's "Unicode"). We decide from the bytes, in a strict order:

1. a byte-order mark wins: UTF-8-SIG, UTF-32 or UTF-16 (checked in that order because the
   UTF-32-LE mark starts with the UTF-16-LE one);
2. strict UTF-8: Chinese text in GBK is practically never valid UTF-8 (GBK lead bytes
   0x81-0xFE are followed by bytes that break UTF-8's continuation pattern within a few
   characters), so a clean UTF-8 decode is reliable, and it beats a declared charset (pages
   converted to UTF-8 often keep their old ``charset=gb2312`` meta, and a wrong
   ``iso-8859-1`` declaration would otherwise "decode" anything into mojibake);
3. a declared charset, when the caller found one (HTML ``<meta charset>``), if it decodes;
4. strict GB18030, a superset of GBK and GB2312, so one decoder covers all three.

Random binary data almost never survives a strict GB18030 decode, but a short run of it can, so
every candidate is also sanity-checked: no NUL or other C0 control characters beyond tab, line
feed, carriage return and form feed, and not mostly private-use or unassigned characters (which
is what GBK's user-defined areas and stray four-byte sequences decode to). A statistical
detector (charset-normalizer, chardet) would add a dependency for no gain on this closed set of
encodings.

Pages also declare their charset (:func:`declared_charset`), and a single-file web archive
(.mht) wraps its page in MIME (:func:`web_archive_page` unwraps it with the standard library).
"""

from __future__ import annotations

import codecs
import email
import email.policy
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tabledesk.core.os_errors import describe_os_error
from tabledesk.core.source import SourceError, SourceProblem

UNDECODABLE = "cannot decode text: not UTF-8 or GB18030"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Names pages declare for what is, in practice, GBK; GB18030 decodes all of them (browsers do
# the same: the WHATWG encoding standard maps gb2312 and x-gbk onto its GBK decoder).
_GBK_ALIASES = {
    "gb2312",
    "gb_2312",
    "gb_2312-80",
    "gbk",
    "x-gbk",
    "cp936",
    "ms936",
    "windows-936",
    "gb18030",
    "euc-cn",
    "x-euc-cn",
    "csgb2312",
    "chinese",
    "iso-ir-58",
}

_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}
# <meta charset=gbk>, <meta http-equiv=Content-Type content="text/html; charset=gb2312"> (Word
# writes it unquoted), or an XHTML page's XML declaration.
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)|<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-:.]+)""",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A source's text and how it was decoded."""

    text: str
    encoding: str  # the Python codec that worked: utf-8, utf-8-sig, gb18030, utf-16, ...
    sha256: str  # of the bytes, so a review can tell whether the file changed


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes, or a :class:`SourceError` the user can read (never an OSError)."""
    p = Path(path)
    if not p.exists():
        raise SourceError(str(path), "file not found", SourceProblem.NOT_FOUND)
    if p.is_dir():
        raise SourceError(str(path), "is a folder, not a file", SourceProblem.UNSUPPORTED)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {describe_os_error(exc)}", SourceProblem.OTHER) from exc
    if not data:
        raise SourceError(str(path), "empty file", SourceProblem.CORRUPT)
    return data


def normalise_codec(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None when it is unknown to Python."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _GBK_ALIASES:
        return "gb18030"
    if name in {"utf8", "utf-8", "unicode-1-1-utf-8"}:
        return "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def looks_like_text(text: str) -> bool:
    """False for what binary data decodes to: control characters, or mostly characters no
    report contains (private use, unassigned, surrogates)."""
    if not text:
        return True
    bad = 0
    odd = 0
    non_ascii = 0
    for ch in text:
        if ch < " ":
            if ch not in _ALLOWED_CONTROLS:
                bad += 1
        elif ch == "\x7f":
            bad += 1
        elif ch >= "\x80":
            non_ascii += 1
            cat = unicodedata.category(ch)
            if cat in ("Co", "Cn", "Cs", "Cc"):
                odd += 1
    # A copied report may carry a stray control character or two (a form feed from a PDF copy,
    # a vertical tab from Word), never many; binary data has them every few dozen bytes.
    if bad > max(2, len(text) // 1000):
        return False
    return not (non_ascii and odd > max(2, non_ascii // 20))


def _try(data: bytes, codec: str) -> str | None:
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if looks_like_text(text) else None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` (or an XML declaration) near its start."""
    m = _META_CHARSET.search(data[:65536])
    if not m:
        return None
    return (m.group(1) or m.group(2)).decode("ascii", "replace")


def web_archive_page(data: bytes) -> tuple[bytes, str | None] | None:
    """The HTML part of a single-file web archive (IE's and Edge's "网页，单个文件 (*.mht)"),
    transfer-decoded, with its declared charset; None when ``data`` is not one."""
    head = data[:4096].lower()
    if b"mime-version" not in head or b"multipart/related" not in head:
        return None
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload, part.get_content_charset()
    return None


def decode_bytes(data: bytes, path: str, declared: str | None = None) -> DecodedText:
    """Decode ``data`` (see the module docstring for the order); ``declared`` is a charset the
    document names for itself. Raises :class:`SourceError` (CORRUPT) when nothing fits."""
    digest = hashlib.sha256(data).hexdigest()
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _try(data, codec)
            if text is not None:
                return _checked(DecodedText(text.lstrip("\ufeff"), codec, digest), path)
            break  # a BOM followed by garbage: fall through to the plain attempts
    order = ["utf-8", "gb18030"]
    want = normalise_codec(declared)
    if want and not want.startswith(("utf-16", "utf-32")):  # not declarable in ASCII bytes
        order.insert(1, want)
    for codec in dict.fromkeys(order):
        text = _try(data, codec)
        if text is not None:
            return _checked(DecodedText(text.lstrip("\ufeff"), codec, digest), path)
    raise SourceError(path, UNDECODABLE, SourceProblem.CORRUPT)


def _checked(decoded: DecodedText, path: str) -> DecodedText:
    # A BOM alone, or only blank lines, is as empty as a zero-byte file for the user.
    if not decoded.text.strip():
        raise SourceError(path, "empty file", SourceProblem.CORRUPT)
    return decoded


def read_text_file(path: str | Path, declared: str | None = None) -> DecodedText:
    """Read and decode a text source in one step."""
    return decode_bytes(read_bytes(path), str(path), declared)
