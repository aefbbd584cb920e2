"""corrections.csv: an analyst's decisions about figures, kept as data.

One row a decision, appended (never rewritten) by the review view or by hand::

    content_hash,start,end,action,low,high,qualifier,what,measure,status,claimant,surface,path,who,when
    5f0c…,212,224,change,1200,1200,exact,troops,deployed forces,deployed,Ministry of Defence,"1,200 troops",news/a.txt,ana,2026-12-01T05:40:00+00:00

A row names its figure by the article's **content hash** (``text_hash``: sha256 of the
article text alone, 32 hex digits) and the figure's span ``start``/``end`` in that text.
The text alone, not the text and outlet as the incremental store does: the spans point
into the words, and a decision about the words stays true when a file is renamed or
moved, or when its outlet is fixed in sources.csv; an edit of the words makes the hash
differ, and the decision is reported as stale instead of being applied to other words.

``action``:

- ``accept``: the kit's figure is right (``reviewed`` = accepted);
- ``reject``: the span is not a figure: the kit's figure is dropped;
- ``change``: the figure's fields are those of the row (``reviewed`` = corrected). A
  value is set as a whole: a row that gives ``qualifier``, ``low`` or ``high`` sets all
  three (an empty cell is no bound); the other fields, where empty, keep the kit's
  value. When the kit no longer finds a figure at the span (a kit upgrade), the
  corrected figure is still there, built from the row;
- ``add``: a figure the kit missed, at the span (``reviewed`` = added); fields not given
  are the schema's neutral values (status and measure ``other``, claimant
  ``unattributed``).

A figure the analyst changed or added replaces any unreviewed kit figure overlapping its
span.  The last row about a span wins (a reject after an accept rejects).  ``who`` (``$KIT_REVIEWER``, else the
OS user, unless given) and ``when`` (UTC, ISO 8601) are recorded; ``surface`` and
``path`` are the figure's words and the article's file when the decision was made, to
read the file and to name the article when it changed.

A decision that cannot be applied is never dropped in silence: ``apply`` returns it with
the reason (the article changed, vanished or is not in this corpus; an accept or reject
of a span where the kit finds no figure any more).

Writes (``append``) take a lock file beside the csv (``corrections.csv.lock``) and
replace the file atomically with its old bytes plus the new rows: two kernels writing at
once lose nothing, and a crash leaves the old file or the new one, never half a row.
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import io
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from kit import schema

NAME = "corrections.csv"
ACTIONS = ("accept", "reject", "change", "add")
#: The figure fields a row may set.
FIELDS = ("low", "high", "qualifier", "what", "measure", "status", "claimant")
COLUMNS = ("content_hash", "start", "end", "action", *FIELDS, "surface", "path", "who", "when")
REQUIRED = ("content_hash", "start", "end", "action")
#: How long a writer waits for another one's lock (seconds).
LOCK_TIMEOUT = 30.0


class CorrectionsError(ValueError):
    """A corrections file that cannot be used: names the file, the line and what is wrong."""


@dataclass
class Correction:
    """One row of corrections.csv."""

    content_hash: str
    start: int
    end: int
    action: str
    values: dict = field(default_factory=dict)  # the FIELDS the row gives
    surface: str | None = None
    path: str | None = None
    who: str | None = None
    when: str | None = None
    line: int = 0  # line of the file (the header is line 1)
    file: str = ""

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.content_hash, self.start, self.end)

    @property
    def sets_value(self) -> bool:
        return any(k in self.values for k in ("low", "high", "qualifier"))

    def label(self) -> str:
        """How a message names the row: file, line, action, words and article."""
        words = f" of {self.surface!r}" if self.surface else f" of {self.start}-{self.end}"
        where = f" in {self.path}" if self.path else ""
        return f"correction {self.file}:{self.line} ({self.action}{words}{where})"

    def as_row(self) -> dict:
        row = dict.fromkeys(COLUMNS, "")
        row.update(content_hash=self.content_hash, start=str(self.start), end=str(self.end),
                   action=self.action, surface=self.surface or "", path=self.path or "",
                   who=self.who or "", when=self.when or "")
        for k, v in self.values.items():
            row[k] = "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
        return row


def text_hash(text: str) -> str:
    """The content hash corrections are keyed by: sha256 of the article text alone."""
    return hashlib.sha256(str(text).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def default_path(paths) -> Path | None:
    """corrections.csv beside the corpus: in the folder of the first path (a folder: in
    it; a file or article table: beside it); None without a path."""
    if paths is None:
        return None
    first = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not first:
        return None
    p = Path(first[0])
    return (p if p.is_dir() else p.parent) / NAME


def _int(raw: str, column: str, where: str) -> int | None:
    raw = raw.strip().replace(",", "").replace("_", "")
    if raw == "":
        return None
    try:
        return int(raw, 10)
    except ValueError:
        raise CorrectionsError(f"{where}: {column} must be a whole number, got {raw!r}") from None


def _choice(raw: str, column: str, allowed: tuple[str, ...], where: str) -> str:
    if raw not in allowed:
        raise CorrectionsError(f"{where}: {column} {raw!r} is not one of {', '.join(allowed)}")
    return raw


def parse_row(row: dict, where: str) -> Correction:
    """One row of the file as a Correction; CorrectionsError naming ``where`` if it is bad."""
    def cell(name: str) -> str:
        value = row.get(name)
        return value.strip() if isinstance(value, str) else ""

    for name in REQUIRED:
        if not cell(name):
            raise CorrectionsError(f"{where}: {name} is empty")
    action = _choice(cell("action"), "action", ACTIONS, where)
    start, end = _int(cell("start"), "start", where), _int(cell("end"), "end", where)
    if start is None or end is None or start < 0 or end <= start:
        raise CorrectionsError(f"{where}: the span start={start} end={end} must have "
                               "0 <= start < end")
    values: dict = {}
    for name in ("low", "high"):
        if cell(name):
            values[name] = _int(cell(name), name, where)
    checks = {"qualifier": schema.QUALIFIERS, "measure": schema.MEASURES,
              "status": schema.STATUSES}
    for name in ("qualifier", "what", "measure", "status", "claimant"):
        if cell(name):
            values[name] = _choice(cell(name), name, checks[name], where) \
                if name in checks else cell(name)
    if values.get("low") is not None and values.get("high") is not None \
            and values["low"] > values["high"]:
        raise CorrectionsError(f"{where}: low {values['low']} is above high {values['high']}")
    if action in ("accept", "reject") and values:
        raise CorrectionsError(f"{where}: an {action} row sets no field, but this one sets "
                               f"{', '.join(values)}")
    if action == "change" and not values:
        raise CorrectionsError(f"{where}: a change row must set at least one of "
                               f"{', '.join(FIELDS)}")
    c = Correction(cell("content_hash"), start, end, action, values,
                   surface=row.get("surface") or None, path=cell("path") or None,
                   who=cell("who") or None, when=cell("when") or None)
    if c.sets_value:  # a value is set as a whole
        c.values.setdefault("low", None)
        c.values.setdefault("high", None)
        c.values.setdefault("qualifier", _qualifier(c.values["low"], c.values["high"]))
    return c


def _qualifier(low, high) -> str:
    if low is None and high is None:
        return "vague"
    if low is None:
        return "up_to"
    if high is None:
        return "more_than"
    return "exact" if low == high else "range"


def read(path) -> list[Correction]:
    """The rows of a corrections file in file order ([] when it does not exist);
    CorrectionsError naming the file and line of the first bad row."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise CorrectionsError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") \
            from None
    except OSError as err:
        raise CorrectionsError(f"{path}: cannot read ({err.strerror or err})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CorrectionsError(f"{path}:1: header lacks the columns {', '.join(missing)} "
                               f"(expected {','.join(COLUMNS)})")
    out = []
    for row in reader:
        where = f"{path}:{reader.line_num}"
        if None in row:
            raise CorrectionsError(f"{where}: more cells than the header's {len(header)} "
                                   "columns")
        if not any((v or "").strip() for v in row.values()):
            continue  # a blank line
        c = parse_row(row, where)
        c.line, c.file = reader.line_num, str(path)
        out.append(c)
    return out


