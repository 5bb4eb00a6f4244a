# Fresh machine: `make run` starts the dashboard on sample data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-fast lint format bench bench-quick system-deps clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian packages the tests and exports need: Chromium (Playwright and kaleido), fonts, poppler,
# LibreOffice (PDF reports).
system-deps:
	@bash scripts/system-deps.sh

run: $(VENV)/.runtime
	$(PY) -m etl demo --if-empty
	$(PY) -m streamlit run dashboard.py --server.address 127.0.0.1 --server.port $(PORT)

# The whole suite: lint, unit, integration, AppTest and the browser tests (screenshots in test-artifacts/).
test: $(VENV)/.dev system-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

# The fast lane while working: lint and every test that needs no browser (no e2e marker).
test-fast: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -m "not e2e"

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(VENV)/.dev system-deps
	$(PY) bench/run.py

bench-quick: $(VENV)/.dev system-deps
	$(PY) bench/run.py --quick

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
