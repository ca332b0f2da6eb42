#!/usr/bin/env bash
# Builds the benchmark virtualenv with the pinned peers (numpy, scipy, scikit-learn, threadpoolctl).
#   scripts/bench/bench-venv.sh VENV_DIR REQUIREMENTS
# Leaves VENV_DIR/requirements.installed (a copy of REQUIREMENTS) behind on success: Make's stamp,
# so changing a pin rebuilds the environment.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 VENV_DIR REQUIREMENTS" >&2; exit 2; }
venv=$1 requirements=$2
die() { echo "bench-venv: $*" >&2; exit 1; }
command -v python3 >/dev/null || die "python3 not found (the peer benchmarks need it)"
[[ -f $requirements ]] || die "no requirements file $requirements"
if [[ ! -x $venv/bin/python ]]; then
    echo "Creating $venv with $(python3 --version 2>&1)"
    rm -rf "$venv"
    python3 -m venv "$venv" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" \
    || die "pip could not install the pins in $requirements"
cp "$requirements" "$venv/requirements.installed"
