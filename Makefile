# CNNs Demystified - the two commands of the README, plus a few conveniences.
#   make book   build the website into _build/html, with its PDFs (sets everything up first)
#   make pdf    only the PDFs of the built site: _build/html/pdf/ (whole book + each chapter)
#   make test   ruff, the -W site build, then ONE parallel pytest run: unit tests, nbval over
#               every chapter, browser tests
#   make lint   the quick checks alone: ruff (lint, format), and ESLint over the book's JavaScript (npm run lint)
#   make lab    JupyterLab on 127.0.0.1 with a token, opened on chapters/
#   make live   the built site + a local Jupyter server for its "Live Code" button (127.0.0.1)
#   make lock   re-resolve requirements.txt into requirements-lock.txt (UPGRADE=1: newest versions)
#   make regenerate  every derived file, in order: data/, the digit network's export and fixtures,
#               the recorded experiments, every chapter, the errata index (tens of minutes)
#   make bench  benchmarks (a few minutes): one table of ratios, JSON in benchmarks/results/,
#               then re-executes the appendix page that renders them.
#               make bench FULL=1 adds make test cold/warm, the site build and nbval twice (slow)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCK := requirements-lock.txt
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# The site build, written once. Exported: the tests (tests/conftest.py) build with it when the
# site is missing; `make print-book-build` prints it for anything run outside make.
export BOOK_BUILD := $(BIN)/jupyter-book build . -W -n --keep-going
# pytest-xdist: one worker more than there are cores (WORKERS=0 for a serial run): the browser
# tests spend part of their time waiting for Chromium, a server or a kernel, and the extra
# worker computes meanwhile. --dist loadscope: each notebook, each test module and each class of
# tests runs whole on one worker (a notebook's cells share one kernel, a module's tests its
# servers and browser; the site's page visits are four classes, so several workers share
# them); --no-loadscope-reorder: scopes are handed out in the order conftest.py sorts them, not
# by their number of tests. (--dist loadgroup would ignore xdist_group marks: pytest-xdist 3.8
# rewrites item._nodeid, which pytest 9.2 no longer reads.)
WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
# With workers, each worker and each notebook kernel it starts computes on one thread
# (TensorFlow's ops, OpenBLAS, OpenMP): the workers already keep every core busy, and more
# threads than cores only wait for each other. A serial run (WORKERS=0) keeps the defaults.
ONE_THREAD := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 TF_NUM_INTRAOP_THREADS=1
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: book pdf test lint lab live clean system-deps bench execute lock print-book-build regenerate

# Python packages from the hash-checked lock, then the book's own package (editable, no deps:
# hashes and editable installs do not mix), then the browser assets the site ships instead of
# loading them from CDNs (MathJax, require.js, Thebe: exact
# versions in site/package-lock.json, installed with `npm ci` into site/node_modules).
$(STAMP): $(LOCK) pyproject.toml site/package.json site/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	bash scripts/system-deps.sh npm
	cd site && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium (browser tests), node/npm, pdftotext: scripts/system-deps.sh, the one place.
system-deps:
	bash scripts/system-deps.sh

book: $(STAMP) system-deps
	$(BOOK_BUILD)
	$(BIN)/python site/pdf.py
	@echo
	@echo "Built: $(CURDIR)/_build/html/index.html"
	@echo "Serve it locally (offline works):  $(BIN)/python -m http.server -d _build/html -b 127.0.0.1 8000"
	@echo "then open http://127.0.0.1:8000/   (live code against a local kernel: make live)"

# The linters alone (seconds): ruff over the tree (its rules, and its format outside the notebooks), ESLint over the page JavaScript and the Node
# tests (the `lint` script of site/package.json; make test runs it as tests/test_lint_js.py).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --no-cache .
	cd site && npm run --silent lint

# The book as PDFs from the built site (Debian's Chromium, offline): _build/html/pdf/ holds
# the whole book (contents + one section per chapter) and one PDF per chapter.
pdf: $(STAMP) system-deps
	test -f _build/html/index.html || $(BOOK_BUILD)
	$(BIN)/python site/pdf.py

# ruff first (seconds), then one pytest run on every core: unit tests, nbval on every chapter,
# and the browser tests (marker `browser`: the built site offline in Debian's Chromium, live
# code, JupyterLab, the PDFs). The -W site build runs inside it (tests/conftest.py, built_site),
# on the worker that first needs the site while the other runs notebooks: a warning fails it.
test: $(STAMP) system-deps
	rm -rf _build test-artifacts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --no-cache .
	$(if $(filter-out 0,$(WORKERS)),$(ONE_THREAD)) $(BIN)/python -m pytest -n $(WORKERS) --dist loadscope --no-loadscope-reorder tests chapters $(NBVAL)

# Re-resolve the lock from requirements.txt with pip-tools (in its own venv, .venv-tools), with
# the hash of every file of every pinned version. Keeps the current pins where they still fit;
# UPGRADE=1 takes the newest versions allowed. Then `make test` and commit both files. Extras
# stay on their pins (jsonschema[format-nongpl]==...): the pip of a new venv, which installs the
# lock, otherwise looks for the newest release of a package a dependency asks for with extras,
# and --require-hashes refuses it when the pin is an older one.
lock:
	test -x $(VENV)-tools/bin/pip-compile || { $(PYTHON) -m venv $(VENV)-tools && \
	  $(VENV)-tools/bin/python -m pip install --quiet pip-tools==7.6.2; }
	grep -v '^-e ' requirements.txt | CUSTOM_COMPILE_COMMAND="make lock" \
	  $(VENV)-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras \
	  --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) --output-file $(LOCK) -
	sed -i 's/-r -$$/-r requirements.txt/' $(LOCK)

print-book-build:
	@echo '$(BOOK_BUILD)'

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
	test -f _build/html/index.html || $(BOOK_BUILD)
	$(BIN)/python site/live.py

# Everything derived, in the order each step reads the one before: the data files from the
# packages that ship them; the in-page digit network (its export and the Node fixtures: trained
# here, so another CPU gives other weights); the recorded multi-seed experiments the chapters
# show; every chapter; the errata index, which reads the executed chapters, and its page.
# Benchmarks are measurements, not derived files: `make bench` (chapter 90).
regenerate: $(STAMP)
	$(BIN)/python scripts/make_mnist_5k.py
	$(BIN)/python scripts/make_mnist_more.py
	$(BIN)/python scripts/make_mnist_4_9.py
	$(BIN)/python scripts/make_fashion_mnist.py
	$(BIN)/python scripts/make_photos.py
	$(BIN)/python scripts/export_digitnet.py
	$(ONE_THREAD) $(BIN)/python scripts/export_digitnet.py --drawn
	$(ONE_THREAD) $(BIN)/python scripts/make_cnntrain_fixtures.py
	$(BIN)/python -m benchmarks.experiments
	$(BIN)/python scripts/execute.py
	$(BIN)/python -m book.errata
	$(BIN)/python scripts/execute.py chapters/95_errata.ipynb

# Re-execute chapters in place after changing helpers (NB=chapters/xx.ipynb for one).
execute: $(STAMP)
	$(BIN)/python scripts/execute.py $(NB)

clean:
	rm -rf _build
