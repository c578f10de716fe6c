# Navigator's task runner: developers and CI use the same targets. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
export RASA_TELEMETRY_ENABLED := false

# Stamps: reinstall only when the project's dependency list changes.
$(VENV)/.python:
	@python=$$(scripts/find-python.sh) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV); \
	$(BIN)/python -m pip install --quiet --upgrade pip; \
	echo "$$python" > $@

$(VENV)/.system: scripts/system-deps.sh
	@scripts/system-deps.sh
	@touch $@

$(VENV)/.run: pyproject.toml $(VENV)/.python $(VENV)/.system
	@echo "Installing navigator with Rasa and the web app into $(VENV) (about 1 GB the first time)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bot,web]'
	@touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.run
	@echo "Installing the development tools into $(VENV)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bot,web]'
	@touch $@

# The browser tests: Debian's Chromium, and axe-core from npm (versions in the lock file).
$(VENV)/.browser: tests/web/package-lock.json $(VENV)/.dev
	@scripts/system-deps.sh --test
	@npm ci --silent --no-audit --no-fund --prefix tests/web
	@touch $@

$(VENV)/.bench: pyproject.toml $(VENV)/.dev
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bot,web,bench]'
	@touch $@

.PHONY: help run test lint typecheck unit validate stats bench bot clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: $(VENV)/.run  ## set up and run the navigator (chat, workspace, API, assistant) on :8000
	@$(BIN)/navigator serve $(SERVE_ARGS)

test: lint typecheck unit  ## set up and run every check: ruff, mypy, pytest

lint: $(VENV)/.dev  ## ruff
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev  ## mypy (strict)
	@$(BIN)/mypy

unit: $(VENV)/.dev $(VENV)/.browser  ## pytest (exit 5, no tests collected, fails too)
	@$(BIN)/pytest $(PYTEST_ARGS)

bot: $(VENV)/.dev  ## train the assistant if needed and run it (REST on 127.0.0.1:5005)
	@$(BIN)/python -m navigator.bot

validate: $(VENV)/.run  ## validate the catalogue
	@$(BIN)/navigator catalog validate catalog

stats: $(VENV)/.run  ## catalogue statistics and coverage gaps
	@$(BIN)/navigator catalog stats

bench: $(VENV)/.bench  ## run the benchmarks (figures as JSON in benchmarks/results/)
	@mkdir -p benchmarks/results
	$(BIN)/python -m benchmarks.routing_quality > benchmarks/results/routing_quality.json
	$(BIN)/python -m benchmarks.search_quality > benchmarks/results/search_quality.json
	$(BIN)/python -m benchmarks.route_latency > benchmarks/results/route_latency.json
	$(BIN)/python -m benchmarks.safety_holdout > benchmarks/results/safety_holdout.json
	$(BIN)/python -m benchmarks.redaction > benchmarks/results/redaction.json
	$(BIN)/python -m benchmarks.nlu_crossval > benchmarks/results/nlu_crossval.json
	$(BIN)/python -m benchmarks.bot_latency > benchmarks/results/bot_latency.json
	$(BIN)/python -m benchmarks.rasa_speedups > benchmarks/results/rasa_speedups.json
	$(BIN)/python -m benchmarks.catalog_fuzz > benchmarks/results/catalog_fuzz.json
	$(BIN)/python -m benchmarks.catalog_import > benchmarks/results/catalog_import.json
	$(BIN)/python -m benchmarks.openapi_fuzz > benchmarks/results/openapi_fuzz.json
	$(BIN)/python -m benchmarks.hostile_chat > benchmarks/results/hostile_chat.json
	$(BIN)/python -m benchmarks.load rate --nodes 1 > benchmarks/results/load_rate_1.json
	$(BIN)/python -m benchmarks.load rate --nodes 2 > benchmarks/results/load_rate_2.json
	$(BIN)/python -m benchmarks.load soak > benchmarks/results/load_soak.json
	$(BIN)/python -m benchmarks.load faults > benchmarks/results/load_faults.json
	@echo "figures in benchmarks/results/"

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
