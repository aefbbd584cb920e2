"""Bytes to text: byte-order marks, UTF-8, legacy code pages; binaries refused.

Line ends are kept as they are (every later offset points into this text);
the only change ever made is replacing stray NUL bytes by spaces (same length,
and a NUL must never reach an HTML report).
"""

from __future__ import annotations

import codecs
import re

from kit.load.problems import Skip

_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (e.g. .docx)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an MS Office document"),
    (b"{\\rtf", "an RTF document"),
)
# C0 controls that never occur in text (tab, LF, VT, FF, CR and ESC are allowed)
_CONTROL_BYTES = bytes([*range(9), *range(14, 27), *range(28, 32), 127])
_MAX_CONTROL_SHARE = 0.05
_CONTROL_CHARS = ("\x00", "\x01", "\x02", "\x03", "\ufffd")


def _binary_reason(data: bytes) -> str | None:
    """Why these bytes are not text, or None.  Checked before any text decoding."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"binary file: looks like {what}, not text"
    share = (len(data) - len(data.translate(None, _CONTROL_BYTES))) / max(len(data), 1)
    if share > _MAX_CONTROL_SHARE:
        return (f"binary file: {share:.0%} of its bytes are NUL or control bytes "
                f"(e.g. a PDF or image renamed .txt)")
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes to ``(text, encoding)``; raise ``Skip`` if it is not text.

    Order: BOMs first (they are unambiguous), then strict UTF-8 (most files, and
    it never decodes garbage by accident), then charset-normalizer for legacy
    single-byte files (Latin-1, Windows-1252, ...).  Stray NULs become spaces:
    same length, so nothing shifts, and a NUL never reaches an HTML report.
    """
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data[3:], "utf-8"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text, encoding = _strict(data, "utf-32"), "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(data, "utf-16"), "utf-16"
    else:
        reason = _binary_reason(data)
        if reason:
            raise Skip(reason)
        text, encoding = _strict(data, "utf-8"), "utf-8"
        if text is None:
            text, encoding = _detect(data)
    if text is None:
        raise Skip(f"undecodable: invalid {encoding} after its byte-order mark")
    controls = sum(text.count(c) for c in _CONTROL_CHARS)
    if len(text) and controls / len(text) > _MAX_CONTROL_SHARE:
        raise Skip("binary file: mostly NUL/control characters once decoded")
    return text.replace("\x00", " "), encoding


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _detect(data: bytes) -> tuple[str, str]:
    """Legacy encodings: charset-normalizer, but Windows-1252 for Latin-script text.

    On short articles charset-normalizer often names a Baltic or Central European
    code page (cp1257, cp1250) for plain French or English with curly quotes, which
    turns "forêt" into "forźt".  Legacy news files in Latin script are overwhelmingly
    Windows-1252 (a superset of Latin-1's letters), so when the detected code page
    is a Latin-script one and the bytes are valid cp1252, cp1252 wins.  A cp1250
    (Czech, Polish) file may then be misread: re-save it as UTF-8.  Cyrillic,
    Greek, CJK... detections are kept as they are.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Skip("undecodable: not UTF-8/UTF-16 and no text encoding fits (binary?)")
    if not _NON_LATIN.search(best.encoding):
        western = _strict(data, "cp1252")
        if western is not None:
            return western, "cp1252"
    return str(best), best.encoding


_NON_LATIN = re.compile(
    r"cp125[13456]|cp874|cp85[5-7]|cp86[0-9]|cp1125|cp9[3-5]\d|koi8|iso8859_(?:[5678]|11)|"
    r"mac_(?:cyrillic|greek|arabic|farsi|hebrew)|tis|ptcp|kz1048|hz|gb|big5|shift|euc|"
    r"iso2022|johab|utf|ascii")
