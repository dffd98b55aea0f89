# mapillary_qgis: `make run` shows the plugin in QGIS, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Debian's QGIS bindings belong to /usr/bin/python3, not to whatever python3 is first on PATH.
SYSTEM_PYTHON := /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# PyQt6 apart from .venv (its QGIS is PyQt5): tests/unit/test_pyqt6.py runs the plugin under Qt6 with it
QT6_VENV := .venv-qt6
QT6_STAMP := $(QT6_VENV)/.installed
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
PYTEST_QGIS_ENV := QT_QPA_PLATFORM=offscreen
# one mapillary_qgis/i18n/mapillary_qgis_<lang>.ts each
LANGUAGES := de

.PHONY: help setup system test test-unit test-qgis test-matrix run package translations lint bench clean

help:
	@echo "make run      QGIS with the plugin (a local fake Mapillary unless MAPILLARY_ACCESS_TOKEN is set)"
	@echo "make test     every test (installs what it needs first)"
	@echo "make test-matrix [VERSIONS=\"host trixie sid\"]  make test on QGIS 3.22 (host), 3.40 and 3.44 (Debian chroots; root)"
	@echo "make lint     ruff (pure-core and Qt import rules) and scripts/check_qt6.py (Qt5-only code)"
	@echo "make package  dist/mapillary_qgis-$(VERSION).zip for QGIS's 'Install from ZIP'"
	@echo "make translations  update the .ts files ($(LANGUAGES)) from the code and compile them to .qm"
	@echo "make bench    the exact layers (GUI stalls, memory) and mapillary:images vs the SDK and GDAL, on the fake (a benchmark, not a test)"

system:
	@scripts/install_system.sh

$(STAMP): requirements-dev.txt
	@$(MAKE) --no-print-directory system
	$(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(QT6_STAMP): requirements-qt6.txt
	$(SYSTEM_PYTHON) -m venv --system-site-packages $(QT6_VENV)
	$(QT6_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-qt6.txt
	@touch $@

setup: $(STAMP)
	@$(MAKE) --no-print-directory system

test: setup $(QT6_STAMP)
	@status=0; \
	MAPILLARY_QGIS_QT6_PYTHON=$(abspath $(QT6_VENV))/bin/python $(PY) -m pytest -p no:qgis tests/unit || status=$$?; \
	$(PYTEST_QGIS_ENV) $(PY) -m pytest tests/qgis || status=$$?; \
	exit $$status

# make test on the host and in Debian chroots (cached in $$MAPILLARY_QGIS_CHROOTS); see scripts/test_matrix.py
test-matrix:
	$(SYSTEM_PYTHON) scripts/test_matrix.py $(VERSIONS)

test-unit: setup
	$(PY) -m pytest -p no:qgis tests/unit

test-qgis: setup
	$(PYTEST_QGIS_ENV) $(PY) -m pytest tests/qgis

package: system
	$(SYSTEM_PYTHON) scripts/package.py build

translations: system
	$(SYSTEM_PYTHON) scripts/translations.py update $(LANGUAGES)
	$(SYSTEM_PYTHON) scripts/translations.py release mapillary_qgis/i18n

run: setup package
	$(PY) scripts/run.py

bench: setup
	$(PY) scripts/bench.py

lint: setup
	$(VENV)/bin/ruff check .
	$(PY) scripts/check_qt6.py

clean:
	rm -rf build dist .qgis-settings .pytest_cache .ruff_cache $(QT6_VENV)
