package org.prunelab.stages.linalg;

/**
 * One way of computing a GEMM. Calls are in BLAS's own (column-major) convention with offsets, so
 * every backend is a thin adapter; {@link Gemm} does the row-major mapping and the argument checks
 * once, before anything reaches native code (a bad length there would crash the JVM, not throw).
 */
interface GemmBackend {

    /** Stable short name recorded in manifests and MLflow params, e.g. {@code openblas-native}. */
    String name();

    /** A line of detail for the announcement: library, version, where it came from. */
    String detail();

    void dgemm(String transA, String transB, int m, int n, int k, double alpha, double[] a, int aOffset, int lda,
            double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc, int threads);

    void sgemm(String transA, String transB, int m, int n, int k, float alpha, float[] a, int aOffset, int lda,
            float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc, int threads);
}
