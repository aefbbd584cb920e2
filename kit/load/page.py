"""Saved web pages: the article's text and metadata, read with trafilatura.

Why a library: the kit's own reader (``kit.load.html.html_to_text``) keeps every visible
block of a page, so cookie banners ("We and our 1,024 partners"), related-story boxes
("Top 10 stories"), newsletter pitches and comments became article text and their
numbers became figures.  trafilatura is made to find a page's main text and its
metadata (title, author, date, site name) in markup of many CMSs; for the date it calls
htmldate, which finds a publication date kept only in markup (meta tags, JSON-LD,
``<time>`` elements, the URL; tests/data/pages/school_meals.html, reservoir_levels.html).
htmldate's search of the running text is switched off: see the plain-text measurement.

Measured on the saved-page corpus tests/data/pages (7 invented pages in several CMS
layouts; ``scripts/compare_readers.py``, table in the README): figures taken from page
furniture 25 with the old reader, 0 with this one; metadata fields right (title, byline,
date, outlet) 19 of 28 with the old reader, 28 of 28 with this one.  On the development
set's six saved pages precision went from 0.925 to 0.953 (value F1 0.891 to 0.904),
recall unchanged.

The kit's own heuristics (``kit.load.metadata.guess``) are kept where they measurably
do better: they fill a field the markup does not give, from the page's full visible
text, where "By ..." lines and wire datelines still are (trafilatura alone: 27 of 28
fields right on that corpus, the wire story's byline missing; with the heuristics 28).
Plain-text files are read by the heuristics alone: on the development set's 36
plain-text articles they date 21 right, 0 wrong, 15 not at all, where trafilatura's
htmldate on the same text dates 25 right but 8 wrong (a wire dateline such as "Feb 9"
without a year becomes 2024-01-01): a wrong date is worse than none (same script).

The text stored is trafilatura's main text with one blank line between paragraphs (so a
headline and the first sentence never run together), headed by the page's title when
the body does not start with its headline.  Every offset of a later stage points into
this text, not into the markup.  When trafilatura finds no body (a page that is mostly
a table, a list or a form), the page is read with the kit's own reader rather than lost,
and the reason is returned as a note.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kit.dates import iso_prefix
from kit.load.html import html_to_text, is_http

#: The note of a page read with the kit's own reader.
FALLBACK_NOTE = "trafilatura found no article body; read with the kit's own HTML reader"

# trafilatura and htmldate log what they discard at WARNING; the kit reports its own way
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


@dataclass
class Page:
    """A page as the kit stores it: ``text``, the metadata found in the page (``meta``:
    title, byline, published, outlet, url; None where not found) and ``note``: why the
    kit's own reader was used, or None."""
    text: str
    meta: dict = field(default_factory=dict)
    note: str | None = None


def read_page(markup: str, url: str | None = None, outlets=None) -> Page:
    """The main text and metadata of a web page (``url``: where it was fetched from, which
    helps find its site and date; ``outlets``: the known outlets' index).

    A field the markup does not give is guessed by the kit's heuristics from the page's
    full visible text (``kit.load.metadata.guess``), where bylines and datelines that
    trafilatura leaves out of the main text still are."""
    doc = _extract(markup, url)
    text = _body_text(doc.body) if doc is not None and doc.body is not None else ""
    if not text:
        old_text, old_meta = html_to_text(markup)
        meta = {**old_meta, **{k: v for k, v in _meta(doc, url).items() if v}} if doc else old_meta
        return Page(old_text, meta, FALLBACK_NOTE if old_text.strip() else None)
    meta = _meta(doc, url)
    headline = _headline(doc)
    if headline and (not meta["title"] or meta["title"] == meta["outlet"]):
        meta["title"] = headline  # a <title> that is only the site's name
    if meta["title"] and not headline:
        text = f"{meta['title']}\n\n{text}"
    if not all(meta.values()):
        from kit.load.metadata import guess

        old_text, old_meta = html_to_text(markup)
        if old_text.strip():
            guessed = guess(old_text, {**old_meta, **{k: v for k, v in meta.items() if v}},
                            outlets)
            meta = {k: meta[k] or getattr(guessed, k) for k in meta}
    return Page(text, meta)


