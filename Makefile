# Build, test and serve the book.
# Every tool is called through .venv/bin/..., so nothing needs to be activated first.
# On a fresh clone the first target you run creates .venv and installs requirements.txt.

SHELL := bash

# The chapters run small matrices: one BLAS thread per notebook beats two threads fighting over
# two cores (nbval runs two notebooks at once). Readers running a notebook elsewhere keep their own.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html
PORT   ?= 8000

.PHONY: help venv book test lint serve clean strip cache-check browser-deps

help:
	@echo "make book    build the HTML book (runs the notebooks, cached) into $(HTML)/"
	@echo "make test    unit + repository tests and lint, run every notebook (nbval),"
	@echo "             strict book build (-W -n), then checks on the built HTML"
	@echo "make serve   serve $(HTML)/ on http://127.0.0.1:$(PORT)/"
	@echo "make lint    ruff check ."
	@echo "make strip   remove outputs, execution counts and widget state from chapters/*.ipynb"
	@echo "make clean   remove _build/ and tool caches (keeps .venv)"

# The virtual environment. Re-installed only when requirements.txt or pyproject.toml change.
venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -r requirements.txt
	@touch $@

# jupyter-cache (and Sphinx) re-run a notebook only when the notebook itself changes, not when
# optlib, optbook, a data file the chapters read or a test fixture they load changes. So the cache remembers a hash of those files;
# when it differs, the cache and Sphinx's saved environment are emptied and every notebook runs
# again, so that every number in the book comes from the current code.
JCACHE := _build/.jupyter_cache
cache-check:
	@h=$$(find optlib optbook chapters tests/fixtures -type f ! -name '*.ipynb' ! -name '*.md' \
	      ! -path '*/__pycache__/*' ! -path '*/.ipynb_checkpoints/*' 2>/dev/null \
	      | LC_ALL=C sort | xargs -r sha256sum | sha256sum | cut -c1-16); \
	if [ "$$(cat $(JCACHE)/.sources 2>/dev/null)" != "$$h" ]; then \
	  if [ -d $(JCACHE) ]; then echo "optlib or chapter data changed: emptying $(JCACHE)"; fi; \
	  rm -rf $(JCACHE) _build/.doctrees; mkdir -p $(JCACHE); echo "$$h" > $(JCACHE)/.sources; \
	fi

book: $(STAMP) cache-check
	$(BIN)/jupyter-book build .
	@echo
	@echo "The book is at: $(CURDIR)/$(HTML)/index.html"

# Runs the checks in order and stops at the first failure.
# --all in the strict build re-reads every page, so warnings from pages that an earlier
# `make book` already built are reported again (notebook outputs still come from the cache).
# Old execution-failure reports are removed first so that step 4 sees only this build's.
test: $(STAMP) cache-check
	@echo "==> [1/4] unit, property and repository tests; lint"
	$(BIN)/python -m pytest -n 2 tests --ignore=tests/built
	$(BIN)/ruff check .
	@echo "==> [2/4] every notebook runs top to bottom (nbval, lax, on both cores)"
	@# optbook.nbval_cache stores each notebook that ran without an error in the execution
	@# cache, so that step 3 shows these outputs instead of running every notebook again.
	@rc=0; $(BIN)/python -m pytest -n 2 --dist loadfile -p optbook.nbval_cache \
	  --nbval-cache-dir=$(JCACHE) --nbval-lax --nbval-current-env chapters/ || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "No notebooks in chapters/ yet: nothing for nbval to run."; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi
	@echo "==> [3/4] strict book build"
	@$(MAKE) --no-print-directory browser-deps
	rm -rf $(HTML)/reports
	$(BIN)/jupyter-book build . --all -W -n --keep-going
	@echo "==> [4/4] checks on the built HTML, and every page in headless Chromium (offline)"
	OPTBOOK_REQUIRE_BUILD=1 $(BIN)/python -m pytest -n 2 --dist loadfile tests/built

# What the strict build and the browser tests need besides Python:
# - Noto Sans CJK (Debian's fonts-noto-cjk): the build cuts the book's Chinese characters out
#   of it (optbook/sphinx.py), and the screenshots show them as a reader sees them;
# - Chromium and its driver; OPTBOOK_CHROME (and OPTBOOK_CHROMEDRIVER) name another Chrome
#   instead, as on GitHub's runners;
# - axe-core from npm, pinned in tests/built/package-lock.json (into tests/built/node_modules).
browser-deps:
	@{ [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] && \
	   { [ -n "$${OPTBOOK_CHROME:-}" ] || { command -v chromium && command -v chromedriver; }; }; \
	 } >/dev/null || \
	  { DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk \
	      $$([ -n "$${OPTBOOK_CHROME:-}" ] || echo chromium chromium-driver); } || \
	  { [ -z "$${CI:-}" ] && echo "chromium or the CJK font could not be installed."; }
	@[ -f tests/built/node_modules/axe-core/axe.min.js ] || \
	  npm ci --prefix tests/built --no-audit --no-fund --loglevel=error || \
	  { [ -z "$${CI:-}" ] && echo "npm could not install axe-core: its checks will skip."; }

lint: $(STAMP)
	$(BIN)/ruff check .

serve:
	@test -f $(HTML)/index.html || { echo "Nothing to serve yet: run 'make book' first." >&2; exit 1; }
	@echo "Serving $(HTML)/ on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

clean:
	rm -rf _build .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

define STRIP_PY
import sys
import nbformat
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(nb, path)
    print("stripped", path)
endef
export STRIP_PY

NOTEBOOKS := $(wildcard chapters/*.ipynb)

strip: $(STAMP)
ifeq ($(NOTEBOOKS),)
	@echo "No notebooks in chapters/."
else
	$(BIN)/python -c "$$STRIP_PY" $(NOTEBOOKS)
endif
