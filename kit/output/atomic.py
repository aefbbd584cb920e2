"""The one way the kit replaces a file: write a temporary file beside it, then rename.

A reader (a browser, a spreadsheet, a cron job's next run) sees the old file or
the new one, never half of one; a failed write leaves the old file and no
temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

#: Temporary files and folders the kit makes start with this (a killed run's are removed later).
TMP_PREFIX = ".kit-tmp-"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temporary_folder(out: Path) -> Path:
    """A temporary folder in ``out`` (``TMP_PREFIX``) with the mode a new folder gets,
    for a folder swapped in whole once written (mkdtemp makes 0700; results are for
    sharing)."""
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=out))
    os.chmod(tmp, 0o777 & ~_umask())
    return tmp


def atomic_write(path: Path, data: str | bytes | Callable[[Path], None]) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) or with what
    ``data(tmp_path)`` writes, through a temporary file in the same folder."""
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    try:
        if callable(data):
            os.close(fd)
            data(Path(tmp))
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; reports are for sharing
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_stale_tmp(out: Path) -> None:
    """Remove the temporary files and folders a killed run left in ``out`` (ours only: the
    TMP_PREFIX names; links are left alone)."""
    for child in out.iterdir():
        if not child.name.startswith(TMP_PREFIX) or child.is_symlink():
            continue
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                child.unlink()
