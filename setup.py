"""Build: compile the extraction modules with mypyc (pyproject.toml holds the rest).

Why: the same Python files run about 1.7x faster as C extensions on varied
news text (measured with scripts/bench_extract.py --pure); nothing else
changes.  Set KIT_PURE_PYTHON=1 to install without compiling.  If the C build
fails the install goes on without the extensions (they are optional) and the
kit runs from its sources.  The build records a SHA-256 of each compiled
source in kit/_compiled.json: an edited source then runs as Python, never as
a stale extension (kit/_build.py).
"""

import hashlib
import json
import os
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
# Keep in step with kit/_build.py COMPILED.
COMPILED = ["kit/fastre.py", "kit/load/metadata.py", "kit/extract/numbers.py", "kit/extract/segment.py",
            "kit/extract/speakers.py", "kit/extract/nouns.py", "kit/extract/attribution.py",
            "kit/extract/figures.py"]
RECORD = HERE / "kit" / "_compiled.json"

ext_modules = []
if os.environ.get("KIT_PURE_PYTHON", "").strip() in ("", "0"):
    from mypyc.build import mypycify

    # Only these files are type-checked strictly; imports (pandas, re2, the rest of kit)
    # are read as far as their annotations say, silently.
    ext_modules = mypycify(["--ignore-missing-imports", "--follow-imports=silent", *COMPILED],
                           opt_level="3")
    for ext in ext_modules:
        ext.optional = True
    record = {path[:-3].replace("/", "."): hashlib.sha256((HERE / path).read_bytes()).hexdigest()
              for path in COMPILED}
    RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")

setup(ext_modules=ext_modules)
