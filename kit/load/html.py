"""Saved web pages: the visible text of an HTML page and the metadata in its head."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kit.dates import iso_prefix

_DROP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object",
              "canvas", "button", "select", "form", "nav"}  # nav: site menus, never the article
_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "dd", "details", "dialog", "div",
               "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
               "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section",
               "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "body", "html",
               "caption"}
_CELL_TAGS = {"td", "th"}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def is_http(url: str) -> bool:
    """An absolute http(s) URL (the only kind a report turns into a link)."""
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


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
        if name in _BLOCK_TAGS:
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
    out["published"] = iso_prefix(when)
    link = soup.find("link", rel=lambda v: v and "canonical" in (v if isinstance(v, list) else [v]))
    url = (link.get("href") if link else None) or meta("og:url")
    out["url"] = url if url and is_http(url) else None
    return out
