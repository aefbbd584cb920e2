"""Compiled or sources: which copy of the extraction modules this interpreter runs.

The modules in ``COMPILED`` are compiled with mypyc when the kit is installed
(``setup.py``), which records a SHA-256 of each source in ``_compiled.json``.
An extension built from another version of its source would silently run old
rules, so when a source's hash differs from the recorded one (an edit, a
``git checkout``), or ``KIT_PURE_PYTHON=1`` is set, all of them are imported
from their ``.py`` files instead, with a warning (all or none: compiled modules
call each other directly).  ``make native`` rebuilds.

Nothing is left behind: the finder that prefers the sources is on
``sys.meta_path`` only while ``import kit`` imports these modules.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path

#: Modules setup.py compiles, in an order in which each one's imports come first.
COMPILED = ("kit.fastre", "kit.load.metadata", "kit.extract.numbers", "kit.extract.segment",
            "kit.extract.speakers", "kit.extract.nouns", "kit.extract.attribution",
            "kit.extract.figures")
PURE_ENV = "KIT_PURE_PYTHON"
PACKAGE = Path(__file__).resolve().parent
RECORD = PACKAGE / "_compiled.json"


def source_of(module: str) -> Path:
    return PACKAGE.parent.joinpath(*module.split(".")).with_suffix(".py")


def source_hash(module: str) -> str:
    return hashlib.sha256(source_of(module).read_bytes()).hexdigest()


def _extension(module: str) -> Path | None:
    base = source_of(module).with_suffix("")
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = base.with_name(base.name + suffix)
        if path.exists():
            return path
    return None


def stale_extensions() -> list[str]:
    """Compiled modules whose source is not the one they were built from."""
    try:
        recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    return [m for m in COMPILED
            if _extension(m) is not None and recorded.get(m) != source_hash(m)]


def sources_reason() -> str:
    """Why the sources must run instead of the extensions, or '' when they need not."""
    if os.environ.get(PURE_ENV, "").strip() not in ("", "0"):
        return f"{PURE_ENV} is set"
    stale = stale_extensions()
    if stale:
        return f"{source_of(stale[0]).relative_to(PACKAGE.parent)} changed since it was compiled"
    return ""


class _SourcesFirst(importlib.abc.MetaPathFinder):
    """Find the compiled modules as their .py files."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in COMPILED:
            return None
        return importlib.util.spec_from_file_location(fullname, source_of(fullname))


def import_modules() -> str:
    """Import the ``COMPILED`` modules, from their sources when ``sources_reason()``
    says so (with a warning when they are stale); returns that reason or ''."""
    reason = sources_reason()
    if not reason or any(_extension(m) is None for m in COMPILED):
        for module in COMPILED:
            importlib.import_module(module)
        return reason
    if not reason.endswith("is set"):
        warnings.warn(f"{reason}: running the kit from its Python sources (slower); "
                      "`make native` rebuilds the extensions", RuntimeWarning, stacklevel=3)
    finder = _SourcesFirst()
    sys.meta_path.insert(0, finder)
    try:
        for module in COMPILED:
            importlib.import_module(module)
    finally:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(finder)
    return reason


def status() -> dict[str, str]:
    """For each compiled module: 'compiled' or 'source', as imported now."""
    return {m: "source" if getattr(sys.modules.get(m), "__file__", "").endswith(".py")
            else "compiled" for m in COMPILED}


if __name__ == "__main__":  # `python -m kit._build --fresh`: exit 1 when a (re)build is due
    sys.exit(1 if stale_extensions() or any(_extension(m) is None for m in COMPILED) else 0)
