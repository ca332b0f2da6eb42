package org.prunelab.stages.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.kernel.MaskedDenseKernelReferenceTest.Layer;
import org.prunelab.stages.linalg.BackendChoice;
import org.prunelab.stages.linalg.Gemm;

/**
 * The single-precision kernels ({@code runtime.precision: float32}) against fp64 triple loops, on
 * random masks with binary (sparse and half on) and real inputs, on native OpenBLAS (1 and 2 threads)
 * and on the forced pure-Java path.
 *
 * <p>Tolerance, per element: {@code (k + 3)·u·Σ|terms|} with u = 2⁻²⁴ (the unit roundoff of float)
 * and k the product's inner dimension. Rounding each operand to float costs at most u each (binary
 * operands convert exactly), the float product one more u without FMA, and a k-term float sum in any
 * order (blocked, FMA, threads) at most (k − 1)·u of Σ|terms|: the classical bound γ, to first order.
 * Bias, alpha and the accumulation into g are in double and add only fp64 rounding (counted in the
 * spare u). A violation is therefore a bug, not bad luck; and the test also checks that the kernel
 * really rounds to float (an fp64 kernel would pass the bound, so it must differ from fp64 somewhere).
 */
class Float32KernelTest {
    private static final double U = Math.ulp(1.0f) / 2; // 2^-24

    static List<Float32DenseKernel> kernels() {
        return List.of(new Float32DenseKernel(Gemm.create(1)), new Float32DenseKernel(Gemm.create(2)),
                new Float32DenseKernel(Gemm.create(BackendChoice.JAVA, 2)));
    }

    @Test
    void rbmKernelMatchesTheFp64TripleLoopWithinTheFloatBound() {
        SplittableRandom rng = new SplittableRandom(42);
        int[][] shapes = {{37, 23, 11}, {200, 60, 17}, {64, 130, 40}};
        double largestRelative = 0.0;
        for (int[] shape : shapes) {
            int in = shape[0], out = shape[1], n = shape[2];
            for (double sparsity : new double[] {0.0, 0.6, 0.97}) {
                Layer layer = Layer.random(in, out, sparsity, rng);
                double[] bIn = MaskedDenseKernelReferenceTest.real(1, in, rng);
                double[] bOut = MaskedDenseKernelReferenceTest.real(1, out, rng);
                List<double[]> lefts = List.of(MaskedDenseKernelReferenceTest.binary(n, in, 0.03, rng),
                        MaskedDenseKernelReferenceTest.binary(n, in, 0.5, rng), MaskedDenseKernelReferenceTest.real(n, in, rng));
                List<double[]> rights = List.of(MaskedDenseKernelReferenceTest.binary(n, out, 0.03, rng),
                        MaskedDenseKernelReferenceTest.binary(n, out, 0.5, rng), MaskedDenseKernelReferenceTest.real(n, out, rng));
                for (Float32DenseKernel k : kernels()) {
                    String where = k.name() + " " + in + "x" + out + " n=" + n + " s=" + sparsity;
                    for (int t = 0; t < lefts.size(); t++) {
                        double[] x = lefts.get(t), y = rights.get(t);
                        double[] fwd = new double[n * out];
                        k.forward(layer, bOut, x, n, fwd);
                        largestRelative = Math.max(largestRelative, assertWithinFloatBound(
                                MaskedDenseKernelReferenceTest.forwardRef(layer, bOut, x, n), fwd, in, where + " forward " + t));
                        double[] tr = new double[n * in];
                        k.transposed(layer, bIn, y, n, tr);
                        largestRelative = Math.max(largestRelative, assertWithinFloatBound(
                                MaskedDenseKernelReferenceTest.transposedRef(layer, bIn, y, n), tr, out, where + " transposed " + t));
                        double[] g = MaskedDenseKernelReferenceTest.real(1, in * out, rng);
                        for (int j = 0; j < g.length; j++) {
                            g[j] = layer.mask()[j] == 0 ? 0.0 : g[j];
                        }
                        double[][] expected = MaskedDenseKernelReferenceTest.outerRef(layer, x, y, n, -0.37, g.clone());
                        k.outerGradient(layer, x, y, n, -0.37, g);
                        assertWithinFloatBound(expected, g, n, where + " outer " + t);
                        for (int j = 0; j < g.length; j++) {
                            if (layer.mask()[j] == 0) {
                                assertEquals(0L, Double.doubleToRawLongBits(g[j]), where + " masked g[" + j + "] touched");
                            }
                        }
                    }
                }
            }
        }
        // Single precision shows: somewhere the error is far above what fp64 could produce (1e-12).
        assertTrue(largestRelative > 1e-9, "largest relative error " + largestRelative + ": not rounded to float?");
    }

