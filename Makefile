# Two commands do all set-up: `make demo` and `make test` (each creates or refreshes .venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The benchmark's own venv: its baseline (hypothesis-jsonschema) needs an older Hypothesis.
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	@# cassettes/ holds recordings of the twilio SDK against the fake (scripts/record_cassettes.py),
	@# one with a fault injected on purpose: exit 1 (a violation) is the expected outcome;
	@# only exit 2 (bad input) or worse fails the demo. Then the payload files of examples/.
	@$(BIN)/binding-contracts check cassettes/; status=$$?; \
	  if [ $$status -gt 1 ]; then exit $$status; fi
	@echo
	@$(BIN)/binding-contracts validate examples/*.json; status=$$?; \
	  if [ $$status -gt 1 ]; then exit $$status; fi
	@# migrate-check's example: the same bindings through Chat v2 and Conversations v1, two changed.
	@echo
	@$(BIN)/binding-contracts migrate-check examples/migration/chat.yaml examples/migration/conversations-after.yaml; \
	  status=$$?; if [ $$status -gt 1 ]; then exit $$status; fi

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest --cov --cov-report=term-missing:skip-covered

$(BENCH_STAMP): pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e ".[bench]"
	touch $(BENCH_STAMP)

# Never part of `make test`: timings depend on the machine, and no test asserts one.
# The package's bytecode is compiled first, as installing its wheel does: an editable install
# under PYTHONDONTWRITEBYTECODE would compile every module again in every process measured.
bench: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python -m compileall -q src
	$(BENCH_VENV)/bin/python bench/run.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) build dist .pytest_cache .mypy_cache .ruff_cache
