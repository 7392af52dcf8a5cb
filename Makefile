# make run   : set up .venv and run the whole pipeline on the demo corpus (output: reports/)
# make test  : set up .venv and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test demo lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: install
	$(BIN)/asaqda run --cores 2

test: install
	$(BIN)/python -m pytest -q

demo: install
	$(BIN)/asaqda demo --scale demo --seed 2024 --out data/demo

lint: install
	$(BIN)/ruff check src tests benchmarks workflow/scripts
	$(BIN)/ruff format --check src tests benchmarks workflow/scripts
	$(BIN)/snakefmt --check Snakefile workflow

bench: install
	$(BIN)/python benchmarks/import_full.py

clean:
	rm -rf reports/tables reports/figures reports/codebook reports/qualitaet reports/interim reports/logs reports/.snakemake
