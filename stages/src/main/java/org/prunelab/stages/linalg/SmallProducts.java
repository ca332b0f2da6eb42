package org.prunelab.stages.linalg;

/**
 * fp64 GEMM as plain Java loops, for products too small to repay a native call (see
 * {@link Gemm#withLoopsBelow}). Row-major, the same arguments and meaning as {@link Gemm#dgemm}
 * (already checked by it). Element (i, j) is {@code beta·C(i,j) + Σ_p alpha·op(A)(i,p)·op(B)(p,j)},
 * summed left to right from the scaled C in increasing p, one element at a time: a fixed order, so
 * results depend on the inputs only (no thread count, no backend).
 */
final class SmallProducts {
    private SmallProducts() {
    }

    static void dgemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha, double[] a, int aOffset,
            int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc) {
        // Strides of op(A) along its rows (i) and along p, and of op(B) along p and its columns (j).
        int aI = transA == Transpose.NO ? lda : 1, aP = transA == Transpose.NO ? 1 : lda;
        int bP = transB == Transpose.NO ? ldb : 1, bJ = transB == Transpose.NO ? 1 : ldb;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOffset + i * ldc + j;
                double acc = beta == 0.0 ? 0.0 : beta * c[at];   // beta = 0 overwrites (NaNs in C do not propagate)
                for (int p = 0, ai = aOffset + i * aI, bj = bOffset + j * bJ; p < k; p++, ai += aP, bj += bP) {
                    acc += alpha * a[ai] * b[bj];
                }
                c[at] = acc;
            }
        }
    }
}
