package org.prunelab.stages.families.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The MLP's exact Hessian diagonal, Fisher diagonal and input moments, by hand and by finite differences. */
class MlpCurvatureTest {
    /**
     * 2 → 2, no hidden layer, W = I, b = 0, one sample x = (1, 2), label 0: z = (1, 2),
     * p = (1/(1+e), e/(1+e)), ∂²ℓ/∂z_j² = p_j(1 − p_j) = e/(1+e)² for both, so h_jk = x_k²·e/(1+e)²;
     * ∂ℓ/∂z = p − e_0 = (−e/(1+e), e/(1+e)), so the Fisher entries are x_k²·e²/(1+e)².
     */
    @Test
    void handComputedDiagonalsOfASoftmaxLayer() {
        Mlp mlp = new Mlp(new int[] {2, 2}, new double[][] {{1, 0, 0, 1}}, new double[][] {{0, 0}},
                new byte[][] {{1, 1, 1, 1}});
        MlpCurvature c = new MlpCurvature(mlp, new double[] {1, 2}, new int[] {0}, 1);
        double e = Math.E;
        double q = e / ((1 + e) * (1 + e));
        assertArrayEquals(new double[] {q, 4 * q, q, 4 * q}, c.lossHessianDiagonal(0), 1e-15);
        double f = e * e / ((1 + e) * (1 + e));
        assertArrayEquals(new double[] {f, 4 * f, f, 4 * f}, c.fisherDiagonal(0), 1e-15);
        assertArrayEquals(new double[] {1, 2, 2, 4}, c.inputSecondMoment(0), 0.0);
    }

    /** The exact diagonal against central second differences of the mean loss, on a 5-4-3-3 ReLU network. */
    @Test
    void exactDiagonalMatchesFiniteDifferencesOnAHiddenLayerNetwork() {
        SplittableRandom rng = new SplittableRandom(11);
        Mlp mlp = Mlp.initialise(new int[] {5, 4, 3, 3}, rng);
        mlp.mask[0][3] = 0;
        mlp.w[0][3] = 0.0;
        int n = 7;
        double[] x = new double[n * 5];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
        }
        MlpCurvature c = new MlpCurvature(mlp, x, y, n);
        double eps = 1e-4;
        int checked = 0;
        double largest = 0.0;
        for (int l = 0; l < mlp.layers(); l++) {
            double[] h = c.lossHessianDiagonal(l);
            for (int j = 0; j < mlp.w[l].length; j++) {
                double w0 = mlp.w[l][j];
                double mid = loss(mlp, x, y, n);
                mlp.w[l][j] = w0 + eps;
                double up = loss(mlp, x, y, n);
                mlp.w[l][j] = w0 - eps;
                double down = loss(mlp, x, y, n);
                mlp.w[l][j] = w0;
                double fd = (up - 2 * mid + down) / (eps * eps);
                assertEquals(fd, h[j], 1e-5 + 1e-4 * Math.abs(fd), "layer " + l + " weight " + j);
                largest = Math.max(largest, h[j]);
                checked++;
            }
        }
        assertEquals(20 + 12 + 9, checked);
        assertTrue(largest > 1e-3, "a non-trivial Hessian: " + largest);
    }

    /** The mean cross-entropy by MlpPass (independent of MlpCurvature's own forward pass). */
    private static double loss(Mlp mlp, double[] x, int[] y, int n) {
        return MlpPass.of(mlp, "dense").score(x, y, n, n).loss();
    }
}
