# Offcut: every target installs what it needs by itself, from the registries only.
#   make test   set everything up from nothing and run every test
#   make run    run the product
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export OFFCUT_HOME := $(CURDIR)/.cache
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup system-deps models test test-unit test-js lint package run bench bench-browser eval eval-v2 calibrate docs clean

help:
	@echo "make test   install everything needed and run all tests (lint and JS unit tests included)"
	@echo "make run    run Offcut on the sample photos"
	@echo "make build  assemble dist/, the unpacked Chrome extension"
	@echo "make models fetch and verify the model files"
	@echo "make eval   measure cutout quality on ../shared/eval against the peers"
	@echo "make eval-v2  the same on eval v2's report half (HALF=tune for the other), with intervals"
	@echo "make bench  native timings (12 MP photo, every model, PNG writer vs Pillow)"
	@echo "make bench-browser  Offcut vs @imgly/background-removal in one headless Chromium (1 and 12 MP)"
	@echo "make calibrate  recompute the int8 activation ranges (tune half of ../shared/eval/v2; committed)"
	@echo "make docs   redraw docs/before-after.png"

# Debian's Chromium drives the browser tests; nothing downloads a browser.
system-deps:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: system-deps $(VENV)/.installed node_modules/.installed

models: $(VENV)/.installed node_modules/.installed
	$(PY) build/fetch_models.py

test: setup models build lint test-js
	$(PY) -m pytest

# ruff for Python, ESLint for the extension's JavaScript.
lint: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/ruff check core_py tests build bench
	npx --no-install eslint extension tests/js build/*.mjs eslint.config.mjs

# Unit tests of the pure JavaScript modules, with Node's built-in runner.
test-js: node_modules/.installed
	node --test tests/js/

test-unit: $(VENV)/.installed
	$(PY) -m pytest tests/unit

# dist/: the unpacked MV3 extension (Load unpacked in chrome://extensions).
build: $(VENV)/.installed node_modules/.installed models
	$(PY) build/build_extension.py

# The zip an extension store takes (out/offcut-<version>.zip), with its size and dist/'s.
package: build
	$(PY) build/package_extension.py

# Chromium with the extension on a demo page; without $$DISPLAY, the same
# right-click flow runs headless on the demo photos and writes out/.
run: system-deps build
	$(PY) build/run_extension.py --out out

# Cutout quality against ground truth (../shared/eval by default), beside the peers' methods.
EVAL_MANIFEST ?= ../shared/eval/manifest.json
eval: $(VENV)/.installed models
	@mkdir -p out/eval
	$(VENV)/bin/offcut eval $(EVAL_MANIFEST) --sheet out/eval/contact-sheet.png

# The same on eval v2 (328 pairs: ECSSD masks, alphamatting.com mattes, remove.bg's people masks), the
# report half only: the half no constant was tuned on. The peers' alphas are cached in out/eval/cache.
EVAL_V2 ?= ../shared/eval/v2
HALF ?= report
eval-v2: $(VENV)/.installed models
	@mkdir -p out/eval
	$(VENV)/bin/offcut eval $(EVAL_V2)/manifest.json $(EVAL_V2)/people-removebg.json --half $(HALF) \
		--sheet out/eval/v2-$(HALF)-worst.png | tee out/eval/v2-$(HALF).txt

# The int8 activation ranges of the default's ISNet (graph/calibration/*.json, committed),
# from photos of the tune half of ../shared/eval/v2 only. Rerun when the network or its grid changes.
calibrate: $(VENV)/.installed models
	$(PY) -m offcut.eval.calibrate --manifest ../shared/eval/v2/manifest.json \
		--manifest ../shared/eval/v2/people-removebg.json

# The README's pictures: before/after from a public-domain scikit-image photo,
# and the popup and results page taken from the built extension.
docs: system-deps build
	$(PY) -m offcut.eval.before_after docs/before-after.png
	$(PY) build/screenshots.py docs

clean:
	rm -rf dist out .pytest_cache

bench: $(VENV)/.installed models
	$(PY) bench/native.py

# Offcut's extension against the peer, same photos, one browser, runs alternating (figures, not a test).
bench-browser: $(VENV)/.installed node_modules/.installed build
	$(PY) -m bench.browser
