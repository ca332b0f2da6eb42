package org.prunelab.stages.prune;

import java.util.Arrays;

/**
 * numpy's default percentile ({@code method="linear"}, numpy ≥ 1.22), the threshold rule of the
 * mlp-pruning protocol §2.2: with the values sorted ascending, the virtual index is
 * q/100·(n−1); between its two neighbours a and b with weight t the result is numpy's
 * {@code _lerp}: a + (b−a)·t for t < 0.5 and b − (b−a)·(1−t) for t ≥ 0.5. So
 * percentile([1,2,3,4], 25) = 1.75.
 */
public final class Percentile {
    private Percentile() {
    }

    /** The q-th percentile (q in [0, 100]) of the first {@code n} entries of {@code values} (not modified). */
    public static double of(double[] values, int n, double q) {
        if (n < 1) {
            throw new IllegalArgumentException("percentile of no values");
        }
        double[] a = Arrays.copyOf(values, n);
        Arrays.sort(a);
        return ofSorted(a, q);
    }

    public static double ofSorted(double[] sorted, double q) {
        if (!(q >= 0.0 && q <= 100.0)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + q);
        }
        int n = sorted.length;
        double virtual = (q / 100.0) * (n - 1);
        int below = (int) Math.floor(virtual);
        int above = Math.min(below + 1, n - 1);
        double t = virtual - below;
        double a = sorted[below];
        double b = sorted[above];
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
    }
}
