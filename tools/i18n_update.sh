#!/usr/bin/env bash
# Regenerates i18n/l10n_fr_einvoice_pa.pot from the installed module (Odoo's own
# term export) and merges it into i18n/fr.po (gettext msgmerge): existing French
# translations are kept, references follow the code, new terms appear
# untranslated (tests/test_i18n.py lists them). Needs ODOO_SRC (an Odoo 18.0
# tree) or an importable odoo, PYTHON (e.g. the interpreter tools/odoo_venv.sh
# prints) and the PostgreSQL set up by tools/odoo_suite.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
DB="l10n_fr_einvoice_pa_i18n_$$"
# shellcheck source=tools/odoo_host.sh
. "$ROOT/tools/odoo_host.sh"
ODOO_ROOT="$(odoo_root)"
ADDONS_DIR="$(mktemp -d)"
ln -s "$ROOT" "$ADDONS_DIR/l10n_fr_einvoice_pa"
trap 'PGPASSWORD="$DB_PASSWORD" dropdb --if-exists -h 127.0.0.1 -U "$DB_USER" "$DB"; rm -rf "$ADDONS_DIR"' EXIT
ARGS=(--db_host=127.0.0.1 --db_user="$DB_USER" --db_password="$DB_PASSWORD" --without-demo=all
      --addons-path="$ODOO_ROOT/odoo/addons,$ODOO_ROOT/addons,$ADDONS_DIR"
      --data-dir="$ADDONS_DIR/.data" --http-port="${ODOO_I18N_PORT:-18669}" -d "$DB")
cd /tmp
"$PY" "$ODOO_ROOT/odoo-bin" "${ARGS[@]}" -i l10n_fr_einvoice_pa --stop-after-init --log-level=warn
"$PY" "$ODOO_ROOT/odoo-bin" "${ARGS[@]}" --modules=l10n_fr_einvoice_pa \
    --i18n-export="$ROOT/i18n/l10n_fr_einvoice_pa.pot" --stop-after-init --log-level=warn
msgmerge --quiet --no-fuzzy-matching --no-wrap --backup=none --update \
    "$ROOT/i18n/fr.po" "$ROOT/i18n/l10n_fr_einvoice_pa.pot"
msgattrib --no-obsolete --no-wrap -o "$ROOT/i18n/fr.po" "$ROOT/i18n/fr.po"
echo "untranslated:"; msgattrib --untranslated --no-wrap "$ROOT/i18n/fr.po" | grep -c '^msgid' || true
