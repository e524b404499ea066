# CNNs Demystified - the two commands of the README, plus a few conveniences.
#   make book   build the website into _build/html, with its PDFs (sets everything up first)
#   make pdf    only the PDFs of the built site: _build/html/pdf/ (whole book + each chapter)
#   make test   unit tests, nbval over every chapter, the -W site build, browser tests
#   make lab    JupyterLab on 127.0.0.1 with a token, opened on chapters/
#   make live   the built site + a local Jupyter server for its "Live Code" button (127.0.0.1)
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

.PHONY: book pdf test lab live clean system-deps bench execute

# Python packages, and the browser assets the site ships instead of loading them from CDNs
# (MathJax, require.js, the ipywidgets HTML manager, Thebe: exact versions in
# site/package-lock.json, installed with `npm ci` into site/node_modules).
$(STAMP): requirements.txt pyproject.toml site/package.json site/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	cd site && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium drives the browser tests (Playwright's own browser download fails offline).
system-deps:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "chromium is missing: run 'sudo apt-get install -y chromium' (needed by the browser tests)"; exit 1; fi; \
	fi

book: $(STAMP) system-deps
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python site/pdf.py
	@echo
	@echo "Built: $(CURDIR)/_build/html/index.html"
	@echo "Serve it locally (offline works):  $(BIN)/python -m http.server -d _build/html -b 127.0.0.1 8000"
	@echo "then open http://127.0.0.1:8000/   (live code against a local kernel: make live)"

# The book as PDFs from the built site (Debian's Chromium, offline): _build/html/pdf/ holds
# the whole book (contents + one section per chapter) and one PDF per chapter.
pdf: $(STAMP) system-deps
	test -f _build/html/index.html || $(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python site/pdf.py

# One pytest run after the -W build: unit tests, nbval on every chapter, and the browser tests
# (tests/test_site_browser.py: the built site offline in Debian's Chromium, live code, JupyterLab).
test: $(STAMP) system-deps
	rm -rf _build test-artifacts
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python -m pytest tests chapters \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

# Benchmarks (not tests): one table of ratios, JSON per section in benchmarks/results/, then
# the appendix page that renders the JSON is re-executed so page and results agree.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(if $(FULL),--full) --make "$(MAKE)"
	$(BIN)/python scripts/execute.py chapters/90_performance_notes.ipynb

# JupyterLab prints its URL with a fresh random token.
lab: $(STAMP)
	$(BIN)/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR) \
	  --LabApp.default_url=/lab/tree/chapters $$([ "$$(id -u)" = 0 ] && echo --allow-root)

live: $(STAMP)
	test -f _build/html/index.html || $(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python site/live.py

# Re-execute chapters in place after changing helpers (NB=chapters/xx.ipynb for one).
execute: $(STAMP)
	$(BIN)/python scripts/execute.py $(NB)

clean:
	rm -rf _build
