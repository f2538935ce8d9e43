# The two Quickstart commands: `make run` and `make test`. Both set up what is missing first.
.PHONY: setup run test
PY := .venv/bin/python
SAMPLE := resources/samples/sample-report-2023.pdf

setup:
	@scripts/setup.sh

run: setup
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ "$$(uname)" = Linux ]; then \
	  echo "No display: checking the sample headless instead of opening the window."; \
	  $(PY) -m tabledesk export $(SAMPLE) -o /tmp/tabledesk-sample.json && \
	  $(PY) -c "import json; d = json.load(open('/tmp/tabledesk-sample.json', encoding='utf-8')); \
	    bad = [c['message']['zh'] for t in d['tables'] for c in t['checks'] if c['passed'] is False]; \
	    print(d['document']['agency'], d['document']['year'], '·', len(bad), 'failing check(s)'); \
	    [print('  ', m) for m in bad]"; \
	else \
	  $(PY) -m tabledesk $(SAMPLE); \
	fi

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q
	.venv/bin/lint-imports
	.venv/bin/ruff check desktop tests benchmarks
	.venv/bin/mypy desktop/tabledesk

# The one-folder build(s) in dist/ with a smoke test and figures (see packaging/README.md).
.PHONY: package
package: setup
	@packaging/build
