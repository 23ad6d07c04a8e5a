# factcheck: every command a newcomer or CI needs. `make run` and `make test` do all the setup.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
HOST ?= 127.0.0.1
PORT ?= 8000

# Tests run with DEBUG off, like production; these are test-only values, never secrets.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-insecure-test-only-key} \
	FACTCHECK_SITE_URL=$${FACTCHECK_SITE_URL:-https://factcheck.example.org}
# The site's canonical URL (JSON-LD, feeds, sitemap, embed code) follows where `make run` serves
# unless FACTCHECK_SITE_URL says otherwise (0.0.0.0 listens everywhere; links use 127.0.0.1).
SITE_HOST = $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST))
DEV_ENV = DEBUG=$${DEBUG:-1} FACTCHECK_SITE_URL=$${FACTCHECK_SITE_URL:-http://$(SITE_HOST):$(PORT)}

.DEFAULT_GOAL := help
.PHONY: help install run serve worker migrate demo test lint format lock bench bench-feed bench-throughput bench-import bench-search bench-matching-latency bench-matching clean

help:
	@echo "make run    set up everything (venv, dependencies, database, demo data) and serve on http://$(HOST):$(PORT)/"
	@echo "make test   run the test suite (SQLite; PostgreSQL when DATABASE_URL points at it)"
	@echo "make worker run the task-queue worker (matching's embeddings), as in production"
	@echo "make lint   ruff, ruff format --check, mypy, makemigrations --check, import contracts"
	@echo "make bench  benchmarks: feed memory and query timings, public read throughput, imports,"
	@echo "            reader search and its latency, claim matching on CLEF-2020 and at 1M claims"
	@echo "            (PostgreSQL and wrk;"
	@echo "            BENCH_ARGS=\"--reviews 1000000\" for 1M throughput)"
	@echo "make lock   re-pin requirements*.lock from pyproject.toml"
	@echo "make clean  remove the virtual environment and the local SQLite database"

$(STAMP): requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	@$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

demo: migrate
	@$(DEV_ENV) $(BIN)/python manage.py load_demo

run: demo
	@echo ""
	@echo "  Reader site:  http://$(HOST):$(PORT)/"
	@echo "  Newsroom:     http://$(HOST):$(PORT)/admin/   (sign in with a demo account above)"
	@echo "  API docs:     http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	@# The task-queue worker (matching's embeddings) runs beside the development server, in
	@# the background, and is stopped when the server stops (Ctrl-C or any other exit).
	@$(DEV_ENV) $(BIN)/python manage.py db_worker --no-startup-delay --no-reload & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production: one or more of these beside the app servers, on any machine that reaches the
# database (the queue is a table there; each task is claimed by one worker).
worker: $(STAMP)
	$(BIN)/python manage.py db_worker

serve: $(STAMP)
	$(BIN)/python manage.py collectstatic --no-input
	@# Without REDIS_URL the cache (page cache, validators, throttle) lives in each process, so
	@# several workers would disagree: one worker unless Redis is shared (see claims/checks.py).
	$(BIN)/gunicorn factcheck.wsgi --bind $(HOST):$(PORT) \
		--workers $${WEB_CONCURRENCY:-$$(if [ -n "$$REDIS_URL" ]; then echo 2; else echo 1; fi)}

test: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Not part of `make test`. `make bench` runs all five (bench-matching is described below):
# - bench-feed: seeds a scratch database (SQLite, or BENCH_DATABASE_URL=postgres://...) with
#   100,000 reviews and reports the DataFeed's peak memory and public API timings
#   (FEED_BENCH_ARGS="--reviews N --checkpoint M").
# - bench-throughput: seeds (or reuses) a PostgreSQL database (factcheck_bench_<reviews> on
#   127.0.0.1, or BENCH_THROUGHPUT_DATABASE_URL), serves one gunicorn worker and loads the public
#   endpoints with wrk, as ratios to a raw values()+orjson view measured in the same run, then
#   checks what must not grow with the table. BENCH_ARGS="--reviews 1000000" for the 1M run;
#   `.venv/bin/python benchmarks/throughput.py --help` lists the rest (--duration, --repeat...).
# - bench-import: ClaimReview import throughput into PostgreSQL beside a raw bulk insert of the
#   same rows, and the peak RSS of importing a generated 1 GB DataFeed against a 10 MB one
#   (IMPORT_BENCH_ARGS="--records N --big-mb M --small-mb S"; BENCH_IMPORT_DATABASE_URL).
# - bench-search: seeds (or reuses) a PostgreSQL database (factcheck_bench_search_<reviews>, or
#   BENCH_SEARCH_DATABASE_URL) with 1,000,000 reviews and probe words of known frequencies, and
#   times the reader search, claims:search and the API's q (p50, p99) beside the raw tsquery
#   count, and the LIKE search it replaced (SEARCH_BENCH_ARGS="--reviews N --runs N").
# - bench-matching-latency: in the same database, matching's index of every claim with synthetic
#   vectors (filled once), and the top-10 latency of similar_claims() beside the raw pgvector
#   HNSW query measured in the same run (MATCHING_LATENCY_ARGS="--reviews N --runs N").
bench: bench-feed bench-throughput bench-import bench-search bench-matching-latency bench-matching

# CLEF-2020 CheckThat! Task 2 (../shared/vendor-data/clef2020-task2): MAP@5 of the matching
# service (similar_claims) on the dev and train tweets, beside BM25 alone and embeddings alone
# measured in the same run; target 0.85, exit status 1 on a miss. PostgreSQL with pgvector: a
# scratch test_factcheck_bench_matching on 127.0.0.1, or the test_ twin of
# BENCH_MATCHING_DATABASE_URL. The vectors of the 10k verified claims are cached under
# BENCH_CACHE_DIR (default /tmp) after the first run (about 15 minutes of embedding);
# MATCHING_BENCH_ARGS="--fit" refits the words' weight and the calibrations on train.
bench-matching: $(STAMP)
	$(BIN)/python benchmarks/clef_matching.py $(MATCHING_BENCH_ARGS)

bench-feed: $(STAMP)
	$(TEST_ENV) $(BIN)/python benchmarks/feed_memory.py $(FEED_BENCH_ARGS)

bench-throughput: $(STAMP)
	$(BIN)/python benchmarks/throughput.py $(BENCH_ARGS)

bench-import: $(STAMP)
	$(TEST_ENV) $(BIN)/python benchmarks/import_bench.py $(IMPORT_BENCH_ARGS)

bench-search: $(STAMP)
	$(BIN)/python benchmarks/search.py $(SEARCH_BENCH_ARGS)

bench-matching-latency: $(STAMP)
	$(BIN)/python benchmarks/matching_latency.py $(MATCHING_LATENCY_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(STAMP)
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
