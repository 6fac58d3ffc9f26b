# `make run` serves the site on http://127.0.0.1:8000 (embedded Redis unless REDIS_URL is set).
# `make test` runs ruff and the whole test suite (installs Chromium through apt when missing).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/moderation serve --host $(HOST) --port $(PORT)

browser:
	@sh scripts/apt-ensure.sh /usr/bin/chromium chromium

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

# The store, queue, CAPTCHA, API and worker tests run again on a real
# three-master Redis Cluster: the same code, hash tags only.
CLUSTER_TESTS := tests/captcha tests/moderation/test_store.py tests/moderation/test_queue.py \
	tests/moderation/test_worker.py tests/moderation/test_api.py tests/moderation/test_limits.py

test: $(VENV)/.test-installed browser lint
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest -q --redis-cluster $(CLUSTER_TESTS)

# Every figure of the benchmark contract (about 3 minutes; QUICK=1 for under 2).
bench: $(VENV)/.test-installed
	@sh scripts/apt-ensure.sh /usr/bin/wrk wrk
	$(BIN)/python -m bench $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
