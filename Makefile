# The two commands of the quick start are `make sandbox` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser-deps test lint run migrate scheduler sandbox emulator bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The browser tests (tests/browser) drive Debian's Chromium through Playwright (never
# `playwright install`, which downloads browsers), and Chinese text needs a CJK font or it
# renders as empty boxes. Installed with apt-get when missing; MOTBOT_SKIP_BROWSER_DEPS=1
# skips this (the browser tests then skip, or fail in CI).
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

browser-deps:
	@if [ -z "$$MOTBOT_SKIP_BROWSER_DEPS" ]; then \
	  missing=""; \
	  [ -x $(CHROMIUM) ] || missing=" chromium"; \
	  [ -e $(CJK_FONT) ] || missing="$$missing fonts-wqy-zenhei"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages for the browser tests:$$missing"; \
	    sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
	    log=$$(mktemp); \
	    if ! { $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive \
	        apt-get install -y -qq --no-install-recommends $$missing; } >"$$log" 2>&1 \
	      || [ ! -x $(CHROMIUM) ] || [ ! -e $(CJK_FONT) ]; then \
	      cat "$$log"; rm -f "$$log"; \
	      echo "make: could not install$$missing with apt-get (Debian, as root or with sudo)."; \
	      echo "Install them by hand, or set MOTBOT_SKIP_BROWSER_DEPS=1 to go without."; \
	      exit 1; \
	    fi; \
	    rm -f "$$log"; \
	  fi; \
	fi

test: $(STAMP) browser-deps
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
