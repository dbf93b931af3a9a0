# The README's two promises: `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PLAN_2019 := fixtures/plan-2019.xlsx
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run migrate load test test-fast browser-deps lint format migrations-check \
        check-deploy serve bench loadtest backup restore clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Loading the shipped 2019 plan is idempotent: a second run reports 0 created, 0 updated.
load: migrate
	$(BIN)/python manage.py import_programs $(PLAN_2019)

run: load
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests (Playwright cannot download its own here);
# Noto CJK renders Hangul in screenshots and PDFs; poppler's pdftotext reads the PDFs back.
browser-deps:
	@{ command -v chromium && command -v pdftotext && command -v pdfinfo \
		&& fc-list | grep -q "Noto Sans CJK"; } >/dev/null 2>&1 || { \
		echo "Installing chromium, fonts-noto-cjk and poppler-utils for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk poppler-utils; }

test: install browser-deps
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

check-deploy: install
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=portal.example.kr \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Production on this machine: the settings come from the environment (at least
# DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; see .env.example), gunicorn from gunicorn.conf.py.
# gunicorn parses WEB_CONCURRENCY itself before it reads gunicorn.conf.py and dies on an
# empty or odd value with a bare traceback: the config file's count (or its message) goes first.
serve: install
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --noinput
	DJANGO_DEBUG=false $(BIN)/python manage.py migrate --noinput
	workers=$$($(BIN)/python -c 'import runpy; print(runpy.run_path("gunicorn.conf.py")["workers"])') \
		&& WEB_CONCURRENCY=$$workers DJANGO_DEBUG=false $(BIN)/gunicorn --config gunicorn.conf.py

# Speed, memory and weight figures as ratios measured side by side (a few minutes). Scratch
# data in tools/bench/out/; BENCH_DATABASE_URL=postgres://…/portal_bench runs it on PostgreSQL.
bench: install
	$(BIN)/python -m tools.bench.run

# 60 s (LOADTEST_SECONDS) of mixed traffic against gunicorn on 127.0.0.1 and a free port;
# PostgreSQL database portal_loadtest unless LOADTEST_DATABASE_URL says otherwise.
loadtest: install
	$(BIN)/python -m tools.loadtest

# The database (pg_dump -Fc, or SQLite's online backup) and uploaded files in one timestamped
# archive under var/backups/, keeping the newest 30. `make restore FILE=…` puts one into an
# empty database (DATABASE_URL, before migrate) and refuses any database that has tables.
backup: install
	$(BIN)/python manage.py backup_site

restore: install
	@test -n "$(FILE)" || { echo "make restore FILE=var/backups/portal-….tar.gz"; exit 2; }
	$(BIN)/python manage.py restore_site "$(FILE)"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
