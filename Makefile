# Kwamdee: two commands do all the set-up — `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PROD := DJANGO_SETTINGS_MODULE=kwamdee.settings.production
APP_ROLE ?= kwamdee_app

.PHONY: install run serve test test-postgres bench bench-activity lint messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) messages

# Compiles the Thai and English translations (.po -> .mo).
messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var --verbosity 0

# Serves the site and, beside it, a background-task worker (stopped with the server).
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Kwamdee is starting on http://$(HOST):$(PORT)/ (with a background-task worker)"
	DJANGO_DEBUG=1 $(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Serves as production does (README.md, "Production serving"): production settings, which refuse
# to start without PostgreSQL and strong keys in the environment; static files collected for
# WhiteNoise; gunicorn with one worker process per core; one task worker beside it, stopped with
# it (a real deployment runs its task workers as their own services).
# With DATABASE_APP_URL set (a login role that is a member of $(APP_ROLE)), the migrations run as
# DATABASE_URL's role (the tables' owner), which then grants $(APP_ROLE) the least the
# application needs, and the server and the worker connect as DATABASE_APP_URL's role, which owns
# nothing and so cannot drop the ledger's append-only triggers (docs/scaling.md).
serve: install
	$(PROD) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(PROD) $(BIN)/python manage.py migrate --noinput
	if [ -n "$$DATABASE_APP_URL" ]; then $(PROD) $(BIN)/python manage.py db_app_role $(APP_ROLE); fi
	export DATABASE_URL="$${DATABASE_APP_URL:-$$DATABASE_URL}"; \
	$(PROD) $(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PROD) $(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Runs the suite against the local PostgreSQL server.
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/python -m pytest $(PYTEST_ARGS)

# Measures the ledger's write and read paths against raw PostgreSQL, in one run on this machine
# (docs/scaling.md, "Benchmark (make bench)"): writes bench/results/ledger_bench.json and the
# table in docs/scaling.md. Needs the local PostgreSQL (PGHOST, PGPORT, PGUSER; it drops and makes
# the databases kwamdee_bench and kwamdee_bench_raw). About 8 minutes on 2 cores; not run by CI.
# Sizes: BENCH_PEOPLE (100000), BENCH_DEEDS (3 a person), BENCH_ROUNDS (3), BENCH_SECONDS (8).
bench: install
	$(BIN)/python bench/ledger_bench.py

# Closes an activity of 1,000 participants through the real service against raw PostgreSQL
# inserts of the same rows (docs/scaling.md, "Closing an activity"): writes
# bench/results/activity_close.json and its table in docs/scaling.md. Drops and makes the database
# kwamdee_bench_activity. About 4 minutes on 2 cores; not run by CI. BENCH_PARTICIPANTS (1000),
# BENCH_ROUNDS (3); `--profile` (run the script by hand) adds a cProfile of one more close.
bench-activity: install
	$(BIN)/python bench/activity_close.py

lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy kwamdee

clean:
	rm -rf $(VENV) var/*.sqlite3*
