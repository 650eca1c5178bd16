# One command each: `make briefing` sets up and builds the seed briefing into reports/;
# `make test` sets up and runs the tests; `.ci/run` runs lint, test and wheel-check.
.PHONY: setup briefing test lint wheel-check bench

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
