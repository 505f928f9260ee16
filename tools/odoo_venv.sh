#!/usr/bin/env bash
# Builds (or reuses) a virtualenv with Odoo 18.0's own pinned requirements for
# one Python interpreter, then installs the addon's requirements on top of it
# WITHOUT moving any of Odoo's pins (Odoo's requirements.txt is the pip
# constraint file). Prints the virtualenv's python path on the last line.
#
# Usage: ODOO_SRC=../shared/odoo-18.0 bash tools/odoo_venv.sh python3.10
#
# The virtualenv lives outside the repository, in
# ${L10N_FR_PA_VENV_CACHE:-$HOME/.cache/l10n_fr_einvoice_pa}/venv-<python>-<hash>,
# keyed by a hash of Odoo's requirements and ours, so a second run only checks it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYBIN="${1:?usage: odoo_venv.sh PYTHON (e.g. python3.10)}"
: "${ODOO_SRC:?ODOO_SRC must point to an Odoo 18.0 source tree}"
ODOO_SRC="$(cd "$ODOO_SRC" && pwd)"
CACHE="${L10N_FR_PA_VENV_CACHE:-$HOME/.cache/l10n_fr_einvoice_pa}"
mkdir -p "$CACHE"

# A bare "python3.10" may be a pyenv shim that answers "command not found"
# when 3.10 is not the selected version: look for the interpreter itself.
if ! "$PYBIN" -c 'pass' >/dev/null 2>&1; then
    want="${PYBIN#python}"
    found=""
    for cand in "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/"$want"*/bin/python"$want" \
            /usr/bin/python"$want" /usr/local/bin/python"$want"; do
        if [ -x "$cand" ]; then found="$cand"; break; fi
    done
    [ -n "$found" ] || { echo "no $PYBIN interpreter found (pyenv or /usr/bin)" >&2; exit 1; }
    PYBIN="$found"
fi
pyver="$("$PYBIN" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
# Bump LAYOUT when the way the virtualenv is built changes.
LAYOUT=1
key="$( (echo "layout $LAYOUT"; cat "$ODOO_SRC/requirements.txt" "$ROOT/requirements.txt" \
    "$ROOT/requirements-test.txt") | sha256sum | cut -c1-12)"
VENV="$CACHE/venv-py$pyver-$key"

if [ -x "$VENV/bin/python" ] && [ -f "$VENV/.complete" ]; then
    echo "== Odoo virtualenv (python$pyver, Odoo pins): reusing $VENV" >&2
    echo "$VENV/bin/python"
    exit 0
fi

echo "== Odoo virtualenv (python$pyver, Odoo pins): building $VENV (a few minutes)" >&2
rm -rf "$VENV"
"$PYBIN" -m venv "$VENV"
VPY="$VENV/bin/python"

# Odoo's pins, less python-ldap (needs the LDAP headers; auth_ldap is not used).
PINS="$VENV/odoo-requirements.txt"
grep -viE '^[[:space:]]*python-ldap' "$ODOO_SRC/requirements.txt" > "$PINS"
# Build constraints for the old sdists of the oldest pins (gevent 21.8.0 on
# Python 3.10 builds only with Cython 3.0.0b1; setuptools 80 dropped what they use).
BUILD_CONSTRAINTS="$VENV/build-constraints.txt"
echo 'setuptools<80' > "$BUILD_CONSTRAINTS"
if [ "$pyver" = "3.10" ]; then
    echo 'Cython==3.0.0b1' >> "$BUILD_CONSTRAINTS"
fi

export PIP_CONSTRAINT="$BUILD_CONSTRAINTS"
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$VPY" -m pip install --quiet 'pip<25' 'setuptools<80' wheel packaging >&2
"$VPY" -m pip install --quiet -r "$PINS" >&2
# Ours on top, with Odoo's pins as constraints: pip refuses rather than upgrades.
"$VPY" -m pip install --quiet -c "$PINS" -r "$ROOT/requirements.txt" -r "$ROOT/requirements-test.txt" >&2
# Prove nothing moved.
"$VPY" - "$PINS" >&2 <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
from packaging.requirements import Requirement
moved = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.marker and not req.marker.evaluate():
        continue
    try:
        installed = version(req.name)
    except PackageNotFoundError:
        continue
    if req.specifier and installed not in req.specifier:
        moved.append(f"{req.name} {installed} (Odoo pins {req.specifier})")
if moved:
    sys.exit("Odoo's pins moved: " + ", ".join(moved))
PY
"$VPY" -m pip check >&2 || true
touch "$VENV/.complete"
echo "$VENV/bin/python"
