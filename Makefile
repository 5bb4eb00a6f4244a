# Fresh machine: `make run` starts the dashboard on sample data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint format bench system-deps clean

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

test: $(VENV)/.dev system-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(VENV)/.dev
	$(PY) bench/etl.py --files 300

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
