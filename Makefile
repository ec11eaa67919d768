# Two commands for a fresh machine (see README.md, "Quick start"): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test setup lint bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# The app on SQLite at http://127.0.0.1:5000, e-mails captured on /dev/outbox.
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data
	$(BIN)/flask validation demo-queue
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Lint, then the whole suite on SQLite and (when CI=true or TEST_DATABASE_URL is set) on PostgreSQL.
test: setup
	bash scripts/test.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r wizard -lll

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	bash benchmarks/run.sh
