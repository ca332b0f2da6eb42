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

    /** A bias must have exactly one entry per unit of its direction. */
    static void bias(double[] bias, int width) {
        if (bias.length != width) {
            throw new IllegalArgumentException("bias has length " + bias.length + ", expected " + width);
        }
    }

    /** A gradient must have exactly one entry per weight. */
    static void gradient(double[] g, int size) {
        if (g.length != size) {
            throw new IllegalArgumentException("g has length " + g.length + ", expected " + size);
        }
    }

    /** Number of kept (non-zero) mask entries. */
    static int kept(byte[] mask) {
        int c = 0;
        for (byte m : mask) {
            c += m != 0 ? 1 : 0;
        }
        return c;
    }
}
