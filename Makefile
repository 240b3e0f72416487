# copydesk: the two commands a new user needs are `make run` and `make test`.
# Both work on a fresh clone with Python 3.11, Java 17+ and Maven (or apt-get) available.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Real JavaScript clients and TypeScript tools the tests drive (npm packages, see the rule below).
CLIENTS := tests/clients
# LanguageTool's own Java client, the jar the tests run it from (see the rule below).
JAVA_CLIENT := .cache/languagetool-java-client

.PHONY: run test lint lock bench languagetool maven npm browser-deps test-services clean compose-check helm-check wheelhouse

## Run the service on http://127.0.0.1:8000 (starts its own LanguageTool server).
run: $(VENV)/.runtime languagetool
	$(BIN)/gunicorn -c python:service.gunicorn_conf

## Run the whole test suite against a real LanguageTool server, a real Chromium and real
## LanguageTool clients.
test: $(VENV)/.dev languagetool browser-deps test-services $(CLIENTS)/node_modules/.installed $(JAVA_CLIENT)/.installed
	$(BIN)/python -m pytest

## Lint the Python (ruff) and check the import direction (lint-imports, which the tests run too).
lint: $(VENV)/.dev
	$(BIN)/ruff check service tests bench training scripts/compose-check scripts/helm-check scripts/settings-table \
		scripts/readme-seed-report scripts/screenshot-playground
	$(BIN)/lint-imports

## Fetch the pinned LanguageTool server from Maven Central (once).
languagetool:
	scripts/fetch-languagetool

## Maven, for LanguageTool's Java client below: Debian's, as root, when missing (the jars of the
## server may be cached already, and then `languagetool` installs nothing).
maven:
	command -v mvn >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends maven >/dev/null)

## npm, for axe-core and the JavaScript clients below: Debian's nodejs and npm, as root, when missing.
npm:
	command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null)

## Chromium (Debian) and axe-core (npm, pinned) for the browser tests in tests/browser/.
browser-deps: npm
	scripts/install-browser-deps

## Debian's redis-server, which the shared-cache tests start on 127.0.0.1 (tests/test_shared_cache.py).
test-services:
	command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null)

## Regenerate the lock files after changing pyproject.toml.
lock: $(VENV)/.dev
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --extra dev --no-emit-index-url --no-emit-find-links -o requirements-dev.lock pyproject.toml

## Docker and Kubernetes, checked for real (README "Docker", "Kubernetes"); `make test` runs both.
# compose-check builds both images from the wheels and jars fetched here on the host (no PyPI
# or Maven inside a build), runs them with compose and scores the seed article through them.
compose-check: $(VENV)/.dev languagetool wheelhouse
	$(BIN)/python scripts/compose-check

helm-check: $(VENV)/.dev
	$(BIN)/python scripts/helm-check

# The locked runtime wheels, for Docker builds without PyPI; fetched again when the lock changes.
wheelhouse: .cache/wheelhouse/.requirements.lock
.cache/wheelhouse/.requirements.lock: requirements.lock | $(VENV)/bin/python
	rm -rf .cache/wheelhouse
	scripts/install-python-deps --download .cache/wheelhouse $(BIN)/python requirements.lock
	cp requirements.lock $@

# Real JavaScript clients of the LanguageTool-compatible API (textlint and copydesk's rule in
# examples/), driven by tests/test_lt_api.py, and openapi-typescript, tsc and Redocly's lint,
# which tests/test_typed_clients.py and tests/test_spec_for_clients.py run on openapi.yaml;
# installed from their lock file with npm.
$(CLIENTS)/node_modules/.installed: $(CLIENTS)/package.json $(CLIENTS)/package-lock.json | npm
	npm ci --prefix $(CLIENTS) --no-audit --no-fund
	touch $@

# LanguageTool's Java client (RemoteLanguageTool), driven by tests/test_lt_api.py: its jar from
# Maven Central with Maven; it runs on LanguageTool's jars.
$(JAVA_CLIENT)/.installed: $(CLIENTS)/java/pom.xml | languagetool maven
	mvn -q -B -Dstyle.color=never -f $(CLIENTS)/java/pom.xml dependency:copy-dependencies -DoutputDirectory=$(CURDIR)/$(JAVA_CLIENT) -DincludeScope=runtime
	touch $@

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
	rm -rf $(VENV) .cache .pytest_cache tests/browser/node_modules $(CLIENTS)/node_modules
