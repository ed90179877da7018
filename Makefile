# Everything runs inside .venv, created on first use from pinned constraints.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint docs system-deps clean clients native

# followthemoney needs PyICU, which compiles against libicu-dev.
system-deps:
	@if ! pkg-config --exists icu-uc 2>/dev/null; then \
		echo "installing libicu-dev and pkg-config (needed to build PyICU)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libicu-dev pkg-config g++; \
	fi

$(STAMP): pyproject.toml constraints.txt
	$(MAKE) system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The screening modules compiled to C with mypyc (computewatch/native.py): rebuilt when a
# source of names/ or screening/ changes; without a C compiler screening runs as pure Python.
NATIVE := src/computewatch/_native/manifest.json
$(NATIVE): $(STAMP) $(wildcard src/computewatch/names/*.py src/computewatch/screening/*.py)
	$(BIN)/computewatch native build --allow-failure
native: $(NATIVE)

demo: $(STAMP) $(NATIVE)
	$(BIN)/computewatch demo

test: $(STAMP) $(NATIVE) clients
	$(BIN)/pytest

# the real API clients the tests drive (nomenklatura's yente client), in their own environment: tests/clients/
CLIENTS_STAMP := .venv-clients/.installed
clients: $(CLIENTS_STAMP)
$(CLIENTS_STAMP): tests/clients/requirements.txt
	$(PYTHON) -m venv --clear .venv-clients
	.venv-clients/bin/pip install -q -r tests/clients/requirements.txt
	sha256sum tests/clients/requirements.txt | cut -d' ' -f1 | tr -d '\n' > $(CLIENTS_STAMP)

bench: $(STAMP) $(NATIVE)
	$(BIN)/python bench/run.py --out bench/results.json

# The documentation site; the CLI and HTTP references are generated from the code (docs/hooks.py).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

lint: $(STAMP)
	$(BIN)/ruff check src tests bench eval
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .venv-clients computewatch-data site src/computewatch/_native
