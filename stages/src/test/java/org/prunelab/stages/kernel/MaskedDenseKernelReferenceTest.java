package org.prunelab.stages.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.linalg.BackendChoice;
import org.prunelab.stages.linalg.Gemm;

/**
 * Every {@link MaskedDenseKernel} against plain triple loops, on random masks and on binary (sparse
 * and dense: both the gather and the GEMM path) and real inputs: each element within 1e-12 of the
 * sum of its terms' magnitudes (the relative error a reordered fp64 sum can have).
 */
class MaskedDenseKernelReferenceTest {
    private static final double TOL = 1e-12;

    /** A tiny MaskedDense for tests (the Rbm lives in a family package). */
    record Layer(int inputs, int outputs, double[] weights, byte[] mask) implements MaskedDense {
        static Layer random(int in, int out, double sparsity, SplittableRandom rng) {
            double[] w = new double[in * out];
            byte[] m = new byte[in * out];
            for (int j = 0; j < w.length; j++) {
                if (rng.nextDouble() >= sparsity) {
                    m[j] = 1;
                    w[j] = rng.nextGaussian();
                }
            }
            return new Layer(in, out, w, m);
        }
    }

    static double[] binary(int n, int width, double density, SplittableRandom rng) {
        double[] x = new double[n * width];
        for (int j = 0; j < x.length; j++) {
            x[j] = rng.nextDouble() < density ? 1.0 : 0.0;
        }
        return x;
    }

    static double[] real(int n, int width, SplittableRandom rng) {
        double[] x = new double[n * width];
        for (int j = 0; j < x.length; j++) {
            x[j] = rng.nextGaussian();
        }
        return x;
    }

    static List<MaskedDenseKernel> kernels(Layer layer) {
        return List.of(new DenseKernel(Gemm.create(1), 1), new DenseKernel(Gemm.create(2), 2),
                new DenseKernel(Gemm.create(BackendChoice.JAVA, 2), 2), MaskedDenseKernels.sparse(layer));
    }

