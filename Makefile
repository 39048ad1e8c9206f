# planingest: `make ingest` (samples/ -> output/), `make test`, `make bench`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
IN     ?= samples
OUT    ?= output
WORKERS ?=

.PHONY: help venv ingest test test-fast lint check bench bench-ocr clean

help:  ## list targets
	@grep -E '^[a-z]+:.*##' Makefile | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,lint,ray,msg]'
	touch $@

venv: $(VENV)/.installed  ## create .venv and install the package with test tools

ingest: venv  ## run the pipeline on $(IN) into $(OUT)
	$(VENV)/bin/planingest run $(IN) --out $(OUT) $(if $(WORKERS),--workers $(WORKERS))

test: venv  ## run the full test suite (what CI runs)
	$(PY) -m pytest

test-fast: venv  ## the quick loop: everything but the tests marked slow (under a minute)
	$(PY) -m pytest -m "not slow"

lint: venv  ## ruff, mypy on core and run, and the import-layer contracts (pyproject.toml)
	$(VENV)/bin/ruff check planingest tests tools bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

check: ingest  ## run, then check output against the data contract
	$(PY) ../shared/tools/check_contract.py $(OUT)

$(VENV)/.bench: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test,bench]'
	touch $@

bench: $(VENV)/.bench  ## ~1,000 documents built from samples/ through the pipeline, then every other format, then the Ray executor, then a 40-page scan by 1 and 2 workers; writes BENCHMARKS.md (BENCH_N=…)
	$(PY) -m bench.run
	$(PY) -m bench.formats
	$(PY) -m bench.ray_executor
	$(PY) -m bench.long_scan

bench-ocr: $(VENV)/.bench  ## OCR engines and settings side by side on samples/scanned (s/page, peak RSS, accuracy) → BENCHMARKS.md
	$(PY) -m bench.ocr_engines

clean:  ## remove the virtualenv and generated output
	rm -rf $(VENV) $(OUT)/*.parquet $(OUT)/.state bench/work
