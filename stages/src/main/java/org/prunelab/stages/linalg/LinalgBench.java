package org.prunelab.stages.linalg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Micro-benchmark (not a test): GEMM GFLOP/s of prunelab's backends at the RBM shapes, the MLP's and at a
 * large square shape (the machine's roofline), fp64 and fp32, on 1 and 2 threads. Prints one
 * machine-readable line per figure, the format {@code scripts/bench/peers.py} reads and its Python
 * peers print too:
 *
 * <pre>BENCH name=gemm-v.W impl=prunelab backend=openblas-native precision=fp64 threads=1 value=52.1 unit=GFLOP/s</pre>
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp prunelab.jar org.prunelab.stages.linalg.LinalgBench
 * [backends=native,java] [threads=1,2] [seconds per figure=0.5]}.
 */
public final class LinalgBench {

    /** name, m, n, k, op(A) transposed?, op(B) transposed?: v·W, h·Wᵀ, vᵀ·h (the weight gradient), large. */
    private record Shape(String name, int m, int n, int k, Transpose ta, Transpose tb) {
        double flops() {
            return 2.0 * m * n * k;
        }
    }

    static final List<Shape> SHAPES = List.of(
            new Shape("gemm-v.W", 100, 500, 784, Transpose.NO, Transpose.NO),
            new Shape("gemm-h.Wt", 100, 784, 500, Transpose.NO, Transpose.YES),
            new Shape("gemm-vt.h", 784, 500, 100, Transpose.YES, Transpose.NO),
            new Shape("gemm-large", 1024, 1024, 1024, Transpose.NO, Transpose.NO),
            // The five products of one MLP 784-100-10 update at batch 64 (MlpBench): forward of each layer
            // (x·Wᵀ), the second layer's input gradient, both weight gradients (dzᵀ·x).
            new Shape("gemm-mlp-x.W1t", 64, 100, 784, Transpose.NO, Transpose.YES),
            new Shape("gemm-mlp-h.W2t", 64, 10, 100, Transpose.NO, Transpose.YES),
            new Shape("gemm-mlp-dz2.W2", 64, 100, 10, Transpose.NO, Transpose.NO),
            new Shape("gemm-mlp-dz2t.h", 10, 100, 64, Transpose.YES, Transpose.NO),
            new Shape("gemm-mlp-dz1t.x", 100, 784, 64, Transpose.YES, Transpose.NO));

    private LinalgBench() {
    }

    public static void main(String[] args) {
        List<BackendChoice> choices = new ArrayList<>();
        for (String c : (args.length > 0 ? args[0] : "native,java").split(",")) {
            choices.add(BackendChoice.parse(c, "LinalgBench argument 1"));
        }
        int[] threadCounts = Arrays.stream((args.length > 1 ? args[1] : "1,2").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 0.5;
        for (BackendChoice choice : choices) {
            for (int threads : threadCounts) {
                Gemm gemm = Gemm.create(choice, threads);
                for (Shape shape : SHAPES) {
                    if (shape.name().equals("gemm-large") && gemm.backendName().startsWith("java")) {
                        // Pure Java at 1024³ takes a second per product; the RBM shapes say enough.
                        continue;
                    }
                    print(shape, gemm, "fp64", measure(shape, gemm, false, seconds));
                    print(shape, gemm, "fp32", measure(shape, gemm, true, seconds));
                }
            }
        }
    }

    private static void print(Shape shape, Gemm gemm, String precision, double gflops) {
        System.out.printf(Locale.ROOT, "BENCH name=%s impl=prunelab backend=%s precision=%s threads=%d value=%.2f unit=GFLOP/s%n",
                shape.name(), gemm.backendName(), precision, gemm.threads(), gflops);
    }

    /** Best GFLOP/s over timed batches filling about {@code seconds}, after a warm-up batch. */
    static double measure(Shape s, Gemm gemm, boolean fp32, double seconds) {
        SplittableRandom rng = new SplittableRandom(1);
        int aLen = s.m() * s.k(), bLen = s.k() * s.n();
        int lda = s.ta() == Transpose.NO ? s.k() : s.m(), ldb = s.tb() == Transpose.NO ? s.n() : s.k();
        double[] a = new double[aLen], b = new double[bLen], c = new double[s.m() * s.n()];
        for (int i = 0; i < aLen; i++) {
            a[i] = rng.nextDouble();
        }
        for (int i = 0; i < bLen; i++) {
            b[i] = rng.nextDouble();
        }
        float[] af = new float[aLen], bf = new float[bLen], cf = new float[c.length];
        for (int i = 0; i < aLen; i++) {
            af[i] = (float) a[i];
        }
        for (int i = 0; i < bLen; i++) {
            bf[i] = (float) b[i];
        }
        Runnable product = fp32
                ? () -> gemm.sgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), 1f, af, lda, bf, ldb, 0f, cf, s.n())
                : () -> gemm.dgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), 1.0, a, lda, b, ldb, 0.0, c, s.n());
        long t0 = System.nanoTime();
        product.run();
        double once = Math.max((System.nanoTime() - t0) / 1e9, 1e-6);
        int reps = (int) Math.max(1, Math.min(1000, seconds / 5 / once));
        double best = Double.MAX_VALUE;
        for (int batch = 0; batch < 5; batch++) {
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                product.run();
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9 / reps);
        }
        return s.flops() / best / 1e9;
    }
}
