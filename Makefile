# Two commands: `make run` and `make test`. Both create .venv and install the locked dependencies first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench bench-screen bench-drawdown bench-audit bench-orders eval lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The official reference files live beside the checkout (../shared); users point EXPORTCTL_LISTS_DIR at theirs.
LISTS_DIR ?= $(abspath ../shared/data/lists)

run: $(STAMP)
	EXPORTCTL_LISTS_DIR=$(LISTS_DIR) $(BIN)/exportctl timeline

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Storage tests run on SQLite and on a throwaway PostgreSQL 15 server the test session starts on a free local
# port and stops afterwards (initdb/pg_ctl from $(PG_BIN)); EXPORTCTL_TEST_DATABASE_URL names another server.
PG_BIN ?= /usr/lib/postgresql/15/bin

pytest: $(STAMP)
	EXPORTCTL_PG_BIN=$(PG_BIN) $(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/determine.py

bench-screen: $(STAMP)
	$(BIN)/python bench/screen.py

# Starts (and removes) a throwaway PostgreSQL 15 server, like the tests.
bench-drawdown: $(STAMP)
	$(BIN)/python bench/drawdown.py

bench-audit: $(STAMP)
	$(BIN)/python bench/audit_verify.py

bench-orders: $(STAMP)
	$(BIN)/python bench/orders.py

# The screening evaluation runs in its own venv: nomenklatura (logic-v2, the comparison) is benchmark-only.
EVAL_STAMP := .venv-eval/.installed
$(EVAL_STAMP): requirements.lock eval/requirements.txt
	$(PYTHON) -m venv --clear .venv-eval
	.venv-eval/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock -r eval/requirements.txt
	.venv-eval/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(EVAL_STAMP)

eval: $(EVAL_STAMP)
	.venv-eval/bin/python eval/screening.py

# Re-pin after editing pyproject.toml's dependencies.
lock:
	$(BIN)/pip-compile -q --extra dev --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) .venv-eval .mypy_cache .pytest_cache .ruff_cache
