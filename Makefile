# Rathaus — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
VENDOR := rathaus/frontend/static/vendor
# Debian packages: gettext compiles translations, libmagic1 identifies uploads by content,
# chromium runs the browser tests, zbar-tools (zbarimg) reads back the GiroCodes and the
# verification QR codes in tests.
# Letters: WeasyPrint renders with Pango and HarfBuzz in DejaVu fonts; poppler-utils (pdfsig,
# pdftotext, pdftoppm) and libnss3-tools (certutil) check the sealed PDFs in tests.
# Incoming mail: the Tesseract library (libtesseract5, German and English) reads the scans inside
# the worker, the tesseract program detects the orientation of pages the ink leaves unsure,
# OCRmyPDF reads the letters with a text layer, and the zbar library (libzbar0) the separator
# sheets' codes. PDF/A comes from pikepdf and pages are rendered with pdfium, so no Ghostscript is
# needed (Debian 12's 10.0 is one OCRmyPDF refuses for --skip-text anyway).
DEBIAN_INTAKE := libtesseract5 tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng libzbar0
DEBIAN_RUN := gettext libmagic1 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core $(DEBIAN_INTAKE)
DEBIAN_TEST := gettext libmagic1 chromium fonts-dejavu-core zbar-tools poppler-utils libnss3-tools $(DEBIAN_INTAKE)
# Generated letters for incoming mail (bench/intake, docs/intake-data.md): pdftoppm scans them,
# and their fonts must be there, or line breaks and page counts would change.
DEBIAN_RUN += poppler-utils fonts-dejavu-extra fonts-liberation fonts-comic-neue
PYTEST_ARGS ?=

.PHONY: run test install install-dev system-run system-test assets messages db lint format bench clean

# The local demo runs with debug pages and the demo city; production is configured by the
# environment (docs/configuration.md).
run db: export RATHAUS_DEBUG ?= 1

run: install db
	scripts/run

test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

install: system-run $(VENV)/.requirements assets messages

# Everything the tests need, Debian's test packages included, so that pytest can be run by hand.
install-dev: system-run system-test $(VENV)/.requirements-dev assets messages

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(PY)
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(PY)
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.requirements

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/.stamp: node_modules/.package-lock.json scripts/vendor-assets
	scripts/vendor-assets
	touch $@

assets: $(VENDOR)/.stamp

system-run:
	scripts/ensure-debian-packages $(DEBIAN_RUN)

system-test:
	scripts/ensure-debian-packages $(DEBIAN_TEST)

messages: | $(PY)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# Prepare the embedded database with the demo city, and a key to sign the QR codes on its
# documents (var/keys/verification) and the demo seal for its letters (var/seal). Safe to run
# again.
db: | $(PY)
	$(PY) manage.py verification_keys ensure
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable -v0
	$(PY) manage.py demo_city
	$(PY) manage.py documents_demo_ca
	$(PY) manage.py catalog_load
	$(PY) manage.py demo_cases

# Load benchmark on PostgreSQL (127.0.0.1:5432); see bench/portal.py for its settings. Then
# sealed letters per second on one core (bench/documents.py), and the citizens' budget rules
# against pabutools on real elections from ../shared/pabulib (bench/budget.py).
bench: install-dev
	$(PY) bench/portal.py
	$(PY) bench/documents.py
	$(PY) bench/budget.py

# Training and evaluation letters for the incoming-mail pipeline in var/intake-data
# (docs/intake-data.md); the same seed always gives the same files.
.PHONY: intake-data
intake-data: install-dev
	$(PY) bench/intake/generate.py --out var/intake-data --train 600 --eval 300 --seed 7

# The incoming-mail benchmark (docs/intake.md, "Benchmark"): makes var/intake-data if missing,
# trains the classifier, sends a seeded subset of the evaluation letters through the pipeline
# on 2 workers and bare tesseract over the same scans (BENCH_INTAKE_LIMIT=0: all 300).
.PHONY: bench-intake
bench-intake: install-dev
	$(PY) bench/intake/run.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
