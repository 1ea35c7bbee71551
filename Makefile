# The README's two commands: `make run` and `make test`. Both build the virtualenv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test bench clean

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

## test: install with test extras and run the whole test suite
test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest

## bench: install the benchmark peers and run every benchmark (not part of `make test`)
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	bash bench/run_all.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
