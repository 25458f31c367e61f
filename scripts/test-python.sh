#!/usr/bin/env bash
# Builds the Python package (python/, docs/python.md) into a virtual
# environment and runs its tests; CI runs this after `cargo test`.
#
#   scripts/test-python.sh [VENV]      (default: target/python-venv)
#
# The environment is made if missing and reused otherwise; the wheel build
# compiles the crate in release mode into python/target (minutes cold,
# seconds warm). Exits with pytest's status.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-target/python-venv}
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check maturin pytest numpy networkx
"$venv/bin/python" -m pip install -q --disable-pip-version-check ./python
# From the repository root, so the source folder python/regionwalk (which has
# no native module) cannot shadow the installed package.
"$venv/bin/python" -m pytest -q python/tests
