package org.prunelab.stages.recurrent;

import org.prunelab.stages.linalg.Gemm;
import org.prunelab.stages.linalg.Transpose;

/**
 * The dense products back-propagation through time needs, on row-major arrays, all through the
 * shared {@link Gemm} (native OpenBLAS when it loads). One thread: the recurrent products are small
 * per call, and a fixed thread count keeps results bit-reproducible for a given backend. Graph-wired
 * networks have many layers of a few units, so products below {@link Gemm#NATIVE_PAYS_FROM}
 * multiply-adds run as Gemm's plain loops ({@link Gemm#withLoopsBelow}).
 */
final class Products {
    private static final Gemm GEMM = Gemm.create(1).withLoopsBelow(Gemm.NATIVE_PAYS_FROM);

    private Products() {
    }

    /** The backend the recurrent family's products run on (for manifests and logs). */
    static String backend() {
        return GEMM.backendName();
    }

    /** c(m×n) = a(m×k) · b(n×k)ᵀ + bias (bias may be null): rows of b are output units. */
    static void timesTransposed(double[] a, int m, int k, double[] b, int n, double[] bias, double[] c) {
        timesTransposed(a, 0, m, k, b, n, bias, c, 0);
    }

    /** As above, reading a from {@code aOffset} and writing c from {@code cOffset}. */
    static void timesTransposed(double[] a, int aOffset, int m, int k, double[] b, int n, double[] bias, double[] c,
                                int cOffset) {
        fillRows(c, cOffset, m, n, bias);
        GEMM.dgemm(Transpose.NO, Transpose.YES, m, n, k, 1.0, a, aOffset, k, b, 0, k, bias == null ? 0.0 : 1.0, c,
                cOffset, n);
    }

    /** c(m×n) += a(m×k) · b(k×n), reading a from {@code aOffset}. */
    static void timesAccumulate(double[] a, int aOffset, int m, int k, double[] b, int n, double[] c) {
        GEMM.dgemm(Transpose.NO, Transpose.NO, m, n, k, 1.0, a, aOffset, k, b, 0, n, 1.0, c, 0, n);
    }

    /** c(m×n) += a(m×k) · b(k×n). */
    static void timesAccumulate(double[] a, int m, int k, double[] b, int n, double[] c) {
        timesAccumulate(a, 0, m, k, b, n, c);
    }

    /** c(n×k) += a(m×n)ᵀ · b(m×k): the weight gradient Σ_rows δᵀ x. */
    static void transposedTimesAccumulate(double[] a, int m, int n, double[] b, int k, double[] c) {
        transposedTimesAccumulate(a, 0, m, n, b, 0, k, c);
    }

    /** As above, reading a from {@code aOffset} and b from {@code bOffset} (rows shifted in time). */
    static void transposedTimesAccumulate(double[] a, int aOffset, int m, int n, double[] b, int bOffset, int k,
                                          double[] c) {
        GEMM.dgemm(Transpose.YES, Transpose.NO, n, k, m, 1.0, a, aOffset, n, b, bOffset, k, 1.0, c, 0, k);
    }

    /** v(n) += column sums of a(m×n). */
    static void columnSumsAccumulate(double[] a, int m, int n, double[] v) {
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                v[j] += a[r * n + j];
            }
        }
    }

    private static void fillRows(double[] c, int offset, int m, int n, double[] bias) {
        if (bias == null) {
            return;   // beta = 0 overwrites
        }
        for (int i = 0; i < m; i++) {
            System.arraycopy(bias, 0, c, offset + i * n, n);
        }
    }
}
