package org.prunelab.stages.linalg;

/**
 * Dense matrix product on row-major arrays, at BLAS speed when native OpenBLAS loads:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where op(X) is X or Xᵀ, op(A) is m×k, op(B) is k×n
 * and C is m×n. Element (i, j) of a row-major matrix X with leading dimension ldx is
 * {@code x[offset + i * ldx + j]}; an operand's array must hold {@code offset + rows * ldx} elements
 * (the last row's padding included). {@code beta == 0} overwrites C (NaNs in C do not propagate).
 *
 * <p>Knows nothing of models: kernels of every family share it. One instance is bound to a backend
 * and a thread count; it is safe to share between threads. Results are bit-identical for the same
 * inputs, backend and thread count; across backends or thread counts they agree to rounding.
 *
 * <p>Backend choice: see {@link BackendChoice}; {@link #backendName()} is what manifests and MLflow
 * params should record.
 */
public final class Gemm {

    /**
     * Below this many multiply-adds (m·n·k) a plain loop beats a native call (measured on the graph-wired
     * recurrent networks, whose layers have a few units each): the threshold for {@link #withLoopsBelow}.
     */
    public static final long NATIVE_PAYS_FROM = 4_096;

    private final GemmBackend backend;
    private final int threads;
    /** fp64 products with fewer multiply-adds than this run as {@link SmallProducts} loops; 0: none do. */
    private final long loopsBelow;

    private Gemm(GemmBackend backend, int threads) {
        this(backend, threads, 0);
    }

    private Gemm(GemmBackend backend, int threads, long loopsBelow) {
        if (threads < 1) {
            throw new IllegalArgumentException("linalg threads must be >= 1, got " + threads);
        }
        this.backend = backend;
        this.threads = threads;
        this.loopsBelow = loopsBelow;
    }

    /**
     * This GEMM, except that fp64 products of fewer than {@code multiplyAdds} multiply-adds (m·n·k) run
     * as plain Java loops in a fixed order ({@link SmallProducts}), which is faster for tiny shapes
     * than a native call. The choice depends on shapes only, so results stay reproducible. Opt-in,
     * not the default: loops round differently from the backend (no FMA, another summation order),
     * so switching a caller changes its results in the last bits.
     */
    public Gemm withLoopsBelow(long multiplyAdds) {
        if (multiplyAdds < 0) {
            throw new IllegalArgumentException("GEMM: loop threshold must be >= 0 multiply-adds, got " + multiplyAdds);
        }
        return new Gemm(backend, threads, multiplyAdds);
    }

    /** The backend asked for by {@link BackendChoice#fromEnvironment()} (native when it loads, by default). */
    public static Gemm create(int threads) {
        return create(BackendChoice.fromEnvironment(), threads);
    }

    /** The backend {@code choice} asks for; the first selection in a process is announced on stderr. */
    public static Gemm create(BackendChoice choice, int threads) {
        return new Gemm(Backends.select(choice), threads);
    }

    /** The plain-loop Java path regardless of the JVM's Vector API (for tests of the last resort). */
    static Gemm javaLoops(int threads) {
        return new Gemm(JavaBlasBackend.loops(), threads);
    }

    /** Stable short name of the backend: {@code openblas-native}, {@code java-vector} or {@code java-loop}. */
    public String backendName() {
        return backend.name();
    }

    /** Library, version and origin of the backend, for logs. */
    public String backendDetail() {
        return backend.detail();
    }

    public int threads() {
        return threads;
    }

