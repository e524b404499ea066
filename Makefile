# CNNs Demystified - the two commands of the README, plus a few conveniences.
#   make book   build the website into _build/html (sets everything up first)
#   make test   unit tests, nbval over every chapter, the -W site build, browser tests
#   make lab    JupyterLab on 127.0.0.1 with a token, opened on chapters/
#   make bench  benchmarks (a few minutes): one table of ratios, JSON in benchmarks/results/,
#               then re-executes the appendix page that renders them.
#               make bench FULL=1 adds make test cold/warm, the site build and nbval twice (slow)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book test lab clean system-deps bench execute

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Debian's Chromium drives the browser tests (Playwright's own browser download fails offline).
system-deps:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "chromium is missing: run 'sudo apt-get install -y chromium' (needed by the browser tests)"; exit 1; fi; \
	fi

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "Built: $(CURDIR)/_build/html/index.html"
	@echo "Serve it locally (offline works):  $(BIN)/python -m http.server -d _build/html -b 127.0.0.1 8000"
	@echo "then open http://127.0.0.1:8000/"

test: $(STAMP) system-deps
	rm -rf _build
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python -m pytest tests chapters \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(if $(FULL),--full) --make "$(MAKE)"
	$(BIN)/python scripts/execute.py chapters/90_performance_notes.ipynb

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR) \
	  --LabApp.default_url=/lab/tree/chapters

# Re-execute chapters in place after changing helpers (NB=chapters/xx.ipynb for one).
execute: $(STAMP)
	$(BIN)/python scripts/execute.py $(NB)

clean:
	rm -rf _build
