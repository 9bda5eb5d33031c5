# trustsweep: `make demo` and `make test` set everything up in .venv/ and run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench install clean lint

$(STAMP): pyproject.toml
	@if [ ! -x $(BIN)/python ]; then echo "make: creating $(VENV)/ with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); fi
	@if [ ! -x $(BIN)/uv ]; then echo "make: installing the uv installer into $(VENV)/"; \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check uv; fi
	@echo "make: installing trustsweep (editable, from this folder) with the AWS, GCP and Azure SDKs,"
	@echo "      the cloud emulators (moto), the PostgreSQL driver, dask, compliance-trestle and the test tools (about 30 s)"
	@$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]' || \
		$(BIN)/python -m pip install --quiet -e '.[dev]'
	@$(BIN)/python -m compileall -q core plugins >/dev/null
	@touch $(STAMP)
	@echo "make: $(VENV)/ is ready"

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/trustsweep demo --out demo-out --export html --export csv --export ocsf --export junit
	@for f in demo-out/*.json; do $(BIN)/trustsweep validate $$f || exit 1; done

# The store tests also run on PostgreSQL: a throwaway server when initdb/pg_ctl are installed and
# $$TRUSTSWEEP_TEST_POSTGRES names none; the report's browser test needs Debian's chromium (installed
# when missing and root). Under CI=true a skipped test fails the run.
test: $(STAMP)
	@bash .ci/browser.sh
	@bash .ci/postgres.sh $(BIN)/python -m pytest -n 2 -q

# ruff (lint and format, configured in pyproject.toml) and mypy (strict on the plugin API and the engine);
# all three run, the target fails if any of them does
lint: $(STAMP)
	@status=0; \
	echo "== ruff check"; $(BIN)/ruff check . || status=1; \
	echo "== ruff format --check"; $(BIN)/ruff format --check . || status=1; \
	echo "== mypy"; $(BIN)/mypy || status=1; \
	exit $$status

bench: $(STAMP)
	@bash .ci/postgres.sh bash -c 'for b in bench/[a-z]*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done'

clean:
	rm -rf $(VENV) demo-out .pytest_cache

# fuzzing: the property tests of hostile input with TRUSTSWEEP_FUZZ=1 (40x the examples of `make test`)
.PHONY: fuzz
fuzz: $(STAMP)
	TRUSTSWEEP_FUZZ=1 $(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests/fuzz tests/core/test_output_escaping.py
