# Two commands: `make run` and `make test`. Both create .venv and install the locked dependencies first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest fuzz kill-test chromium bench bench-screen bench-batch bench-cli bench-drawdown bench-audit bench-orders bench-recheck bench-api bench-soak bench-pages eval lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The official reference files live beside the checkout (../shared); users point EXPORTCTL_LISTS_DIR at theirs.
LISTS_DIR ?= $(abspath ../shared/data/lists):$(abspath ../shared/data/us)

# The web application on http://127.0.0.1:8000/ with the demo data set (SQLite in ./var); prints the URL and the login.
run: $(STAMP)
	EXPORTCTL_LISTS_DIR=$(LISTS_DIR) $(BIN)/exportctl serve --demo

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy

# Storage tests run on SQLite and on a throwaway PostgreSQL 15 server the test session starts on a free local
# port and stops afterwards (initdb/pg_ctl from $(PG_BIN)); EXPORTCTL_TEST_DATABASE_URL names another server.
PG_BIN ?= /usr/lib/postgresql/15/bin

# The browser tests drive Debian's Chromium with Playwright (Playwright's own browser download is not used):
# installed with apt when missing (as root, else with sudo).
CHROMIUM ?= /usr/bin/chromium

# A Japanese font too, so the screenshots show the Japanese UI text rather than empty boxes.
JA_FONT ?= /usr/share/fonts/opentype/ipafont-gothic

chromium:
	@{ test -x $(CHROMIUM) && test -d $(JA_FONT); } || { \
		echo "Chromium or a Japanese font missing: installing chromium and fonts-ipafont-gothic with apt" >&2; \
		SUDO=""; if [ "$$(id -u)" -ne 0 ]; then SUDO="sudo"; fi; \
		$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends \
			chromium fonts-ipafont-gothic; \
	}

# The suite runs on every core (pytest-xdist): one worker per core, at most 4 (each worker builds its own screening
# index, ~1.5 GB), each test file kept whole on one worker, so a module's fixtures (a demo database, a served app, a
# Dask cluster) are built once. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)

pytest: $(STAMP) chromium
	EXPORTCTL_PG_BIN=$(PG_BIN) EXPORTCTL_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# The long runs of issue 10's proofs (the normal suite runs a fast slice of each), on SQLite and PostgreSQL:
# over 10,000 generated hostile inputs (check --file, every REST body, CSV/XLSX imports) with no crash and no
# partial write; and kill -9 at random moments during a 50,000-line import, 10 times per database.
fuzz: $(STAMP)
	EXPORTCTL_FUZZ=full EXPORTCTL_PG_BIN=$(PG_BIN) $(BIN)/pytest -p no:randomly --hypothesis-show-statistics tests/test_fuzz.py

kill-test: $(STAMP)
	EXPORTCTL_KILL_TEST=full EXPORTCTL_PG_BIN=$(PG_BIN) $(BIN)/pytest -p no:randomly -s tests/services/test_kill_import.py

bench: $(STAMP)
	$(BIN)/python bench/determine.py

bench-screen: $(STAMP)
	$(BIN)/python bench/screen.py

# Dask LocalClusters of 2 and 1 workers against the plain engine (1,000,000 order lines; 200,000 parties).
bench-batch: $(STAMP)
	$(BIN)/python bench/batch.py

bench-cli: $(STAMP)
	$(BIN)/python bench/cli_start.py

# Starts (and removes) a throwaway PostgreSQL 15 server, like the tests.
bench-drawdown: $(STAMP)
	$(BIN)/python bench/drawdown.py

bench-audit: $(STAMP)
	$(BIN)/python bench/audit_verify.py

bench-orders: $(STAMP)
	EXPORTCTL_PG_BIN=$(PG_BIN) $(BIN)/python bench/orders.py

# The open order book re-checked after a pack update, against the engine alone on the same transactions.
bench-recheck: $(STAMP)
	$(BIN)/python bench/recheck.py

# Starts uvicorn on a free loopback port (subprocesses) and loads POST /api/v1/check from 16 clients.
bench-api: $(STAMP)
	$(BIN)/python bench/api.py

# The list pages (/orders, /, /licences …) over 13,000 orders, in process, against one order's page.
bench-pages: $(STAMP)
	$(BIN)/python bench/web_pages.py

# The screening evaluation runs in its own venv: nomenklatura (logic-v2, the comparison) is benchmark-only.
EVAL_STAMP := .venv-eval/.installed
$(EVAL_STAMP): requirements.lock eval/requirements.txt
	$(PYTHON) -m venv --clear .venv-eval
	.venv-eval/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock -r eval/requirements.txt
	.venv-eval/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(EVAL_STAMP)

# All three pair sets, both scorers; per category, the held-apart part (never used to tune the scorer).
eval: $(EVAL_STAMP)
	.venv-eval/bin/python eval/screening.py --part held

# Re-pin after editing pyproject.toml's dependencies.
lock:
	$(BIN)/pip-compile -q --extra dev --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) .venv-eval .mypy_cache .pytest_cache .ruff_cache

# Starts (and removes) a throwaway PostgreSQL 15 server; 16 API clients on uvicorn (loopback) for 60 s.
bench-soak: $(STAMP)
	EXPORTCTL_PG_BIN=$(PG_BIN) $(BIN)/python bench/soak_orders.py
