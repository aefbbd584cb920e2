"""Guessing an article's metadata from its plain text: title, byline, date, URL, outlet.

Metadata lives near the ends of a saved article: headline, byline and dateline
in the first lines, "By Editor" or "Original url:" in the last ones.  Each
guess is a small function over those lines and prefers no answer to a wrong
one (a caption is not a title).  An analyst corrects the guesses with a
``sources.csv`` beside the articles, whose non-empty cells win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kit.dates import MONTH, month_number, valid_date
from kit.load.outlets import OutletIndex, outlet_index

HEAD_LINES = 15  # metadata lives near the top: headline, byline, dateline
TAIL_LINES = 4  # ... or at the very end ("By Editor", "Original url:")
WINDOW = 20_000  # characters at the start of a text where its head lines are looked for
TAIL_WINDOW = 5_000

_MON = rf"(?P<mon>{MONTH})"
_DATE_MDY = re.compile(rf"\b{_MON}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b",
                       re.IGNORECASE)
_DATE_DMY = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON}\.?,?\s+(?P<year>\d{{4}})\b",
                       re.IGNORECASE)
_DATE_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})\b")
DATE_MARKER = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})\b", re.IGNORECASE)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$)")
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|BST|CET|EST|EDT|KST))?",
                   re.IGNORECASE)
_READ_TIME = re.compile(r"\b\d+\s*min(?:ute)?s?\.?\s+read\b", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*by[\s:]+(?P<who>\S.*)$", re.IGNORECASE)
_ORIGINAL_URL = re.compile(r"^\s*original\s+url\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_ORIGINAL_URL_WORDS = re.compile(r"original\s+url\s*:", re.IGNORECASE)
_YEAR = re.compile(r"\d{4}")
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
_NAME_PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "del", "la", "le", "bin", "al",
                   "and", "&"}


@dataclass(frozen=True)
class Guess:
    title: str | None
    byline: str | None
    published: str | None
    url: str | None
    outlet: str | None


def guess(text: str, known: dict | None = None, outlets: OutletIndex | None = None) -> Guess:
    """Metadata of one text: the ``known`` values (e.g. from an HTML page's head), the
    others guessed from the text, each guess using the values before it."""
    known = known or {}
    outlets = outlets or outlet_index()
    head, tail = edge_lines(text)
    url = known.get("url") or infer_url(text)
    title = known.get("title") or _title(text, _head_without_marker(text, head))
    byline = known.get("byline") or _byline(head, tail, title, outlets)
    published = known.get("published") or _published(text, head, url)
    outlet = known.get("outlet") or _outlet(head, tail, byline, url, outlets)
    return Guess(title, byline, published, url, outlet)


# --------------------------------------------------------------------------- lines

def plain(line: str) -> str:
    """A line without markdown decoration: [AFP](#) -> AFP, **x** -> x, no nbsp."""
    if "](" in line:
        line = _MD_LINK.sub(r"\1", line)
    if "*" in line or "_" in line or "`" in line:
        line = _MD_EMPHASIS.sub("", line)
    return line.replace("\xa0", " ").strip()


def _first_nonempty(lines, n: int) -> list[str]:
    out = []
    for raw in lines:
        line = plain(raw) if raw and not raw.isspace() else ""
        if line:
            out.append(line)
            if len(out) == n:
                break
    return out


def edge_lines(text: str) -> tuple[list[str], list[str]]:
    """First HEAD_LINES and last TAIL_LINES non-empty lines, in plain form.

    Only the ends of a text are split, so a 50 MB file costs no more than a small one.
    """
    head = _first_nonempty(text[:WINDOW].splitlines(), HEAD_LINES)
    tail = _first_nonempty(reversed(text[-TAIL_WINDOW:].splitlines()), TAIL_LINES)
    return head, tail[::-1]


def _head_without_marker(text: str, head: list[str]) -> list[str]:
    """Head lines of the text without a leading ``date YYYY-MM-DD`` marker."""
    m = DATE_MARKER.match(text)
    return edge_lines(text[m.end():])[0] if m else head


# --------------------------------------------------------------------------- dates

def find_date(line: str) -> tuple[str, re.Match] | None:
    """First written date in a line ("October 21, 2024", "21 Oct 2024", "2024-10-21") as ISO."""
    if not _YEAR.search(line):
        return None
    found = []
    for rx in (_DATE_MDY, _DATE_DMY, _DATE_ISO):
        for m in rx.finditer(line):
            mon = m["mon"]
            iso = valid_date(int(m["year"]), int(mon) if mon.isdigit() else month_number(mon),
                             int(m["day"]))
            if iso:
                found.append((m.start(), iso, m))
                break
    if not found:
        return None
    _, iso, m = min(found, key=lambda t: t[0])
    return iso, m


def infer_published(text: str, url: str | None = None) -> str | None:
    """Publication date: a leading ``date YYYY-MM-DD`` marker, else a dateline in the
    first lines (a short line that is mostly a date, or a byline with a date), else
    a /YYYY/MM/DD/ date in the URL.  Long lines are skipped: a photo caption under
    the headline often mentions an older date."""
    return _published(text, edge_lines(text)[0], url)


def _published(text: str, head: list[str], url: str | None) -> str | None:
    m = DATE_MARKER.match(text)
    if m:
        iso = valid_date(*map(int, m.groups()))
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
            return valid_date(*map(int, u.groups()))
    return None


# --------------------------------------------------------------------------- url

def infer_url(text: str) -> str | None:
    """The article's own URL: an "Original url:" line (URL there or on the next
    non-empty line, maybe in <...>), else the first line that is nothing but an
    http(s) URL."""
    if "://" not in text:
        return None
    for found in _ORIGINAL_URL_WORDS.finditer(text):
        lines = text[_line_start(text, found.start()):].splitlines()
        m = _ORIGINAL_URL.match(lines[0])
        if m:
            for cand in [m["rest"]] + [x for x in lines[1:4] if x.strip()][:1]:
                u = _URL_LINE.match(cand)
                if u:
                    return u["url"]
    for line in text[_line_start(text, text.find("://")):].splitlines():
        u = _URL_LINE.match(line)
        if u:
            return u["url"]
    return None


def _line_start(text: str, pos: int) -> int:
    """Where the line holding ``pos`` starts (after any of str.splitlines()'s breaks)."""
    return max(text.rfind(c, 0, pos) for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029") + 1


# --------------------------------------------------------------------------- title

def infer_title(text: str) -> str | None:
    """Headline: a markdown ``# heading``, else the first headline-like line before the
    body starts (skipping navigation and membership pitches).  None rather than a
    caption or a sentence: a wrong title is worse than none."""
    return _title(text, _head_without_marker(text, edge_lines(text)[0]))


def _title(text: str, head: list[str]) -> str | None:
    if "#" in text[:WINDOW]:
        for line in text[:WINDOW].splitlines()[:60]:
            m = _MD_HEADING.match(line)
            if m:
                return plain(m["title"]) or None
    for line in head:
        if _NAV_OR_PITCH.search(line):
            continue
        if _looks_like_headline(line):
            return line
        if _is_body(line):
            return None
    return None


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


# --------------------------------------------------------------------------- byline

def clean_byline(who: str) -> str | None:
    """Author text without "By", markdown, and trailing date, time or "2 min read"."""
    who = _BY_PREFIX.sub("", plain(who))
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


def _looks_like_name(line: str, outlets: OutletIndex) -> bool:
    """A short line that is only a person's name: "Justin McCurry", "Anna de la Cruz"."""
    words = line.split()
    if not 2 <= len(words) <= 6 or len(line) > 60 or any(c.isdigit() for c in line):
        return False
    if words[0].lower() == "the" or outlets.named(line):
        return False
    caps = 0
    for w in words:
        if w.lower() in _NAME_PARTICLES:
            continue
        if not _NAME_WORD.fullmatch(w):
            return False
        caps += 1
    return caps >= 2


def _byline(head: list[str], tail: list[str], title: str | None,
            outlets: OutletIndex) -> str | None:
    """Author: a "By ..." line near the top or at the end ("By Editor"), else a line that
    is just a person's name within three lines under the headline."""
    for line in head + tail[::-1]:
        who = _byline_line(line)
        if who:
            return who
    if title:
        plain_title = plain(title)
        for i, line in enumerate(head):
            if line == plain_title or line.lstrip("# ") == plain_title:
                for cand in head[i + 1:i + 4]:
                    if _looks_like_name(cand, outlets):
                        return cand
                break
    return None


# --------------------------------------------------------------------------- outlet

def _outlet(head: list[str], tail: list[str], byline: str | None, url: str | None,
            outlets: OutletIndex) -> str | None:
    """Publication: a short line naming a known outlet ("The Guardian"), else the URL's
    domain (known name, or the bare domain), else a known outlet named in the byline.

    The URL comes before the byline because it says who published the page, while a
    byline such as "By AFP" names the agency that wrote it.
    """
    for line in head + tail:
        if len(line) <= 60:
            name = outlets.named(line)
            if name:
                return name
    if url:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        if host:
            return outlets.for_domain(host) or host
    return outlets.mentioned(byline) if byline else None