    /** fp64 GEMM on whole arrays (offsets 0). */
    public void dgemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha, double[] a, int lda,
            double[] b, int ldb, double beta, double[] c, int ldc) {
        dgemm(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
    }

    /** fp64 GEMM; operands start at the given offsets (for row blocks of larger arrays). */
    public void dgemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha, double[] a, int aOffset,
            int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc) {
        check(transA, transB, m, n, k, a == null ? -1 : a.length, aOffset, lda, b == null ? -1 : b.length, bOffset,
                ldb, c == null ? -1 : c.length, cOffset, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(c, cOffset, ldc, m, n, beta);
            return;
        }
        if ((long) m * n * k < loopsBelow) {
            SmallProducts.dgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        // Row-major C = op(A) op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ, and a row-major array read
        // column-major is its transpose: so swap the operands and keep the flags.
        backend.dgemm(transB.blasFlag(), transA.blasFlag(), n, m, k, alpha, b, bOffset, ldb, a, aOffset, lda, beta, c,
                cOffset, ldc, threads);
    }

    /** fp32 GEMM on whole arrays (offsets 0). */
    public void sgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha, float[] a, int lda,
            float[] b, int ldb, float beta, float[] c, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
    }

    /** fp32 GEMM; operands start at the given offsets. */
    public void sgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha, float[] a, int aOffset,
            int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        check(transA, transB, m, n, k, a == null ? -1 : a.length, aOffset, lda, b == null ? -1 : b.length, bOffset,
                ldb, c == null ? -1 : c.length, cOffset, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(c, cOffset, ldc, m, n, beta);
            return;
        }
        backend.sgemm(transB.blasFlag(), transA.blasFlag(), n, m, k, alpha, b, bOffset, ldb, a, aOffset, lda, beta, c,
                cOffset, ldc, threads);
    }

    /** C = beta * C, the whole product when k == 0 (netlib's bounds checks refuse empty operands). */
    private static void scale(double[] c, int offset, int ldc, int m, int n, double beta) {
        for (int i = 0; i < m; i++) {
            for (int j = offset + i * ldc, end = j + n; j < end; j++) {
                c[j] = beta == 0.0 ? 0.0 : beta * c[j];
            }
        }
    }

    private static void scale(float[] c, int offset, int ldc, int m, int n, float beta) {
        for (int i = 0; i < m; i++) {
            for (int j = offset + i * ldc, end = j + n; j < end; j++) {
                c[j] = beta == 0f ? 0f : beta * c[j];
            }
        }
    }

    /**
     * Every check BLAS would make, and the array bounds it would not: native code reading past an
     * array corrupts memory instead of throwing, so nothing unchecked may reach it.
     */
    private static void check(Transpose transA, Transpose transB, int m, int n, int k, int aLength, int aOffset,
            int lda, int bLength, int bOffset, int ldb, int cLength, int cOffset, int ldc) {
        if (transA == null || transB == null) {
            throw new IllegalArgumentException("GEMM: transpose flags must not be null");
        }
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("GEMM: dimensions must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        // Stored shapes: A is m×k (or k×m when transposed), B is k×n (or n×k).
        checkOperand("A", aLength, aOffset, lda, transA == Transpose.NO ? m : k, transA == Transpose.NO ? k : m);
        checkOperand("B", bLength, bOffset, ldb, transB == Transpose.NO ? k : n, transB == Transpose.NO ? n : k);
        checkOperand("C", cLength, cOffset, ldc, m, n);
    }

    private static void checkOperand(String name, int length, int offset, int ld, int rows, int cols) {
        if (length < 0) {
            throw new IllegalArgumentException("GEMM: operand " + name + " is null");
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("GEMM: leading dimension of " + name + " is " + ld
                    + ", must be >= max(1, " + cols + ") (its stored row length)");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("GEMM: offset of " + name + " is " + offset + ", must be >= 0");
        }
        // Like netlib, the last row is counted at its full leading dimension (padding included).
        long needed = rows == 0 || cols == 0 ? 0 : offset + (long) rows * ld;
        if (needed > length) {
            throw new IllegalArgumentException("GEMM: operand " + name + " (" + rows + "x" + cols + ", ld " + ld
                    + ", offset " + offset + ") needs " + needed + " elements, array has " + length);
        }
    }
}
