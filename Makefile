# `make run` serves the site on http://127.0.0.1:8000 (embedded Redis unless REDIS_URL is set).
# `make moderator EMAIL=you@example.org` creates an owner account (asks for its password).
# `make test` runs ruff and the whole test suite (installs Chromium through apt when missing).
# `make image-test` builds the container image with podman and smoke-tests it and compose.
# `make test-fast` runs ruff and the tests that are not slow, browser or Redis Cluster runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run moderator test test-fast lint browser luacheck nginx bench clean translations catalogs image image-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.run-installed

# Compiled catalogs are built, never committed: the .po files are the source.
translations: $(VENV)/.run-installed
	$(BIN)/pybabel compile --domain messages --directory moderation/translations --statistics

# After changing user-facing strings: extract them and merge into both catalogs,
# then translate the new entries of the French one (see README, Languages).
catalogs: $(VENV)/.run-installed
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords _l --keywords lazy_gettext \
		--no-location --sort-output --project moderation --copyright-holder "" \
		--msgid-bugs-address "" --output-file moderation/translations/messages.pot .
	$(BIN)/pybabel update --input-file moderation/translations/messages.pot \
		--output-dir moderation/translations --domain messages --no-fuzzy-matching \
		--ignore-obsolete

run: $(VENV)/.run-installed translations
	$(BIN)/moderation serve --host $(HOST) --port $(PORT)

# Uses the embedded Redis of a running `make run`, or starts it for the command.
moderator: $(VENV)/.run-installed
	@test -n "$(EMAIL)" || { echo "usage: make moderator EMAIL=you@example.org" >&2; exit 2; }
	$(BIN)/moderation moderator add "$(EMAIL)" --owner

browser:
	@sh scripts/apt-ensure.sh /usr/bin/chromium chromium

# tests/moderation/test_nginx.py puts Debian's nginx, with deploy/nginx.conf,
# in front of the app (gzip on, revalidation through it).
nginx:
	@sh scripts/apt-ensure.sh /usr/sbin/nginx nginx

# The store's Lua scripts are linted by a test (tests/moderation/test_store_scripts.py).
luacheck:
	@sh scripts/apt-ensure.sh /usr/bin/luacheck lua-check

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

# The store, queue, CAPTCHA, API, limits and worker tests (marked `cluster`)
# run again on a real three-master Redis Cluster: the same code, hash tags only.
test: $(VENV)/.test-installed translations browser luacheck nginx lint
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest -q --redis-cluster -m cluster

# Under a minute: one redis-server, no process of ours (marked `slow`: gunicorn,
# workers, the fault and scale suites), no Chromium, no Redis Cluster pass.
test-fast: $(VENV)/.test-installed translations luacheck lint
	$(BIN)/python -m pytest -q -m "not slow and not browser"

# Every figure of the benchmark contract (about 3 minutes; QUICK=1 for under 2).
bench: $(VENV)/.test-installed translations
	@sh scripts/apt-ensure.sh /usr/bin/wrk wrk
	$(BIN)/python -m bench $(if $(QUICK),--quick)

# The Dockerfile built by Debian's podman, on local stand-ins of its base images
# where no registry is reachable (scripts/image.sh says how).
image:
	sh scripts/image.sh build

# The image run against a real Redis (health, non-root, SIGTERM), then
# docker-compose.yml with three workers; about 3 minutes from an empty store.
image-test: $(VENV)/.test-installed
	sh scripts/image.sh test

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
