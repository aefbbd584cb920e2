"""A story's folder: a starter one for a new story, and the report defaults it holds.

A story folder (see ``kit.lexicon``) holds any of the knowledge files, whose
rows win over the kit's own, and a ``report.yaml`` of default parameters for
``kit report`` (``--params`` and ``--param`` win over it).  ``kit story new DIR``
writes every knowledge file with its header and a commented example row, and a
``report.yaml`` listing the report's parameters: uncomment and edit.
"""

from __future__ import annotations

import os
from pathlib import Path

from kit.lexicon import SPECS

REPORT_FILE = "report.yaml"

#: A commented example row per knowledge file (an invented flood story).
EXAMPLES: dict[str, str] = {
    "boilerplate.csv": r"pitch,line,\bsign up for our flood alerts\b",
    "counted_nouns.csv": "rescuers,people",
    "not_counts.csv": "millimetres,distance",
    "hedges.csv": "as many as,before,up_to",
    "status_cues.csv": r"casualties,\bswept away\b",
    "claimants.csv": (r"Riverside Relief Trust,origin,Westland,charity,"
                      r"riverside relief(?: trust)?|(?-i:RRT)"),
    "claimant_roles.csv": r"charity,(?:the |its )?(?:charity|trust)",
    "attribution_cues.csv": r"after,tallied|logged",
    "noun_families.csv": "rescue workers,rescuers",
    "outlets.csv": "Valley Courier,valleycourier.example,The Courier",
    "measures.csv": r"dead,near,\bswept away\b",
}

REPORT_YAML = """\
# Default parameters of `kit report --lexicon {name}` (and of the notebooks run by it).
# --params FILE and --param NAME=VALUE win over these.  Uncomment and edit.
#
# title: "{title}"
# kinds: [people, forces]     # kinds of counted noun to keep (counted_nouns.csv); [] keeps all
# nouns: []                   # counted nouns to keep, e.g. [dead, people, victims]; [] keeps all
# statuses: [deployed, planned, casualties, supplied, other]
# scale: auto                 # chart axis: auto, log or linear
"""


class StoryError(ValueError):
    """A story folder cannot be written or read (names the path and the problem)."""


def _knowledge_file(name: str) -> str:
    spec = SPECS[name]
    lines = [f"# {name}: {spec.meaning}.",
             f"# Columns: {', '.join(spec.columns)}; required: {', '.join(spec.required)}."]
    for column, allowed in spec.choices.items():
        lines.append(f"# {column}: one of {', '.join(allowed)}.")
    if spec.regex:
        lines.append(f"# {', '.join(spec.regex)}: a case-insensitive regular expression "
                     "(' matches both apostrophes).")
    lines += ["# Your rows are read before the kit's own, so they win.  Lines starting",
              "# with # are comments; the example row (if any) is commented out: remove the #",
              "# to use it.",
              ",".join(spec.columns)]
    if name in EXAMPLES:
        lines.append("# " + EXAMPLES[name])
    lines.append("")
    return "\n".join(lines)


def new_story(folder: Path) -> list[Path]:
    """Write a starter story folder; returns the files written.  Refuses (StoryError)
    when any of them exists already: nothing of the analyst's is overwritten."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise StoryError(f"{folder}: exists and is not a folder")
    files = {name: _knowledge_file(name) for name in SPECS}
    files[REPORT_FILE] = REPORT_YAML.format(name=folder, title=f"Estimates: {folder.name}")
    clash = [name for name in files if (folder / name).exists()]
    if clash:
        raise StoryError(f"{folder}: already holds {', '.join(clash)}; nothing written "
                         "(choose a new folder or remove them)")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = folder / name
        tmp = folder / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written


def report_defaults(folder: Path | None) -> dict:
    """The parameters of a story folder's report.yaml ({} without one)."""
    if folder is None:
        return {}
    path = Path(folder) / REPORT_FILE
    if not path.is_file():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise StoryError(f"{path}: cannot read ({err})") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise StoryError(f"{path}: expected a mapping of report parameter names to values")
    return data
