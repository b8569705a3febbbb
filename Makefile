# The two commands of the quick start are `make sandbox` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint run migrate scheduler sandbox emulator bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check bot slackemu tests migrations bench
	$(BIN)/ruff format --check bot slackemu tests migrations bench
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check bot slackemu tests migrations bench
	$(BIN)/ruff format --check bot slackemu tests migrations bench

run: $(STAMP)
	$(BIN)/motbot run

migrate: $(STAMP)
	$(BIN)/motbot migrate

scheduler: $(STAMP)
	$(BIN)/motbot scheduler

sandbox: $(STAMP)
	$(BIN)/motbot sandbox

emulator: $(STAMP)
	$(BIN)/motbot emulator

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
