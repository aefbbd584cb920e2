"""Writing articles into a corpus folder: the text, the raw page and a sources.csv row.

Layout of a corpus ``kit add`` writes into (the analyst's own files stay as they are):

* ``NAME.txt``: the article's text as the kit extracted it (UTF-8); ``kit.load_corpus``
  reads it like any article file;
* ``.raw/NAME.html``: the page as it was fetched, byte for byte (``.raw`` is hidden, so
  the loader never reads it as a second copy of the article);
* ``sources.csv``: one row a file (file, outlet, title, byline, published, url,
  fetched, sha256); rows already there, and columns the analyst added, are kept.

No duplicates: an article whose URL (asked for, after redirects, or canonical) or whose
text (SHA-256) is already in sources.csv is not written again.  Every file is replaced
atomically (``kit.output.atomic``) and sources.csv is rewritten after each article, so a
crash leaves the old sources.csv or the new one, never half of one.  A text file written
just before a crash, without its row, is taken over by the next run that fetches the same
article (same name, same text) instead of being written twice.  A lock keeps two
``kit add`` runs on one folder from interleaving.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kit.load.decode import decode_bytes
from kit.load.problems import Skip
from kit.load.sources import RECORD_FIELDS, SOURCE_FIELDS, SOURCES_NAME
from kit.output.atomic import atomic_write

RAW_FOLDER = ".raw"
LOCK_NAME = ".kit-add.lock"
COLUMNS = ("file", *SOURCE_FIELDS, *RECORD_FIELDS)
TEXT_SUFFIXES = (".txt", ".md")
_EXTRA = "\0extra"


class CorpusWriteError(Exception):
    """The corpus folder or its sources.csv cannot be used; nothing was written."""


@dataclass
class Article:
    """What is written for one article."""
    text: str
    raw: bytes
    meta: dict  # outlet, title, byline, published, url
    fetched: str
    urls: tuple[str, ...]  # every URL it is known by (asked for, after redirects, canonical)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def url_key(url: str) -> str:
    """A URL as compared for duplicates: scheme and host in lower case, no fragment, no
    trailing slash."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