    @Test
    void everyKernelMatchesTheTripleLoopOnRandomMasksAndInputs() {
        SplittableRandom rng = new SplittableRandom(42);
        int[][] shapes = {{37, 23, 11}, {200, 60, 17}, {64, 130, 40}};
        for (int[] shape : shapes) {
            int in = shape[0], out = shape[1], n = shape[2];
            for (double sparsity : new double[] {0.0, 0.6, 0.97}) {
                Layer layer = Layer.random(in, out, sparsity, rng);
                double[] bIn = real(1, in, rng), bOut = real(1, out, rng);
                // binary at 3 % (gather path), binary at 50 % (GEMM path), real (GEMM path)
                List<double[]> lefts = List.of(binary(n, in, 0.03, rng), binary(n, in, 0.5, rng), real(n, in, rng));
                List<double[]> rights = List.of(binary(n, out, 0.03, rng), binary(n, out, 0.5, rng), real(n, out, rng));
                for (MaskedDenseKernel k : kernels(layer)) {
                    String where = k.name() + " " + in + "x" + out + " n=" + n + " s=" + sparsity;
                    for (int t = 0; t < lefts.size(); t++) {
                        double[] x = lefts.get(t), y = rights.get(t);
                        double[] fwd = new double[n * out];
                        k.forward(layer, bOut, x, n, fwd);
                        assertClose(forwardRef(layer, bOut, x, n), fwd, where + " forward input " + t);
                        double[] tr = new double[n * in];
                        k.transposed(layer, bIn, y, n, tr);
                        assertClose(transposedRef(layer, bIn, y, n), tr, where + " transposed input " + t);
                        double[] g = real(1, in * out, rng);
                        for (int j = 0; j < g.length; j++) {
                            g[j] = layer.mask[j] == 0 ? 0.0 : g[j];
                        }
                        double[][] expected = outerRef(layer, x, y, n, -0.37, g.clone());
                        k.outerGradient(layer, x, y, n, -0.37, g);
                        assertClose(expected, g, where + " outer input " + t);
                        for (int j = 0; j < g.length; j++) {
                            if (layer.mask[j] == 0) {
                                assertEquals(0L, Double.doubleToRawLongBits(g[j]), where + " masked g[" + j + "] touched");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void twoThreadsGiveTheSameBitsEveryTimeOnEveryPath() {
        SplittableRandom rng = new SplittableRandom(7);
        Layer layer = Layer.random(300, 200, 0.0, rng);
        double[] b = real(1, 200, rng);
        for (double[] x : List.of(binary(64, 300, 0.03, rng), real(64, 300, rng))) {
            double[] first = new double[64 * 200], again = new double[64 * 200];
            double[] g1 = new double[300 * 200], g2 = new double[300 * 200];
            double[] h = real(64, 200, rng);
            new DenseKernel(Gemm.create(2), 2).forward(layer, b, x, 64, first);
            new DenseKernel(Gemm.create(2), 2).forward(layer, b, x, 64, again);
            new DenseKernel(Gemm.create(2), 2).outerGradient(layer, x, h, 64, 0.5, g1);
            new DenseKernel(Gemm.create(2), 2).outerGradient(layer, x, h, 64, 0.5, g2);
            assertArrayEquals(first, again);
            assertArrayEquals(g1, g2);
        }
    }

    @Test
    void theGatherPathIsTakenOnlyForSparseBinaryOperands() {
        SplittableRandom rng = new SplittableRandom(3);
        assertTrue(BinaryRows.of(binary(10, 100, 0.03, rng), 10, 100, DenseKernel.GATHER_MAX_DENSITY) != null);
        assertEquals(null, BinaryRows.of(binary(10, 100, 0.6, rng), 10, 100, DenseKernel.GATHER_MAX_DENSITY));
        double[] almost = binary(10, 100, 0.03, rng);
        almost[57] = 0.5;
        assertEquals(null, BinaryRows.of(almost, 10, 100, DenseKernel.GATHER_MAX_DENSITY));
    }

    // --- plain references: value and the sum of |terms| per element ---

    static double[][] forwardRef(Layer l, double[] bias, double[] x, int n) {
        double[][] r = new double[2][n * l.outputs];
        for (int row = 0; row < n; row++) {
            for (int k = 0; k < l.outputs; k++) {
                double s = bias[k], a = Math.abs(bias[k]);
                for (int i = 0; i < l.inputs; i++) {
                    double term = x[row * l.inputs + i] * l.weights[i * l.outputs + k];
                    s += term;
                    a += Math.abs(term);
                }
                r[0][row * l.outputs + k] = s;
                r[1][row * l.outputs + k] = a;
            }
        }
        return r;
    }

    static double[][] transposedRef(Layer l, double[] bias, double[] y, int n) {
        double[][] r = new double[2][n * l.inputs];
        for (int row = 0; row < n; row++) {
            for (int i = 0; i < l.inputs; i++) {
                double s = bias[i], a = Math.abs(bias[i]);
                for (int k = 0; k < l.outputs; k++) {
                    double term = y[row * l.outputs + k] * l.weights[i * l.outputs + k];
                    s += term;
                    a += Math.abs(term);
                }
                r[0][row * l.inputs + i] = s;
                r[1][row * l.inputs + i] = a;
            }
        }
        return r;
    }

    static double[][] outerRef(Layer l, double[] x, double[] y, int n, double alpha, double[] g) {
        double[][] r = new double[2][g.length];
        for (int i = 0; i < l.inputs; i++) {
            for (int k = 0; k < l.outputs; k++) {
                int j = i * l.outputs + k;
                if (l.mask[j] == 0) {
                    r[0][j] = g[j];
                    continue;
                }
                double s = 0.0, a = 0.0;
                for (int row = 0; row < n; row++) {
                    double term = x[row * l.inputs + i] * y[row * l.outputs + k];
                    s += term;
                    a += Math.abs(term);
                }
                r[0][j] = g[j] + alpha * s;
                r[1][j] = Math.abs(g[j]) + Math.abs(alpha) * a;
            }
        }
        return r;
    }

    static void assertClose(double[][] expected, double[] actual, String where) {
        for (int j = 0; j < expected[0].length; j++) {
            double err = Math.abs(expected[0][j] - actual[j]);
            if (!(err <= TOL * expected[1][j])) {
                throw new AssertionError(where + ": element " + j + " is " + actual[j] + ", reference "
                        + expected[0][j] + " (error " + err + " > " + TOL + " x " + expected[1][j] + ")");
            }
        }
    }
}
