"""Re-execute the notebooks in notebooks/ and record their outputs (``make notebooks``).

The ``.ipynb`` files are the source: edit them in JupyterLab, then run this to
record fresh outputs on the seeds (what strict nbval compares), review the
change with ``git diff notebooks/`` and commit.  Outputs are kept small and
stable: widget state (random ids, useless offline) and cell run times are stripped, and each
notebook runs from its own folder exactly as nbval runs it.

Usage: .venv/bin/python scripts/record_notebooks.py [NOTEBOOK ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def record(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # run times: a diff on every re-record
        for out in cell.get("outputs", []):
            out.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    nbformat.write(nb, path)
    print(f"recorded {path}")


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        record(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
