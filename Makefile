# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make run    creates .venv, installs mentorapp, starts it on the embedded default database
#   make test   creates .venv, installs mentorapp with test tools, runs the whole test suite
#   make bundle builds dist/mentorapp/, the one-folder application (PyInstaller), and measures it
#   make bundle-check  tries that folder as a coordinator would (env -i: every command, every page)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BUNDLE_TOOLS := $(VENV)/.bundle-tools

.PHONY: run test lint bench bundle bundle-check clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(BUNDLE_TOOLS): $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,bundle]"
	touch $(BUNDLE_TOOLS)

run: $(STAMP)
	$(PY) scripts/check_qt_libs.py
	$(PY) main.py

test: $(STAMP)
	bash scripts/test.sh $(PY)

lint: $(STAMP)
	$(PY) -m ruff check .

bench: $(STAMP)
	$(PY) -m benchmarks

bundle: $(BUNDLE_TOOLS)
	rm -rf dist/mentorapp dist/bare-window
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/mentorapp.spec
	$(PY) packaging/measure_bundle.py dist

bundle-check:
	rm -rf build/bundle-tour
	$(PY) scripts/try_installed.py --bare-env --work build/bundle-tour \
		--cli dist/mentorapp/mentorapp-cli --gui dist/mentorapp/mentorapp

clean:
	rm -rf $(VENV) build dist *.egg-info
