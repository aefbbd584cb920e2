# One entry point for people and for CI.  Every target first makes sure the
# virtual environment exists and holds the kit with its dev extra, so a fresh
# clone needs nothing but python3 (>= 3.10) and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install native report test lab bench browser clean

# The install compiles the extraction modules with mypyc (setup.py).
$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	rm -f kit/*.so *__mypyc*.so  # extensions of an earlier build would shadow sources
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# After an edit to a compiled module its extension is stale (the kit then runs
# from the sources, with a warning): rebuild it before running anything.
native: $(STAMP)
	@$(BIN)/python -m kit._native --fresh 2>/dev/null || \
		(echo "rebuilding the compiled modules (mypyc)..." && rm -f kit/*.so *__mypyc*.so && \
		 $(BIN)/python -m pip install --quiet --no-deps -e .)

install: native

report: native
	$(BIN)/kit report

test: native
	$(BIN)/python -m pytest

lab: native
	$(BIN)/jupyter lab notebooks/

bench: native
	$(BIN)/python scripts/bench_extract.py --pure

# Headless Chromium for the browser tests (Debian packages; needs root).
browser:
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium chromium-driver)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build kit/*.so *__mypyc*.so
