# sdg87 — the single entry point. `make run` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PO_FILES := $(wildcard sdg87/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
PYTEST_WORKERS ?= 2

.PHONY: vendor openapi run test test-pg test-replica test-browser fuzz load crash-test lint format typecheck check bench bench-search bench-import audit messages makemessages lock clean help

help:
	@echo "make run           set up (venv, locked install, migrate, bundled data, admin) and serve on http://127.0.0.1:8000"
	@echo "make test          set up what the tests need and run the default suite (SQLite)"
	@echo "make test-pg       run the suite on a throwaway PostgreSQL 15 cluster"
	@echo "make test-browser  run the real-browser tests (Playwright + Debian chromium)"
	@echo "make test-replica  reads on a streaming replica, writes on the primary (two PostgreSQL 15 clusters)"
	@echo "make fuzz          fuzz the API with schemathesis (FUZZ_EXAMPLES=100 per operation; CI runs 5)"
	@echo "make load          50 users for 5 minutes on the full data (locust; wrk) -> benchmarks/load.md"
	@echo "make crash-test    kill -9 at 20 points of a 200,000-row import and a harvest, SQLite and PostgreSQL -> benchmarks/crash.md"
	@echo "make lint | typecheck | check | bench | makemessages | lock"
	@echo "make audit         pip-audit of requirements.lock (needs the PyPI JSON API or OSV)"
	@echo "make bench-search  search benchmark (SQLite, PostgreSQL, tantivy at BENCH_DOCS=100000) -> benchmarks/search.md"
	@echo "make bench-import  observation import benchmark (SQLite, PostgreSQL, BENCH_ROWS=1000000) -> benchmarks/import.md"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e .
	@touch $@

sdg87/locale/%/LC_MESSAGES/django.mo: sdg87/locale/%/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install GNU gettext (apt-get install gettext)"; exit 1; }
	msgfmt --check-format -o $@ $<

messages: $(MO_FILES)

VENDOR_STAMP := var/vendor/.installed
$(VENDOR_STAMP): package.json package-lock.json scripts/vendor.sh
	bash scripts/vendor.sh
	@touch $@

vendor: $(VENDOR_STAMP)

run: $(STAMP) messages vendor
	$(BIN)/sdg87 setup
	$(BIN)/sdg87 serve

test: $(STAMP) messages
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q

test-pg: $(STAMP) messages
	bash scripts/with-postgres.sh $(BIN)/pytest -n $(PYTEST_WORKERS) -q

test-replica: $(STAMP) messages
	bash scripts/with-postgres-replica.sh $(BIN)/pytest -m replica -p no:xdist -q tests/replica

FUZZ_EXAMPLES ?= 100
fuzz: $(STAMP) messages
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) bash scripts/fuzz.sh

CRASH_ARGS ?= --points 20 --rows 200000
CRASH_OUT ?= benchmarks/crash.md
crash-test: $(STAMP)
	$(BIN)/python scripts/crash_test.py --engine both $(CRASH_ARGS) --out $(CRASH_OUT)

LOAD_ARGS ?=
load: $(STAMP) messages vendor
	$(BIN)/python scripts/load.py $(LOAD_ARGS)

test-browser: $(STAMP) messages vendor
	$(BIN)/pytest -m browser -p no:xdist -q tests/browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint test

audit: $(STAMP)
	$(BIN)/pip-audit --requirement requirements.lock --require-hashes --disable-pip --progress-spinner off

makemessages: $(STAMP)
	cd sdg87 && ../$(BIN)/python ../manage.py makemessages -l fr -l es --no-obsolete --no-location
	cd sdg87 && ../$(BIN)/python ../manage.py makemessages -l fr -l es -d djangojs --no-obsolete --no-location || true

lock:
	$(BIN)/python -m pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) var/static

openapi: $(STAMP)
	$(BIN)/python scripts/snapshot_openapi.py
	$(BIN)/python scripts/gen_cli_docs.py

BENCH_DOCS ?= 100000
bench-search: $(STAMP)
	$(BIN)/python scripts/bench_search.py --docs $(BENCH_DOCS) --out benchmarks/search.md

BENCH_ROWS ?= 1000000
bench-import: $(STAMP)
	$(BIN)/python scripts/bench_import.py --rows $(BENCH_ROWS) --out benchmarks/import.md
