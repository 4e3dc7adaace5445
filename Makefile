# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=true

.PHONY: run test install chromium migrate load lint bench bench-scale bench-throughput bench-offline clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/main.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build

install: $(VENV)/.installed static/dist/main.css

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --no-input

load: migrate
	$(DEV_ENV) $(PY) manage.py load_thresholds

run: load
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Browser tests drive Debian's chromium; Playwright cannot download a browser here. The print
# tests read the PDFs' text with poppler's pdftotext.
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium; }
	@test -x /usr/bin/pdftotext || apt-get install -y -qq poppler-utils || \
		{ apt-get update -qq && apt-get install -y -qq poppler-utils; }

test: install chromium
	$(PY) -m pytest

bench: load
	$(PY) scripts/bench.py

# 155 documents in a scratch PostgreSQL database: load times, then page times uncached and cached.
bench-scale: install
	$(PY) scripts/make_scale_set.py --time

# Requests/s under wrk against gunicorn (2 workers, Redis page cache), next to a bare view.
bench-throughput: install
	@command -v wrk >/dev/null || apt-get install -y -qq wrk || \
		{ apt-get update -qq && apt-get install -y -qq wrk; }
	$(PY) scripts/bench_throughput.py

# Pages, bytes and seconds of "Save <area> for use offline" for Stoke-on-Trent and Dudley.
bench-offline: install chromium
	$(PY) scripts/bench_offline.py

clean:
	rm -rf $(VENV) node_modules static/dist db.sqlite3 staticfiles
