# The whole set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve editor test check lint bench clean system-deps

N       ?= 1000
REPEAT  ?= 3
BENCH_ARGS ?=

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

# The browser editor (Decap CMS, served at /admin/) and its local proxy, pinned by
# their lock file: npm installs them into the package, never a CDN at page load.
EDITOR_NPM := plugins/ogp_local/outputs/editor/npm
$(EDITOR_NPM)/node_modules/.package-lock.json: $(EDITOR_NPM)/package-lock.json
	@command -v npm >/dev/null || { echo "The browser editor needs Node.js and npm: apt-get install nodejs npm (or turn it off in mkdocs.yml: editor: {enabled: false})"; exit 1; }
	npm ci --prefix $(EDITOR_NPM) --no-audit --no-fund --loglevel=error
	touch $@

# (A copy of the site's content without the package has no editor of its own to install.)
editor: $(if $(wildcard $(EDITOR_NPM)/package-lock.json),$(EDITOR_NPM)/node_modules/.package-lock.json)  ## install the browser editor (npm ci)

site: $(VENV)/.installed editor  ## build the demo site into site/ (atomically)
	$(BIN)/ogp-local build $(if $(STRICT),--strict)

serve: $(VENV)/.installed editor  ## live preview with drafts on http://127.0.0.1:8000, the editor at /admin/
	$(BIN)/ogp-local serve

check: $(VENV)/.installed  ## validate content without building
	$(BIN)/ogp-local check

test: $(VENV)/.installed-test editor system-deps  ## run every test
	$(BIN)/python -m pytest

system-deps:  ## Debian's chromium, newsboat, caddy and nginx for the browser, feed and web-server tests
	@bash .ci/system-deps

bench: $(VENV)/.installed-test editor  ## time builds at N stories (COMPARE=1: against Material; SEARCH=1: a first search in Chromium; SERVE=1: a save in the live preview, in Chromium; LANGUAGES=es,fr: a site in several languages)
	$(BIN)/ogp-local bench $(foreach n,$(N),-n $(n)) --repeat $(REPEAT) $(if $(COMPARE),--compare) $(if $(SEARCH),--search) $(if $(SERVE),--serve) $(if $(LANGUAGES),--languages $(LANGUAGES)) $(BENCH_ARGS)

lint: $(VENV)/.installed-test  ## ruff, and the package's layers (import-linter: ARCHITECTURE.md)
	$(BIN)/ruff check plugins tests
	$(BIN)/ruff format --check plugins tests
	$(BIN)/lint-imports

clean:
	rm -rf site .site-build-* .site-old-* build plugins/*.egg-info .pytest_cache test-artifacts
