# The two commands a newcomer needs: `make demo` and `make test`. Both set everything up themselves.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck unit e2e bench system-deps clean

$(STAMP): pyproject.toml
	@bash scripts/bootstrap-python.sh $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

## system-deps: Debian's Chromium and zbar, installed only when missing (Playwright never downloads a browser here)
system-deps:
	@bash scripts/system-deps.sh

## demo: keys, database, sandbox and demo site on http://127.0.0.1:5000 (Ctrl-C stops everything)
demo: $(STAMP)
	$(PY) -m demo_site

## test: lint, type check, unit tests and end-to-end tests in headless Chromium
test: $(STAMP) system-deps lint typecheck
	@$(PY) -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit: $(STAMP)
	$(PY) -m pytest -q tests

e2e: $(STAMP) system-deps
	$(PY) -m pytest -q e2e

## bench: every benchmark in bench/, printing ratios against baselines measured in the same run
bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache test-artifacts
