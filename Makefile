# One command each: `make briefing` sets up and builds the seed briefing into reports/;
# `make test` sets up and runs the tests (CI runs the same).
.PHONY: setup briefing test lint bench

setup:
	@bash scripts/setup.sh

briefing: setup
	.venv/bin/briefgen build seeds/ -o reports/

test: setup
	.venv/bin/python -m pytest

lint: setup
	.venv/bin/ruff check briefgen tests benchmarks
	.venv/bin/ruff format --check briefgen tests benchmarks
