#!/usr/bin/env bash
# The project's test command (README.rst "Run the tests"): lint, the host-free
# suite and the Odoo suite, on the Odoo 18.0 that users run.
#
# Usage: bash tools/test.sh                      (from anywhere)
#        ODOO_SRC=/path/to/odoo-18.0 bash tools/test.sh
#
# With an Odoo 18.0 source tree (ODOO_SRC, or the tree `import odoo` finds),
# every suite runs once per interpreter of L10N_FR_PA_PYTHONS (default:
# python3.10 with the Ubuntu 22.04 pins, python3.12 with the Ubuntu 24.04 /
# official image pins), each in a cached virtualenv built from Odoo's own
# requirements.txt (tools/odoo_venv.sh). Without Odoo, the host-free suite runs
# in the current interpreter and the Odoo suite is reported as skipped; under
# CI (CI=true) a skipped Odoo suite is a failure. The Odoo suite's browser tours
# need Chromium: installed from apt when none is on the PATH (ensure_chromium);
# under CI a skipped test of the addon fails the run (tools/odoo_suite.sh).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
HOST_PY="${PYTHON:-python3}"
PYTHONS="${L10N_FR_PA_PYTHONS:-python3.10 python3.12}"
SUMMARY=()
FAILED=0

if [ -z "${ODOO_SRC:-}" ] && "$HOST_PY" -c "import odoo" >/dev/null 2>&1; then
    ODOO_SRC="$("$HOST_PY" -c 'import odoo, os; print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))))')"
fi
if [ -n "${ODOO_SRC:-}" ]; then
    ODOO_SRC="$(cd "$ODOO_SRC" && pwd)" || { echo "ODOO_SRC=$ODOO_SRC is not a directory"; exit 1; }
    serie="$(sed -nE "s/^version_info = \(([0-9]+), ([0-9]+).*/\1.\2/p" "$ODOO_SRC/odoo/release.py" 2>/dev/null)"
    if [ "$serie" != "18.0" ]; then
        echo "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree (odoo/release.py says '${serie:-nothing}')"
        exit 1
    fi
    export ODOO_SRC
fi

# pytest's last line -> "N passed, M failed, K skipped"
count_pytest() {
    local log="$1" passed failed errors skipped
    passed="$(grep -Eo '[0-9]+ passed' "$log" | tail -n 1 | cut -d' ' -f1)"
    failed="$(grep -Eo '[0-9]+ failed' "$log" | tail -n 1 | cut -d' ' -f1)"
    errors="$(grep -Eo '[0-9]+ errors?' "$log" | tail -n 1 | cut -d' ' -f1)"
    skipped="$(grep -Eo '[0-9]+ skipped' "$log" | tail -n 1 | cut -d' ' -f1)"
    echo "${passed:-0} passed, $(( ${failed:-0} + ${errors:-0} )) failed, ${skipped:-0} skipped"
}

run_step() {  # run_step LABEL COMMAND...: run, remember the outcome
    local label="$1"; shift
    echo "== $label"
    if "$@"; then SUMMARY+=("ok      $label"); else SUMMARY+=("FAILED  $label"); FAILED=1; fi
}

lint() {
    local py="$1"
    "$py" -m ruff check . &&
    "$py" -m pylint --rcfile=.pylintrc --valid-odoo-versions=18.0 \
        --disable=import-error,no-name-in-module,no-member,manifest-required-author,website-manifest-key-not-valid-uri \
        __init__.py __manifest__.py hooks.py models wizards controllers tests
}

ensure_chromium() {  # the browser tours run in headless Chromium (Odoo's ChromeBrowser)
    local bin
    for bin in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$bin" >/dev/null 2>&1 && return 0
    done
    echo "== installing Chromium (apt) for the browser tours"
    apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

core_suite() {  # core_suite PYTHON LABEL
    local py="$1" label="$2" log rc
    log="$(mktemp)"
    "$py" -m pytest einvoicing/tests -q -p no:randomly 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    SUMMARY+=("        $label: $(count_pytest "$log")")
    rm -f "$log"
    return "$rc"
}

if [ -n "${ODOO_SRC:-}" ]; then
    echo "== Odoo 18.0 source tree: $ODOO_SRC"
    declare -A VENV_PY
    for py in $PYTHONS; do
        if ! VENV_PY[$py]="$(bash tools/odoo_venv.sh "$py" | tail -n 1)"; then
            SUMMARY+=("FAILED  virtualenv with Odoo's pins for $py"); FAILED=1
            unset "VENV_PY[$py]"
        fi
    done
    last=""
    for py in $PYTHONS; do [ -n "${VENV_PY[$py]:-}" ] && last="${VENV_PY[$py]}"; done
    [ -n "$last" ] && run_step "lint (ruff, pylint-odoo)" lint "$last"
    for py in $PYTHONS; do
        [ -n "${VENV_PY[$py]:-}" ] || continue
        run_step "host-free suite ($py, Odoo pins)" core_suite "${VENV_PY[$py]}" "core ($py, Odoo pins)"
    done
    # Without it the tours are skipped, which odoo_suite.sh fails under CI.
    ensure_chromium || echo "Chromium could not be installed: the browser tours will be skipped"
    for py in $PYTHONS; do
        [ -n "${VENV_PY[$py]:-}" ] || continue
        label="odoo ($py, Odoo pins)"
        log="$(mktemp)"
        run_step "Odoo suite ($py, Odoo pins)" env PYTHON="${VENV_PY[$py]}" ODOO_SUITE_LABEL="$label" \
            bash -c 'bash tools/odoo_suite.sh 2>&1 | tee "$0"; exit "${PIPESTATUS[0]}"' "$log"
        result="$(grep -F "$label: " "$log" | tail -n 1)"
        SUMMARY+=("        ${result:-$label: no result}")
        rm -f "$log"
    done
else
    echo "== no Odoo 18.0 source tree (point ODOO_SRC at an Odoo 18.0 checkout)"
    run_step "installing Python dependencies" "$HOST_PY" -m pip install --quiet --disable-pip-version-check \
        -r requirements.txt -r requirements-test.txt
    run_step "lint (ruff, pylint-odoo)" lint "$HOST_PY"
    run_step "host-free suite ($HOST_PY)" core_suite "$HOST_PY" "core ($HOST_PY)"
    if [ "${CI:-}" = "true" ]; then
        SUMMARY+=("FAILED  Odoo suite: no Odoo 18.0 found under CI (set ODOO_SRC)"); FAILED=1
    else
        SUMMARY+=("skipped Odoo suite: no Odoo 18.0 (point ODOO_SRC at an Odoo 18.0 checkout)")
    fi
fi

echo
echo "== summary"
printf '%s\n' "${SUMMARY[@]}"
exit "$FAILED"
