package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.MaskedDenseKernels;
import org.prunelab.stages.prune.Masks;

class RbmMetricsTest {
    private static final MaskedDenseKernel DENSE = MaskedDenseKernels.dense();

    @Test
    void logPartitionMatchesBruteForceOverAllJointStates() {
        for (double sparsity : new double[] {0.0, 0.5}) {
            for (long seed = 1; seed <= 3; seed++) {
                Rbm rbm = TestRbms.random(6, 4, 1.0, sparsity, seed);
                double brute = TestRbms.bruteLogZ(rbm);
                assertEquals(brute, RbmMetrics.logPartitionExact(rbm), 1e-9, "sparsity " + sparsity + " seed " + seed);
                assertEquals(brute, RbmMetrics.logPartitionEnumerating(rbm, true), 1e-9);
                assertEquals(brute, RbmMetrics.logPartitionEnumerating(rbm, false), 1e-9);
            }
        }
    }

    @Test
    void visibleAndHiddenBranchesAgreeOnTransposedModels() {
        for (double sparsity : new double[] {0.0, 0.4}) {
            Rbm wide = TestRbms.random(5, 7, 1.2, sparsity, 11);        // nh > nv: enumerates v
            // The same joint distribution with the layers swapped: nv=7, nh=5, enumerates h.
            double[] wt = new double[35];
            byte[] mt = new byte[35];
            for (int i = 0; i < 5; i++) {
                for (int mu = 0; mu < 7; mu++) {
                    wt[mu * 5 + i] = wide.w[i * 7 + mu];
                    mt[mu * 5 + i] = wide.mask[i * 7 + mu];
                }
            }
            Rbm tall = new Rbm(7, 5, wt, wide.b.clone(), wide.a.clone(), mt);
            double brute = TestRbms.bruteLogZ(wide);
            assertEquals(brute, RbmMetrics.logPartitionExact(wide), 1e-9);
            assertEquals(brute, RbmMetrics.logPartitionExact(tall), 1e-9);
            assertEquals(RbmMetrics.logPartitionExact(wide), RbmMetrics.logPartitionExact(tall), 1e-10);
        }
    }

    @Test
    void grayCodeWalkStaysAccurateAcrossResyncs() {
        // 2^14 states crosses several resync boundaries; compare the two enumeration directions.
        Rbm rbm = TestRbms.random(14, 15, 0.7, 0.3, 5);
        double viaH = RbmMetrics.logPartitionEnumerating(rbm, false);
        double viaV = RbmMetrics.logPartitionEnumerating(rbm, true);
        assertEquals(viaH, viaV, 1e-9 * Math.abs(viaH));
    }

    @Test
    void freeEnergyAndLogLikelihoodMatchBruteForce() {
        for (double sparsity : new double[] {0.0, 0.6}) {
            Rbm rbm = TestRbms.random(6, 4, 1.0, sparsity, 21);
            double[] data = TestRbms.binary(9, 6, 0.4, 22);
            double[] f = RbmMetrics.freeEnergies(rbm, DENSE, data, 9);
            double logZ = TestRbms.bruteLogZ(rbm);
            double meanLogP = 0.0;
            for (int r = 0; r < 9; r++) {
                double negF = TestRbms.bruteNegFreeEnergy(rbm, data, r);
                assertEquals(-negF, f[r], 1e-10);
                meanLogP += (negF - logZ) / 9;
            }
            assertEquals(meanLogP, RbmMetrics.logLikelihoodExact(rbm, DENSE, data, 9), 1e-9);
            assertEquals(meanLogP, RbmMetrics.logLikelihoodExact(rbm, MaskedDenseKernels.sparse(rbm), data, 9), 1e-9);
        }
    }

    @Test
    void probabilitiesFromExactLikelihoodSumToOne() {
        Rbm rbm = TestRbms.random(5, 3, 1.5, 0.2, 31);
        double[] all = new double[32 * 5];
        for (int s = 0; s < 32; s++) {
            for (int i = 0; i < 5; i++) {
                all[s * 5 + i] = (s >>> i) & 1;
            }
        }
        double logZ = RbmMetrics.logPartitionExact(rbm);
        double[] f = RbmMetrics.freeEnergies(rbm, DENSE, all, 32);
        double total = 0.0;
        for (double x : f) {
            total += Math.exp(-x - logZ);
        }
        assertEquals(1.0, total, 1e-12);
    }

