"""RSS and Atom feeds (read with feedparser): the articles a feed links to."""

from __future__ import annotations

import time
from dataclasses import dataclass

from kit.load.html import is_http

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/xml", "text/xml", "application/feed+json")


@dataclass(frozen=True)
class Entry:
    """One feed entry: the article's link and what the feed says of it."""
    link: str
    title: str | None = None
    byline: str | None = None
    published: str | None = None

    def meta(self) -> dict:
        return {"title": self.title, "byline": self.byline, "published": self.published}


def looks_like_feed(content_type: str, body: bytes) -> bool:
    """An RSS, Atom or RDF feed by its content type, or (served as anything) by its start."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<html" in head or b"<!doctype html" in head:
        return False
    if content_type in FEED_TYPES:
        return True
    return head.startswith(b"<?xml") and any(t in head for t in (b"<rss", b"<feed", b"<rdf"))


def entries(body: bytes, where: str) -> list[Entry]:
    """The entries of a feed that link to an http(s) page; raise ``ValueError`` naming
    ``where`` when the bytes are not a feed."""
    import feedparser

    parsed = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = parsed.get("bozo_exception") or "no RSS or Atom feed found"
        raise ValueError(f"{where}: not a readable feed: {problem}")
    found = []
    for e in parsed.entries:
        link = e.get("link") or next((x.get("href") for x in e.get("links", [])
                                      if x.get("rel") == "alternate"), None)
        if not link or not is_http(link):
            continue
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        found.append(Entry(link.strip(), (e.get("title") or "").strip() or None,
                           (e.get("author") or "").strip() or None,
                           time.strftime("%Y-%m-%d", stamp) if stamp else None))
    return found
