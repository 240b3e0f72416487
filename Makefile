# copydesk: the two commands a new user needs are `make run` and `make test`.
# Both work on a fresh clone with Python 3.11, Java 17+ and Maven (or apt-get) available.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint lock bench languagetool clean

## Run the service on http://127.0.0.1:8000 (starts its own LanguageTool server).
run: $(VENV)/.runtime languagetool
	$(BIN)/gunicorn -c python:service.gunicorn_conf

## Run the whole test suite against a real LanguageTool server.
test: $(VENV)/.dev languagetool
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check service tests bench training

## Fetch the pinned LanguageTool server from Maven Central (once).
languagetool:
	scripts/fetch-languagetool

## Regenerate the lock files after changing pyproject.toml.
lock: $(VENV)/.dev
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --extra dev --no-emit-index-url -o requirements-dev.lock pyproject.toml

bench: $(VENV)/.dev
	$(BIN)/python -m bench.rules
	$(BIN)/python -m bench.false_positives

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# The project itself is installed editable (no dependencies: the lock files pin those) so
# that the `copydesk` command exists and runs this checkout.
$(VENV)/.runtime: requirements.lock pyproject.toml | $(VENV)/bin/python
	scripts/install-python-deps $(BIN)/python requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev: requirements-dev.lock pyproject.toml | $(VENV)/bin/python
	scripts/install-python-deps $(BIN)/python requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.runtime

clean:
	rm -rf $(VENV) .cache .pytest_cache