    /**
     * The RBM's two-phase gradient: with as many model rows as data rows, one product over the stacked
     * phases (k = 2n, so the bound is (2n + 3)·u of all terms' magnitudes); with a different number of
     * model rows (PCD with other chain counts), exactly the two single-phase calls.
     */
    @Test
    void contrastiveGradientFormsBothPhasesWithinTheFloatBound() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int[] shape : new int[][] {{37, 23, 11, 11}, {200, 60, 17, 17}, {64, 130, 12, 20}}) {
            int in = shape[0], out = shape[1], n = shape[2], m = shape[3];
            for (double sparsity : new double[] {0.0, 0.6}) {
                Layer layer = Layer.random(in, out, sparsity, rng);
                double[] xData = MaskedDenseKernelReferenceTest.binary(n, in, 0.13, rng);
                double[] yData = MaskedDenseKernelReferenceTest.real(n, out, rng);
                double[] xModel = MaskedDenseKernelReferenceTest.binary(m, in, 0.13, rng);
                double[] yModel = MaskedDenseKernelReferenceTest.real(m, out, rng);
                double[] g0 = MaskedDenseKernelReferenceTest.real(1, in * out, rng);
                for (int j = 0; j < g0.length; j++) {
                    g0[j] = layer.mask()[j] == 0 ? 0.0 : g0[j];
                }
                double[][] data = MaskedDenseKernelReferenceTest.outerRef(layer, xData, yData, n, -1.0 / n, g0.clone());
                double[][] both = MaskedDenseKernelReferenceTest.outerRef(layer, xModel, yModel, m, 1.0 / m, data[0].clone());
                for (int j = 0; j < g0.length; j++) {
                    both[1][j] += data[1][j] - Math.abs(data[0][j]); // |g| once, plus both phases' terms
                }
                for (Float32DenseKernel k : kernels()) {
                    String where = k.name() + " " + in + "x" + out + " n=" + n + " m=" + m + " s=" + sparsity;
                    double[] g = g0.clone();
                    k.contrastiveGradient(layer, xData, yData, n, xModel, yModel, m, g);
                    assertWithinFloatBound(both, g, n + m, where);
                    for (int j = 0; j < g.length; j++) {
                        if (layer.mask()[j] == 0) {
                            assertEquals(0L, Double.doubleToRawLongBits(g[j]), where + " masked g[" + j + "] touched");
                        }
                    }
                    if (n != m) {
                        double[] twoCalls = g0.clone();
                        k.outerGradient(layer, xData, yData, n, -1.0 / n, twoCalls);
                        k.outerGradient(layer, xModel, yModel, m, 1.0 / m, twoCalls);
                        assertArrayEquals(twoCalls, g, where + ": n != m must be the two single-phase calls");
                    }
                }
            }
        }
    }

    @Test
    void layerKernelMatchesTheFp64TripleLoopWithinTheFloatBound() {
        SplittableRandom rng = new SplittableRandom(5);
        int[][] shapes = {{37, 23, 9}, {120, 50, 33}};
        for (int[] shape : shapes) {
            int in = shape[0], out = shape[1], n = shape[2];
            for (double sparsity : new double[] {0.0, 0.8}) {
                double[] w = new double[out * in];
                for (int j = 0; j < w.length; j++) {
                    w[j] = rng.nextDouble() >= sparsity ? rng.nextGaussian() : 0.0;
                }
                double[] b = MaskedDenseKernelReferenceTest.real(1, out, rng);
                for (double[] x : List.of(MaskedDenseKernelReferenceTest.binary(n, in, 0.5, rng),
                        MaskedDenseKernelReferenceTest.real(n, in, rng))) {
                    double[] dz = MaskedDenseKernelReferenceTest.real(n, out, rng);
                    for (Gemm gemm : List.of(Gemm.create(1), Gemm.create(2), Gemm.create(BackendChoice.JAVA, 2))) {
                        Float32DenseLayerKernel k = new Float32DenseLayerKernel(in, out, gemm);
                        String where = gemm.backendName() + "/" + gemm.threads() + " " + out + "x" + in + " s=" + sparsity;
                        double[] z = new double[n * out];
                        k.forward(w, b, x, n, z);
                        double[] dx = new double[n * in];
                        k.backwardInput(w, dz, n, dx);
                        double[] g0 = MaskedDenseKernelReferenceTest.real(1, out * in, rng);
                        double[] g = g0.clone();
                        k.weightGradient(x, dz, n, 0.25, g);
                        double[][] zRef = new double[2][n * out], dxRef = new double[2][n * in], gRef = new double[2][out * in];
                        for (int r = 0; r < n; r++) {
                            for (int o = 0; o < out; o++) {
                                zRef[0][r * out + o] = b[o];
                                zRef[1][r * out + o] = Math.abs(b[o]);
                                for (int i = 0; i < in; i++) {
                                    double term = x[r * in + i] * w[o * in + i];
                                    zRef[0][r * out + o] += term;
                                    zRef[1][r * out + o] += Math.abs(term);
                                    double back = dz[r * out + o] * w[o * in + i];
                                    dxRef[0][r * in + i] += back;
                                    dxRef[1][r * in + i] += Math.abs(back);
                                    double grad = dz[r * out + o] * x[r * in + i];
                                    gRef[0][o * in + i] += 0.25 * grad;
                                    gRef[1][o * in + i] += 0.25 * Math.abs(grad);
                                }
                            }
                        }
                        for (int j = 0; j < g0.length; j++) {
                            gRef[0][j] += g0[j];
                            gRef[1][j] += Math.abs(g0[j]);
                        }
                        assertWithinFloatBound(zRef, z, in, where + " forward");
                        assertWithinFloatBound(dxRef, dx, out, where + " backwardInput");
                        assertWithinFloatBound(gRef, g, n, where + " weightGradient");
                    }
                }
            }
        }
    }

    @Test
    void twoThreadsRepeatBitForBitAndNativeAgreesWithPureJava() {
        SplittableRandom rng = new SplittableRandom(7);
        Layer layer = Layer.random(300, 200, 0.5, rng);
        double[] b = MaskedDenseKernelReferenceTest.real(1, 200, rng);
        double[] x = MaskedDenseKernelReferenceTest.binary(64, 300, 0.13, rng);
        double[] h = MaskedDenseKernelReferenceTest.real(64, 200, rng);
        double[][] first = products(new Float32DenseKernel(Gemm.create(2)), layer, b, x, h);
        double[][] again = products(new Float32DenseKernel(Gemm.create(2)), layer, b, x, h);
        for (int p = 0; p < first.length; p++) {
            assertArrayEquals(first[p], again[p], "product " + p + " repeated");
        }
        double[][] java = products(new Float32DenseKernel(Gemm.create(BackendChoice.JAVA, 2)), layer, b, x, h);
        double[][] reference = {MaskedDenseKernelReferenceTest.forwardRef(layer, b, x, 64)[1],
            MaskedDenseKernelReferenceTest.outerRef(layer, x, h, 64, 1.0, new double[300 * 200])[1]};
        int[] inner = {300, 64};
        for (int p = 0; p < first.length; p++) {
            for (int j = 0; j < first[p].length; j++) {
                // Both are within the float bound of the exact value, so within twice it of each other.
                double bound = 2 * (inner[p] + 3) * U * reference[p][j];
                assertTrue(Math.abs(first[p][j] - java[p][j]) <= bound, "native vs pure Java, product " + p + " element " + j);
            }
        }
    }

    private static double[][] products(Float32DenseKernel k, Layer layer, double[] b, double[] x, double[] h) {
        double[] fwd = new double[64 * 200], g = new double[300 * 200];
        k.forward(layer, b, x, 64, fwd);
        k.outerGradient(layer, x, h, 64, 1.0, g);
        return new double[][] {fwd, g};
    }

    @Test
    void theWeightCopyIsRefreshedAfterWeightsChangedAndForAnotherArray() {
        SplittableRandom rng = new SplittableRandom(11);
        Layer layer = Layer.random(50, 40, 0.0, rng);
        double[] b = new double[40];
        double[] x = MaskedDenseKernelReferenceTest.real(3, 50, rng);
        Float32DenseKernel k = new Float32DenseKernel(Gemm.create(1));
        double[] before = new double[3 * 40], stale = new double[3 * 40], after = new double[3 * 40];
        k.forward(layer, b, x, 3, before);
        for (int j = 0; j < layer.weights().length; j++) {
            layer.weights()[j] *= 2.0; // in place, as an optimiser step does
        }
        k.forward(layer, b, x, 3, stale);
        assertArrayEquals(before, stale, "the copy is reused until the owner says the weights changed");
        k.weightsChanged();
        k.forward(layer, b, x, 3, after);
        for (int j = 0; j < after.length; j++) {
            assertEquals(2.0 * before[j], after[j], 0.0, "doubling W exactly doubles the float product, element " + j);
        }
        Layer other = new Layer(50, 40, layer.weights().clone(), layer.mask());
        other.weights()[0] += 1.0;
        double[] viaOther = new double[3 * 40];
        k.forward(other, b, x, 3, viaOther);
        assertNotEquals(after[0], viaOther[0], "a different weight array is converted, not served from the copy");
    }

    /**
     * Each element within (k + 3)·u of the sum of its terms' magnitudes; returns the largest
     * error relative to that sum (to show the rounding is float's, not double's).
     */
    static double assertWithinFloatBound(double[][] expected, double[] actual, int k, String where) {
        double largest = 0.0;
        for (int j = 0; j < expected[0].length; j++) {
            double err = Math.abs(expected[0][j] - actual[j]);
            double bound = (k + 3) * U * expected[1][j];
            if (!(err <= bound)) {
                throw new AssertionError(where + ": element " + j + " is " + actual[j] + ", fp64 reference "
                        + expected[0][j] + " (error " + err + " > (" + k + " + 3)·2^-24 x " + expected[1][j] + ")");
            }
            if (expected[1][j] > 0) {
                largest = Math.max(largest, err / expected[1][j]);
            }
        }
        return largest;
    }
}
