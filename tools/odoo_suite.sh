#!/usr/bin/env bash
# Runs the addon's Odoo suite on a real Odoo 18.0 + PostgreSQL 15 (loopback).
# Called by tools/test.sh with PYTHON (a virtualenv holding Odoo's pinned
# requirements, see tools/odoo_venv.sh) and ODOO_SRC (an Odoo 18.0 source
# tree; without it, the tree `import odoo` finds). Installs and starts
# PostgreSQL from Debian when it is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
# shellcheck source=tools/odoo_host.sh
. "$ROOT/tools/odoo_host.sh"
DB_NAME="${ODOO_TEST_DB:-l10n_fr_einvoice_pa_test_$$}"

# Loopback only; a throw-away test cluster needs no durability.
ensure_postgresql zz-l10n-fr-einvoice-pa-tests "listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off"

ODOO_ROOT="$(odoo_root)"
LABEL="${ODOO_SUITE_LABEL:-odoo}"
# A free loopback port per run, so several runs can share a machine.
PORT="${ODOO_TEST_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
# Odoo loads the addon by its technical name: link the repository under it.
ADDONS_DIR="$(mktemp -d)"
ln -s "$ROOT" "$ADDONS_DIR/l10n_fr_einvoice_pa"
LOG="$(mktemp)"
trap 'rm -rf "$ADDONS_DIR" "$LOG"' EXIT

ODOO_ARGS=(--db_host=127.0.0.1 --db_user="$DB_USER" --db_password="$DB_PASSWORD"
    --addons-path="$ODOO_ROOT/odoo/addons,$ODOO_ROOT/addons,$ADDONS_DIR"
    --data-dir="$ADDONS_DIR/.data" --http-interface=127.0.0.1 --http-port="$PORT"
    --max-cron-threads=0 --without-demo=all)

PGPASSWORD="$DB_PASSWORD" dropdb --if-exists -h 127.0.0.1 -U "$DB_USER" "$DB_NAME"
echo "== Odoo suite: installing l10n_fr_einvoice_pa and running its tests (database $DB_NAME)"
set +e
(cd /tmp && PYTHONDONTWRITEBYTECODE=1 "$PY" "$ODOO_ROOT/odoo-bin" "${ODOO_ARGS[@]}" -d "$DB_NAME" -i l10n_fr_einvoice_pa \
    --test-enable --test-tags "${ODOO_TEST_TAGS:-/l10n_fr_einvoice_pa}" --stop-after-init --log-level=test) 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
PGPASSWORD="$DB_PASSWORD" dropdb --if-exists -h 127.0.0.1 -U "$DB_USER" "$DB_NAME" || true

# Odoo prints "N failed, N error(s) of N tests when loading database".
summary="$(grep -Eo '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$LOG" | tail -n 1 || true)"
errors="$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG" || true)"
if [ -z "$summary" ]; then
    echo "Odoo suite: no test summary found (the addon did not install or no test ran)"
    exit 1
fi
read -r failed _ errs _ _ total _ <<<"$summary"
errs="${errs%%error*}"
# Odoo logs each skipped test at INFO: "<logger>: skipped <Class.test> : <reason>" (the
# logger, or for a setUpClass skip the description, names our module). The browser tours
# skip themselves when Chromium or websocket-client is missing: under CI that is a failure.
skips="$(grep -E ': skipped .* : ' "$LOG" | grep -F 'l10n_fr_einvoice_pa' || true)"
skipped=0
[ -n "$skips" ] && skipped="$(printf '%s\n' "$skips" | wc -l)"
passed=$((total - failed - errs - skipped))
echo "${LABEL}: ${passed} passed, $((failed + errs)) failed, ${skipped} skipped"
if [ "$skipped" -ne 0 ]; then
    printf '%s\n' "$skips"
fi
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$errs" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$total" -eq 0 ]; then
    echo "Odoo suite FAILED (exit $rc, $errors ERROR log lines)"
    exit 1
fi
if [ "$skipped" -ne 0 ] && [ "${CI:-}" = "true" ]; then
    echo "Odoo suite FAILED: $skipped skipped test(s) under CI (Chromium and websocket-client are required)"
    exit 1
fi
