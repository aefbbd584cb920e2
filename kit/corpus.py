"""Loading stage: files -> the ``articles`` frame.

The article text is the single source of truth for every later offset, so it
is kept exactly as decoded: no newline normalisation, no trimming.  The only
change ever made is replacing stray NUL bytes by spaces (same length, and a NUL
must never reach an HTML report).  Files on disk are only read.

Metadata (outlet, title, byline, date, url) is guessed by small functions below
from the first and last lines of the text; an analyst corrects the guesses with
a ``sources.csv`` beside the articles, whose non-empty cells win.

A bad file is skipped with a reason (``frame.attrs["skipped"]``), a bad
``sources.csv`` row is ignored with a reason (``frame.attrs["problems"]``):
one broken file in a folder of hundreds must not stop an analysis.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import hashlib
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from kit import fastre
from kit.schema import from_columns

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
SOURCES_NAME = "sources.csv"
SOURCE_FIELDS = ("outlet", "title", "byline", "published", "url")
HEAD_LINES = 15  # metadata lives near the top: headline, byline, dateline
TAIL_LINES = 4  # ... or at the very end ("By Editor", "Original url:")
DATA = Path(__file__).parent / "data"
#: Files larger than this are skipped with a reason (override: max_bytes=, KIT_MAX_BYTES).
#: A 64 MiB article loads and extracts in well under a GB of memory (see README).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_BYTES_ENV = "KIT_MAX_BYTES"


class CorpusError(ValueError):
    """The corpus cannot be loaded at all (missing path, nothing readable)."""


class _Skip(Exception):
    """One file cannot be used; the message is the reason shown to the analyst."""


# --------------------------------------------------------------------------
# files


def _as_list(paths) -> list[Path]:
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    if isinstance(paths, Iterable):
        return [Path(p) for p in paths]
    raise CorpusError(f"paths must be a path or a list of paths, not {type(paths).__name__}")


def _is_article_file(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_SUFFIXES and path.name != SOURCES_NAME


def _article_files(paths: list[Path]) -> tuple[list[tuple[str, Path, str]], list[dict]]:
    """Expand folders (not recursively) into their article files.

    Returns the files, as (``str(path)``, ``path.parent``, ``path.name``), and the
    explicit files that are not articles (skipped).  A file given twice (as itself
    and through its folder) is read once.
    """
    if not paths:
        raise CorpusError("no corpus path given")
    files: list[tuple[tuple[str, Path, str], str]] = []  # (file, resolved file)
    skipped: list[dict] = []
    for path in paths:
        if not path.exists():
            raise CorpusError(f"corpus path not found: {path}")
        if path.is_dir():
            found = sorted(_folder_articles(path), key=lambda t: t[0][2])
            if not found:
                raise CorpusError(f"no .txt, .md or .html files in {path}")
            files.extend(found)
        elif _is_article_file(path):
            files.append(((str(path), path.parent, path.name), str(path.resolve())))
        else:
            skipped.append({"path": str(path),
                            "reason": "not an article file (expected .txt, .md, .html or .htm)"})
    seen: set[str] = set()
    unique = []
    for f, key in files:
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, skipped


def _folder_articles(folder: Path) -> list[tuple[tuple[str, Path, str], str]]:
    """The article files directly in ``folder`` with their resolved paths.

    One ``scandir`` instead of a stat per file, and strings instead of Path objects
    (``str(folder / name)`` is ``folder`` + "/" + name); only symlinks are resolved
    one by one (the others resolve to the resolved folder joined with their name).
    """
    real = None
    out = []
    base = str(folder)
    plain = os.sep == "/" and base != "."
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if (name == SOURCES_NAME
                    or _suffix(name).lower() not in ARTICLE_SUFFIXES
                    or not entry.is_file()):
                continue
            path = (base + name if base.endswith("/") else f"{base}/{name}") if plain \
                else str(folder / name)
            if entry.is_symlink():
                key = os.path.realpath(path)
            else:
                if real is None:
                    real = str(folder.resolve())
                key = os.path.join(real, name)
            out.append(((path, folder, name), key))
    return out


def _article_ids(paths: list[str]) -> list[str]:
    """File stem; stems shared by several files get ``_`` + 6 hex of the path's hash.

    Every clashing file gets the suffix, so an id does not depend on file order.
    """
    stems = [_stem(p) for p in paths]
    counts: dict[str, int] = {}
    for s in stems:
        counts[s] = counts.get(s, 0) + 1
    return [s if counts[s] == 1 else f"{s}_{hashlib.sha1(p.encode('utf-8')).hexdigest()[:6]}"
            for s, p in zip(stems, paths)]


def _suffix(name: str) -> str:
    """``Path(name).suffix`` of a bare file name."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _stem(path: str) -> str:
    """``Path(path).stem`` without building a Path (paths here are already normalised)."""
    name = path.rpartition("/")[2] if os.sep == "/" else Path(path).name
    i = name.rfind(".")
    return name[:i] if 0 < i < len(name) - 1 else name


