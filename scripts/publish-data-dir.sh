# Sourced by the data scripts. publish_data_dir STAGING OUT: checksum the staged data set, open its
# permissions (mktemp -d makes it owner-only) and move it into place in one rename, so a killed
# import leaves either the old directory or the complete new one, never a half-written one.
publish_data_dir() {
    local staging=$1 out=$2 old
    (cd "$staging" && sha256sum SOURCE.txt *-ubyte* >SHA256SUMS)
    chmod 755 "$staging"; chmod 644 "$staging"/*
    if [[ -e $out ]]; then
        old=$(dirname "$out")/.$(basename "$out").previous-$$
        mv "$out" "$old"
        mv "$staging" "$out"
        rm -rf "$old"
    else
        mv "$staging" "$out"
    fi
}
