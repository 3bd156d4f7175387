# Overstone: `make run` serves the demo, `make test` runs the tests.
# Needs only Python 3.11+; everything else is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup run test lint format clean bench bench-trust load screenshots

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Overstone needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	python manage.py migrate --noinput
	python manage.py collectstatic --noinput --verbosity 0
	python manage.py seed_demo
	@echo "Overstone is at http://127.0.0.1:8000/ (Ctrl-C stops the web server, worker and beat)"
	honcho start --no-prefix -f Procfile

test: setup
	OVERSTONE_VAR_DIR=$${OVERSTONE_VAR_DIR:-$(CURDIR)/var/test} pytest

# Needs PostgreSQL and Redis on 127.0.0.1 (see bench/README.md); about 5 minutes.
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--large 100000" to skip the 1M size.
bench: setup
	python -m bench.run $(BENCH_ARGS)

# A trust of 50 schools (5,000,000 incidents, 1,000,000 complaints, 250,000 bookings,
# 100,000 users): one school's pages, the trust dashboard and the trust's report. About
# 30 minutes on 2 cores; BENCH_ARGS="--trust-scale 0.01" for a quick try (bench/README.md).
bench-trust: setup
	python -m bench.run --trust $(BENCH_ARGS)

# 50 users of mixed roles browsing at once for 2 minutes against gunicorn + PostgreSQL
# + Redis on 127.0.0.1; fails if any request fails (bench/README.md).
# BENCH_ARGS="--scaled-out": two web processes, two Celery workers and one beat.
load: setup
	python -m bench.run --load $(BENCH_ARGS)

# Retakes the README's screenshots (docs/screenshots/) from the demo data; needs Chromium.
screenshots: setup
	python manage.py migrate --noinput
	python manage.py collectstatic --noinput --verbosity 0
	python manage.py seed_demo
	python scripts/screenshots.py

lint: setup
	ruff check .
	ruff format --check .
	lint-imports --no-logo

format: setup
	ruff format .
	ruff check --fix .

clean:
	rm -rf $(VENV) var
