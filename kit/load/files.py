"""Which files make a corpus, their ids, and reading their bytes within the size limit."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from kit.load.problems import CorpusError, Skip
from kit.load.sources import SOURCES_NAME

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
#: Files larger than this are skipped with a reason (override: max_bytes=, KIT_MAX_BYTES).
#: A 64 MiB article loads and extracts in well under a GB of memory (see README).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_BYTES_ENV = "KIT_MAX_BYTES"


def as_paths(paths) -> list[Path]:
    """A path or an iterable of paths as a list of Paths."""
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    if isinstance(paths, Iterable):
        return [Path(p) for p in paths]
    raise CorpusError(f"paths must be a path or a list of paths, not {type(paths).__name__}")


def is_article_file(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_SUFFIXES and path.name != SOURCES_NAME


def is_ignored(name: str) -> bool:
    """Hidden files and folders (``.git``, ``.DS_Store``, ``.~lock``), editor backups and
    swap files (``a.txt~``, ``#a.txt#``, ``.a.txt.swp``) are never part of a corpus."""
    return name.startswith((".", "#", "~$")) or name.endswith(("~", ".bak", ".orig", ".swp"))


def article_files(paths: list[Path], recursive: bool = True) -> tuple[list[Path], list[dict]]:
    """Expand folders into their article files (in subfolders too unless not
    ``recursive``; hidden files and folders and editor backups ignored), sorted by path.

    Returns the files and the explicit files that are not articles (skipped).  A
    file given twice (as itself and through its folder) is read once.
    """
    if not paths:
        raise CorpusError("no corpus path given")
    files: list[tuple[Path, Path]] = []  # (path as given, resolved path)
    skipped: list[dict] = []
    for path in paths:
        if not path.exists():
            raise CorpusError(f"corpus path not found: {path}")
        if path.is_dir():
            found = _folder_files(path, recursive)
            if not found:
                tables = sorted(p.name for p in path.iterdir()
                                if p.suffix.lower() in (".jsonl", ".csv", ".parquet"))
                hint = (f" (an article table is given by its own path: {path / tables[0]})"
                        if tables else "")
                raise CorpusError(f"no .txt, .md or .html files in {path}{hint}")
            files.extend(found)
        elif is_article_file(path):
            files.append((path, path.resolve()))
        else:
            skipped.append({"path": str(path),
                            "reason": "not an article file (expected .txt, .md, .html or .htm)"})
    seen: set[Path] = set()
    unique = []
    for f, key in files:
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, skipped


def _folder_files(folder: Path, recursive: bool = True) -> list[tuple[Path, Path]]:
    """The article files of a folder and (``recursive``) its subfolders, by relative path,
    each with its resolved path (folders are resolved once; only links one by one).
    Links to folders are not followed (no cycles)."""
    found: list[tuple[Path, Path]] = []
    pending = [(folder, folder.resolve())]
    while pending:
        here, real = pending.pop()
        with os.scandir(here) as entries:
            for e in entries:
                if is_ignored(e.name):
                    continue
                if e.is_dir(follow_symlinks=False):
                    if recursive:
                        pending.append((here / e.name, real / e.name))
                elif is_article_file(Path(e.name)) and e.is_file():
                    found.append((here / e.name, Path(os.path.realpath(e.path))
                                  if e.is_symlink() else real / e.name))
    return sorted(found, key=lambda t: t[0].relative_to(folder).parts)


def article_ids(paths: list[str]) -> list[str]:
    """File stem; stems shared by several files get ``_`` + 6 hex of the path's hash.

    Every clashing file gets the suffix, so an id does not depend on file order.
    """
    stems = [Path(p).stem for p in paths]
    counts: dict[str, int] = {}
    for s in stems:
        counts[s] = counts.get(s, 0) + 1
    return [s if counts[s] == 1 else f"{s}_{hashlib.sha1(p.encode('utf-8')).hexdigest()[:6]}"
            for s, p in zip(stems, paths)]


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


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after the size checks; raise ``Skip`` with the reason.

    The size is taken from the open file, so a file cannot grow past the limit
    between the check and the read.
    """
    try:
        with open(path, "rb") as fh:
            check_size(os.fstat(fh.fileno()).st_size, max_bytes)
            return fh.read()
    except OSError as err:
        try:
            size = os.stat(path).st_size
        except OSError:
            raise Skip(f"cannot read: {err.strerror or err}") from err
        check_size(size, max_bytes)  # an unreadable empty file is reported as empty
        raise Skip(f"cannot read: {err.strerror or err}") from err


def check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise Skip("empty file (0 bytes)")
    if size > max_bytes:
        raise Skip(f"file is {size:,} bytes, larger than max_bytes={max_bytes:,}; "
                   f"raise the limit with load_corpus(..., max_bytes={size}), "
                   f"kit figures --max-bytes {size} or {MAX_BYTES_ENV}={size}")
