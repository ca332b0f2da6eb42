package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.kernel.MaskedDenseKernels;

class RbmSamplerTest {
    @Test
    void samplesAreBinaryDeterministicAndSeedDependent() {
        Rbm rbm = TestRbms.random(12, 7, 1.0, 0.5, 3);
        double[] x = RbmSampler.sample(rbm, MaskedDenseKernels.dense(), 30, 20, new SplittableRandom(1));
        double[] y = RbmSampler.sample(rbm, MaskedDenseKernels.dense(), 30, 20, new SplittableRandom(1));
        double[] z = RbmSampler.sample(rbm, MaskedDenseKernels.dense(), 30, 20, new SplittableRandom(2));
        assertEquals(30 * 12, x.length);
        assertTrue(Arrays.stream(x).allMatch(t -> t == 0.0 || t == 1.0));
        assertTrue(Arrays.equals(x, y));
        assertFalse(Arrays.equals(x, z));
        double[] p = RbmSampler.sample(rbm, MaskedDenseKernels.dense(), 30, 20, new SplittableRandom(1), true);
        assertTrue(Arrays.stream(p).allMatch(t -> t > 0.0 && t < 1.0), "mean-field last step gives probabilities");
    }

    @Test
    void longChainsReproduceTheExactMarginalOfASmallRbm() {
        // Pixel means of many samples vs the exact E[v_i] from enumerating all 2^6 visible states.
        Rbm rbm = TestRbms.random(6, 4, 0.8, 0.3, 4);
        double[] all = new double[64 * 6];
        for (int s = 0; s < 64; s++) {
            for (int i = 0; i < 6; i++) {
                all[s * 6 + i] = (s >>> i) & 1;
            }
        }
        double logZ = RbmMetrics.logPartitionExact(rbm);
        double[] f = RbmMetrics.freeEnergies(rbm, MaskedDenseKernels.dense(), all, 64);
        double[] exact = new double[6];
        for (int s = 0; s < 64; s++) {
            double p = Math.exp(-f[s] - logZ);
            for (int i = 0; i < 6; i++) {
                exact[i] += p * all[s * 6 + i];
            }
        }
        int chains = 20000;
        double[] v = RbmSampler.sample(rbm, MaskedDenseKernels.dense(), chains, 30, new SplittableRandom(9));
        for (int i = 0; i < 6; i++) {
            double m = 0;
            for (int c = 0; c < chains; c++) {
                m += v[c * 6 + i] / chains;
            }
            // 5 standard errors of a Bernoulli mean over 20000 chains is at most ~0.018.
            assertEquals(exact[i], m, 0.018, "pixel " + i);
        }
    }
}
