# The README's two commands are `make run` and `make test`; the rest serve them and CI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test check lint typecheck format messages openapi bench bench-full bench-page-weight clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-install only when the dependency list changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/meesaq setup
	PORT=$(PORT) $(BIN)/meesaq serve

test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

check: lint typecheck
	$(BIN)/meesaq makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the Urdu catalogue after adding strings (needs GNU gettext), then translate the new entries.
messages: $(VENV)/.installed-dev
	cd src/meesaq && ../../$(BIN)/django-admin makemessages -l ur --no-location --no-obsolete --settings=meesaq.settings --pythonpath=..
	cd src/meesaq && ../../$(BIN)/django-admin compilemessages -l ur --settings=meesaq.settings --pythonpath=..

# Refresh the committed OpenAPI document after changing the API (a test compares it with the served one).
openapi: $(VENV)/.installed-dev
	$(BIN)/meesaq openapi

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[bench]"
	touch $@ $(VENV)/.installed-run

# The benchmark suite on PostgreSQL (docs/performance.md): a synthetic province, then every
# scenario against `meesaq serve` with locust. The database is the benchmark's own.
BENCH_DATABASE ?= meesaq_bench
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DATABASE)
BENCH_RUN = DATABASE_URL=$(BENCH_DATABASE_URL) nice -n 10

bench: $(VENV)/.installed-bench
	-createdb --host 127.0.0.1 --username postgres $(BENCH_DATABASE) 2>/dev/null
	$(BENCH_RUN) $(BIN)/meesaq migrate --verbosity 0
	$(BENCH_RUN) $(BIN)/python -u bench/scenarios.py --cases 50000 --requests 200 --refresh-summary

bench-full: $(VENV)/.installed-bench
	-createdb --host 127.0.0.1 --username postgres $(BENCH_DATABASE) 2>/dev/null
	$(BENCH_RUN) $(BIN)/meesaq migrate --verbosity 0
	$(BENCH_RUN) $(BIN)/python -u bench/scenarios.py --cases 1000000 --requests 1000 --refresh-summary

# Weigh the public portal's pages on a running site (`make run` in another shell).
bench-page-weight: $(VENV)/.installed-run
	$(BIN)/python bench/page_weight.py --base http://127.0.0.1:$(PORT)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
