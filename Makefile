# `make` sets up .venv (if missing) and runs the main job; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: all main test install clean

all: main

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[maintainer,test,bench]'
	touch $(STAMP)

install: $(STAMP)

main: $(STAMP)
	$(BIN)/kzcn validate
	$(BIN)/python -c "import kzcn; t = kzcn.load_package(); print({k: len(v) for k, v in t.items()})"

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf build dist .pytest_cache
