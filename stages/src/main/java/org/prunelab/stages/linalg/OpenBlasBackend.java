package org.prunelab.stages.linalg;

import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Native OpenBLAS. The library comes from JavaCPP's {@code org.bytedeco:openblas} jar (so no install
 * step: {@link Loader} extracts it to {@code ~/.javacpp/cache} and loads it); the calls go through
 * netlib's {@code JNIBLAS}, whose JNI pins Java arrays without copying them (JavaCPP's own array
 * overloads copy every operand in and out, which measured up to 2x slower at the RBM shapes).
 * Both bind the same loaded library, so the thread count set through JavaCPP is the one netlib's
 * calls run with.
 *
 * <p>OpenBLAS keeps one process-wide thread count. Every call takes a lock, sets the count it was
 * asked for if it differs, and runs: a result therefore always comes from the thread count its
 * caller asked for (OpenBLAS splits GEMM over rows/columns of C, never over k, so a given thread
 * count is bit-reproducible). Concurrent native calls are serialised; callers parallelise inside
 * OpenBLAS, not around it.
 */
final class OpenBlasBackend implements GemmBackend {

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static int threadsInForce = -1;

    private final BLAS blas;
    private final String detail;

    private OpenBlasBackend(BLAS blas, String detail) {
        this.blas = blas;
        this.detail = detail;
    }

    /**
     * Loads the bundled OpenBLAS and binds netlib's JNI to it.
     *
     * @throws IllegalStateException with the reason when it cannot (other platform, no cache dir, ...)
     */
    static OpenBlasBackend load() {
        try {
            Loader.load(openblas_nolapack.class);
            Path library = mappedOpenBlas();
            // Read by JNIBLAS's static initialiser: it dlopens this file, which the dynamic linker
            // resolves to the handle JavaCPP already opened (one library, one thread pool).
            System.setProperty("dev.ludovic.netlib.blas.nativeLibPath", library.toString());
            BLAS blas = NetlibInstances.get("JNIBLAS");
            String coretype = System.getenv("OPENBLAS_CORETYPE");
            String detail = "OpenBLAS " + bundledVersion() + " from org.bytedeco:openblas via netlib JNI"
                    + (coretype == null || coretype.isBlank() ? "" : ", OPENBLAS_CORETYPE=" + coretype);
            return new OpenBlasBackend(blas, detail);
        } catch (RuntimeException | LinkageError e) {
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), e);
        }
    }

    /** The OpenBLAS file this process mapped (Linux: /proc/self/maps; the bundled jar is Linux-only). */
    private static Path mappedOpenBlas() {
        try {
            List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
            for (String line : maps) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.contains("libopenblas")) {
                    return Path.of(line.substring(slash).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/maps to locate the loaded OpenBLAS", e);
        }
        throw new IllegalStateException("JavaCPP loaded openblas_nolapack but no libopenblas is mapped");
    }

    private static String bundledVersion() {
        try (InputStream in = Loader.class.getResourceAsStream("/META-INF/maven/org.bytedeco/openblas/pom.properties")) {
            if (in == null) {
                return "(version unknown)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown)";
        }
    }

    @Override
    public String name() {
        return "openblas-native";
    }

    @Override
    public String detail() {
        return detail;
    }

    @Override
    public void dgemm(String transA, String transB, int m, int n, int k, double alpha, double[] a, int aOffset,
            int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc, int threads) {
        LOCK.lock();
        try {
            useThreads(threads);
            blas.dgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        } finally {
            LOCK.unlock();
        }
    }

    @Override
    public void sgemm(String transA, String transB, int m, int n, int k, float alpha, float[] a, int aOffset,
            int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc, int threads) {
        LOCK.lock();
        try {
            useThreads(threads);
            blas.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        } finally {
            LOCK.unlock();
        }
    }

    private static void useThreads(int threads) {
        if (threads != threadsInForce) {
            openblas_nolapack.blas_set_num_threads(threads);
            threadsInForce = threads;
        }
    }
}
