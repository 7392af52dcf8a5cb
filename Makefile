# make run   : set up .venv and run the whole pipeline on the demo corpus (output: reports/)
# make test  : set up .venv and run the test suite
# make test-fast : the tests without pipeline runs (no test marked slow)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast demo lint bench clean office

install: $(STAMP)

# BERTopic is installed without its dependencies: they would pull sentence-transformers and a
# CUDA build of torch (6 GB). asaqda passes its own embeddings; BERTopic's other dependencies
# (umap-learn, hdbscan, plotly, tqdm, PyYAML) are in pyproject.toml.
$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps "bertopic>=0.17.4"
	touch $(STAMP)

run: install
	$(BIN)/asaqda run --cores 2

# two test processes, each test file in one of them (the pipeline runs of one file share a
# module fixture); the pipeline runs spend much of their time on one core
test: install
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

test-fast: install
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not slow"

demo: install
	$(BIN)/asaqda demo --scale demo --seed 2024 --output data/demo

lint: install
	$(BIN)/ruff check src tests benchmarks workflow/scripts
	$(BIN)/ruff format --check src tests benchmarks workflow/scripts
	$(BIN)/snakefmt --check Snakefile workflow

# LibreOffice headless, Arial-compatible fonts and pdftotext for the PDF test of the report
office:
	command -v soffice >/dev/null && command -v pdftotext >/dev/null || { apt-get update && \
	  apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation2 poppler-utils; }

bench: install
	$(BIN)/python benchmarks/import_full.py

clean:
	rm -rf reports/tables reports/figures reports/codebook reports/qualitaet reports/interim reports/logs reports/.snakemake reports/induktiv reports/review reports/vorcodierung reports/maxqda reports/bericht.*
