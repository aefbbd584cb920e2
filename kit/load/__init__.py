"""Loading stage: files -> the ``articles`` frame.

The article text is the single source of truth for every later offset, so it
is kept exactly as decoded (``kit.load.decode``).  Files on disk are only read.
A saved web page's main text and metadata are read with trafilatura
(``kit.load.page``; the kit's own reader ``kit.load.html`` when it finds no body, with
a note in ``frame.attrs["notes"]``); what the page does not give, and everything of a
plain-text file, is guessed from the text (``kit.load.metadata``); a ``sources.csv``
beside the articles (``kit.load.sources``) corrects the guesses.

A bad file is skipped with a reason (``frame.attrs["skipped"]``), a bad
``sources.csv`` row is ignored with a reason (``frame.attrs["problems"]``):
one broken file in a folder of hundreds must not stop an analysis.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kit.load import metadata
from kit.load.decode import decode_bytes
from kit.load.files import (DEFAULT_MAX_BYTES, MAX_BYTES_ENV, article_files, article_ids,
                            as_paths, max_bytes_limit, read_bytes)
from kit.load.page import read_page
from kit.load.problems import CorpusError, Skip
from kit.load.sources import SOURCES_NAME, read_sources
from kit.load.tables import is_table, read_table
from kit.schema import from_columns

__all__ = ["CorpusError", "DEFAULT_MAX_BYTES", "MAX_BYTES_ENV", "load_corpus", "max_bytes_limit",
           "read_article"]

HTML_SUFFIXES = (".html", ".htm")
FIELDS = ("path", "outlet", "title", "byline", "published", "url", "encoding", "text")


def read_article(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, outlets=None) -> dict:
    """One file -> a row of the articles frame (without article_id; ``note``: how a web
    page was read, when that is worth telling); raise ``Skip`` with the reason when it
    cannot be used.  ``outlets``: the known outlets' index."""
    text, encoding = decode_bytes(read_bytes(path, max_bytes))
    meta: dict = {}
    note = None
    html = path.suffix.lower() in HTML_SUFFIXES
    if html:
        page = read_page(text)
        text, meta, note = page.text, page.meta, page.note
    if not text or text.isspace():
        raise Skip("empty file (no visible text)" if html else "empty file (only whitespace)")
    guessed = metadata.guess(text, meta, outlets)
    return {"path": str(path), "outlet": guessed.outlet, "title": guessed.title,
            "byline": guessed.byline, "published": guessed.published, "url": guessed.url,
            "encoding": encoding, "text": text, "note": note}


def load_corpus(paths, *, sources=None, max_bytes: int | None = None,
                lexicon=None, recursive: bool = True, columns: dict | None = None) -> pd.DataFrame:
    """Load article files into the ``articles`` frame (see ``kit.schema``).

    ``paths``: a folder, a file, or a list of them; a folder contributes its .txt,
    .md, .html and .htm files and those of its subfolders (not with ``recursive=False``);
    hidden files and folders and editor backups (``a.txt~``, ``#a.txt#``) are ignored.
    A ``sources.csv`` applies to the files of its own folder.  A path may also be an
    article table (Parquet file or folder, JSON Lines, CSV; see ``kit.load.tables``),
    whose columns ``columns`` maps ({"text": "body", ...}); its rows are articles.  ``sources``: a sources.csv to
    use instead of the ones found beside the articles.  ``max_bytes``: files
    larger than this are skipped with the reason (default: the environment
    variable ``KIT_MAX_BYTES``, else 64 MiB); they are refused before being read.
    Skipped files are in ``frame.attrs["skipped"]``, ignored sources.csv rows in
    ``frame.attrs["problems"]``, web pages read with the kit's own HTML reader (no body
    found by trafilatura) in ``frame.attrs["notes"]`` (path, note).  ``lexicon``: the story knowledge (a folder, a shipped
    story's name or a ``Lexicon``; see ``kit.lexicon.resolve``) whose outlets.csv names
    outlets.
    """
    from kit.lexicon import resolve
    from kit.load.outlets import outlet_index

    outlets = outlet_index(*resolve(lexicon).folders)
    try:
        max_bytes = max_bytes_limit(max_bytes)
    except ValueError as err:
        raise CorpusError(str(err)) from None
    given = as_paths(paths)
    tables = [p for p in given if is_table(p)]
    skipped: list[dict] = []
    from_tables: list[dict] = []
    for table in tables:
        found, bad = read_table(table, columns, outlets)
        from_tables += found
        skipped += bad
    files: list[Path] = []
    if len(tables) < len(given):
        files, skipped_files = article_files([p for p in given if p not in tables], recursive)
        skipped += skipped_files
    rows, bad, problems = read_files(files, max_bytes, outlets, sources)
    skipped += bad
    if not rows and not from_tables:
        listing = "; ".join(f"{s['path']}: {s['reason']}" for s in skipped)
        raise CorpusError(f"no readable article in {', '.join(map(str, given))}: "
                          f"every file was skipped ({listing})")
    ids = article_ids([r["path"] for r in rows]) + table_ids(from_tables)
    rows += from_tables  # in the tables' own order
    data: dict[str, list] = {"article_id": unique(ids)}
    for key in FIELDS:
        data[key] = [r[key] for r in rows]
    frame = from_columns(data, "articles")
    frame.attrs["skipped"] = sorted(skipped, key=lambda s: s["path"])
    frame.attrs["problems"] = problems
    frame.attrs["notes"] = [{"path": r["path"], "note": r["note"]} for r in rows
                            if r.get("note")]
    frame.attrs["corpus"] = [str(p) for p in given]  # where corrections.csv is looked for
    return frame


