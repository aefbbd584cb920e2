"""Build: compile the extraction modules with mypyc (pyproject.toml holds the rest).

Why: the same Python files run about 1.4x faster as C extensions (measured with
scripts/bench_extract.py --pure); nothing else changes.  Set KIT_PURE_PYTHON=1 to
install without compiling.  If the C build fails the install goes on without
the extensions (they are optional) and the kit runs from its sources.
"""

import os

from setuptools import setup

COMPILED = ["kit/fastre.py", "kit/corpus.py", "kit/segment.py", "kit/numbers.py", "kit/extract.py",
            "kit/attribute.py"]

ext_modules = []
if os.environ.get("KIT_PURE_PYTHON", "").strip() in ("", "0"):
    from mypyc.build import mypycify

    # Only these files are type-checked strictly; imports (pandas, re2, the rest of kit)
    # are read as far as their annotations say, silently.
    ext_modules = mypycify(["--ignore-missing-imports", "--follow-imports=silent", *COMPILED],
                           opt_level="3")
    for ext in ext_modules:
        ext.optional = True

setup(ext_modules=ext_modules)
