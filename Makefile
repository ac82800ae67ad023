# Two entry points for a fresh machine (Python 3.11+ with venv, a C compiler and the Python
# headers: durable-rules has no binary wheels, so installing it compiles its C extension):
#   make demo   set up .venv, create a sample athlete with weeks of history, propose a session
#   make test   set up .venv and run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= $(CURDIR)/demo.db

NEEDS := coach needs Python 3.11+ with venv, and a C compiler plus Python headers for durable-rules' extension. Debian/Ubuntu: sudo apt-get install python3-venv python3-dev build-essential. macOS: xcode-select --install.

.PHONY: setup check-build-tools demo test bench clean

setup: $(STAMP)

# Fails early, with what to install, instead of deep inside pip's compiler output.
check-build-tools:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	  || { echo "$(PYTHON) is missing or older than 3.11. $(NEEDS)" >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null \
	  || { echo "$(PYTHON) has no venv module. $(NEEDS)" >&2; exit 1; }
	@command -v $(firstword $(CC)) >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 \
	  || command -v gcc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1 \
	  || { echo "No C compiler found (tried $(firstword $(CC)), cc, gcc, clang). $(NEEDS)" >&2; exit 1; }
	@$(PYTHON) -c 'import os, sys, sysconfig; sys.exit(not os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
	  || { echo "No Python headers (Python.h) for $(PYTHON). $(NEEDS)" >&2; exit 1; }

# PYTHONWARNINGS: setuptools prints an information note ("Editable installation.") on every
# editable install of a package-dir layout; it is not a warning about this project.
$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory check-build-tools PYTHON="$(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[test]'
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
