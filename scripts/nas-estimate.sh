#!/usr/bin/env bash
# Prints the expected cost of a graph-cnn architecture search config before it starts (make reproduce-nas).
# The model: every candidate has about (min_nodes + max_nodes) / 2 cells of C -> C 3x3 convolutions at
# (32 / stem_stride)^2 positions; forward + backward is about 3 x 2 x MACs floating-point operations per
# image; GFLOPS is the sustained rate of one process (default 20, a modern core with OpenBLAS; measure
# yours and set NAS_GFLOPS). Full trainings: seeds x (population + arms x generations x (train_top +
# holdout)), minus the shared generation 0 of the second arm.
set -euo pipefail
config=${1:?usage: nas-estimate.sh CONFIG}
value() { # the first "key: value" (indented or inside {...}) of the config
  grep -oE "(^|[ {,])$1: *[0-9.]+" "$config" | head -1 | sed -E 's/.*: *//'
}
gflops=${NAS_GFLOPS:-20}
awk -v seeds="$(value seeds)" -v pop="$(value population)" -v gens="$(value generations)" \
    -v top="$(value train_top)" -v hold="$(value holdout)" -v lo="$(value min_nodes)" -v hi="$(value max_nodes)" \
    -v c="$(value channels)" -v stride="$(value stem_stride)" -v epochs="$(value epochs)" -v val="$(value validation)" \
    -v gflops="$gflops" -v arms="$(grep -oE 'arms: *[a-z,]+' "$config" | sed -E 's/arms: *//' | tr ',' '\n' | grep -c .)" '
BEGIN {
  trainings = seeds * (pop + arms * gens * (top + hold));
  side = 32 / stride; cells = (lo + hi) / 2;
  macs = cells * c * c * 9 * side * side + 3 * c * 9 * 32 * 32 / stride / stride;
  flops_per_image = 6 * macs;
  images = (50000 - val) * epochs + (val + 10000) * epochs / 3;
  hours = trainings * images * flops_per_image / (gflops * 1e9) / 3600;
  printf "nas estimate: %d full trainings (%d seeds x (%d + %d arms x %d generations x %d)), ~%.0f cells of %d channels at %dx%d,\n", trainings, seeds, pop, arms, gens, top + hold, cells, c, side, side;
  printf "  %.2f GFLOP per image and pass, %d epochs: about %.0f hours at %g GFLOP/s (%.1f days); set NAS_GFLOPS to your rate.\n", flops_per_image / 1e9, epochs, hours, gflops, hours / 24;
}'
