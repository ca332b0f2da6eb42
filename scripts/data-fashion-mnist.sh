#!/usr/bin/env bash
# Produces OUT_DIR = Fashion-MNIST's four IDX files (.gz, official 60k/10k split) + SOURCE.txt + SHA256SUMS,
# taken from Debian's dataset-fashion-mnist package (files under /usr/share/datasets/fashion-mnist/).
#   scripts/data-fashion-mnist.sh OUT_DIR JAR
# Needs no root: 'apt-get download' + 'dpkg -x'. Exits non-zero when apt cannot deliver; the
# Makefile treats that as a warning.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/publish-data-dir.sh"

[[ $# -eq 2 ]] || { echo "usage: $0 OUT_DIR JAR" >&2; exit 2; }
out=$1 jar=$2
pkg=dataset-fashion-mnist
names=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
die() { echo "data-fashion-mnist: $*" >&2; exit 1; }

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "apt-get/dpkg not available"
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/prunelab-fashion.XXXXXX")
staging=""
cleanup() { rm -rf "$tmp"; [[ -z $staging ]] || rm -rf "$staging"; }
trap cleanup EXIT

# As root, apt would try to drop to the _apt user, which cannot write into our private temp dir.
apt_opts=()
[[ $(id -u) -eq 0 ]] && apt_opts=(-o APT::Sandbox::User=root)
download() { (cd "$tmp" && apt-get download -q "${apt_opts[@]}" "$pkg" >/dev/null); }
if ! download; then
    if [[ $(id -u) -eq 0 ]]; then
        echo "apt-get download failed; running apt-get update once" >&2
        apt-get update -q >/dev/null && download || die "apt-get download $pkg failed"
    else
        die "apt-get download $pkg failed (not root, so no apt-get update)"
    fi
fi
deb=$(ls "$tmp"/*.deb)
version=$(dpkg-deb -f "$deb" Version)
dpkg-deb -x "$deb" "$tmp/root"

# Leftovers of an import that was killed (the output itself is never half-written).
rm -rf "$(dirname "$out")"/.fashion-mnist.import-* "$(dirname "$out")"/.fashion-mnist.previous-*
staging=$(mktemp -d "$(dirname "$out")/.fashion-mnist.import-XXXXXX")
for n in "${names[@]}"; do
    src=$(find "$tmp/root" -type f \( -name "$n" -o -name "$n.gz" \) | head -n 1)
    [[ -n $src ]] || die "$pkg $version contains no $n[.gz]"
    cp "$src" "$staging/"
done
if [[ -f $jar ]]; then
    java -cp "$jar" org.prunelab.stages.data.DatasetSummary "$staging" idx
fi
{
    echo "Fashion-MNIST (Zalando Research, MIT licence) for prunelab"
    echo "Source: Debian package $pkg $version ($(basename "$deb"), sha256 $(sha256sum "$deb" | cut -d' ' -f1)),"
    echo "files /usr/share/datasets/fashion-mnist/*-ubyte.gz copied unchanged."
    echo "Split: the official one (train-* = 60,000 train, t10k-* = 10,000 test)."
} >"$staging/SOURCE.txt"
publish_data_dir "$staging" "$out"
staging=""
echo "Fashion-MNIST ready in $out"
