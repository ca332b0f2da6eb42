package org.prunelab.stages.linalg;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The process's numeric runtime: how many threads the kernels use ({@code runtime.threads}, default
 * all cores) and the {@link Gemm} bound to that count. The engine sets the thread count once from
 * the config before steps run; kernels capture {@link #gemm()} and {@link #threads()} when they are
 * built, so one kernel keeps one thread count for its whole life (bit-identical results need it).
 *
 * <p>A thread count changes only how work is split, never what is computed beyond rounding, and
 * each output element is computed by one thread in a fixed order: the same count gives bit-identical
 * results. That is why {@code runtime.threads} is recorded (manifest, MLflow params) but is no part
 * of any step identity.
 */
public final class Numerics {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile Gemm gemm;

    private Numerics() {
    }

    /** Threads the kernels built from now on use. */
    public static int threads() {
        return threads;
    }

    /** Sets the thread count ({@code 0} = all cores); kernels built before keep theirs. */
    public static synchronized void setThreads(int requested) {
        if (requested < 0) {
            throw new IllegalArgumentException("runtime.threads must be >= 0 (0 = all cores), got " + requested);
        }
        int t = requested == 0 ? Runtime.getRuntime().availableProcessors() : requested;
        if (t != threads) {
            threads = t;
            gemm = null;
        }
    }

    /** The GEMM for the current thread count and the backend the environment asks for. */
    public static Gemm gemm() {
        Gemm g = gemm;
        if (g == null || g.threads() != threads) {
            synchronized (Numerics.class) {
                g = gemm;
                if (g == null || g.threads() != threads) {
                    g = Gemm.create(threads);
                    gemm = g;
                }
            }
        }
        return g;
    }

    /** What manifests and MLflow params record: backend name and thread count. */
    public static Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("linalg.backend", gemm().backendName());
        d.put("linalg.threads", Integer.toString(threads));
        return d;
    }
}
