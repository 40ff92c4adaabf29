# hoshin: two commands do everything on a fresh Debian machine (as root):
#   make site   set up what is missing, then build the Jōetsu edition (HTML of every version,
#               新旧対照表, PDFs, office files) into _build/, and the review edition's web pages
#               (審議用: check results, sources, editors' notes) into _build/review/html
#   make review the whole review edition (web, PDFs, office files) into _build/review/
#   make test   set up what is missing, then run the whole test suite
# Set-up is idempotent: stamps make a second run skip it in well under a second.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOSHIN := $(BIN)/hoshin
export PUPPETEER_SKIP_DOWNLOAD := 1

APT_PACKAGES := texlive-lang-japanese texlive-latex-recommended texlive-latex-extra \
	texlive-fonts-recommended tex-gyre latexmk chromium fonts-noto-cjk poppler-utils \
	libreoffice-writer-nogui git openssh-client

.PHONY: setup setup-dev site review docs gallery gallery-web test test-fast bench lint-code i18n serve clean distclean

setup: $(VENV)/.stamp node_modules/.stamp .apt.stamp
	@$(BYTECODE)
# what the tests, the linters, the benchmarks and the screenshots need besides
setup-dev: $(VENV)/.test.stamp node_modules/.test.stamp .apt.stamp
	@$(BYTECODE)

# hoshin is installed editable, so nothing compiled its modules; where Python does not write
# bytecode itself (PYTHONDONTWRITEBYTECODE, as on this project's machines) every command
# compiled all of them again (about 0.1 s of each build). Quick when nothing changed.
BYTECODE = $(BIN)/python -m compileall -q _ext/hoshin >/dev/null

.apt.stamp: Makefile
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	command -v node >/dev/null || missing="$$missing nodejs npm"; \
	$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@touch $@

# Python side: hoshin (editable) and what a build needs for make site; the test extras
# (pytest, playwright, ruff, mypy: about 270 MB) only for the developer targets.
$(VENV)/.stamp: pyproject.toml .apt.stamp
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e .
	@touch $@

$(VENV)/.test.stamp: pyproject.toml .apt.stamp
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $(VENV)/.stamp $@

# npm side of this repository: the build tools ("dependencies": textlint and its rules,
# mermaid-cli; the same pins as the lockfile hoshin setup installs from the package) for
# make site, plus the test-only tools ("devDependencies": axe-core) for make test.
node_modules/.stamp: package.json package-lock.json .apt.stamp
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	@touch $@

node_modules/.test.stamp: package.json package-lock.json .apt.stamp
	npm ci --no-audit --no-fund --loglevel=error
	@touch node_modules/.stamp $@

# The review edition's web pages have their own output and caches: they are built beside the
# public edition (its one-core HTML and office stages leave a core free on a 2-core machine)
# and their messages are shown when both have ended.
site: setup
	@mkdir -p _build
	@echo "$(HOSHIN) build --pdf --office & $(HOSHIN) build --review"
	@$(HOSHIN) build --review > _build/.review-build.log 2>&1 & review=$$!; \
	$(HOSHIN) build --pdf --office; public=$$?; \
	wait $$review; reviewed=$$?; cat _build/.review-build.log; \
	test $$public = 0 && test $$reviewed = 0

review: setup
	$(HOSHIN) build --review --pdf --office

docs: setup
	$(BIN)/sphinx-build -q -W --keep-going -c docs docs _build/docs

# Page images of the outputs shown in the guide (docs/_static/gallery-*.png): the 新旧対照表
# PDF, the 改訂箇所 page of the PDF and the 改訂箇所 on a phone. Rebuilds a copy of the project.
gallery: setup-dev
	$(BIN)/python -m tests.gallery

test: setup-dev
	$(BIN)/python -m pytest -q

test-fast: setup-dev
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: setup-dev
	$(BIN)/python bench/run.py

# The CLI's Japanese (hoshin.cli.i18n): extract the English texts, merge them into the catalog
# (translate the new msgstr entries in hoshin.po by hand), compile hoshin.mo. Commit both.
i18n: setup
	@mkdir -p _build
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --no-wrap -o _build/hoshin.pot _ext/hoshin
	$(BIN)/pybabel update --no-wrap -i _build/hoshin.pot -d _ext/hoshin/cli/locale -D hoshin -l ja --no-fuzzy-matching
	$(BIN)/pybabel compile -d _ext/hoshin/cli/locale -D hoshin -l ja

# Screenshots of the page kinds (375 px phone, 1280 px desktop, light and dark) for docs/web.md.
gallery-web: setup-dev
	$(HOSHIN) build
	rm -rf docs/_static/web-gallery
	$(BIN)/python bench/gallery.py --site _build/html --out docs/_static/web-gallery

lint-code: setup-dev
	$(BIN)/ruff check _ext tests bench
	$(BIN)/ruff format --check _ext tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

serve: setup
	$(HOSHIN) serve

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV) node_modules .apt.stamp
