package org.prunelab.stages.linalg;

import dev.ludovic.netlib.blas.BLAS;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pure-Java GEMM: netlib's {@code VectorBLAS} (Java Vector API; needs
 * {@code --add-modules jdk.incubator.vector} at run time) when that module is present, else netlib's
 * plain blocked loops ({@code Java8BLAS}). Neither is threaded, so this class splits the columns of
 * the (column-major) C — the rows of prunelab's row-major C — into one contiguous block per thread.
 * Every element of C is computed by exactly one thread, and the split depends only on the shape and
 * the thread count, so a given thread count is bit-reproducible.
 */
final class JavaBlasBackend implements GemmBackend {

    /** Below this many multiply-adds a second thread costs more than it saves. */
    private static final long MIN_PARALLEL_WORK = 1L << 20;

    /** Daemon workers shared by every instance; they never keep the JVM alive. */
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "prunelab-gemm");
        t.setDaemon(true);
        return t;
    });

    private final BLAS blas;
    private final String name;
    private final String detail;

    private JavaBlasBackend(BLAS blas, String name, String detail) {
        this.blas = blas;
        this.name = name;
        this.detail = detail;
    }

    /** The fastest pure-Java path this JVM can run. */
    static JavaBlasBackend fastest() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return new JavaBlasBackend(NetlibInstances.get("VectorBLAS"), "java-vector",
                        "netlib VectorBLAS (Java Vector API)");
            } catch (IllegalStateException e) {
                // The module is there but unusable (e.g. another JDK's incubator API): fall through.
            }
        }
        return loops();
    }

    /** The plain-loop path, whatever the JVM offers (tests use it to cover the last resort). */
    static JavaBlasBackend loops() {
        return new JavaBlasBackend(NetlibInstances.get("Java8BLAS"), "java-loop",
                "netlib Java8BLAS (blocked Java loops; run with --add-modules jdk.incubator.vector for SIMD)");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String detail() {
        return detail;
    }

    @Override
    public void dgemm(String transA, String transB, int m, int n, int k, double alpha, double[] a, int aOffset,
            int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc, int threads) {
        forEachColumnBlock(m, n, k, threads, (j0, j1) -> {
            int w = j1 - j0;
            if ("N".equals(transB) || (j0 == 0 && j1 == n)) {
                int bStart = "N".equals(transB) ? bOffset + j0 * ldb : bOffset;
                blas.dgemm(transA, transB, m, w, k, alpha, a, aOffset, lda, b, bStart, ldb, beta, c, cOffset + j0 * ldc,
                        ldc);
            } else {
                // Rows j0..j1 of a transposed B: netlib's bounds check wants every row's full stride
                // after the offset, which a block that does not start at row 0 lacks; copy it compact.
                double[] block = new double[w * k];
                for (int p = 0; p < k; p++) {
                    System.arraycopy(b, bOffset + p * ldb + j0, block, p * w, w);
                }
                blas.dgemm(transA, transB, m, w, k, alpha, a, aOffset, lda, block, 0, w, beta, c, cOffset + j0 * ldc, ldc);
            }
        });
    }

    @Override
    public void sgemm(String transA, String transB, int m, int n, int k, float alpha, float[] a, int aOffset,
            int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc, int threads) {
        forEachColumnBlock(m, n, k, threads, (j0, j1) -> {
            int w = j1 - j0;
            if ("N".equals(transB) || (j0 == 0 && j1 == n)) {
                int bStart = "N".equals(transB) ? bOffset + j0 * ldb : bOffset;
                blas.sgemm(transA, transB, m, w, k, alpha, a, aOffset, lda, b, bStart, ldb, beta, c, cOffset + j0 * ldc,
                        ldc);
            } else {
                float[] block = new float[w * k];
                for (int p = 0; p < k; p++) {
                    System.arraycopy(b, bOffset + p * ldb + j0, block, p * w, w);
                }
                blas.sgemm(transA, transB, m, w, k, alpha, a, aOffset, lda, block, 0, w, beta, c, cOffset + j0 * ldc, ldc);
            }
        });
    }

    @FunctionalInterface
    private interface ColumnBlock {
        void run(int j0, int j1);
    }

    /** Runs column blocks [j0, j1) of C, one per thread; the caller's thread takes the first block. */
    private static void forEachColumnBlock(int m, int n, int k, int threads, ColumnBlock block) {
        int blocks = (long) m * n * k < MIN_PARALLEL_WORK ? 1 : Math.min(threads, n);
        if (blocks <= 1) {
            block.run(0, n);
            return;
        }
        List<Future<?>> others = new ArrayList<>(blocks - 1);
        for (int t = 1; t < blocks; t++) {
            int j0 = (int) ((long) n * t / blocks);
            int j1 = (int) ((long) n * (t + 1) / blocks);
            others.add(WORKERS.submit(() -> block.run(j0, j1)));
        }
        block.run(0, (int) ((long) n / blocks));
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a GEMM block", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a GEMM block failed", e.getCause());
            }
        }
    }
}