    @Test
    void pseudoLogLikelihoodMatchesNaiveFullRecomputation() {
        for (double sparsity : new double[] {0.0, 0.7}) {
            Rbm rbm = TestRbms.random(12, 9, 1.0, sparsity, 41);
            double[] data = TestRbms.binary(7, 12, 0.5, 42);
            double naive = 0.0;
            for (int r = 0; r < 7; r++) {
                double[] v = java.util.Arrays.copyOfRange(data, r * 12, r * 12 + 12);
                double f = naiveFreeEnergy(rbm, v);
                for (int i = 0; i < 12; i++) {
                    double[] flipped = v.clone();
                    flipped[i] = 1.0 - flipped[i];
                    double x = naiveFreeEnergy(rbm, flipped) - f;
                    naive += Math.log(1.0 / (1.0 + Math.exp(-x)));
                }
            }
            naive /= 7;
            assertEquals(naive, RbmMetrics.pseudoLogLikelihood(rbm, data, 7), 1e-10);
        }
    }

    @Test
    void pseudoLogLikelihoodRejectsNonBinaryData() {
        Rbm rbm = TestRbms.random(4, 3, 1.0, 0.0, 1);
        assertThrows(IllegalArgumentException.class, () -> RbmMetrics.pseudoLogLikelihood(rbm, new double[] {0, 1, 0.5, 1}, 1));
    }

    @Test
    void reconstructionErrorMatchesNaive() {
        Rbm rbm = TestRbms.random(8, 5, 1.0, 0.3, 51);
        double[] data = TestRbms.binary(6, 8, 0.5, 52);
        double s = 0.0;
        for (int r = 0; r < 6; r++) {
            double[] h = new double[5];
            for (int mu = 0; mu < 5; mu++) {
                double x = rbm.b[mu];
                for (int i = 0; i < 8; i++) {
                    x += data[r * 8 + i] * rbm.w[i * 5 + mu];
                }
                h[mu] = 1.0 / (1.0 + Math.exp(-x));
            }
            for (int i = 0; i < 8; i++) {
                double x = rbm.a[i];
                for (int mu = 0; mu < 5; mu++) {
                    x += h[mu] * rbm.w[i * 5 + mu];
                }
                double d = data[r * 8 + i] - 1.0 / (1.0 + Math.exp(-x));
                s += d * d;
            }
        }
        assertEquals(s / 48, RbmMetrics.reconstructionError(rbm, DENSE, data, 6), 1e-13);
    }

    @Test
    void exactLimitIsEnforced() {
        Rbm big = new Rbm(30, 25, new double[750], new double[30], new double[25], org.prunelab.stages.prune.Masks.dense(750));
        assertThrows(IllegalArgumentException.class, () -> RbmMetrics.logPartitionExact(big));
        assertFalse(RbmMetrics.exactFeasible(big, 30));
        assertTrue(RbmMetrics.exactFeasible(TestRbms.random(784, 20, 0.1, 0, 1), 20));
        assertFalse(RbmMetrics.exactFeasible(TestRbms.random(784, 21, 0.1, 0, 1), 20));
    }

    @Test
    void stableScalarFunctionsAtExtremes() {
        assertEquals(1000.0, StableMath.softplus(1000.0), 0.0);
        assertEquals(Math.exp(-1000.0), StableMath.softplus(-1000.0), 0.0);
        assertEquals(Math.log(2.0), StableMath.softplus(0.0), 1e-16);
        assertEquals(1.0, StableMath.sigmoid(800.0), 0.0);
        assertEquals(0.0, StableMath.sigmoid(-800.0), 1e-300);
        assertEquals(-800.0, StableMath.logSigmoid(-800.0), 0.0);
    }

    private static double naiveFreeEnergy(Rbm rbm, double[] v) {
        double f = 0.0;
        for (int i = 0; i < rbm.nv; i++) {
            f -= rbm.a[i] * v[i];
        }
        for (int mu = 0; mu < rbm.nh; mu++) {
            double x = rbm.b[mu];
            for (int i = 0; i < rbm.nv; i++) {
                x += v[i] * rbm.w[i * rbm.nh + mu];
            }
            f -= Math.log1p(Math.exp(x));
        }
        return f;
    }
}
