# Two commands matter: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DB     := data/demo.duckdb
PORT   ?= 8501
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test check lint format demo-db bench bench-ingest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -c constraints.txt -e '.[dev]'
	touch $@

# Rebuilt when missing or when the generator, schema or reference tables change.
$(DB): data/generate_demo.py $(wildcard data/demo/*.py) queries/build/schema.sql $(wildcard queries/build/*.sql) $(wildcard data/reference/*.csv) $(wildcard data/reference/*/*.csv) $(wildcard data/reference/*.geojson) | $(VENV)/.installed
	$(BIN)/python data/generate_demo.py --out $(DB)

demo-db: $(DB)

run: $(VENV)/.installed $(DB)
	$(BIN)/python -m streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(PORT) $(ARGS)

# The second run moves the clock (libfaketime, Debian package `faketime`) to just after the
# start of the academic year 2030/31 and runs every test that needs no browser again, so a test
# that depends on the day it runs fails here before it lands.
CLOCK_CHECK_AT ?= 2030-09-01 00:30:00

test: $(VENV)/.installed-dev $(DB)
	$(BIN)/python -m pytest
	@if command -v faketime >/dev/null 2>&1; then \
	  echo "clock check: tests without a browser, with the clock at $(CLOCK_CHECK_AT)"; \
	  PYTEST_ADDOPTS= faketime '$(CLOCK_CHECK_AT)' $(BIN)/python -m pytest -q -p no:cacheprovider \
	    -n 2 -m 'not browser' tests/unit tests/app; \
	else \
	  echo "clock check skipped: faketime is not installed (apt-get install faketime)"; \
	fi

# Lint, types, SQL lint and the import contracts (the layers in pyproject.toml).
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/sqlfluff lint queries --processes 2 --nocolor

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Everything CI runs: lint, types, SQL lint, import contracts, then every test.
check: lint test

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py

bench-ingest: $(VENV)/.installed-dev
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .ruff_cache
