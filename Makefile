# dogsite developer commands. `make run` serves the site, `make test` tests it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STANDIN_PORT ?= 8001

.PHONY: run demo test lint format standin clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed  ## Serve on http://127.0.0.1:$(PORT), live Dog API or offline demo
	PORT=$(PORT) STANDIN_PORT=$(STANDIN_PORT) PYTHON=$(BIN)/python scripts/run-local.sh

demo: $(VENV)/.installed  ## Serve offline: bundled snapshot and the local Dog API stand-in
	PORT=$(PORT) STANDIN_PORT=$(STANDIN_PORT) PYTHON=$(BIN)/python scripts/run-local.sh --offline

test: $(VENV)/.installed  ## Run the test suite (set DATABASE_URL / CACHE_URL for PostgreSQL / Redis)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

standin: $(VENV)/.installed  ## Run the Dog API stand-in alone on 127.0.0.1:$(STANDIN_PORT)
	$(BIN)/python -m tests.dogapi_standin --port $(STANDIN_PORT)

clean:
	rm -rf $(VENV) build staticfiles .pytest_cache .ruff_cache
