"""HTML building blocks for reports and notebooks: escaping, safe links, marked spans.

Every string that comes from an article (outlet, title, sentence, URL,
claimant words) is untrusted: it is escaped here, and only ``http``/``https``
URLs become links.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import pandas as pd

STYLE = (
    "<style>"
    ".kit-citations li{margin:0 0 .6em 0;line-height:1.4}"
    ".kit-citations .kit-meta{color:#444;font-size:90%}"
    ".kit-citations mark{background:#ffe58a;padding:0 .1em}"
    ".kit-table{border-collapse:collapse;font-size:90%}"
    ".kit-table th,.kit-table td{border:1px solid #ccc;padding:.2em .5em;text-align:left;"
    "vertical-align:top}"
    ".kit-note{padding:.5em 1em;border-left:4px solid #c0392b;background:#fbeeee}"
    ".kit-more{color:#666;font-size:85%;white-space:nowrap}"
    "</style>"
)


def esc(value) -> str:
    """HTML-escape anything (missing values become the empty string)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def safe_url(url) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (never a javascript: link)."""
    if url is None or (not isinstance(url, str) and pd.isna(url)):
        return None
    url = str(url).strip()
    if any(ord(c) < 32 or c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(text, url) -> str:
    """Escaped ``text``, as a link only when ``url`` is http(s)."""
    safe = safe_url(url)
    if safe is None:
        return esc(text)
    return f'<a href="{esc(safe)}" rel="noopener noreferrer nofollow">{esc(text)}</a>'


def highlight(sentence: str, start: int, end: int) -> str:
    """The sentence escaped, with ``sentence[start:end]`` inside ``<mark>``."""
    sentence = sentence or ""
    if not (0 <= start <= end <= len(sentence)):
        return esc(sentence)
    return (esc(sentence[:start]) + "<mark>" + esc(sentence[start:end]) + "</mark>"
            + esc(sentence[end:]))


def table_html(frame: pd.DataFrame, empty: str = "Nothing to show.", index: bool = False) -> str:
    """A frame as an escaped HTML table (a note instead when it is empty)."""
    if not len(frame):
        return STYLE + f'<p class="kit-note">{esc(empty)}</p>'
    return STYLE + frame.to_html(index=index, escape=True, classes="kit-table", border=0,
                                  na_rep="")
