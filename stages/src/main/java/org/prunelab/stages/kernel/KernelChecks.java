package org.prunelab.stages.kernel;

/** Argument checks shared by the kernels: a short array would otherwise fail deep inside a loop. */
final class KernelChecks {
    private KernelChecks() {
    }

    static void rows(String name, double[] x, int n, int width) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (x.length < (long) n * width) {
            throw new IllegalArgumentException(name + " has length " + x.length + ", need at least " + n + "*" + width);
        }
    }
}
