# Two commands matter: `make demo` and `make test`. Both bootstrap everything they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test check system-packages clean bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || (scripts/system-packages.sh venv && $(PYTHON) -m venv $(VENV))
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Debian packages the tests need (PostgreSQL server); a no-op when already present.
system-packages:
	@scripts/system-packages.sh test

demo: $(STAMP)
	$(BIN)/seen demo

check: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: $(STAMP) system-packages check
	SEEN_REQUIRE_POSTGRES=1 $(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/synth.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