_XML_DECLARATION = re.compile(r"\A\ufeff?\s*<\?xml[^>]*\?>")
_LAYOUT_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "article", "blockquote")
#: htmldate reads dates from the markup only (meta, JSON-LD, <time>, the URL): its search
#: of the text guesses a year for a dateline without one (see the module's docstring);
#: the kit's heuristics read the text instead.
_DATES = {"extensive_search": False, "original_date": True}
#: Never what a reader sees (a JSON-LD script stays: trafilatura reads metadata from it).
_HIDDEN = ("style", "noscript", "template", "svg", "iframe", "object", "canvas")


def _extract(markup: str, url: str | None):
    """trafilatura's document (main text without comments, data tables kept), or None.

    Tables used for page layout (a cell holding paragraphs or headings, as on sites built
    before CSS) are turned into plain blocks first: trafilatura would otherwise keep the
    whole table, menus and all, as one data table."""
    import lxml.html
    from trafilatura import bare_extraction

    try:
        # lxml refuses a str that declares its encoding (an XHTML page's <?xml ...?>)
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", markup, count=1))
        for el in list(tree.iter(*_HIDDEN, "script")):
            if el.tag != "script" or "ld+json" not in (el.get("type") or ""):
                el.drop_tree()
        for table in list(tree.iter("table")):
            if any(el.tag in _LAYOUT_BLOCKS for cell in table.iter("td", "th")
                   for el in cell.iter()):
                for el in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
                    el.tag = "div"
        return bare_extraction(tree, url=url, include_comments=False, include_tables=True,
                               with_metadata=True, date_extraction_params=_DATES)
    except Exception:  # noqa: BLE001 - a page the library cannot parse is read the old way
        return None


#: trafilatura's elements that are paragraphs of their own; <lb/> is a line break.
_BLOCKS = {"head", "p", "item", "row", "quote", "code", "list", "table"}


def _body_text(body) -> str:
    """trafilatura's main text (its XML) as the kit writes text: a blank line between
    paragraphs, headings, list items and table rows, a newline for a line break, a space
    between table cells."""
    parts: list[str] = []
    stack: list = [body]
    while stack:  # iterative: no recursion limit on deep markup
        el = stack.pop()
        if isinstance(el, str):
            parts.append(el)
            continue
        block = el.tag in _BLOCKS
        parts.append("\n\n" if block else "\n" if el.tag == "lb" else
                     " " if el.tag == "cell" else "")
        parts.append(el.text or "")
        stack.append(el.tail or "")  # after the element's end
        if block:
            stack.append("\n\n")
        stack.extend(reversed(list(el)))
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parts))
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _headline(doc) -> str | None:
    """The heading the main text starts with, or None."""
    body = doc.body
    if body is None or not len(body) or body[0].tag != "head":
        return None
    return " ".join("".join(body[0].itertext()).split()) or None


def _meta(doc, url: str | None) -> dict:
    """title, byline, published, outlet, url of trafilatura's document."""
    page_url = doc.url if doc.url and is_http(doc.url) else (url if url and is_http(url) else None)
    author = (doc.author or "").strip()
    site = (doc.sitename or "").strip()
    host = (urlsplit(page_url).hostname or "").lower().removeprefix("www.") if page_url else ""
    if site.lower().removeprefix("www.") == host:  # only the domain: the outlet index knows better
        site = ""
    return {"title": (doc.title or "").strip() or None,
            "byline": author if author and not author.startswith("http") else None,
            "published": iso_prefix(doc.date) if doc.date else None,
            "outlet": site or None,
            "url": page_url}
