# `make` sets up .venv (if missing) and runs the pipeline; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# cffconvert (CITATION.cff's validator) pins jsonschema<4, frictionless needs >=4.20: its own venv.
CFF_VENV := $(VENV)/cffconvert
# pytest-xdist workers: one per core (`make test TEST_WORKERS=1` runs them one by one).
TEST_WORKERS ?= auto
export DVC_NO_ANALYTICS := 1

.PHONY: all main test chromium install report registry bench recall clean

all: main

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[maintainer,test,dask]'
	test -x $(CFF_VENV)/bin/python || $(PYTHON) -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/python -m pip install --quiet 'cffconvert>=2,<3'
	touch $(STAMP)

install: $(STAMP)

# The main job: validate -> build -> report -> release, as recorded in dvc.yaml / dvc.lock.
main: $(STAMP)
	$(BIN)/dvc repro
	$(BIN)/dvc status

# The report tests need headless Chromium: installed first (apt-get) when it is missing.
# Tests run in parallel, one module per worker (module fixtures such as a dvc repro run once).
test: chromium $(STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadscope

chromium:
	@.ci/ensure-chromium

# The quality report alone, with a screenshot of the summary page (needs chromium).
report: $(STAMP)
	$(BIN)/kzcn report . --output build --screenshot

# After `make`, before publishing: record dist/'s release hashes in src/kzcn/registry.json.
registry: $(STAMP)
	$(BIN)/kzcn registry --update

# The scale benchmark (issues 6 and 15): every part (10k-1M rows beside frictionless, GE and the
# pyarrow floor; the repository and small packages cold; Dask; streamed 100 MB-3 GB files) in one
# run, about 30 minutes on 2 cores and 6 GB of disk; writes benchmarks/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Recall of the consistency rules on seeded mutations (benchmarks/recall/): writes benchmarks/RECALL.md.
recall: $(STAMP)
	PYTHONPATH=benchmarks $(BIN)/python -m recall.run

clean:
	rm -rf build dist .pytest_cache
