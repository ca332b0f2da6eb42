package org.prunelab.stages.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.linalg.BackendChoice;
import org.prunelab.stages.linalg.Gemm;

/**
 * The MLP's {@link LayerKernel}s (GEMM dense on the native and the forced pure-Java backend, 1 and 2
 * threads, and the CSR sparse kernel) against plain triple loops on random masks: each element within
 * 1e-12 of the sum of its terms' magnitudes; the sparse kernel leaves pruned gradient entries untouched.
 */
class LayerKernelReferenceTest {
    private static final double TOL = 1e-12;

    @Test
    void everyLayerKernelMatchesTheTripleLoop() {
        SplittableRandom rng = new SplittableRandom(5);
        int[][] shapes = {{37, 23, 9}, {120, 50, 33}};
        for (int[] shape : shapes) {
            int in = shape[0], out = shape[1], n = shape[2];
            for (double sparsity : new double[] {0.0, 0.8, 0.97}) {
                byte[] mask = new byte[out * in];
                double[] w = new double[out * in];
                for (int j = 0; j < w.length; j++) {
                    if (rng.nextDouble() >= sparsity) {
                        mask[j] = 1;
                        w[j] = rng.nextGaussian();
                    }
                }
                double[] b = MaskedDenseKernelReferenceTest.real(1, out, rng);
                double[] x = MaskedDenseKernelReferenceTest.real(n, in, rng);
                double[] dz = MaskedDenseKernelReferenceTest.real(n, out, rng);
                List<LayerKernel> kernels = List.of(new DenseLayerKernel(in, out, Gemm.create(1)),
                        new DenseLayerKernel(in, out, Gemm.create(2)),
                        new DenseLayerKernel(in, out, Gemm.create(BackendChoice.JAVA, 2)),
                        LayerKernels.sparse(mask, in, out));
                for (LayerKernel k : kernels) {
                    String where = k.name() + " " + out + "x" + in + " s=" + sparsity;
                    double[] z = new double[n * out];
                    k.forward(w, b, x, n, z);
                    double[] dx = new double[n * in];
                    k.backwardInput(w, dz, n, dx);
                    double[] g = new double[out * in];
                    k.weightGradient(x, dz, n, 0.25, g);
                    for (int r = 0; r < n; r++) {
                        for (int o = 0; o < out; o++) {
                            double s = b[o], a = Math.abs(b[o]);
                            for (int i = 0; i < in; i++) {
                                s += x[r * in + i] * w[o * in + i];
                                a += Math.abs(x[r * in + i] * w[o * in + i]);
                            }
                            check(s, a, z[r * out + o], where + " forward");
                        }
                        for (int i = 0; i < in; i++) {
                            double s = 0.0, a = 0.0;
                            for (int o = 0; o < out; o++) {
                                s += dz[r * out + o] * w[o * in + i];
                                a += Math.abs(dz[r * out + o] * w[o * in + i]);
                            }
                            check(s, a, dx[r * in + i], where + " backwardInput");
                        }
                    }
                    for (int o = 0; o < out; o++) {
                        for (int i = 0; i < in; i++) {
                            int j = o * in + i;
                            if (mask[j] == 0 && k.name().equals("sparse")) {
                                assertEquals(0L, Double.doubleToRawLongBits(g[j]), where + " pruned g touched");
                                continue;
                            }
                            double s = 0.0, a = 0.0;
                            for (int r = 0; r < n; r++) {
                                s += dz[r * out + o] * x[r * in + i];
                                a += Math.abs(dz[r * out + o] * x[r * in + i]);
                            }
                            check(0.25 * s, 0.25 * a, g[j], where + " weightGradient");
                        }
                    }
                }
            }
        }
    }

    @Test
    void twoThreadsRepeatBitForBit() {
        SplittableRandom rng = new SplittableRandom(9);
        int in = 784, out = 100, n = 64;
        double[] w = MaskedDenseKernelReferenceTest.real(out, in, rng);
        double[] b = MaskedDenseKernelReferenceTest.real(1, out, rng);
        double[] x = MaskedDenseKernelReferenceTest.real(n, in, rng);
        double[] z1 = new double[n * out], z2 = new double[n * out];
        new DenseLayerKernel(in, out, Gemm.create(2)).forward(w, b, x, n, z1);
        new DenseLayerKernel(in, out, Gemm.create(2)).forward(w, b, x, n, z2);
        assertArrayEquals(z1, z2);
    }

    private static void check(double expected, double magnitude, double actual, String where) {
        double err = Math.abs(expected - actual);
        if (!(err <= TOL * magnitude)) {
            throw new AssertionError(where + ": " + actual + " vs reference " + expected + " (error " + err + ")");
        }
    }
}
