# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := tests/node/node_modules/.installed

.PHONY: run test lint bench bench-quick package package-test clean setup

setup: $(STAMP)

# A .venv counts only with a python that has pip: a failed `python3 -m venv` (Debian without
# python3-venv) leaves a .venv with no pip, or no bin/python at all; it is made again.
$(STAMP): pyproject.toml requirements/constraints.txt
	@if ! { test -x $(BIN)/python && $(BIN)/python -m pip --version >/dev/null 2>&1; }; then \
		echo "Creating $(VENV) with $(PYTHON)"; \
		$(PYTHON) -m venv --clear $(VENV) || { \
			echo "Could not create $(VENV) with '$(PYTHON) -m venv'." >&2; \
			echo "On Debian/Ubuntu, install the venv module: sudo apt install python3-venv" >&2; \
			echo "then run make again." >&2; \
			exit 1; \
		}; \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	@touch $@

# Node's own dotenv package, to compare our parser with the real one (skipped without npm).
$(NODE_STAMP): tests/node/package.json tests/node/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --silent --no-audit --no-fund --prefix tests/node && touch $@; \
	else echo "npm not found: the tests against Node's dotenv will be skipped"; fi

run: $(STAMP)
	$(BIN)/python -m faststore_desktop

# The suite runs offscreen; when gnome-keyring and D-Bus are installed it runs inside a private,
# unlocked Secret Service so the keyring tests use a real OS keyring (Debian:
# apt-get install gnome-keyring dbus-x11). Without them those tests are skipped with that reason.
test: $(STAMP) $(NODE_STAMP)
	QT_QPA_PLATFORM=offscreen tests/tools/with_private_keyring.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks $(BENCH_ARGS)

bench-quick: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks --quick

# The Linux bundle, then dist/*.tar.gz and dist/*.deb (PyInstaller; see docs/packaging.md).
package: $(STAMP)
	@$(BIN)/python -c "import PyInstaller" 2>/dev/null || \
		$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[package]"
	packaging/linux/build.sh

# Runs the packaged binary: --smoke offscreen, `serve` and /healthz, a build through the binary.
package-test: package
	FSD_PACKAGE_TEST=1 FSD_PACKAGE_BUNDLE=$(CURDIR)/dist/faststore-desktop QT_QPA_PLATFORM=offscreen \
		tests/tools/with_private_keyring.sh $(BIN)/python -m pytest tests/e2e/test_packaged.py -p no:cacheprovider $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache tests/node/node_modules
