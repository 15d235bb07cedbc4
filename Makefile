# The README's two commands are `make run` and `make test`; each sets up what it needs first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

NODE_STAMP := node_modules/.installed

.PHONY: run test lint fmt e2e bench screenshots package icons setup clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# The extension's dev tools (jsdom for its unit tests, eslint, prettier); it has no build step.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

run: $(STAMP)
	$(BIN)/python -m backend --host 127.0.0.1 --port 8765

lint: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check maxcore backend tests benchmarks tools
	$(BIN)/ruff format --check maxcore backend tests benchmarks tools
	$(BIN)/mypy
	npm run --silent lint

fmt: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff format maxcore backend tests benchmarks tools
	npm run --silent fmt

# With MAX_TEST_POSTGRES_URL (a PostgreSQL server and a role that may create databases, as
# .ci/run sets up), the backend tests run a second time, each on a fresh PostgreSQL database.
test: $(STAMP) $(NODE_STAMP) lint
	$(BIN)/pytest tests
	@if [ -n "$$MAX_TEST_POSTGRES_URL" ]; then echo "backend tests on PostgreSQL:"; $(BIN)/pytest tests/backend; fi

e2e: $(STAMP) $(NODE_STAMP)
	$(BIN)/pytest tests -m e2e

# Retakes the README's screenshots (the e2e tests write them to a temporary folder otherwise).
screenshots: $(STAMP) $(NODE_STAMP)
	MAX_SCREENSHOTS=1 $(BIN)/pytest tests/extension -m e2e

# The zip a Chrome Web Store upload takes (manifest, _locales, extension/, icons): dist/.
package: $(STAMP)
	$(BIN)/python -m tools.package

# Redraws icons/icon-*.png from icons/max.svg (a test checks the committed ones are its output).
icons: $(STAMP)
	$(BIN)/python -m tools.icons

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules
