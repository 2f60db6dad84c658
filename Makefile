# Companion — the two commands are `make run` and `make test`; see README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint format migrate worker beat demo web clean bench fuzz lighthouse

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

## run: set everything up and run the product on its embedded default (SQLite, filesystem broker, demo data)
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py install_schedules
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 bin/run-embedded

## test: lint, import contracts, migration check and the whole test suite
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: install
	$(BIN)/python manage.py migrate

## worker: a Celery worker (production: one or more of these, and exactly one `make beat`)
worker: install
	$(BIN)/celery -A companion worker --loglevel=INFO

beat: install
	$(BIN)/celery -A companion beat --loglevel=INFO

web: install
	$(BIN)/gunicorn companion.wsgi --bind 127.0.0.1:8000 --workers 3

demo: install
	DEBUG=1 $(BIN)/python manage.py seed_demo

## fuzz: the nightly fuzz run (10x the CI examples; a fresh seed, printed; FUZZ_SEED=n replays)
fuzz: install
	FUZZ_EXAMPLES=1000 FUZZ_STATEFUL_EXAMPLES=200 FUZZ_HOSTILE_EXAMPLES=400 $(BIN)/pytest tests/test_schemathesis.py tests/security/test_hostile_input.py

## lighthouse: Lighthouse (npm, Debian chromium) on the client pages; writes docs/measures/lighthouse.json
lighthouse: install
	npm install --no-audit --no-fund --silent
	COMPANION_MEASURE=1 $(BIN)/pytest -p no:logging tests/browser/test_lighthouse.py

## bench: every benchmark on PostgreSQL + Redis (127.0.0.1) → docs/BENCHMARKS.md; ARGS=--quick for a short run
bench: install
	bench/run_all.sh $(ARGS)

clean:
	rm -rf data staticfiles
