package org.prunelab.stages.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.kernel.MaskedDenseKernelReferenceTest.Layer;

/**
 * The threaded, re-blocked sparse kernels ({@link SparseKernel} for the RBM, {@link SparseLayerKernel}
 * for the MLP) on 1, 2 and 3 threads give the same bits as the single-threaded kernels they replaced
 * ({@link LegacySparseKernel}, {@link LegacySparseLayerKernel}), and agree with plain triple loops;
 * pruned gradient entries stay exactly 0. Random masks, binary (3 %, 13 %, 50 % on) and real inputs
 * (with exact zeros, as after a ReLU), batch sizes that are not multiples of the 4-row blocks, and
 * shapes large enough that every product is really split over the threads.
 */
class SparseKernelThreadsTest {
    private static final int[] THREADS = {1, 2, 3};

    @Test
    void rbmSparseKernelIsBitIdenticalToTheSingleThreadedOneOnAnyThreadCount() {
        SplittableRandom rng = new SplittableRandom(11);
        int[][] shapes = {{784, 500, 37}, {200, 150, 45}, {37, 23, 11}};
        for (int[] shape : shapes) {
            int in = shape[0], out = shape[1], n = shape[2];
            boolean large = in * out > 100_000; // there only to split over threads: no slow references
            for (double sparsity : large ? new double[] {0.9, 0.99} : new double[] {0.0, 0.6, 0.9, 0.99}) {
                Layer layer = Layer.random(in, out, sparsity, rng);
                double[] bIn = MaskedDenseKernelReferenceTest.real(1, in, rng);
                double[] bOut = MaskedDenseKernelReferenceTest.real(1, out, rng);
                List<double[]> lefts = List.of(MaskedDenseKernelReferenceTest.binary(n, in, 0.03, rng),
                        MaskedDenseKernelReferenceTest.binary(n, in, 0.13, rng),
                        MaskedDenseKernelReferenceTest.binary(n, in, 0.5, rng), withZeros(n, in, rng));
                // binary inputs meet real hidden probabilities (the RBM's gradients) and binary samples
                List<double[]> rights = List.of(MaskedDenseKernelReferenceTest.real(n, out, rng),
                        MaskedDenseKernelReferenceTest.binary(n, out, 0.5, rng),
                        MaskedDenseKernelReferenceTest.binary(n, out, 0.03, rng), withZeros(n, out, rng));
                LegacySparseKernel legacy = new LegacySparseKernel(layer);
                double[] g0 = MaskedDenseKernelReferenceTest.real(1, in * out, rng);
                for (int j = 0; j < g0.length; j++) {
                    g0[j] = layer.mask()[j] == 0 ? 0.0 : g0[j];
                }
                for (int t = 0; t < lefts.size(); t++) {
                    double[] x = lefts.get(t), y = rights.get(t);
                    double[] fwd = new double[n * out], tr = new double[n * in], g = g0.clone();
                    legacy.forward(layer, bOut, x, n, fwd);
                    legacy.transposed(layer, bIn, y, n, tr);
                    legacy.outerGradient(layer, x, y, n, -0.37, g);
                    String at = in + "x" + out + " n=" + n + " s=" + sparsity + " input " + t;
                    if (!large) {
                        MaskedDenseKernelReferenceTest.assertClose(MaskedDenseKernelReferenceTest.forwardRef(layer, bOut, x, n),
                                fwd, at + " forward vs reference");
                        MaskedDenseKernelReferenceTest.assertClose(MaskedDenseKernelReferenceTest.transposedRef(layer, bIn, y, n),
                                tr, at + " transposed vs reference");
                        MaskedDenseKernelReferenceTest.assertClose(MaskedDenseKernelReferenceTest.outerRef(layer, x, y, n, -0.37,
                                g0.clone()), g, at + " outer vs reference");
                    }
                    for (int threads : THREADS) {
                        SparseKernel k = new SparseKernel(layer, threads);
                        String where = at + " threads=" + threads;
                        double[] f2 = new double[n * out], t2 = new double[n * in], g2 = g0.clone();
                        k.forward(layer, bOut, x, n, f2);
                        k.transposed(layer, bIn, y, n, t2);
                        k.outerGradient(layer, x, y, n, -0.37, g2);
                        assertSameBits(fwd, f2, where + " forward");
                        assertSameBits(tr, t2, where + " transposed");
                        assertSameBits(g, g2, where + " outer gradient");
                        for (int j = 0; j < g2.length; j++) {
                            if (layer.mask()[j] == 0) {
                                assertEquals(0L, Double.doubleToRawLongBits(g2[j]), where + " masked g[" + j + "] touched");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aNonFiniteKeptWeightGivesTheSingleThreadedBitsToo() {
        // The transposed product's dot-product path adds 0·w for off hidden units, exact only for
        // finite w: with an infinite or NaN kept weight the kernel must take the scatter path.
        SplittableRandom rng = new SplittableRandom(23);
        int in = 200, out = 150, n = 45;
        for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NaN}) {
            Layer layer = Layer.random(in, out, 0.6, rng);
            int j = 0;
            while (layer.mask()[j] == 0) {
                j++;
            }
            layer.weights()[j] = bad;
            double[] bIn = MaskedDenseKernelReferenceTest.real(1, in, rng);
            double[] y = MaskedDenseKernelReferenceTest.binary(n, out, 0.5, rng);
            double[] expected = new double[n * in];
            new LegacySparseKernel(layer).transposed(layer, bIn, y, n, expected);
            for (int threads : THREADS) {
                double[] actual = new double[n * in];
                new SparseKernel(layer, threads).transposed(layer, bIn, y, n, actual);
                assertSameBits(expected, actual, "transposed with w = " + bad + ", threads=" + threads);
            }
        }
    }

    @Test
    void theLargestRbmProductsAreSplitOverThreads() {
        // forward at s = 0.9 with 13 % binary inputs, 37 rows: ~3.8k on entries x 50 kept per row.
        assertEquals(3, RowSplit.parts(37, 3, (long) (0.12 * 37 * 784) * 39_200 / 784));
        // outer gradient over 784 visible rows at s = 0.9.
        assertEquals(3, RowSplit.parts(784, 3, (long) (0.12 * 37 * 784) * 39_200 / 784));
    }

    @Test
    void mlpSparseLayerKernelIsBitIdenticalToTheSingleThreadedOneOnAnyThreadCount() {
        SplittableRandom rng = new SplittableRandom(13);
        int[][] shapes = {{784, 100, 64}, {784, 100, 37}, {120, 50, 33}, {37, 23, 9}};
        for (int[] shape : shapes) {
            int in = shape[0], out = shape[1], n = shape[2];
            boolean large = in * out > 10_000; // there only to split over threads: reference loops on the small shapes
            for (double sparsity : large ? new double[] {0.9} : new double[] {0.0, 0.8, 0.9, 0.97}) {
                byte[] mask = new byte[out * in];
                double[] w = new double[out * in];
                for (int j = 0; j < w.length; j++) {
                    if (rng.nextDouble() >= sparsity) {
                        mask[j] = 1;
                        w[j] = rng.nextGaussian();
                    }
                }
                double[] b = MaskedDenseKernelReferenceTest.real(1, out, rng);
                for (double[] x : List.of(MaskedDenseKernelReferenceTest.real(n, in, rng), withZeros(n, in, rng),
                        MaskedDenseKernelReferenceTest.binary(n, in, 0.13, rng))) {
                    double[] dz = withZeros(n, out, rng);
                    LegacySparseLayerKernel legacy = new LegacySparseLayerKernel(mask, in, out);
                    double[] z = new double[n * out], dx = new double[n * in];
                    double[] g0 = MaskedDenseKernelReferenceTest.real(1, out * in, rng);
                    for (int j = 0; j < g0.length; j++) {
                        g0[j] = mask[j] == 0 ? 0.0 : g0[j];
                    }
                    double[] g = g0.clone();
                    legacy.forward(w, b, x, n, z);
                    legacy.backwardInput(w, dz, n, dx);
                    legacy.weightGradient(x, dz, n, 0.25, g);
                    for (int threads : THREADS) {
                        String where = out + "x" + in + " n=" + n + " s=" + sparsity + " threads=" + threads;
                        SparseLayerKernel k = new SparseLayerKernel(mask, in, out, threads);
                        double[] z2 = new double[n * out], dx2 = new double[n * in], g2 = g0.clone();
                        k.forward(w, b, x, n, z2);
                        k.backwardInput(w, dz, n, dx2);
                        k.weightGradient(x, dz, n, 0.25, g2);
                        assertSameBits(z, z2, where + " forward");
                        assertSameBits(dx, dx2, where + " backwardInput");
                        assertSameBits(g, g2, where + " weightGradient");
                        for (int j = 0; j < g2.length; j++) {
                            if (mask[j] == 0) {
                                assertEquals(0L, Double.doubleToRawLongBits(g2[j]), where + " pruned g[" + j + "] touched");
                            }
                        }
                        if (large || threads > 1) {
                            continue; // the same bits as threads = 1, checked against the reference below
                        }
                        for (int r = 0; r < n; r++) {
                            for (int o = 0; o < out; o++) {
                                double s = b[o], a = Math.abs(b[o]);
                                for (int i = 0; i < in; i++) {
                                    s += x[r * in + i] * w[o * in + i];
                                    a += Math.abs(x[r * in + i] * w[o * in + i]);
                                }
                                assertTrue(Math.abs(s - z2[r * out + o]) <= 1e-12 * a, where + " forward vs reference");
                            }
                        }
                        for (int o = 0; o < out; o++) {
                            for (int i = 0; i < in; i++) {
                                int j = o * in + i;
                                if (mask[j] == 0) {
                                    assertEquals(0L, Double.doubleToRawLongBits(g2[j]), where + " pruned g touched");
                                    continue;
                                }
                                double s = 0.0, a = Math.abs(g0[j]);
                                for (int r = 0; r < n; r++) {
                                    s += dz[r * out + o] * x[r * in + i];
                                    a += 0.25 * Math.abs(dz[r * out + o] * x[r * in + i]);
                                }
                                assertTrue(Math.abs(g0[j] + 0.25 * s - g2[j]) <= 1e-12 * a, where + " weightGradient vs reference");
                            }
                        }
                    }
                }
            }
        }
        assertEquals(3, RowSplit.parts(64, 3, 64L * 7_840));
        assertEquals(3, RowSplit.parts(100, 3, 64L * 7_840));
    }

    /** Gaussian values with about half of them exactly 0 (ReLU outputs and their gradients). */
    static double[] withZeros(int n, int width, SplittableRandom rng) {
        double[] x = MaskedDenseKernelReferenceTest.real(n, width, rng);
        for (int j = 0; j < x.length; j++) {
            if (rng.nextBoolean()) {
                x[j] = 0.0;
            }
        }
        return x;
    }

    static void assertSameBits(double[] expected, double[] actual, String where) {
        assertEquals(expected.length, actual.length, where + ": length");
        for (int j = 0; j < expected.length; j++) {
            if (Double.doubleToRawLongBits(expected[j]) != Double.doubleToRawLongBits(actual[j])) {
                throw new AssertionError(where + ": element " + j + " is " + actual[j] + ", single-threaded kernel gave "
                        + expected[j]);
            }
        }
    }
}
