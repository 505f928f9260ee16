#!/usr/bin/env bash
# One-command demo: a French demo company on Odoo 18.0 talking to the local sandbox
# platform, served on http://127.0.0.1:8069 (login admin / password admin).
#
# Usage: ODOO_SRC=../odoo-18.0 bash tools/odoo_demo.sh [--reset] [--update]
#
# - starts PostgreSQL if needed (as tools/odoo_suite.sh does);
# - builds or reuses the Odoo virtualenv (tools/odoo_venv.sh), unless PYTHON is set;
# - starts the sandbox platform (python -m einvoicing sandbox) on a persistent data
#   directory, creates the database on first start, then runs tools/odoo_demo_data.py,
#   which creates what is missing (company, customers, suppliers, invoices sent to the
#   platform, received bills): a second start reuses both and adds nothing;
# - serves Odoo in the foreground, cron threads on. Ctrl-C stops Odoo and the sandbox.
#
# --reset drops the database and the sandbox data first; --update upgrades the addon in
# an existing database (after changing its views or data).
# Environment: ODOO_DEMO_DB (l10n_fr_einvoice_pa_demo), ODOO_DEMO_HOST (127.0.0.1),
# ODOO_DEMO_PORT (8069), ODOO_DEMO_SANDBOX_PORT (8380), ODOO_DEMO_DIR
# (~/.cache/l10n_fr_einvoice_pa/demo), ODOO_DEMO_PYTHON_VERSION (python3.12), PYTHON.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${ODOO_SRC:?ODOO_SRC must point to an Odoo 18.0 source tree}"
# shellcheck source=tools/odoo_host.sh
. "$ROOT/tools/odoo_host.sh"
ODOO_ROOT="$(odoo_root)"
DB="${ODOO_DEMO_DB:-l10n_fr_einvoice_pa_demo}"
HOST="${ODOO_DEMO_HOST:-127.0.0.1}"
PORT="${ODOO_DEMO_PORT:-8069}"
SANDBOX_PORT="${ODOO_DEMO_SANDBOX_PORT:-8380}"
DEMO_DIR="${ODOO_DEMO_DIR:-$HOME/.cache/l10n_fr_einvoice_pa/demo}"
RESET=0
UPDATE=0
for arg in "$@"; do
    case "$arg" in
        --reset) RESET=1 ;;
        --update) UPDATE=1 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
    esac
done
START=$(date +%s)
stamp() { echo "== [$(( $(date +%s) - START )) s] $*"; }

db_has_module() {
    PGPASSWORD="$DB_PASSWORD" psql -X -qtA -h 127.0.0.1 -U "$DB_USER" -d "$DB" -c \
        "SELECT 1 FROM ir_module_module WHERE name = 'l10n_fr_einvoice_pa' AND state = 'installed'" \
        2>/dev/null | grep -q 1
}

wait_http() {  # wait_http URL SECONDS
    local i
    for ((i = 0; i < $2 * 5; i++)); do
        "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" \
            >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    return 1
}

stamp "PostgreSQL"
postgresql_ready || ensure_postgresql zz-l10n-fr-einvoice-pa-demo "listen_addresses = '127.0.0.1'"
if [ -n "${PYTHON:-}" ]; then
    PY="$PYTHON"
else
    stamp "Odoo virtualenv (tools/odoo_venv.sh)"
    PY="$(ODOO_SRC="$ODOO_ROOT" bash "$ROOT/tools/odoo_venv.sh" "${ODOO_DEMO_PYTHON_VERSION:-python3.12}" | tail -n 1)"
fi

if [ "$RESET" = 1 ]; then
    stamp "--reset: dropping database $DB and sandbox data $DEMO_DIR/sandbox"
    PGPASSWORD="$DB_PASSWORD" dropdb --if-exists --force -h 127.0.0.1 -U "$DB_USER" "$DB"
    rm -rf "$DEMO_DIR/sandbox" "$DEMO_DIR/filestore"
fi
mkdir -p "$DEMO_DIR/sandbox" "$DEMO_DIR/addons"
# Odoo loads the addon by its technical name: link the repository under it.
ln -sfn "$ROOT" "$DEMO_DIR/addons/l10n_fr_einvoice_pa"

SANDBOX_URL="http://127.0.0.1:$SANDBOX_PORT"
ADMIN_TOKEN="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')"
stamp "sandbox platform on $SANDBOX_URL (data in $DEMO_DIR/sandbox)"
(cd "$ROOT" && exec "$PY" -m einvoicing sandbox --port "$SANDBOX_PORT" \
    --data "$DEMO_DIR/sandbox" --admin-token "$ADMIN_TOKEN") > "$DEMO_DIR/sandbox.log" 2>&1 &
SANDBOX_PID=$!
cleanup() {
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' TERM
if ! wait_http "$SANDBOX_URL/flow-service/v1/healthcheck" 60; then
    cat "$DEMO_DIR/sandbox.log" >&2
    echo "the sandbox did not start (port $SANDBOX_PORT busy? set ODOO_DEMO_SANDBOX_PORT)" >&2
    exit 1
fi

ODOO_ARGS=(--db_host=127.0.0.1 --db_user="$DB_USER" --db_password="$DB_PASSWORD"
    --addons-path="$ODOO_ROOT/odoo/addons,$ODOO_ROOT/addons,$DEMO_DIR/addons"
    --data-dir="$DEMO_DIR/filestore" -d "$DB" --db-filter="^$DB\$" --without-demo=all)
if db_has_module && [ "$UPDATE" = 1 ]; then
    stamp "database $DB: --update, upgrading l10n_fr_einvoice_pa"
    (cd /tmp && nice "$PY" "$ODOO_ROOT/odoo-bin" "${ODOO_ARGS[@]}" --no-http \
        -u l10n_fr_einvoice_pa --stop-after-init --log-level=warn)
elif db_has_module; then
    stamp "database $DB: reusing it"
else
    stamp "database $DB: creating it (Odoo, the French chart, the addon, French language)"
    (cd /tmp && nice "$PY" "$ODOO_ROOT/odoo-bin" "${ODOO_ARGS[@]}" --no-http \
        -i l10n_fr_einvoice_pa,l10n_fr_account --load-language=fr_FR --stop-after-init \
        --log-level=warn)
fi

stamp "demo data (tools/odoo_demo_data.py: creates only what is missing)"
(cd /tmp && PYTHONPATH="$ODOO_ROOT${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1 \
    nice "$PY" "$ROOT/tools/odoo_demo_data.py" \
    --sandbox-url "$SANDBOX_URL" --admin-token "$ADMIN_TOKEN" -- "${ODOO_ARGS[@]}" --no-http --log-level=warn)

stamp "ready: Odoo on http://$HOST:$PORT (database $DB) - login admin, password admin"
echo "   sandbox platform: $SANDBOX_URL (its admin token is in $DEMO_DIR/sandbox.log); Ctrl-C stops both"
# In the foreground: Ctrl-C reaches Odoo, then the EXIT trap stops the sandbox.
cd /tmp
"$PY" "$ODOO_ROOT/odoo-bin" "${ODOO_ARGS[@]}" --http-interface="$HOST" --http-port="$PORT" \
    --max-cron-threads="${ODOO_DEMO_CRON_THREADS:-1}" --log-level="${ODOO_DEMO_LOG_LEVEL:-info}"
