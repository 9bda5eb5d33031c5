# trustsweep: `make demo` and `make test` set everything up in .venv/ and run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench install clean lint

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]' || \
		$(BIN)/python -m pip install --quiet -e '.[dev]'
	@$(BIN)/python -m compileall -q core plugins >/dev/null
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/trustsweep demo --out demo-out
	@for f in demo-out/*.json; do $(BIN)/trustsweep validate $$f || exit 1; done

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)
	@bash -c 'source .ci/postgres.sh; start_postgres; trap stop_postgres EXIT; \
		for b in bench/[a-z]*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done'

clean:
	rm -rf $(VENV) demo-out .pytest_cache

# fuzzing: the property tests of hostile input with TRUSTSWEEP_FUZZ=1 (40x the examples of `make test`)
.PHONY: fuzz
fuzz: $(STAMP)
	TRUSTSWEEP_FUZZ=1 $(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests/fuzz tests/core/test_output_escaping.py
