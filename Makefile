# DevSky Orchestration. `make run` serves the API + admin with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n auto

.PHONY: run test install install-dev migrate seed serve serve-prod bench bench-http worker beat lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: create the virtualenv, install, migrate, load demo data, print logins and URLs, serve
run: install migrate seed serve

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: install
	$(BIN)/python manage.py seed_demo

serve: install
	@echo ""
	@echo "  API        http://$(HOST):$(PORT)/api/v1/"
	@echo "  Swagger UI http://$(HOST):$(PORT)/api/v1/docs/"
	@echo "  ReDoc      http://$(HOST):$(PORT)/api/v1/redoc/"
	@echo "  Admin      http://$(HOST):$(PORT)/admin/   (logins printed above)"
	@echo "  JWT        curl -X POST http://$(HOST):$(PORT)/api/v1/auth/token -H 'Content-Type: application/json' \\"
	@echo "               -d '{\"username\": \"admin\", \"password\": \"<password above>\"}'"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## serve-prod: the production profile (Procfile: gunicorn, daphne, Celery worker and beat, run by honcho);
## needs DJANGO_ENV=production and its variables (README, "Production")
serve-prod: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start

## test: the whole suite (embedded default; set DATABASE_URL / REDIS_URL for services mode)
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## bench: p50/p99 with 1,000,000 samples and 1,000,000 content pieces (needs DATABASE_URL to PostgreSQL)
bench: install-dev
	$(BIN)/python -m benchmarks.orchestration $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.content
	$(BIN)/python -m benchmarks.reports
	$(BIN)/python -m benchmarks.realtime

## bench-http: gunicorn (production profile) on PostgreSQL + Redis under wrk at 1/16/64 connections; writes
## bench/RESULTS.md (needs DATABASE_URL to a PostgreSQL database of its own, and REDIS_URL)
bench-http: install-dev
	@command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	$(BIN)/python -m benchmarks.http_load $(BENCH_ARGS)

worker: install
	$(BIN)/celery -A devsky worker --loglevel=INFO

beat: install
	$(BIN)/celery -A devsky beat --loglevel=INFO

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