def now() -> str:
    """The time of a decision: UTC, ISO 8601 to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def user() -> str:
    """Who makes a decision by default: $KIT_REVIEWER, else the OS user."""
    if os.environ.get("KIT_REVIEWER", "").strip():
        return os.environ["KIT_REVIEWER"].strip()
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "unknown"


def append(path, corrections: list[Correction]) -> None:
    """Append rows to the corrections file (created with its header if needed): under
    the lock beside it, the old bytes plus the new rows replace the file atomically.
    Each row is checked first; ``who`` and ``when`` are filled in where empty."""
    from filelock import FileLock

    from kit.output.atomic import atomic_write

    path = Path(path)
    rows = []
    for c in corrections:
        c.who = c.who or user()
        c.when = c.when or now()
        row = c.as_row()
        parse_row(row, f"{path}: new row")  # refuse a bad row before writing anything
        rows.append(row)
    if not rows:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT):
        old = path.read_bytes() if path.exists() else b""
        header = list(COLUMNS)
        if old.strip():
            read(path)  # never append to a file that is not a corrections file
            header = next(csv.reader(io.StringIO(old.decode("utf-8"))))
            lacking = [c for c in COLUMNS if c not in header]
            if lacking:
                raise CorrectionsError(f"{path}:1: header lacks the columns "
                                       f"{', '.join(lacking)}: add them to write decisions")
        buf = io.StringIO(newline="")
        writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", restval="")
        if not old.strip():
            old = b""
            writer.writeheader()
        elif not old.endswith(b"\n"):
            old += b"\n"
        writer.writerows(rows)
        atomic_write(path, old + buf.getvalue().encode("utf-8"))


def _clean(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return int(v) if isinstance(v, (int, float)) or hasattr(v, "__index__") else str(v)


def decision(figure, text: str, action: str, changes: dict | None = None, *,
             who: str | None = None) -> Correction:
    """A decision about ``figure`` (a row of the figures frame, as a mapping) of the
    article whose text is ``text``: accept, reject, or change (``changes``: the fields
    the analyst set; the row records every field of the corrected figure, so that it
    still applies when a later kit no longer finds the figure)."""
    if action not in ("accept", "reject", "change"):
        raise CorrectionsError(f"decision: action {action!r} is not accept, reject or change")
    values = {}
    if action == "change":
        values = {k: _clean(figure[k]) for k in FIELDS}
        values.update({k: _clean(v) for k, v in (changes or {}).items()})
        unknown = [k for k in values if k not in FIELDS]
        if unknown:
            raise CorrectionsError(f"decision: {', '.join(unknown)} cannot be changed "
                                   f"(only {', '.join(FIELDS)})")
    start, end = int(figure["start"]), int(figure["end"])
    return Correction(text_hash(text), start, end, action, values, surface=text[start:end],
                      path=_clean(figure["path"]), who=who)


def find_words(sentence: str, sentence_start: int, words: str) -> tuple[int, int]:
    """The span in the article of ``words`` (the number as written, e.g. "300" or
    "about three hundred") in a sentence starting at ``sentence_start``: its first
    occurrence; CorrectionsError when the sentence does not have them."""
    needle = words.strip()
    at = sentence.find(needle) if needle else -1
    if at < 0:
        raise CorrectionsError(f"the words {words!r} are not in the sentence {sentence!r}")
    return sentence_start + at, sentence_start + at + len(needle)


def addition(text: str, start: int, end: int, values: dict, *, path: str | None = None,
             who: str | None = None) -> Correction:
    """A figure the kit missed: the words ``text[start:end]`` with the fields ``values``."""
    unknown = [k for k in values if k not in FIELDS]
    if unknown:
        raise CorrectionsError(f"addition: unknown fields {', '.join(unknown)}")
    if not 0 <= start < end <= len(text):
        raise CorrectionsError(f"addition: the span {start}-{end} is not in the text")
    return Correction(text_hash(text), start, end, "add",
                      {k: _clean(v) for k, v in values.items()}, surface=text[start:end],
                      path=path, who=who)
