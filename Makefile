# Two commands matter: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DB     := data/demo.duckdb
PORT   ?= 8501
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test test-clock clock-check check lint format demo-db bench bench-ingest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -c constraints.txt -e '.[dev]'
	touch $@

# Rebuilt when missing or when the generator, schema or reference tables change.
$(DB): data/generate_demo.py $(wildcard data/demo/*.py) dashboard/statistics/suppression.py queries/build/schema.sql $(wildcard queries/build/*.sql) $(wildcard data/reference/*.csv) $(wildcard data/reference/*/*.csv) $(wildcard data/reference/*.geojson) | $(VENV)/.installed
	$(BIN)/python data/generate_demo.py --out $(DB)

demo-db: $(DB)

run: $(VENV)/.installed $(DB)
	$(BIN)/python -m streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(PORT) $(ARGS)

# `make test`: lint first (ruff, formatting, import contracts, mypy, SQL), then every test in
# one pytest run on three workers. The browser tests are one xdist group (they share one server
# and one Chromium), so they run one after another on one worker while the others take the
# rest. That worker spends much of its time waiting on Chromium and the app's server, so on a
# 2-core machine a third worker fills the idle core (measured on 2026-12-06: 11 min 48 s on two
# workers, 9 min 16 s on three). Every test takes 2026-11-23 as today (tests/conftest.py), so none depends on the
# day it runs; tests of "today" are marked `clock` and run at several dates. The clock step
# then runs those again with the system clock moved by libfaketime (Debian package
# `faketime`) to just after the start of the academic year 2030/31; `make test-clock` moves it
# for every test that needs no browser.
CLOCK_CHECK_AT ?= 2030-09-01 00:30:00
WORKERS ?= 3
CLOCK_RUN ?= -n $(WORKERS)
# One BLAS thread per process: the workers already fill the cores, and OpenBLAS threads of two
# processes waiting on each other made small matrix work five times slower.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

# The clock step's 42 tests run in one process: 20 s, faster than on workers (27 s), and
# without xdist's controller, which once waited 12 minutes after its workers had finished.
test: lint $(DB)
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup
	@$(MAKE) --no-print-directory clock-check CLOCK_TESTS="-m clock" CLOCK_RUN="-p no:xdist"

test-clock: $(VENV)/.installed-dev $(DB)
	@$(MAKE) --no-print-directory clock-check CLOCK_TESTS="-m 'not browser' tests/unit tests/app"

clock-check:
	@if command -v faketime >/dev/null 2>&1; then \
	  echo "clock check: $(CLOCK_TESTS), with the system clock at $(CLOCK_CHECK_AT)"; \
	  PYTEST_ADDOPTS= KENT_DASHBOARD_TODAY= faketime '$(CLOCK_CHECK_AT)' $(BIN)/python -m pytest \
	    -q -p no:cacheprovider $(CLOCK_RUN) $(CLOCK_TESTS); \
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

# Everything CI runs: lint, types, SQL lint, import contracts, then every test (`make test`
# lints first, so `check` is `test`).
check: test

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py

bench-ingest: $(VENV)/.installed-dev
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .ruff_cache
