# evalkit — run `make help` for the list of targets.
# Two commands do everything on a fresh machine:  `make packs`  and  `make test`.
# `make test` is what CI runs (.ci/run): lint, type check, then every test.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
EVALKIT := $(VENV)/bin/evalkit
STAMP := $(VENV)/.installed-stamp
WORKERS ?=
N ?= 100

$(STAMP): pyproject.toml
	@echo "==> Creating the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> Installing evalkit and its tools into $(VENV) (a few minutes the first time)"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --progress-bar off -e ".[dev]"
	touch $(STAMP)
	@echo "==> Installed: $(EVALKIT)"

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}'

.PHONY: setup
setup: $(STAMP) ## create .venv and install evalkit with its dev tools

.PHONY: system-deps
system-deps: ## install Debian packages for PDFs and browser tests (needs root)
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null || \
	    ! fc-list | grep -qi liberation; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				chromium poppler-utils fonts-liberation >/dev/null; \
		else \
			echo "Please install: sudo apt-get install chromium poppler-utils fonts-liberation"; \
			exit 1; \
		fi; \
	fi

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

.PHONY: browser-deps
browser-deps: system-deps node_modules/axe-core/axe.min.js ## chromium + axe-core for the browser tests

.PHONY: validate
validate: setup ## check data/raw and list every problem
	$(EVALKIT) validate

.PHONY: prepare
prepare: setup ## validate data/raw and write typed tables to data/processed
	$(EVALKIT) prepare

.PHONY: score
score: prepare ## score every partnership; findings to data/processed/scores
	$(EVALKIT) score

.PHONY: packs
packs: setup ## the whole route (evalkit run): validate, prepare, score, build every pack into reports/
	@echo "==> evalkit run: validate, prepare and score data/raw, then build the packs into reports/"
	$(EVALKIT) run $(if $(WORKERS),--workers $(WORKERS))

.PHONY: publish
publish: setup ## copy the reviewer-facing outputs to DEST in one swap (make publish DEST=/srv/www/packs)
	@test -n "$(DEST)" || { echo "Say where: make publish DEST=/path/to/folder"; exit 2; }
	$(EVALKIT) publish "$(DEST)"

.PHONY: test
test: lint typecheck browser-deps ## lint, type check, then the whole test suite (what CI runs)
	$(PY) -m pytest

.PHONY: test-fast
test-fast: setup ## run the tests that need no notebook, build or browser
	$(PY) -m pytest -m "not slow and not browser"

.PHONY: bench
bench: setup ## benchmarks: validation/scoring at scale, pack build vs the naive loop
	$(PY) benchmarks/bench_data.py
	$(PY) benchmarks/bench_build.py --partnerships $(N)
	$(PY) benchmarks/bench_overview.py --partnerships sample 200 1000

.PHONY: lint
lint: setup ## ruff check and format check
	$(VENV)/bin/ruff check src tests benchmarks tools
	$(VENV)/bin/ruff format --check src tests benchmarks tools

.PHONY: typecheck
typecheck: setup ## mypy over src/evalkit (settings in pyproject.toml)
	$(VENV)/bin/mypy

.PHONY: format
format: setup ## format the code with ruff
	$(VENV)/bin/ruff format src tests benchmarks tools

.PHONY: docs
docs: setup ## regenerate docs/data-contract.md and docs/frameworks.md
	$(EVALKIT) docs

.PHONY: clean
clean: ## remove generated outputs (data/processed, reports); raw data and logs/ are never touched
	find data/processed data/interim -mindepth 1 ! -name .gitkeep -delete
	find reports -mindepth 1 ! -name .gitkeep -delete
