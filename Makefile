# Two commands set everything up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
FUZZ_SECONDS ?= 60

.PHONY: run test lint typecheck format bench fuzz sample clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(STAMP)

# Debian's chromium for the real-browser test; playwright's own browser download cannot work here.
/usr/bin/chromium:
	if command -v apt-get >/dev/null; then \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "Install chromium at /usr/bin/chromium to run the browser test." >&2; exit 1; fi

run: $(STAMP)
	MENTORING_SAMPLE=1 $(BIN)/python -m streamlit run app.py --server.port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP) /usr/bin/chromium lint typecheck
	$(BIN)/python -W error::DeprecationWarning:mentoring -c "import mentoring"
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/rows.py
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/app_timing.py

fuzz: $(STAMP)
	$(BIN)/python tests/fuzz/fuzz_loader.py --seconds $(FUZZ_SECONDS)

sample: $(STAMP)
	$(BIN)/python sample_data/generate.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache build src/*.egg-info
