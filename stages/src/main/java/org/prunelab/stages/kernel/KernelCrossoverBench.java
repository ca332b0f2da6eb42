package org.prunelab.stages.kernel;

import java.util.Locale;
import java.util.SplittableRandom;
import org.prunelab.stages.linalg.Gemm;

/**
 * Micro-benchmark (not a test) behind {@link DenseKernel#GATHER_MAX_DENSITY}: at the RBM shape
 * (batch 100, 784 visible, 500 hidden) the time of v·W and of the gradient vᵀ·h through the
 * binary gather path and through GEMM, for binary v of several densities. Prints one line per
 * density; the gather path pays where its ratio is below 1.
 *
 * <p>Usage: {@code java -cp prunelab.jar org.prunelab.stages.kernel.KernelCrossoverBench [threads=1]}.
 */
public final class KernelCrossoverBench {
    private KernelCrossoverBench() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int n = 100, in = 784, out = 500;
        SplittableRandom rng = new SplittableRandom(1);
        MaskedDenseKernelFixture layer = MaskedDenseKernelFixture.dense(in, out, rng);
        Gemm gemm = Gemm.create(threads);
        DenseKernel kernel = new DenseKernel(gemm, threads);
        double[] bias = new double[out];
        double[] y = new double[n * out];
        double[] h = new double[n * out];
        for (int j = 0; j < h.length; j++) {
            h[j] = rng.nextDouble();
        }
        double[] g = new double[in * out];
        for (double density : new double[] {0.05, 0.1, 0.13, 0.2, 0.25, 0.3, 0.4, 0.5}) {
            double[] v = new double[n * in];
            for (int j = 0; j < v.length; j++) {
                v[j] = rng.nextDouble() < density ? 1.0 : 0.0;
            }
            // The same binary v as doubles that are not 0/1 would force GEMM; instead time GEMM directly.
            double gather = time(() -> kernel.forward(layer, bias, v, n, y));
            double dense = time(() -> gemm.dgemm(org.prunelab.stages.linalg.Transpose.NO,
                    org.prunelab.stages.linalg.Transpose.NO, n, out, in, 1.0, v, in, layer.weights(), out, 1.0, y, out));
            double gatherG = time(() -> kernel.outerGradient(layer, v, h, n, 0.01, g));
            double denseG = time(() -> gemm.dgemm(org.prunelab.stages.linalg.Transpose.YES,
                    org.prunelab.stages.linalg.Transpose.NO, in, out, n, 0.01, v, in, h, out, 1.0, g, out));
            System.out.printf(Locale.ROOT, "KERNEL density=%.2f threads=%d v.W gather=%.1fus gemm=%.1fus ratio=%.2f"
                    + "  vt.h gather=%.1fus gemm=%.1fus ratio=%.2f%n", density, threads, gather, dense, gather / dense,
                    gatherG, denseG, gatherG / denseG);
        }
    }

    /**
     * Median microseconds of repeated calls after warm-up, in this thread's CPU time: on a shared
     * machine wall time measures the neighbours (valid for threads = 1, where every path runs in
     * the calling thread).
     */
    static double time(Runnable r) {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 200; i++) {
            r.run();
        }
        double[] t = new double[31];
        for (int s = 0; s < t.length; s++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < 20; i++) {
                r.run();
            }
            t[s] = (cpu.getCurrentThreadCpuTime() - t0) / 20e3;
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }

    /** A dense random layer. */
    record MaskedDenseKernelFixture(int inputs, int outputs, double[] weights, byte[] mask) implements MaskedDense {
        static MaskedDenseKernelFixture dense(int in, int out, SplittableRandom rng) {
            double[] w = new double[in * out];
            for (int j = 0; j < w.length; j++) {
                w[j] = 0.01 * rng.nextGaussian();
            }
            byte[] m = new byte[in * out];
            java.util.Arrays.fill(m, (byte) 1);
            return new MaskedDenseKernelFixture(in, out, w, m);
        }
    }
}
