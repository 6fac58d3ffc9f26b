# `make run` serves the site on http://127.0.0.1:8000 (embedded Redis unless REDIS_URL is set).
# `make moderator EMAIL=you@example.org` creates an owner account (asks for its password).
# `make test` runs ruff and the whole test suite (installs Chromium through apt when missing).
# `make test-fast` runs ruff and the tests that are not slow, browser or Redis Cluster runs.
# `make image` builds the container image with podman; `make image-test` also runs it (README).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run moderator image image-test image-tools test test-fast lint browser luacheck bench clean translations catalogs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.image-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[image]'
	touch $@ $(VENV)/.run-installed

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

# The store's Lua scripts are linted by a test (tests/moderation/test_store_scripts.py).
luacheck:
	@sh scripts/apt-ensure.sh /usr/bin/luacheck lua-check

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

# The store, queue, CAPTCHA, API, limits and worker tests (marked `cluster`)
# run again on a real three-master Redis Cluster: the same code, hash tags only.
test: $(VENV)/.test-installed translations browser luacheck lint
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

# The image, built by podman from Debian stand-ins of its base images (no
# Docker engine or registry here; see README, Deploy and scale). The image
# store lives in IMAGE_WORK (default: a folder under /tmp, one per checkout).
IMAGE ?= localhost/moderation:latest

image-tools:
	@for tool in podman:podman runc:runc slirp4netns:slirp4netns mmdebstrap:mmdebstrap \
	    newuidmap:uidmap fuse-overlayfs:fuse-overlayfs redis-server:redis-server; do \
	    sh scripts/apt-ensure.sh "$$(command -v $${tool%%:*} || echo /usr/bin/$${tool%%:*})" "$${tool##*:}" || exit 1; \
	done

image: image-tools
	sh scripts/image-base.sh
	. scripts/podman-env.sh && podman build --quiet --tag $(IMAGE) .

# The image on its own against a Redis, then docker-compose.yml with three workers.
image-test: image $(VENV)/.image-installed
	. scripts/podman-env.sh && IMAGE=$(IMAGE) $(BIN)/python scripts/image_test.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