class CorpusWriter:
    """A corpus folder opened for adding (use as a context manager: it holds the lock)."""

    def __init__(self, folder: Path, lock_timeout: float = 60.0):
        self.folder = Path(folder)
        self.lock_timeout = lock_timeout
        self.header: list[str] = list(COLUMNS)  # column keys (lower case)
        self.names: list[str] = list(COLUMNS)  # the header as written
        self.rows: list[dict[str, str]] = []
        self._urls: dict[str, str] = {}
        self._hashes: dict[str, str] = {}
        self._lock = None

    def __enter__(self) -> CorpusWriter:
        from filelock import FileLock, Timeout

        if self.folder.exists() and not self.folder.is_dir():
            raise CorpusWriteError(f"--to {self.folder}: not a folder")
        try:
            (self.folder / RAW_FOLDER).mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise CorpusWriteError(f"--to {self.folder}: cannot create: {err}") from None
        self._lock = FileLock(str(self.folder / LOCK_NAME))
        try:
            self._lock.acquire(timeout=self.lock_timeout)
        except Timeout:
            raise CorpusWriteError(f"another kit add is writing into {self.folder} (lock "
                                   f"{self.folder / LOCK_NAME} held for {self.lock_timeout:g} s)"
                                   ) from None
        try:
            self._read_sources()
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self._lock is not None:
            self._lock.release()

    # ------------------------------------------------------------------ reading

    def _read_sources(self) -> None:
        path = self.folder / SOURCES_NAME
        if not path.exists():
            return
        try:
            text, _ = decode_bytes(path.read_bytes())
        except (OSError, Skip) as err:
            raise CorpusWriteError(f"{path}: cannot read: {err}") from None
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows:
            return
        header = [h.strip().lower() for h in rows[0]]
        if "file" not in header:
            raise CorpusWriteError(f"{path}: no 'file' column in its header line "
                                   f"({', '.join(header) or 'empty'}); fix or move it first")
        added = [c for c in COLUMNS if c not in header]
        self.header, self.names = header + added, rows[0] + added
        for cells in rows[1:]:
            if not any(c.strip() for c in cells):
                continue
            row = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)}
            row[_EXTRA] = cells[len(header):]  # cells past the header: kept as they are
            self.rows.append(row)
            self._remember(row)

    def _remember(self, row: dict[str, str]) -> None:
        name = row.get("file", "").strip()
        if row.get("url"):
            self._urls.setdefault(url_key(row["url"]), name)
        digest = row.get("sha256", "").strip()
        if not digest and name.endswith(TEXT_SUFFIXES) and (self.folder / name).is_file():
            try:  # an analyst's own text file: its content counts too
                digest = text_hash(decode_bytes((self.folder / name).read_bytes())[0])
            except (OSError, Skip):
                digest = ""
        if digest:
            self._hashes.setdefault(digest, name)

    # ------------------------------------------------------------------ adding

    def known_url(self, url: str) -> str | None:
        """The file already holding the article of this URL, or None."""
        return self._urls.get(url_key(url))

    def add(self, article: Article) -> tuple[bool, str]:
        """(True, file written) or (False, the file that already holds it)."""
        for url in article.urls:
            if self.known_url(url):
                return False, self.known_url(url) or ""
        digest = text_hash(article.text)
        if digest in self._hashes:
            return False, self._hashes[digest]
        stem = self._free_stem(article, digest)
        row = dict.fromkeys(self.header, "")
        row.update({k: article.meta.get(k) or "" for k in SOURCE_FIELDS})
        row.update({"file": f"{stem}.txt", "fetched": article.fetched, "sha256": digest})
        try:
            atomic_write(self.folder / RAW_FOLDER / f"{stem}.html", article.raw)
            atomic_write(self.folder / f"{stem}.txt", article.text)
            self._save(self.rows + [row])
        except OSError as err:  # the disk, not the source: stop the run
            raise CorpusWriteError(f"cannot write into {self.folder}: {err}; sources.csv "
                                   "is as it was before this article") from None
        self.rows.append(row)
        self._remember(row)
        for url in article.urls:
            self._urls.setdefault(url_key(url), row["file"])
        return True, row["file"]

    def _free_stem(self, article: Article, digest: str) -> str:
        """A file name of its own: from the URL's last segment (or the title), made unique;
        a text file a crashed run left with this very text (no row) is taken over."""
        base = _slug(article.urls[0], article.meta.get("title"))
        named = {r.get("file", "") for r in self.rows}
        n = 1
        while True:
            stem = base if n == 1 else f"{base}-{n}"
            path = self.folder / f"{stem}.txt"
            taken = any((self.folder / f"{stem}{s}").exists() for s in (".txt", ".md", ".html",
                                                                         ".htm"))
            if not taken:
                return stem
            if f"{stem}.txt" not in named and path.is_file():
                try:
                    if text_hash(path.read_text(encoding="utf-8")) == digest:
                        return stem  # left by a run that stopped before its row
                except (OSError, UnicodeDecodeError):
                    pass
            n += 1

    def _save(self, rows: list[dict]) -> None:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.names)
        for row in rows:
            writer.writerow([row.get(h, "") for h in self.header] + list(row.get(_EXTRA, [])))
        atomic_write(self.folder / SOURCES_NAME, out.getvalue())


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(url: str, title: str | None) -> str:
    """host-lastsegment of the URL ("example-news-2026-ferry-strike"), else from the title."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").split(".")[0]
    segment = next((s for s in reversed(parts.path.split("/")) if s), "")
    segment = re.sub(r"\.(?:s?html?|php|aspx?)$", "", segment.lower())
    words = _NOT_SLUG.sub("-", segment).strip("-") or _NOT_SLUG.sub("-", (title or "").lower())
    stem = "-".join(x for x in (host, words.strip("-")) if x)[:80].strip("-")
    return stem or "article"
