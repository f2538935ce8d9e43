# The two Quickstart commands: `make run` and `make test`. Both set up what is missing first.
.PHONY: setup run test lint bench
PY := .venv/bin/python
SAMPLE := resources/samples/sample-report-2023.pdf

setup:
	@scripts/setup.sh

run: setup
	$(PY) -m tabledesk $(SAMPLE)

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q
	.venv/bin/lint-imports
	.venv/bin/ruff check desktop tests benchmarks

bench: setup
	$(PY) benchmarks/run_all.py
