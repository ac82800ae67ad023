# Two entry points for a fresh machine with only Python 3.11+:
#   make demo   set up .venv, create a sample athlete with weeks of history, propose a session
#   make test   set up .venv and run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= $(CURDIR)/demo.db

.PHONY: setup demo test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: setup
	COACH_DATABASE_URL=$(DEMO_DB) $(BIN)/python -m coach.cli.demo
	COACH_DATABASE_URL=$(DEMO_DB) $(BIN)/coach history --since 14
	COACH_DATABASE_URL=$(DEMO_DB) $(BIN)/coach next

test: setup
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache demo.db
