# One entry point for people and for CI.  Every target first makes sure the
# virtual environment exists and holds the kit with its dev extra, installed at
# the versions of constraints.txt (the lock: the versions the suite last passed
# with), so a fresh clone needs nothing but python3 (>= 3.10) and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := constraints.txt
CLEAN_SO = find kit -name '*.so' -delete; rm -f *__mypyc*.so

.PHONY: install native report test quick lab bench browser notebooks lock clean

# The install compiles the extraction modules with mypyc (setup.py).
$(STAMP): pyproject.toml setup.py $(LOCK)
	$(PYTHON) -m venv $(VENV)
	PIP_CONSTRAINT=$(LOCK) $(BIN)/python -m pip install --quiet --upgrade pip
	$(CLEAN_SO)  # extensions of an earlier build would shadow the sources
	PIP_CONSTRAINT=$(LOCK) $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# After an edit to a compiled module its extension is stale (the kit then runs
# from the sources, with a warning): rebuild it before running anything.
native: $(STAMP)
	@$(BIN)/python -m kit._build --fresh 2>/dev/null || \
		(echo "rebuilding the compiled modules (mypyc)..." && $(CLEAN_SO) && \
		 PIP_CONSTRAINT=$(LOCK) $(BIN)/python -m pip install --quiet --no-deps -e .)

install: native

report: native
	$(BIN)/kit report --corpus seeds --lexicon troops --out reports

test: native
	$(BIN)/python -m pytest

# The unit tests without notebooks, reports, browsers or builds: seconds.
quick: native
	$(BIN)/python -m pytest -m "not slow" -p no:nbval tests

lab: native
	$(BIN)/jupyter lab notebooks/

bench: native
	$(BIN)/python scripts/bench_extract.py --pure

# Re-execute the notebooks and record their outputs (review with git diff, then commit).
notebooks: native
	$(BIN)/python scripts/record_notebooks.py

# Upgrade the lock: newest releases in a scratch environment, then `make test`.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	KIT_PURE_PYTHON=1 .lock-venv/bin/python -m pip install --quiet '.[dev]'
	.lock-venv/bin/python -m pip freeze --exclude estimates-kit > $(LOCK)
	rm -rf .lock-venv build
	@echo "wrote $(LOCK); now run: make test (re-record notebooks with make notebooks if outputs moved)"

# Headless Chromium for the browser tests (Debian packages; needs root).
browser:
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium chromium-driver)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build
	$(CLEAN_SO)
