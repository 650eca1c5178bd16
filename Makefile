# One command each: `make briefing` sets up and builds the seed briefing into reports/;
# `make test` sets up and runs the tests; `.ci/run` runs lint, test and wheel-check.
.PHONY: setup briefing test lint wheel-check bench mutation

setup:
	@bash scripts/setup.sh

briefing: setup
	.venv/bin/briefgen build seeds/ -o reports/

test: setup
	.venv/bin/python -m pytest

lint: setup
	.venv/bin/ruff check briefgen tests benchmarks
	.venv/bin/ruff format --check briefgen tests benchmarks
	.venv/bin/mypy

# Build the wheel, install it into a fresh virtualenv and build seeds/ with it.
wheel-check: setup
	@bash scripts/wheel_check.sh

# Mutation testing of the promise's enforcers (see [tool.mutmut] in pyproject.toml): slow, so
# not part of `make test`.  Prints the score and every surviving mutant.
mutation: setup
	rm -rf mutants
	.venv/bin/mutmut run --max-children 2 || true
	.venv/bin/python scripts/mutation_score.py
