# Two commands do all set-up: `make demo` and `make test` (each creates or refreshes .venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	@# examples/ holds valid payloads and one broken on purpose: exit 1 (a violation) is
	@# the expected outcome; only exit 2 (bad input) or worse fails the demo.
	@$(BIN)/binding-contracts validate examples/*.json; status=$$?; \
	  if [ $$status -gt 1 ]; then exit $$status; fi

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest --cov --cov-report=term-missing:skip-covered

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