# --------------------------------------------------------------------------
# decoding

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


def _control_count(data: bytes) -> int:
    return len(data) - len(data.translate(None, _CONTROL_BYTES))


def _control_share(data: bytes) -> float:
    return _control_count(data) / max(len(data), 1)


def _binary_reason(data: bytes, controls: int | None = None) -> str | None:
    """Why these bytes are not text, or None.  Checked before any text decoding.
    ``controls``: the number of control bytes, if already counted."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"binary file: looks like {what}, not text"
    if controls is None:
        controls = _control_count(data)
    share = controls / max(len(data), 1)
    if share > _MAX_CONTROL_SHARE:
        return (f"binary file: {share:.0%} of its bytes are NUL or control bytes "
                f"(e.g. a PDF or image renamed .txt)")
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes to ``(text, encoding)``; raise ``_Skip`` if it is not text.

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
        control_bytes = _control_count(data)
        reason = _binary_reason(data, control_bytes)
        if reason:
            raise _Skip(reason)
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _detect(data)
        else:
            if not control_bytes:
                # UTF-8 keeps ASCII bytes as they are: no NUL..\x03 in the text either,
                # so only U+FFFD is left to count, and there is no NUL to replace
                if len(text) and text.count("\ufffd") / len(text) > _MAX_CONTROL_SHARE:
                    raise _Skip("binary file: mostly NUL/control characters once decoded")
                return text, encoding
    if text is None:
        raise _Skip(f"undecodable: invalid {encoding} after its byte-order mark")
    controls = sum(text.count(c) for c in ("\x00", "\x01", "\x02", "\x03", "\ufffd"))
    if len(text) and controls / len(text) > _MAX_CONTROL_SHARE:
        raise _Skip("binary file: mostly NUL/control characters once decoded")
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
        raise _Skip("undecodable: not UTF-8/UTF-16 and no text encoding fits (binary?)")
    if not _NON_LATIN.search(best.encoding):
        western = _strict(data, "cp1252")
        if western is not None:
            return western, "cp1252"
    return str(best), best.encoding


_NON_LATIN = re.compile(
    r"cp125[13456]|cp874|cp85[5-7]|cp86[0-9]|cp1125|cp9[3-5]\d|koi8|iso8859_(?:[5678]|11)|"
    r"mac_(?:cyrillic|greek|arabic|farsi|hebrew)|tis|ptcp|kz1048|hz|gb|big5|shift|euc|"
    r"iso2022|johab|utf|ascii")


# --------------------------------------------------------------------------
# HTML

_DROP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object",
              "canvas", "button", "select", "form"}
_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "dd", "details", "dialog", "div",
               "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
               "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
               "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "body", "html",
               "caption"}
_CELL_TAGS = {"td", "th"}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def html_to_text(markup: str) -> tuple[str, dict]:
    """Visible text of an HTML page and the metadata in its head.

    Blocks become paragraphs separated by a blank line and ``<br>`` a newline,
    so a headline and the first sentence never run together.  Script, style
    and the head are dropped: they are not what a reader sees.
    """
    from bs4 import BeautifulSoup, NavigableString
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    soup = BeautifulSoup(markup, "html.parser")
    meta = _html_meta(soup)
    hidden = (Comment, Declaration, Doctype, ProcessingInstruction)
    parts: list[str] = []
    stack: list = [soup]
    while stack:  # iterative walk: deep nesting must not hit the recursion limit
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            parts.append(node)  # a break marker pushed below
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, hidden):
                parts.append(_HTML_SPACE.sub(" ", str(node)))
            continue
        name = (node.name or "").lower()
        if name in _DROP_TAGS:
            continue
        if name == "br":
            parts.append("\n")
            continue
        if name in _CELL_TAGS:
            parts.append(" ")
        block = name in _BLOCK_TAGS
        if block:
            parts.append("\n\n")
            stack.append("\n\n")
        stack.extend(reversed(list(node.children)))
    text = "".join(parts)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n "), meta


def _html_meta(soup) -> dict:
    """outlet, title, byline, published, url from <title>, <meta> and canonical link."""

    def meta(*keys: str) -> str | None:
        for key in keys:
            tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
            if tag and tag.get("content", "").strip():
                return tag["content"].strip()
        return None

    out: dict = {}
    site = meta("og:site_name")
    title_tag = soup.find("title")
    page_title = title_tag.get_text(" ", strip=True) if title_tag else None
    if page_title and site:  # "Headline | Site" -> "Headline"
        page_title = re.sub(rf"\s*[|\-–—:]\s*{re.escape(site)}\s*$", "", page_title) or page_title
    out["title"] = meta("og:title", "twitter:title") or page_title or None
    out["outlet"] = site
    author = meta("author", "article:author", "byl")
    out["byline"] = author if author and not author.startswith("http") else None
    when = meta("article:published_time", "datePublished", "date", "pubdate", "dc.date")
    out["published"] = _iso_prefix(when)
    link = soup.find("link", rel=lambda v: v and "canonical" in (v if isinstance(v, list) else [v]))
    url = (link.get("href") if link else None) or meta("og:url")
    out["url"] = url if url and _is_http(url) else None
    return out


def _iso_prefix(value: str | None) -> str | None:
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value or "")
    return _valid_date(*map(int, m.groups())) if m else None


# --------------------------------------------------------------------------
# metadata inference from plain text

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH = (r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
          r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE_MDY = re.compile(rf"\b{_MONTH}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b",
                       re.IGNORECASE)
_DATE_DMY = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+(?P<year>\d{{4}})\b",
                       re.IGNORECASE)
_DATE_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})\b")
_DATE_MARKER = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})\b", re.IGNORECASE)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$)")
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|BST|CET|EST|EDT|KST))?",
                   re.IGNORECASE)
_READ_TIME = re.compile(r"\b\d+\s*min(?:ute)?s?\.?\s+read\b", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*by[\s:]+(?P<who>\S.*)$", re.IGNORECASE)
_ORIGINAL_URL = re.compile(r"^\s*original\s+url\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_URL_LINE = re.compile(r"^\s*<?(?P<url>https?://[^\s<>]+)>?\s*$", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"\*\*|__|\*|`")
_MD_HEADING = re.compile(r"^\s{0,3}#\s+(?P<title>.+?)\s*#*\s*$")
_NAV_OR_PITCH = re.compile(
    r"\b(?:skip to|edit post|subscribe|subscription|sign up|sign in|log ?in|newsletter|"
    r"become a member|new members|membership|donate|support (?:us|our)|advertisement|"
    r"cookies?|read more|follow us|share this|this audio|listen to this|menu)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_NAME_WORD = re.compile(r"[A-Z][\w'’.\-]*")
_BY_PREFIX = re.compile(r"^\s*by[\s:]+", re.IGNORECASE)
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_STEMS_B = tuple(m.encode() for m in _MONTH_STEMS)
# a _NAV_OR_PITCH match always holds one of these (folded) phrases
_NAV_STEMS = ("skip to", "edit post", "subscri", "sign up", "sign in", "login", "log in",
              "newsletter", "become a member", "new members", "membership", "donate",
              "support us", "support our", "advertisement", "cookie", "read more", "follow us",
              "share this", "this audio", "listen to this", "menu")
_NAV_STEMS_B = tuple(m.encode() for m in _NAV_STEMS)
# "url" in any case: under re.IGNORECASE, u, r and l match only their ASCII upper and
# lower case, so one of these is in every "Original url:" line (str.find is much
# faster than a case-insensitive regex search over the whole text)
_URL_WORDS = tuple(a + b + c for a in "uU" for b in "rR" for c in "lL")
# what str.splitlines() splits on (the start of a line is found from a hit)
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_NAME_PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "del", "la", "le", "bin", "al",
                   "and", "&"}


def _fold(line: str) -> str:
    """Lower case for substring pre-checks of IGNORECASE patterns made of ASCII words.

    Every character that re.IGNORECASE lets match an ASCII letter folds to that
    letter here (ASCII case, plus dotted/dotless i and long s), so when such a
    pattern matches a line, its lower-case words are substrings of the folded line.
    """
    if line.isascii():
        return line.lower()
    return line.replace("\u0130", "i").lower().replace("\u0131", "i").replace("\u017f", "s")


_ASCII_DIGITS_TO_0 = bytes.maketrans(b"123456789", b"000000000")
_YEAR_HINT = re.compile(r"\d{4}")


_ASCII_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
# UTF-8 of the non-ASCII characters that re.IGNORECASE matches with an ASCII letter:
# long s, dotless i, dotted capital I, Kelvin sign
_ODD_CASES = ("\u017f".encode(), "\u0131".encode(), "\u0130".encode(), "\u212a".encode())


def _folded_bytes(line: str) -> bytes:
    """UTF-8 of ``line`` in which every character that re.IGNORECASE matches with an
    ASCII letter is that letter in lower case (the rest may stay as it is)."""
    data = line.encode("utf-8", "surrogatepass").lower()  # lowers ASCII only
    if not line.isascii() and any(odd in data for odd in _ODD_CASES):
        data = _fold(line).encode("utf-8", "surrogatepass")
    return data


def _month_possible(folded: bytes) -> bool:
    """A month abbreviation at the start of a word (\\b before it) in ``_folded_bytes``."""
    for stem in _MONTH_STEMS_B:
        at = folded.find(stem)
        while at >= 0:
            # before it: an ASCII word character (no \\b: this hit cannot match), or
            # not (a boundary, or a non-ASCII byte: maybe one, so keep it)
            if at == 0 or folded[at - 1] not in _ASCII_WORD:
                return True
            at = folded.find(stem, at + 1)
    return False


def _has_year(line: str) -> bool:
    """Four digits in a row (every date pattern has them): str/bytes methods for an
    ASCII line, where \\d is [0-9]; the regex for the others (\\d is any digit there)."""
    if not line.isascii():
        line = fastre.ascii_twins(line)  # curly quotes and dashes are no digits
        if not line.isascii():
            return _YEAR_HINT.search(line) is not None
    return b"0000" in line.encode("ascii").translate(_ASCII_DIGITS_TO_0)


def _valid_date(year: int, month: int | None, day: int) -> str | None:
    if month is None:
        return None  # not a month name
    try:
        return dt.date(year, month, day).isoformat()
    except (TypeError, ValueError):  # no such month or day
        return None


def _plain(line: str) -> str:
    """A line without markdown decoration: [AFP](#) -> AFP, **x** -> x, no nbsp."""
    if "](" in line:
        line = _MD_LINK.sub(r"\1", line)
    if "*" in line or "_" in line or "`" in line:
        line = _MD_EMPHASIS.sub("", line)
    return line.replace("\xa0", " ").strip()


def _first_nonempty(lines: Iterable[str], n: int) -> list[str]:
    """The first ``n`` non-empty lines of ``lines``, in plain form (_plain, inlined: hot)."""
    out = []
    for raw in lines:
        if raw.strip():
            plain = raw
            if "](" in plain:
                plain = _MD_LINK.sub(r"\1", plain)
            if "*" in plain or "_" in plain or "`" in plain:
                plain = _MD_EMPHASIS.sub("", plain)
            plain = plain.replace("\xa0", " ").strip()
            if plain:
                out.append(plain)
                if len(out) == n:
                    break
    return out


def _nonempty_lines(text: str) -> tuple[list[str], list[str]]:
    """First HEAD_LINES and last TAIL_LINES non-empty lines, in plain form.

    Only the ends of a file are split, so a 50 MB file costs no more than a small one.
    """
    # Most articles have their head lines in the first few KB and their tail lines in
    # the last KB: split only that much.  Every line of the small chunk but the cut
    # one is also a line of the full window, so the result is the same; when the
    # chunk has too few lines, the full window is split as before.  A text of at
    # most 5,000 characters is both windows: it is split once.
    whole = text.splitlines() if len(text) <= 5_000 else None
    head = None
    if len(text) > 20_000:  # shorter: text[:20_000] is the text, split it once
        head = _first_nonempty(text[:_HEAD_CHUNK].splitlines()[:-1], HEAD_LINES)
        if len(head) < HEAD_LINES:
            head = None
    if head is None:
        head = _first_nonempty(whole if whole is not None else text[:20_000].splitlines(), HEAD_LINES)
    tail = None
    if len(text) > 5_000:
        tail = _first_nonempty(reversed(text[-_TAIL_CHUNK:].splitlines()[1:]), TAIL_LINES)
        if len(tail) < TAIL_LINES:
            tail = None
    if tail is None:
        tail = _first_nonempty(reversed(whole if whole is not None else text[-5_000:].splitlines()),
                               TAIL_LINES)
    return head, tail[::-1]


_HEAD_CHUNK = 6_000
_TAIL_CHUNK = 2_000


def _first_lines(text: str, n: int) -> list[str]:
    """``text[:20_000].splitlines()[:n]``, splitting only a small chunk when it is enough."""
    if len(text) > _HEAD_CHUNK:
        lines = text[:_HEAD_CHUNK].splitlines()
        if len(lines) > n:  # the first n are whole lines (the cut one comes after)
            return lines[:n]
    return text[:20_000].splitlines()[:n]


def _from_line_of(text: str, pos: int) -> str:
    """``text`` from the start of the line holding ``pos`` (str.splitlines() lines)."""
    start = max(text.rfind(c, 0, pos) for c in _LINE_BREAKS) + 1
    return text[start:]


def find_date(line: str) -> tuple[str, re.Match] | None:
    """First written date in a line ("October 21, 2024", "21 Oct 2024", "2024-10-21") as ISO."""
    # which patterns can match at all: a month name (any case) starting a word for the
    # written ones, a "-" for ISO, and four digits for all; bytes methods are much
    # cheaper than the regexes, which mostly run on lines that hold no date
    if not _has_year(line):  # the cheapest test first: most lines have no four-digit year
        return None
    named = _month_possible(_folded_bytes(line))
    if not named and "-" not in line:
        return None
    found = []
    for rx in ((_DATE_MDY, _DATE_DMY, _DATE_ISO) if named else (_DATE_ISO,)):
        for m in rx.finditer(line):
            mon = m["mon"]
            month = int(mon) if mon.isdigit() else _MONTHS.get(mon.casefold()[:3])
            iso = _valid_date(int(m["year"]), month, int(m["day"]))
            if iso:
                found.append((m.start(), iso, m))
                break
    if not found:
        return None
    _, iso, m = min(found, key=lambda t: t[0])
    return iso, m


def infer_url(text: str) -> str | None:
    """The article's own URL: an "Original url:" line (URL there or on the next line,
    maybe in <...>), else the first line that is nothing but an http(s) URL."""
    return _infer_url(text, None)


def _infer_url(text: str, utf8: bytes | None) -> str | None:
    """``infer_url``; ``utf8``: the UTF-8 bytes the text was decoded from (no BOM), if
    any: their ASCII bytes are the text's ASCII characters (a NUL made a space is
    neither "url" nor "://"), so the first hits are found there, fast."""
    # Only lines holding "original url" / "http(s)://" can match: split from the first
    # such line on (nothing before it can match, and what follows is all kept).
    if utf8 is not None and len(text) < 200_000:
        at = utf8.lower().find(b"url")  # an ASCII byte: the bytes before it are whole
        hit = len(utf8[:at].decode("utf-8")) if at >= 0 else -1  # characters
        at = utf8.find(b"://")
        scheme = len(utf8[:at].decode("utf-8")) if at >= 0 else -1
    else:
        if len(text) >= 200_000:
            text = text[:20_000] + "\n" + text[-20_000:]
        hit = min((i for i in map(text.find, _URL_WORDS) if i >= 0), default=-1)
        scheme = None
    lines = _from_line_of(text, hit).splitlines() if hit >= 0 else []
    for i, line in enumerate(lines):
        m = _ORIGINAL_URL.match(line)
        if not m:
            continue
        rest = [m["rest"]] + [x for x in lines[i + 1:i + 4] if x.strip()][:1]
        for cand in rest:
            u = _URL_LINE.match(cand)
            if u:
                return u["url"]
    hit = text.find("://") if scheme is None else scheme  # in every URL line
    for line in _from_line_of(text, hit).splitlines() if hit >= 0 else ():
        u = _URL_LINE.match(line)
        if u:
            return u["url"]
    return None


def infer_published(text: str, url: str | None = None) -> str | None:
    """Publication date: a leading ``date YYYY-MM-DD`` marker, else a dateline in the
    first lines (a short line that is mostly a date, or a byline with a date), else
    a /YYYY/MM/DD/ date in the URL.  Long lines are skipped: a photo caption under
    the headline often mentions an older date."""
    return _infer_published(text, _nonempty_lines(text)[0], url)


def _infer_published(text: str, head: list[str], url: str | None) -> str | None:
    m = _DATE_MARKER.match(text)
    if m:
        iso = _valid_date(*map(int, m.groups()))
        if iso:
            return iso
    for line in head:
        hit = find_date(line)
        if not hit:
            continue
        iso, dm = hit
        rest = _READ_TIME.sub(" ", _TIME.sub(" ", line[:dm.start()] + " " + line[dm.end():]))
        if _BYLINE.match(line) or len(_WORD.findall(rest)) <= 6:
            return iso
    if url:
        u = _URL_DATE.search(urlsplit(url).path)
        if u:
            return _valid_date(*map(int, u.groups()))
    return None


def clean_byline(who: str) -> str | None:
    """Author text without "By", markdown, and trailing date, time or "2 min read"."""
    who = _plain(who)
    who = _BY_PREFIX.sub("", who)
    hit = find_date(who)
    if hit:
        who = who[:hit[1].start()]
    who = _READ_TIME.sub("", _TIME.sub("", who))
    who = who.strip(" \t,;|·•—–-")
    return who or None


def _byline_line(line: str) -> str | None:
    """The author of a "By ..." line, or None if the line is a sentence that starts with "by"."""
    m = _BYLINE.match(line)
    if not m or len(line) > 200:
        return None
    who = clean_byline(m["who"])
    if not who or not (who[0].isupper() or who[0].isdigit()):
        return None
    if who.endswith(".") and len(who.split()) > 3 or len(who.split()) > 14:
        return None
    return who


def _looks_like_name(line: str) -> bool:
    """A short line that is only a person's name: "Justin McCurry", "Anna de la Cruz"."""
    words = line.split()
    if not 2 <= len(words) <= 6 or len(line) > 60 or any(c.isdigit() for c in line):
        return False
    if words[0].lower() == "the" or _known_outlet(line):
        return False
    caps = 0
    for w in words:
        if w.lower() in _NAME_PARTICLES:
            continue
        if not _NAME_WORD.fullmatch(w):
            return False
        caps += 1
    return caps >= 2


def _is_nav_or_pitch(line: str) -> bool:
    folded = _folded_bytes(line)
    return any(stem in folded for stem in _NAV_STEMS_B) and bool(_NAV_OR_PITCH.search(line))


def _is_body(line: str) -> bool:
    """A paragraph of running text: the headline block is over."""
    return len(line) > 200 or (line[-1] in ".!?\"”’)" and len(line.split()) >= 12)


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    if not (10 <= len(line) <= 200 and 3 <= len(words) <= 30):
        return False
    if line[-1] in ".:;," or not (line[0].isupper() or line[0].isdigit() or line[0] in "'\"‘“"):
        return False
    if _BYLINE.match(line) or _URL_LINE.match(line) or _ORIGINAL_URL.match(line):
        return False
    hit = find_date(line)
    is_dateline = hit and len(_WORD.findall(line.replace(hit[1].group(0), ""))) <= 6
    return not is_dateline


def _head_without_marker(text: str, head: list[str] | None = None) -> list[str]:
    """Head lines of the text without a leading ``date YYYY-MM-DD`` marker (``head``:
    those of the text itself, if known)."""
    m = _DATE_MARKER.match(text)  # anchored at \A: removing it is a slice
    if m:
        return _nonempty_lines(text[m.end():])[0]
    return head if head is not None else _nonempty_lines(text)[0]


def infer_title(text: str) -> str | None:
    """Headline: a markdown ``# heading``, else the first headline-like line before the
    body starts (skipping navigation and membership pitches).  None rather than a
    caption or a sentence: a wrong title is worse than none."""
    return _infer_title(text, None)


def _infer_title(text: str, head: list[str] | None) -> str | None:
    hash_at = text.find("#", 0, 20_000)
    # a "#" can only start a heading within the first 60 lines (each ends at a "\n"
    # or another line break, so 60 "\n" before it put it out of reach)
    if hash_at >= 0 and text.count("\n", 0, hash_at) < 60:
        for line in _first_lines(text, 60):
            if "#" not in line:
                continue
            m = _MD_HEADING.match(line)
            if m:
                return _plain(m["title"]) or None
    for line in _head_without_marker(text, head):
        if _is_nav_or_pitch(line):
            continue
        if _looks_like_headline(line):
            return line
        if _is_body(line):
            return None
    return None


def infer_byline(text: str, title: str | None = None) -> str | None:
    """Author: a "By ..." line near the top or at the end ("By Editor"), else a line that
    is just a person's name within three lines under the headline."""
    return _infer_byline(*_nonempty_lines(text), title)


def _infer_byline(head: list[str], tail: list[str], title: str | None) -> str | None:
    for line in head + tail[::-1]:
        who = _byline_line(line)
        if who:
            return who
    if title:
        plain_title = _plain(title)
        for i, line in enumerate(head):
            if line == plain_title or line.lstrip("# ") == plain_title:
                for cand in head[i + 1:i + 4]:
                    if _looks_like_name(cand):
                        return cand
                break
    return None


def infer_outlet(text: str, byline: str | None = None, url: str | None = None) -> str | None:
    """Publication: a short line naming a known outlet ("The Guardian"), else the URL's
    domain (known name, or the bare domain), else a known outlet named in the byline.

    The URL comes before the byline because it says who published the page, while a
    byline such as "By AFP" names the agency that wrote it.
    """
    return _infer_outlet(*_nonempty_lines(text), byline, url)


def _infer_outlet(head: list[str], tail: list[str], byline: str | None,
                  url: str | None) -> str | None:
    names = _outlet_index()[0]
    for line in head + tail:
        if len(line) <= 60:
            name = names.get(line.strip().lower())
            if name:
                return name
    if url:
        host = (urlsplit(url).hostname or "").lower()
        host = host.removeprefix("www.")
        if host:
            return _outlet_for_domain(host) or host
    if byline:
        return _outlet_in(byline)
    return None


# --------------------------------------------------------------------------
# outlets table


@functools.lru_cache(maxsize=1)
def outlets() -> pd.DataFrame:
    """The outlets table (kit/data/outlets.csv): name, domain, aliases (``;``-separated)."""
    return pd.read_csv(DATA / "outlets.csv", dtype=str, keep_default_na=False, encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _outlet_index() -> tuple[dict, dict, tuple]:
    names: dict[str, str] = {}
    domains: dict[str, str] = {}
    for row in outlets().itertuples(index=False):
        name = row.name.strip()
        for alias in [name, *row.aliases.split(";")]:
            if alias.strip():
                names[alias.strip().lower()] = name
        for d in row.domain.split(";"):
            if d.strip():
                domains[d.strip().lower()] = name
    # longest alias first, case-sensitive whole words, for searching inside bylines
    patterns = tuple((re.compile(rf"(?<!\w){re.escape(a)}(?!\w)"), canon)
                     for a, canon in sorted(
                         ((alias, canon) for row in outlets().itertuples(index=False)
                          for canon in [row.name.strip()]
                          for alias in [canon, *row.aliases.split(";")] if alias.strip()),
                         key=lambda t: -len(t[0])))
    return names, domains, patterns


def _known_outlet(line: str) -> str | None:
    return _outlet_index()[0].get(line.strip().lower())


def _outlet_for_domain(host: str) -> str | None:
    domains = _outlet_index()[1]
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = domains.get(".".join(parts[i:]))
        if name:
            return name
    return None


def _outlet_in(byline: str) -> str | None:
    for rx, canon in _outlet_index()[2]:
        if rx.search(byline):
            return canon
    return None


# --------------------------------------------------------------------------
# sources.csv


def _is_http(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def read_sources(path: Path, known: dict[str, list[str]]) -> tuple[dict[str, dict], list[dict]]:
    """Overrides from a sources.csv, keyed by article path, and the problems found.

    ``known`` maps a file name to the loaded article paths with that name.  A row
    for a file that sits beside the csv but was not loaded (skipped, or not asked
    for) is silently unused; a name that matches no file is a problem.  A row with
    any problem is ignored entirely (half-applied rows are harder to reason about).
    """
    problems: list[dict] = []

    def problem(line: int, reason: str) -> None:
        problems.append({"path": str(path), "line": line, "reason": reason})

    try:
        text, _ = decode_bytes(path.read_bytes())
    except (_Skip, OSError) as err:
        problem(1, f"cannot read sources file: {err}")
        return {}, problems
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        problem(1, "empty sources file (expected a header: file,outlet,title,byline,published,url)")
        return {}, problems
    if "file" not in header:
        problem(1, f"missing required column 'file' (found columns: {', '.join(header) or 'none'})")
        return {}, problems
    unknown = [h for h in header if h != "file" and h not in SOURCE_FIELDS]
    if unknown:
        problem(1, f"unknown column(s) ignored: {', '.join(unknown)} "
                   f"(known: file, {', '.join(SOURCE_FIELDS)})")
    overrides: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        if not any(c.strip() for c in row):
            continue
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        name = cells["file"]
        reasons = []
        if len(row) > len(header):
            reasons.append(f"{len(row)} cells but the header has {len(header)}")
        if not name:
            reasons.append("empty 'file' cell")
        elif name not in known:
            if (path.parent / name).is_file():
                continue
            reasons.append(f"no article file named '{name}' in {path.parent}")
        elif name in first_line:
            reasons.append(f"duplicate row for '{name}' (first on line {first_line[name]})")
        pub = cells.get("published", "")
        if pub and not (re.fullmatch(r"\d{4}-\d{2}-\d{2}", pub) and _iso_prefix(pub)):
            reasons.append(f"bad date '{pub}': published must be YYYY-MM-DD")
        url = cells.get("url", "")
        if url and not _is_http(url):
            reasons.append(f"bad url '{url}': must start with http:// or https://")
        if reasons:
            problem(start, "; ".join(reasons) + " (row ignored)")
            continue
        first_line[name] = start
        values = {k: v for k, v in cells.items() if k in SOURCE_FIELDS and v}
        for article_path in known[name]:
            overrides[article_path] = values
    return overrides, problems


# --------------------------------------------------------------------------
# the stage


def _read_bytes(path: str | Path, max_bytes: int) -> bytes:
    """The file's bytes, after the size checks; raise ``_Skip`` with the reason.

    One open + fstat + read (no separate stat of the path); if the open fails, the
    path is stat-ed so that the reason is the same as before (e.g. an empty file
    that cannot be opened is reported as empty).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError as err:
        try:
            size = os.stat(path).st_size
        except OSError as err2:
            raise _Skip(f"cannot read: {err2.strerror or err2}") from err2
        _check_size(size, max_bytes)
        raise _Skip(f"cannot read: {err.strerror or err}") from err
    try:
        with open(fd, "rb", buffering=0, closefd=True) as f:
            try:
                size = os.fstat(fd).st_size
            except OSError as err:
                raise _Skip(f"cannot read: {err.strerror or err}") from err
            _check_size(size, max_bytes)
            try:
                return f.read()
            except OSError as err:
                raise _Skip(f"cannot read: {err.strerror or err}") from err
    except OSError as err:  # closing
        raise _Skip(f"cannot read: {err.strerror or err}") from err


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise _Skip("empty file (0 bytes)")
    if size > max_bytes:
        raise _Skip(f"file is {size:,} bytes, larger than max_bytes={max_bytes:,}; "
                    f"raise the limit with load_corpus(..., max_bytes={size}), "
                    f"kit figures --max-bytes {size} or {MAX_BYTES_ENV}={size}")


def max_bytes_limit(value=None) -> int:
    """The size limit of one article file: ``value`` if given, else the environment
    variable ``KIT_MAX_BYTES``, else ``DEFAULT_MAX_BYTES``.  Raises ``ValueError`` for
    anything but a positive whole number (``_`` and ``,`` separators allowed)."""
    source = "max_bytes"
    if value is None:
        raw = os.environ.get(MAX_BYTES_ENV, "").strip()
        if not raw:
            return DEFAULT_MAX_BYTES
        value, source = raw, MAX_BYTES_ENV
    if isinstance(value, str):
        text = value.strip().replace("_", "").replace(",", "")
        if not text.isdigit():
            raise ValueError(f"{source} must be a positive whole number of bytes, got {value!r}")
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{source} must be a positive whole number of bytes, got {value!r}")
    return value


def read_article(path: Path, max_bytes: int) -> dict:
    """One file -> a row dict (without article_id); raise ``_Skip`` with the reason."""
    return _read_article(str(path), path.suffix, max_bytes)


def _read_article(path: str, suffix: str, max_bytes: int) -> dict:
    data = _read_bytes(path, max_bytes)
    text, encoding = decode_bytes(data)
    meta: dict = {}
    html = suffix.lower() in HTML_SUFFIXES
    if html:
        text, meta = html_to_text(text)
    if not text or text.isspace():
        raise _Skip("empty file (no visible text)" if meta else "empty file (only whitespace)")
    head, tail = _nonempty_lines(text)  # once, for all the guesses below
    utf8 = None
    if not html and encoding in ("utf-8", "utf-8-sig"):
        utf8 = data if encoding == "utf-8" else data[len(codecs.BOM_UTF8):]
    url = meta.get("url") or _infer_url(text, utf8)
    title = meta.get("title") or _infer_title(text, head)
    byline = meta.get("byline") or _infer_byline(head, tail, title)
    published = meta.get("published") or _infer_published(text, head, url)
    outlet = meta.get("outlet") or _infer_outlet(head, tail, byline, url)
    return {"path": path, "outlet": outlet, "title": title, "byline": byline,
            "published": published, "url": url, "encoding": encoding, "text": text}


def load_corpus(paths, *, sources=None, max_bytes: int | None = None) -> pd.DataFrame:
    """Load article files into the ``articles`` frame (see ``kit.schema``).

    ``paths``: a folder, a file, or a list of them; a folder contributes its .txt,
    .md, .html and .htm files (not recursively).  ``sources``: a sources.csv to
    use instead of the ones found beside the articles.  ``max_bytes``: files
    larger than this are skipped with the reason (default: the environment
    variable ``KIT_MAX_BYTES``, else 64 MiB); they are refused before being read.
    Skipped files are in ``frame.attrs["skipped"]``, ignored sources.csv rows in
    ``frame.attrs["problems"]``.
    """
    try:
        max_bytes = max_bytes_limit(max_bytes)
    except ValueError as err:
        raise CorpusError(str(err)) from None
    files, skipped = _article_files(_as_list(paths))
    rows = []
    places = []  # (folder, name) of each row, for the sources.csv files
    for path, folder, name in files:
        try:
            rows.append(_read_article(path, _suffix(name), max_bytes))
        except _Skip as err:
            skipped.append({"path": path, "reason": str(err)})
        else:
            places.append((folder, name))
    if not rows:
        listing = "; ".join(f"{s['path']}: {s['reason']}" for s in skipped)
        raise CorpusError(f"no readable article in {', '.join(map(str, _as_list(paths)))}: "
                          f"every file was skipped ({listing})")

    problems: list[dict] = []
    if sources is not None:
        src = Path(sources)
        if not src.is_file():
            raise CorpusError(f"sources file not found: {src}")
        by_name: dict[str, list[str]] = {}
        for r, (_, name) in zip(rows, places):
            by_name.setdefault(name, []).append(r["path"])
        plans = [(src, by_name)]
    else:
        plans = []
        folders: dict[Path, dict[str, list[str]]] = {}
        for r, (folder, name) in zip(rows, places):
            folders.setdefault(folder, {}).setdefault(name, []).append(r["path"])
        for folder, by_name in folders.items():
            if (folder / SOURCES_NAME).is_file():
                plans.append((folder / SOURCES_NAME, by_name))
    for src, by_name in plans:
        overrides, found = read_sources(src, by_name)
        problems.extend(found)
        if overrides:
            for r in rows:
                r.update(overrides.get(r["path"], {}))

    # one frame at the end, from columns (rows sorted by path, stably)
    rows.sort(key=lambda r: r["path"])
    columns: dict[str, list] = {"article_id": _article_ids([r["path"] for r in rows])}
    for key in ("path", "outlet", "title", "byline", "published", "url", "encoding", "text"):
        columns[key] = [r.get(key) for r in rows]
    frame = from_columns(columns, "articles")
    frame.attrs["skipped"] = sorted(skipped, key=lambda s: s["path"])
    frame.attrs["problems"] = problems
    return frame
