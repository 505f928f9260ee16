# Sourced by tools/odoo_suite.sh, tools/odoo_demo.sh and tools/i18n_update.sh: where
# Odoo's source is, and PostgreSQL on 127.0.0.1 with the role the scripts log in as.
# Needs PY (the interpreter of the Odoo virtualenv) set by the caller.

DB_USER="${PGUSER_ODOO:-odoo}"
DB_PASSWORD="${PGPASSWORD_ODOO:-odoo}"

odoo_root() {  # the Odoo 18.0 tree: ODOO_SRC, else the one `import odoo` finds
    if [ -n "${ODOO_SRC:-}" ]; then
        (cd "$ODOO_SRC" && pwd)
    else
        "$PY" -c 'import odoo, os; print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))))'
    fi
}

postgresql_ready() {  # the server answers and DB_USER logs in
    pg_isready -q -h 127.0.0.1 -t 2 2>/dev/null &&
        PGPASSWORD="$DB_PASSWORD" psql -X -q -h 127.0.0.1 -U "$DB_USER" -d postgres \
            -c 'SELECT 1' >/dev/null 2>&1
}

# ensure_postgresql NAME SETTINGS: installs PostgreSQL from Debian when missing, writes
# SETTINGS (postgresql.conf lines) to conf.d/NAME.conf, starts or reloads the cluster and
# makes DB_USER a superuser with DB_PASSWORD. Needs root.
ensure_postgresql() {
    local name="$1" settings="$2" version
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        echo "== installing PostgreSQL (apt)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    [ -d "/etc/postgresql/$version/main" ] || pg_createcluster "$version" main >/dev/null
    mkdir -p "/etc/postgresql/$version/main/conf.d"
    printf '%s\n' "$settings" > "/etc/postgresql/$version/main/conf.d/$name.conf"
    if pg_ctlcluster "$version" main status >/dev/null 2>&1; then
        pg_ctlcluster "$version" main reload
    else
        pg_ctlcluster "$version" main start
    fi
    pg_isready -q -h 127.0.0.1 -t 60
    (cd /tmp && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres) <<SQL
SELECT 'CREATE ROLE ${DB_USER}' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${DB_USER}')\\gexec
ALTER ROLE ${DB_USER} WITH LOGIN SUPERUSER CREATEDB PASSWORD '${DB_PASSWORD}';
SQL
}
