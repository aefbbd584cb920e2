"""``kit add``: bring articles into a corpus folder from URLs, feeds and WARC files.

One module a job: ``fetch`` (polite HTTP), ``feeds`` (RSS/Atom with feedparser),
``warc`` (crawl archives with warcio), ``corpus`` (the writer: text, raw page,
sources.csv row, no duplicates, atomic writes).  This module reads the command's
sources, checks them all before anything is fetched, and turns each page into an
article with the kit's page reader (``kit.load.page``: trafilatura) and metadata
heuristics, exactly as ``kit.load_corpus`` reads a saved page.

A source is an http(s) URL (a page or a feed: told apart by what the server sends),
a WARC file (.warc, .warc.gz, or a file that starts as one), a feed saved as a file,
or a text file of URLs, one a line (blank lines and lines starting with # skipped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kit.add import feeds, warc
from kit.add.corpus import Article, CorpusWriteError, CorpusWriter
from kit.add.fetch import Fetcher, FetchError, Response
from kit.load.html import is_http

__all__ = ["AddError", "CorpusWriteError", "Fetcher", "Outcome", "add", "read_sources"]

PAGE_TYPES = ("text/html", "application/xhtml+xml", "")


class AddError(ValueError):
    """A source given to ``kit add`` is unusable (named, with what is wrong)."""


@dataclass(frozen=True)
class Source:
    kind: str  # "url", "warc", "feed-file"
    value: str  # the URL, or the file's path
    where: str  # how the analyst gave it ("urls.txt line 3", "a URL argument")


@dataclass
class Outcome:
    added: list[str] = field(default_factory=list)  # files written
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, file holding it)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (source, note)

    def summary(self) -> str:
        """"added N, duplicates M, failed K" (the reasons are one line each, above it)."""
        return (f"added {len(self.added)}, duplicates {len(self.duplicates)}, "
                f"failed {len(self.failed)}")


def read_sources(given: list[str]) -> list[Source]:
    """The sources of the command line, checked before any fetch; raise ``AddError``."""
    if not given:
        raise AddError("no source given: name URLs, feeds, WARC files or files of URLs")
    found: list[Source] = []
    for raw in given:
        if "://" in raw:
            if not is_http(raw):
                raise AddError(f"{raw}: not an http(s) URL")
            found.append(Source("url", raw.strip(), "a URL argument"))
            continue
        path = Path(raw)
        if not path.is_file():
            raise AddError(f"{raw}: no such file, and not an http(s) URL")
        if warc.is_warc(path):
            found.append(Source("warc", raw, raw))
            continue
        try:
            data = path.read_bytes()
        except OSError as err:
            raise AddError(f"{raw}: cannot read: {err.strerror or err}") from None
        if feeds.looks_like_feed("", data):
            found.append(Source("feed-file", raw, raw))
            continue
        found += _url_list(path, data)
    return found


def _url_list(path: Path, data: bytes) -> list[Source]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AddError(f"{path}: not a text file of URLs (not UTF-8), a feed or a WARC "
                       "file") from None
    urls = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_http(line) or any(c.isspace() for c in line):
            raise AddError(f"{path} line {n}: not an http(s) URL: {line[:80]!r} (a file of "
                           "URLs has one URL a line; # starts a comment)")
        urls.append(Source("url", line, f"{path} line {n}"))
    return urls


def add(sources: list[Source], corpus: Path, fetcher: Fetcher | None = None, outlets=None,
        progress: Callable[[str], None] | None = None) -> Outcome:
    """Add the articles of ``sources`` to the ``corpus`` folder; raise ``CorpusWriteError``
    when the folder cannot be written (then nothing was)."""
    fetcher = fetcher or Fetcher()
    outcome = Outcome()
    with CorpusWriter(corpus) as writer:
        adder = _Adder(writer, fetcher, outlets, outcome, progress or (lambda _: None))
        for source in sources:
            adder.source(source)
    return outcome


@dataclass
class _Adder:
    writer: CorpusWriter
    fetcher: Fetcher
    outlets: object
    outcome: Outcome
    progress: Callable[[str], None]

    def source(self, source: Source) -> None:
        try:
            if source.kind == "warc":
                for item in warc.pages(Path(source.value), self.fetcher.max_bytes):
                    if isinstance(item, Response):
                        self.page(item, item.url, {})
                    else:
                        self.outcome.failed.append(item)
            elif source.kind == "feed-file":
                self.feed(Path(source.value).read_bytes(), source.value)
            else:
                self.url(source.value, allow_feed=True)
        except (ValueError, OSError) as err:
            self.outcome.failed.append((source.value, str(err)))

    def url(self, url: str, meta: dict | None = None, allow_feed: bool = False) -> None:
        known = self.writer.known_url(url)
        if known:  # not fetched again
            self.outcome.duplicates.append((url, known))
            return
        try:
            resp = self.fetcher.get(url)
        except FetchError as err:
            self.outcome.failed.append((url, err.reason))
            return
        if allow_feed and feeds.looks_like_feed(resp.content_type, resp.body):
            self.feed(resp.body, url)
        else:
            self.page(resp, url, meta or {})

    def feed(self, body: bytes, where: str) -> None:
        for entry in feeds.entries(body, where):
            self.url(entry.link, entry.meta())

    def page(self, resp: Response, asked: str, hint: dict) -> None:
        """One fetched page -> an article in the corpus (or a duplicate, or a failure)."""
        from kit.load import metadata
        from kit.load.page import read_page

        if resp.content_type not in PAGE_TYPES:
            self.outcome.failed.append((asked, f"not a web page (content type "
                                               f"{resp.content_type})"))
            return
        markup = _decode(resp)
        if markup is None:
            self.outcome.failed.append((asked, "the page's bytes are not text"))
            return
        page = read_page(markup, url=resp.url or asked, outlets=self.outlets)
        if not page.text.strip():
            self.outcome.failed.append((asked, "no article text on the page"))
            return
        if page.note:
            self.outcome.notes.append((asked, page.note))
        known = {**{k: v for k, v in hint.items() if v},
                 **{k: v for k, v in page.meta.items() if v}}
        guessed = metadata.guess(page.text, known, self.outlets)
        meta = {k: getattr(guessed, k) for k in ("outlet", "title", "byline", "published")}
        meta["url"] = resp.url if is_http(resp.url) else asked
        urls = tuple(dict.fromkeys(u for u in (asked, resp.url, page.meta.get("url"))
                                   if u and is_http(u)))
        added, file = self.writer.add(Article(page.text, resp.body, meta, resp.fetched, urls))
        if added:
            self.outcome.added.append(file)
            self.progress(file)
        else:
            self.outcome.duplicates.append((asked, file))


def _decode(resp: Response) -> str | None:
    """The page's text: by the charset the server names, else as the loader decodes files."""
    from kit.load.decode import decode_bytes
    from kit.load.problems import Skip

    if resp.charset:
        try:
            return resp.body.decode(resp.charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return decode_bytes(resp.body)[0]
    except Skip:
        return None