def read_files(files: list[Path], max_bytes: int, outlets=None, sources=None
               ) -> tuple[list[dict], list[dict], list[dict]]:
    """Article files -> (rows of the articles frame in the order of their paths, files
    skipped with reasons, sources.csv problems); ``sources`` as for ``load_corpus``."""
    rows: list[dict] = []
    read: list[Path] = []
    skipped: list[dict] = []
    for path in files:
        try:
            rows.append(read_article(path, max_bytes, outlets))
        except Skip as err:
            skipped.append({"path": str(path), "reason": str(err)})
        else:
            read.append(path)
    problems = _apply_sources(rows, read, sources)
    rows.sort(key=lambda r: r["path"])  # stable: the order of the frame is the order of paths
    return rows, skipped, problems


def table_ids(rows: list[dict]) -> list[str]:
    """The ids of table rows: their ``id`` column, else the table's name and row number."""
    return [r["id"] or f"{Path(r['path'].rsplit('#', 1)[0]).stem}-{r['path'].rsplit('#', 1)[1]}"
            for r in rows]


def unique(ids: list[str]) -> list[str]:
    """Ids made unique: a repeated id gets -2, -3, ... in order, never one that another
    row has as its own id."""
    taken = set(ids)
    seen: set[str] = set()
    out = []
    for i in ids:
        cand, n = i, 1
        while cand in seen or (cand != i and cand in taken):
            n += 1
            cand = f"{i}-{n}"
        seen.add(cand)
        out.append(cand)
    return out


def _apply_sources(rows: list[dict], read: list[Path], sources) -> list[dict]:
    """Apply the sources.csv given, or those beside the articles; returns the problems."""
    plans: list[tuple[Path, dict[str, list[str]]]] = []
    if sources is not None:
        src = Path(sources)
        if not src.is_file():
            raise CorpusError(f"sources file not found: {src}")
        by_name: dict[str, list[str]] = {}
        for row, path in zip(rows, read):
            by_name.setdefault(path.name, []).append(row["path"])
        plans.append((src, by_name))
    else:
        folders: dict[Path, dict[str, list[str]]] = {}
        for row, path in zip(rows, read):
            folders.setdefault(path.parent, {}).setdefault(path.name, []).append(row["path"])
        plans += [(folder / SOURCES_NAME, by_name) for folder, by_name in folders.items()
                  if (folder / SOURCES_NAME).is_file()]
    problems: list[dict] = []
    for src, by_name in plans:
        overrides, found = read_sources(src, by_name)
        problems.extend(found)
        for row in rows:
            row.update(overrides.get(row["path"], {}))
    return problems
