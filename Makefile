# The course's commands. `make lab` opens the course; `make test` runs every test.
# Both create the virtual environment .venv on first use and reuse it afterwards.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# torch's CPU build (about 750 MB instead of several GB of CUDA packages on Linux).
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
TORCH_PIN := $(shell grep '^torch==' requirements.txt)
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
# jupyter refuses to run as root unless told to (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL := --nbval --nbval-sanitize-with tests/sanitize.cfg --nbval-current-env

.PHONY: setup lab app test test-fast test-portability data notebooks benchmark clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-test.txt pyproject.toml binder/overrides.json
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment." \
	  "On Debian/Ubuntu: sudo apt-get install python3-venv, then run make again."; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --retries 1 --no-deps --extra-index-url $(TORCH_INDEX) "$(TORCH_PIN)"
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-test.txt
	$(BIN)/pip install --quiet --no-deps -e .
	mkdir -p $(LAB_SETTINGS)
	cp binder/overrides.json $(LAB_SETTINGS)/overrides.json
	touch $@

## lab: set up (first time) and open the course in JupyterLab on 127.0.0.1 with a token
lab: setup
	$(BIN)/jupyter lab --ip=127.0.0.1 $(ROOT_FLAG) README.md

## app: every demo as a Voila page (no code on screen) for projecting: http://127.0.0.1:8866/
app: setup
	$(BIN)/python scripts/app.py

## test: set up (first time) and run every test: utils, notebook pairing, nbval, browser,
## then nbval again under other CPU kernels and one thread (scripts/portability.py)
test: setup
	@$(BIN)/python -m pytest tests units $(NBVAL) -q; rc=$$?; \
	if [ $$rc = 5 ]; then echo "pytest collected no tests: that is a failure here."; fi; \
	$(BIN)/python scripts/portability.py; rc2=$$?; \
	if [ $$rc != 0 ] || [ $$rc2 != 0 ]; then echo "make test: FAILED (pytest $$rc, portability $$rc2)"; exit 1; fi

## test-fast: the same without the portability runs (while writing a lesson)
test-fast: setup
	@$(BIN)/python -m pytest tests units $(NBVAL) -q

## test-portability: only the notebooks, under other CPU kernels and one thread
test-portability: setup
	$(BIN)/python scripts/portability.py

## data: download (or find) every data set now, to work offline later
data: setup
	$(BIN)/python -m utils.data

## notebooks: re-execute every notebook whose .py is newer (or NB=path/to/notebook.py)
notebooks: setup
	$(BIN)/python scripts/execute_notebooks.py $(NB)

## benchmark: time and peak memory of every notebook -> scripts/benchmark_results.md
benchmark: setup
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf $(VENV)
