#!/usr/bin/env bash
# Builds (or updates) the project-local virtualenv with a pinned MLflow server.
#   scripts/mlflow-venv.sh VENV_DIR MLFLOW_VERSION
# Leaves VENV_DIR/mlflow-VERSION.installed behind on success (Make's stamp for the pin).
# Fallbacks when python3 has no working venv module (Debian without python3-venv):
# a pip-less venv filled by the system pip (pip >= 22.3, --python), then the virtualenv module.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 VENV_DIR MLFLOW_VERSION" >&2; exit 2; }
venv=$1 version=$2
stamp=$venv/mlflow-$version.installed
die() { echo "mlflow-venv: $*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 not found; install it, or set MLFLOW_TRACKING_URI to an existing server"

pip_in_venv() { "$venv/bin/python" -m pip "$@"; }

if [[ ! -x $venv/bin/python ]]; then
    echo "Creating $venv with $(python3 --version 2>&1)"
    rm -rf "$venv"
    if python3 -m venv "$venv" 2>/tmp/mlflow-venv.$$.err; then
        :
    else
        echo "mlflow-venv: 'python3 -m venv' failed: $(tail -n 2 /tmp/mlflow-venv.$$.err)" >&2
        rm -rf "$venv"
        if python3 -m venv --without-pip "$venv" 2>/dev/null && python3 -m pip --version >/dev/null 2>&1; then
            echo "mlflow-venv: using a pip-less venv filled by the system pip (--python)" >&2
            pip_in_venv() { python3 -m pip --python "$venv/bin/python" "$@"; }
        elif rm -rf "$venv" && python3 -m virtualenv "$venv" >/dev/null 2>&1; then
            echo "mlflow-venv: created with the virtualenv module" >&2
        else
            rm -rf "$venv"
            rm -f /tmp/mlflow-venv.$$.err
            die "python3 cannot create a virtual environment. On Debian/Ubuntu: apt-get install python3-venv.
Or point MLFLOW_TRACKING_URI at an existing server (then no local server is needed)."
        fi
    fi
    rm -f /tmp/mlflow-venv.$$.err
elif ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    pip_in_venv() { python3 -m pip --python "$venv/bin/python" "$@"; }
fi

echo "Installing mlflow==$version into $venv (first time: a few minutes) ..."
if ! pip_in_venv install --quiet --disable-pip-version-check "mlflow==$version"; then
    die "pip could not install mlflow==$version (no access to the package index?)"
fi
installed=$("$venv/bin/mlflow" --version 2>/dev/null || true)
[[ $installed == *"$version"* ]] || die "expected mlflow $version in $venv, found '$installed'"
rm -f "$venv"/mlflow-*.installed
touch "$stamp"
echo "$installed ready in $venv"
