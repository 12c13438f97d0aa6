# The Makefile is the interface: `make help` lists what it can do.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# `npm ci` installs the pinned npm packages: axe-core and the Open Badges verifier for the suite,
# the OIDC test IdP, and scorm-again, which the site serves (run, serve and check need it too).
AXE := node_modules/axe-core/axe.min.js
# pytest-xdist workers for make test (0: one process). Each worker has its own test database,
# temporary folders, live server and Redis database; tests run in any order (tests/conftest.py
# gives the migrated data back after every transactional test's flush), so workers steal work.
TEST_WORKERS ?= 2
TEST_DIST ?= worksteal

.DEFAULT_GOAL := help
.PHONY: help install browser xmlsec ralph run test bench check check-messages lint format migrate seed serve worker messages content clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(PY) -m pip install --quiet --disable-pip-version-check --group test -c constraints.txt
	touch $@

install: $(INSTALLED) ## Create the virtualenv and install the pinned packages

migrate: $(INSTALLED) ## Apply database migrations
	$(PY) manage.py migrate --no-input
	$(PY) manage.py recompute_evidence

seed: migrate ## Load the demo organisation and content (idempotent)
	$(PY) manage.py seed_demo

run: seed $(AXE) ## Serve the site with demo content on SQLite at http://127.0.0.1:8000
	@echo "Actitud: http://$(HOST):$(PORT)/  (stop with Ctrl+C; emails are printed here)"
	@$(PY) manage.py db_worker --no-reload --interval 2 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT)

CHROMIUM ?= /usr/bin/chromium

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser: ## Install Debian's Chromium for the browser journeys if it is missing (fails loudly)
	@test -x $(CHROMIUM) || { \
		echo "Chromium is missing: installing Debian's chromium package"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }
	@test -x $(CHROMIUM) || { echo "Chromium could not be installed at $(CHROMIUM)"; exit 1; }

RALPH_VENV := .venv-ralph
RALPH_INSTALLED := $(RALPH_VENV)/.installed
RALPH_CONSTRAINTS := tests/xapi/ralph-constraints.txt

# The suite's real xAPI LRS (Ralph, tests/xapi/conftest.py) lives in a virtualenv of its own: it
# runs in a process apart from the site, and its FastAPI stack stays out of the application's.
$(RALPH_INSTALLED): pyproject.toml $(RALPH_CONSTRAINTS)
	test -x $(RALPH_VENV)/bin/python || $(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(RALPH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --group ralph -c $(RALPH_CONSTRAINTS)
	touch $@

ralph: $(RALPH_INSTALLED) ## Install the Ralph LRS the xAPI tests start (.venv-ralph)

# The SAML half of single sign-on: python3-saml's xmlsec wheel carries its own libxmlsec1; the
# suite's SAML IdP (pysaml2) signs by running Debian's xmlsec1 program.
XMLSEC1 ?= /usr/bin/xmlsec1

xmlsec: ## Install Debian's xmlsec1 for the SAML tests if it is missing (fails loudly)
	@test -x $(XMLSEC1) || { \
		echo "xmlsec1 is missing: installing Debian's xmlsec1 package"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq xmlsec1; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq xmlsec1; fi; }
	@test -x $(XMLSEC1) || { echo "xmlsec1 could not be installed at $(XMLSEC1)"; exit 1; }

test: $(INSTALLED) $(AXE) browser xmlsec $(RALPH_INSTALLED) ## Run the whole suite, browser journeys included (PostgreSQL when DATABASE_URL is set)
	CHROMIUM=$(CHROMIUM) AXE_SCRIPT=$(AXE) $(PY) -m pytest -n $(TEST_WORKERS) --dist $(TEST_DIST) $(PYTEST_ARGS)

BENCH_VENV := .venv-bench
BENCH_INSTALLED := $(BENCH_VENV)/.installed

# The load generator (locust) lives in a virtualenv of its own: it runs in a process apart from
# the site, and its gevent stack stays out of the application's environment.
$(BENCH_INSTALLED): pyproject.toml constraints.txt
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --group bench -c constraints.txt
	touch $@

bench: $(INSTALLED) $(BENCH_INSTALLED) ## Load bench: gunicorn + PostgreSQL + Redis under locust, ratios to a floor view (BENCH_SCALE=0.1 for the quick run; see BENCHMARKS.md)
	$(PY) tests/bench/run.py

lint: $(INSTALLED) ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED) ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint check-messages $(AXE) ## lint, catalogues, no missing migrations, check --deploy
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY="$${SECRET_KEY:-ci-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=')}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-actitud.example.com}" \
	$(PY) manage.py check --deploy --fail-level WARNING

serve: $(INSTALLED) $(AXE) ## Production-style: gunicorn with production settings (needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL)
	DB_STATEMENT_TIMEOUT=0 DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py migrate --no-input
	DB_STATEMENT_TIMEOUT=0 DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py recompute_evidence
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --no-input
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/gunicorn config.wsgi \
		--bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

worker: $(INSTALLED) ## Run background tasks (database queue, or Redis with TASK_QUEUE=redis) and the outbox relay
	@$(PY) manage.py relay_tasks --loop & relay=$$!; \
		trap 'kill $$relay 2>/dev/null' EXIT INT TERM; \
		if [ "$${TASK_QUEUE:-database}" = "redis" ]; then \
			$(PY) manage.py rqworker default --job-class django_tasks_rq.Job; \
		else \
			$(PY) manage.py db_worker; \
		fi

content: $(INSTALLED) ## Check the seeded questions and role-plays: structure, item quality, dimension coverage
	$(PY) -m quizzes.content
	$(PY) -m scenarios.content

messages: $(INSTALLED) ## Extract translatable strings and compile the catalogues
	$(PY) manage.py makemessages --locale es --locale en --no-obsolete \
		--ignore ".venv/*" --ignore "staticfiles/*" --ignore "tests/*"
	# msgids are English: the English catalogue repeats them, so Django never falls back to Spanish.
	# Every English msgstr is its msgid: translations (and gettext's fuzzy guesses) are emptied
	# first, then msgen copies the msgids.
	msgfilter --keep-header -i site/locale/en/LC_MESSAGES/django.po -o site/locale/en/LC_MESSAGES/django.po sed -e d
	msgattrib --clear-fuzzy -o site/locale/en/LC_MESSAGES/django.po site/locale/en/LC_MESSAGES/django.po
	msgen --force-po -o site/locale/en/LC_MESSAGES/django.po site/locale/en/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages --ignore ".venv/*"

check-messages: messages ## Fail when a translatable string is missing from site/locale or left fuzzy
	git diff --exit-code -I 'POT-Creation-Date' -I '^#: ' -- site/locale/*/LC_MESSAGES/django.po
	@for po in site/locale/*/LC_MESSAGES/django.po; do \
		test -z "$$(msgattrib --only-fuzzy --no-obsolete $$po)" || { echo "$$po has fuzzy entries"; exit 1; }; \
	done

clean: ## Remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles
