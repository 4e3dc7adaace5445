# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=true

.PHONY: run test install install-test migrate load lint bench ci clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --no-input

load: migrate
	$(DEV_ENV) $(PY) manage.py load_thresholds

run: load
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install
	$(PY) -m pytest

bench: load
	$(DEV_ENV) $(PY) scripts/bench.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
