# Two commands matter: `make demo` and `make test`. Both bootstrap everything they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ASSETS := src/seen/web/static/govuk/.installed-stamp

# The tests on every core, a test file to a worker (a file's fixtures, such as its Spark
# session, stay in one process); the slowest are listed at the end.
PYTEST_WORKERS ?= -n auto --dist loadfile --durations=15

.PHONY: demo test check system-packages java clean bench bench-web

# GOV.UK Frontend (and axe-core for the accessibility tests) from npm, pinned by package-lock.json.
$(ASSETS): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || scripts/system-packages.sh node
	scripts/web-assets.sh
	@touch $@

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || (scripts/system-packages.sh venv && $(PYTHON) -m venv $(VENV))
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@touch $@

# Debian packages the tests need (PostgreSQL server, Java for Spark); a no-op when present.
system-packages:
	@scripts/system-packages.sh test

# A Java runtime for `seen link --backend spark`; the demo itself runs without one.
java:
	@scripts/system-packages.sh java || echo "No Java 17+ runtime: seen link --backend spark will not run (the default backend will)."

demo: $(STAMP) $(ASSETS) java
	$(BIN)/seen demo

check: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: $(STAMP) $(ASSETS) system-packages check
	SEEN_REQUIRE_POSTGRES=1 SEEN_REQUIRE_SPARK=1 SEEN_REQUIRE_BROWSER=1 $(BIN)/pytest $(PYTEST_WORKERS)

bench: $(STAMP)
	$(BIN)/python bench/synth.py

# The web tier under load (docs/benchmarks.md): wrk from Debian's packages drives the app.
bench-web: $(STAMP) $(ASSETS)
	scripts/system-packages.sh bench
	$(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache node_modules src/seen/web/static/govuk
