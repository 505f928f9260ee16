#!/usr/bin/env bash
# The project's test command (README.rst "Run the tests"): lint, host-free
# suite, and the Odoo suite when Odoo 18.0 is importable.
# Usage: bash tools/test.sh            (from anywhere)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"

echo "== installing Python dependencies"
"$PY" -m pip install --quiet --disable-pip-version-check \
    -r requirements.txt -r requirements-test.txt

echo "== ruff"
"$PY" -m ruff check .

echo "== pylint-odoo"
"$PY" -m pylint --rcfile=.pylintrc --valid-odoo-versions=18.0 \
    --disable=import-error,no-name-in-module,no-member,manifest-required-author,website-manifest-key-not-valid-uri \
    __init__.py __manifest__.py models wizards controllers tests

echo "== host-free suite (plain pytest, no Odoo)"
"$PY" -m pytest einvoicing/tests -q

if "$PY" -c "import odoo" >/dev/null 2>&1; then
    echo "== Odoo suite"
    bash tools/odoo_suite.sh
else
    echo "Odoo suite skipped: odoo not importable"
fi
