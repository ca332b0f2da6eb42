package org.prunelab.stages.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.core.MaskedGroup;

/** L-OBS on a hand-made layer: the saliencies, the OBS update, and the two update systems agreeing. */
class LayerwiseObsPruningTest {
    /**
     * Inputs x1 = (1, 0), x2 = (1, 1): H = ½(x1x1ᵀ + x2x2ᵀ) = [[1, .5], [.5, .5]], H⁻¹ = [[2, −2], [−2, 4]].
     * One unit with w = (1, 1): saliencies 1/(2·2) = 0.25 and 1/(2·4) = 0.125, so input 1 goes; the OBS
     * update −(w_1/[H⁻¹]_11)·H⁻¹e_1 = −¼·(−2, 4) = (0.5, −1) gives w = (1.5, 0): the least-squares fit of the
     * unit's outputs (1, 2) from x_0 alone. A second unit w = (2, −1) has saliencies 4/4 = 1 and 1/8 = 0.125,
     * so it also loses input 1: δ = −(−1/4)·(−2, 4) = (−0.5, 1), w = (1.5, 0).
     */
    @Test
    void saliencyAndUpdateMatchTheHandComputedOnes() {
        double[] h = {1.0, 0.5, 0.5, 0.5};
        MaskedGroup layer = new MaskedGroup("layer0", 2, 2, new double[] {1.0, 1.0, 2.0, -1.0}, new byte[] {1, 1, 1, 1});
        LayerwiseObsPruning lobs = new LayerwiseObsPruning(0.0);
        DMatrixRMaj hInv = new DMatrixRMaj(2, 2);
        CommonOps_DDRM.invertSPD(lobs.damped(h, 2, 0), hInv);
        assertArrayEquals(new double[] {2, -2, -2, 4}, hInv.data, 1e-12);
        assertArrayEquals(new double[] {0.25, 0.125, 1.0, 0.125},
                LayerwiseObsPruning.saliency(layer.weights(), 2, 2, hInv), 1e-12);
        PrunedLayers p = lobs.prune(List.of(layer), new PruningRequest(new PruningRequest.Count(2), null, null),
                new FixedCurvature(null, null, new double[][] {h}));
        assertArrayEquals(new byte[] {1, 0, 1, 0}, p.masks()[0]);
        assertArrayEquals(new double[] {1.5, 0.0, 1.5, 0.0}, p.weights()[0], 1e-12);
        assertArrayEquals(new double[] {1.0, 1.0, 2.0, -1.0}, layer.weights(), 0.0, "the input is not modified");
    }

    @Test
    void dampingIsAddedAsAFractionOfTheMeanDiagonal() {
        DMatrixRMaj d = new LayerwiseObsPruning(0.1).damped(new double[] {1.0, 0.5, 0.5, 0.5}, 2, 0);
        assertArrayEquals(new double[] {1.075, 0.5, 0.5, 0.575}, d.data, 1e-15); // λ = 0.1·(1 + 0.5)/2
    }

    /**
     * With an already-pruned input, both systems (kept-block solve and inverse-block solve) give the same
     * weights, the old zero stays zero, and the result beats any other choice of the kept weights.
     */
    @Test
    void keptAndPrunedSystemsAgreeAndMinimiseTheLayerwiseError() {
        int n = 6;
        SplittableRandom rng = new SplittableRandom(4);
        double[][] xs = new double[40][n];
        double[] h = new double[n * n];
        for (double[] x : xs) {
            for (int i = 0; i < n; i++) {
                x[i] = rng.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    h[i * n + k] += x[i] * x[k] / xs.length;
                }
            }
        }
        double[] w = {0.3, -1.2, 0.0, 0.8, -0.1, 0.05};
        byte[] oldMask = {1, 1, 0, 1, 1, 1};
        LayerwiseObsPruning lobs = new LayerwiseObsPruning(0.0);
        DMatrixRMaj hm = lobs.damped(h, n, 0);
        DMatrixRMaj hInv = new DMatrixRMaj(n, n);
        CommonOps_DDRM.invertSPD(hm.copy(), hInv);
        // Prune 1 (kept 4 > constrained 2: inverse-block system) and 4 (kept 1 < 5: kept-block system).
        byte[] fewPruned = {1, 1, 0, 1, 0, 1};
        byte[] manyPruned = {0, 1, 0, 0, 0, 0};
        for (byte[] newMask : new byte[][] {fewPruned, manyPruned}) {
            double[] viaSolver = w.clone();
            LayerwiseObsPruning.correctUnit(viaSolver, oldMask, newMask, 0, n, hm, hInv);
            double[] direct = leastSquares(w, newMask, hm);
            assertArrayEquals(direct, viaSolver, 1e-10);
            assertEquals(0.0, viaSolver[2], 0.0);
            double best = error(w, viaSolver, h);
            for (int t = 0; t < 20; t++) { // any perturbation of the kept weights is worse
                double[] other = viaSolver.clone();
                for (int i = 0; i < n; i++) {
                    other[i] += newMask[i] != 0 ? 0.01 * rng.nextGaussian() : 0.0;
                }
                assertEquals(true, error(w, other, h) > best);
            }
        }
    }

    /** Brute force: w'_F from the normal equations written out, with all pruned inputs at 0. */
    private static double[] leastSquares(double[] w, byte[] mask, DMatrixRMaj h) {
        int n = w.length;
        int kept = 0;
        for (byte m : mask) {
            kept += m;
        }
        DMatrixRMaj a = new DMatrixRMaj(kept, kept);
        DMatrixRMaj b = new DMatrixRMaj(kept, 1);
        int[] f = new int[kept];
        for (int i = 0, k = 0; i < n; i++) {
            if (mask[i] != 0) {
                f[k++] = i;
            }
        }
        for (int r = 0; r < kept; r++) {
            double s = 0.0;
            for (int i = 0; i < n; i++) {
                s += h.get(f[r], i) * w[i]; // H_F· w: the kept weights must reproduce H_F·w with w_C = 0
            }
            b.set(r, 0, s);
            for (int c = 0; c < kept; c++) {
                a.set(r, c, h.get(f[r], f[c]));
            }
        }
        DMatrixRMaj x = new DMatrixRMaj(kept, 1);
        CommonOps_DDRM.solve(a, b, x);
        double[] out = new double[n];
        for (int r = 0; r < kept; r++) {
            out[f[r]] = x.get(r, 0);
        }
        return out;
    }

    private static double error(double[] w, double[] v, double[] h) {
        int n = w.length;
        double e = 0.0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                e += 0.5 * (v[i] - w[i]) * h[i * n + k] * (v[k] - w[k]);
            }
        }
        return e;
    }
}
