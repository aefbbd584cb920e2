"""``kit export``: the four frames as files for other tools (spreadsheets, pandas, DuckDB).

``export_frames(frames, out, fmt)`` writes ``articles``, ``sentences``,
``figures`` and ``claims`` to ``out/<name>.<fmt>``:

* ``csv``: one header line, empty cells for missing values (dtypes are lost);
* ``parquet`` (pyarrow): dtypes kept, ``pandas.read_parquet`` gives back the
  same columns and dtypes (``string``, ``Int64``, ``int64``, ``bool``);
* ``json``: one JSON array of records a file, ``null`` for missing values,
  UTF-8 (non-ASCII kept as is).

Safety: every file is written to a temporary file in ``out`` and moved into
place with ``os.replace``, so a reader never sees half a file.  The files kit
wrote are listed in ``out/kit-export.json``; an existing file that is not in
that list (someone else's) is never overwritten: the export refuses before
writing anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from kit.claims.grouping import claims
from kit.extract.figures import figures
from kit.extract.segment import sentences
from kit.output.atomic import atomic_write
from kit.output.formats import records

FORMATS = ("csv", "parquet", "json")
FRAMES = ("articles", "sentences", "figures", "claims")
MANIFEST = "kit-export.json"
_TOOL = "kit export"


class ExportError(RuntimeError):
    """The export cannot be done (names the file and the reason)."""


def frames(articles: pd.DataFrame, lexicon=None) -> dict[str, pd.DataFrame]:
    """The four frames of a corpus: articles, sentences, figures, claims (``lexicon``: the
    story knowledge, see ``kit.lexicon.resolve``)."""
    from kit.lexicon import resolve

    lexicon = resolve(lexicon)
    sents = sentences(articles, lexicon=lexicon)
    figs = figures(articles, sents, lexicon=lexicon)
    return {"articles": articles, "sentences": sents, "figures": figs,
            "claims": claims(figs, lexicon=lexicon)}


def _manifest(out: Path) -> dict:
    path = out / MANIFEST
    if not path.exists():
        return {"tool": _TOOL, "files": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ExportError(f"{path} exists and is not a kit export manifest ({err}); "
                          "refusing to write into this folder") from err
    if not isinstance(data, dict) or data.get("tool") != _TOOL or \
            not isinstance(data.get("files"), dict):
        raise ExportError(f"{path} exists and is not a kit export manifest; "
                          "refusing to write into this folder")
    return data


def _writer(frame: pd.DataFrame, fmt: str) -> Callable[[Path], None]:
    if fmt == "csv":
        return lambda p: frame.to_csv(p, index=False, encoding="utf-8")
    if fmt == "parquet":
        return lambda p: frame.to_parquet(p, index=False, engine="pyarrow")
    if fmt == "json":
        def write(p: Path) -> None:
            with open(p, "w", encoding="utf-8") as fh:
                json.dump(records(frame), fh, ensure_ascii=False)
                fh.write("\n")
        return write
    raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def export_frames(frames: dict[str, pd.DataFrame], out: Path | str, fmt: str) -> list[Path]:
    """Write each frame to ``out/<name>.<fmt>`` (see the module doc); returns the paths."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    manifest = _manifest(out)
    targets = {name: out / f"{name}.{fmt}" for name in frames}
    foreign = [p for p in targets.values()
               if (p.exists() or p.is_symlink()) and p.name not in manifest["files"]]
    foreign += [p for p in targets.values() if p.is_symlink() or (p.exists() and not p.is_file())]
    if foreign:
        names = ", ".join(sorted({str(p) for p in foreign}))
        raise ExportError(f"refusing to overwrite files kit did not write: {names}")
    written = []
    for name, frame in frames.items():
        path = targets[name]
        frame = frame.copy()
        frame.attrs = {}  # corpus notes (skipped files) are not data; parquet would store them
        atomic_write(path, _writer(frame, fmt))
        manifest["files"][path.name] = {"frame": name, "format": fmt, "rows": len(frame),
                                        "columns": [str(c) for c in frame.columns]}
        written.append(path)
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    atomic_write(out / MANIFEST, text)
    return written
