"""``runs.jsonl``: the append-only log of every report run (ok, failed, skipped)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

RUNS_LOG = "runs.jsonl"


def append_log(out: Path, record: dict) -> None:
    """Append one JSON line to runs.jsonl (never rewritten)."""
    with (out / RUNS_LOG).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def read_log(out: Path) -> list[dict]:
    """The run log's records (unreadable lines are ignored, not fatal)."""
    path = out / RUNS_LOG
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            rec = json.loads(line)
            if isinstance(rec, dict):
                records.append(rec)
    return records
