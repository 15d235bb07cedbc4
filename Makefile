# The README's two commands are `make run` and `make test`; each sets up what it needs first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt e2e bench setup clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m backend --host 127.0.0.1 --port 8765

lint: $(STAMP)
	$(BIN)/ruff check maxcore backend tests benchmarks
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format maxcore backend tests benchmarks

test: $(STAMP) lint
	$(BIN)/pytest tests

e2e: $(STAMP)
	$(BIN)/pytest tests -m e2e

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV)
