# The README's two commands: `make run` and `make test`. Both build the virtualenv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test bench clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## run: install, build the knowledge-base index once, and serve the web app on 127.0.0.1:8000
run: $(STAMP)
	$(BIN)/dxatlas index build
	$(BIN)/dxatlas serve --host 127.0.0.1 --port 8000

## demo: a short tour of the command line on the shipped data
demo: $(STAMP)
	$(BIN)/dxatlas index build
	$(BIN)/dxatlas demo

## chromium: Debian's Chromium for the browser tests, installed when missing (as root, or with
## sudo); otherwise the browser tests skip and say why. Playwright drives it: no browser download.
CHROMIUM := /usr/bin/chromium
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| echo "chromium could not be installed: the browser tests will skip"; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		(sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| echo "chromium could not be installed: the browser tests will skip"; \
	else echo "$(CHROMIUM) is missing and this user cannot install it: the browser tests will skip"; fi

## test: install with test extras (and Chromium) and run the whole test suite
test: $(STAMP) chromium
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest

## bench: install the benchmark peers and run every benchmark (not part of `make test`)
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	bash bench/run_all.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
