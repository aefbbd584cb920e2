"""Which of the kit's modules run compiled, and a safe way back to the sources.

Why: the extraction modules (``COMPILED``) are compiled with mypyc when the
kit is installed (``setup.py``); the same Python files run about 1.4x faster as
C extensions.  An extension built from an older copy of its source would
silently run old rules, so at import time, if any source is newer than its
extension, or ``KIT_PURE_PYTHON=1`` is set, all of them are imported from
their ``.py`` files instead (all or none: compiled modules call each other
directly, so mixing old and new would be wrong).  ``make native`` rebuilds.

Nothing here is compiled itself.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path

#: Modules setup.py compiles (without the "kit." prefix).  Keep in step with setup.py.
COMPILED = ("fastre", "corpus", "segment", "numbers", "extract", "attribute")
PURE_ENV = "KIT_PURE_PYTHON"
HERE = Path(__file__).resolve().parent


def _extension(name: str) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = HERE / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def stale_extensions() -> list[str]:
    """Compiled modules whose source changed after they were built."""
    out = []
    for name in COMPILED:
        ext, src = _extension(name), HERE / f"{name}.py"
        if ext is not None and src.exists() and src.stat().st_mtime > ext.stat().st_mtime:
            out.append(name)
    return out


class _SourcesFirst(importlib.abc.MetaPathFinder):
    """Import the compiled modules from their .py files."""

    def find_spec(self, fullname, path=None, target=None):
        prefix, _, name = fullname.rpartition(".")
        if prefix != "kit" or name not in COMPILED:
            return None
        return importlib.util.spec_from_file_location(fullname, HERE / f"{name}.py")


def choose() -> str:
    """Set up imports before kit's modules load; returns why sources are used, or ''."""
    if os.environ.get(PURE_ENV, "").strip() not in ("", "0"):
        reason = f"{PURE_ENV} is set"
    else:
        stale = stale_extensions()
        if not stale:
            return ""
        reason = f"kit/{stale[0]}.py is newer than its compiled extension"
        warnings.warn(f"{reason}: running the kit from its Python sources (slower); "
                      "`make install` rebuilds the extensions", RuntimeWarning, stacklevel=3)
    if not any(isinstance(f, _SourcesFirst) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourcesFirst())
    return reason


def status() -> dict[str, str]:
    """For each compiled module: 'compiled' or 'source', as imported now."""
    out = {}
    for name in COMPILED:
        module = sys.modules.get(f"kit.{name}")
        origin = getattr(module, "__file__", "") or ""
        out[name] = "source" if origin.endswith(".py") else "compiled"
    return out


if __name__ == "__main__":  # `python -m kit._native --fresh`: exit 1 when a rebuild is due
    sys.exit(1 if stale_extensions() else 0)
