package org.prunelab.stages.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskStatsTest {
    @Test
    void handMadeFourByThreeMask() {
        byte[] mask = {
            1, 0, 0,   // visible 0: hidden 0
            1, 1, 0,   // visible 1: hidden 0, 1
            0, 0, 0,   // visible 2: isolated
            0, 1, 0};  // visible 3: hidden 1;  hidden 2 is isolated
        MaskStats s = MaskStats.of(mask, 4, 3);
        assertEquals(8.0 / 12, s.sparsity(), 1e-15);
        assertEquals(4.0 / 3, s.meanDegreeHidden(), 1e-15);
        assertEquals(0, s.minDegreeHidden());
        assertEquals(2, s.maxDegreeHidden());
        assertEquals(1.0, s.meanDegreeVisible(), 1e-15);
        assertEquals(0, s.minDegreeVisible());
        assertEquals(2, s.maxDegreeVisible());
        assertEquals(1, s.isolatedVisible());
        assertEquals(1, s.isolatedHidden());
        // Pairs (0,1) share hidden 0 and (1,3) share hidden 1: 2 of the 6 pairs.
        assertEquals(2.0 / 6, s.pixelPairSharingFraction(), 1e-15);
        Map<String, Double> m = s.asMetrics();
        assertEquals(8.0 / 12, m.get("mask.sparsity"), 1e-15);
        assertEquals(1.0, m.get("mask.isolated_visible"));
        assertEquals(2.0 / 6, m.get("mask.pixel_pair_sharing"), 1e-15);
        assertEquals(10, m.size());
    }

    @Test
    void randomMnistSizedMaskMatchesTheory() {
        // Spec §5 table: s = 0.95, N_h = 500 -> P(pair shares) = 1 − (1 − d²)^500 ≈ 0.71.
        // (Its speed is a benchmark figure, not a test: a wall-clock bound fails on a loaded machine.)
        byte[] mask = Masks.random(784 * 500, 0.95, new SplittableRandom(1));
        MaskStats s = MaskStats.of(mask, 784, 500);
        double d = 0.05;
        assertEquals(1 - Math.pow(1 - d * d, 500), s.pixelPairSharingFraction(), 0.01);
        assertEquals(0.05 * 784, s.meanDegreeHidden(), 1e-9);
        assertEquals(0.05 * 500, s.meanDegreeVisible(), 1e-9);
        assertEquals(0, s.isolatedHidden());
    }

    @Test
    void bitsetPairSharingEqualsTheNaiveCount() {
        // 130 hidden units cross two 64-bit words; the naive count walks every pair and every unit.
        int nv = 60, nh = 130;
        for (double sparsity : new double[] {0.5, 0.9, 0.98}) {
            byte[] mask = Masks.random(nv * nh, sparsity, new SplittableRandom(7));
            long sharing = 0, pairs = 0;
            for (int i = 0; i < nv; i++) {
                for (int j = i + 1; j < nv; j++) {
                    pairs++;
                    for (int mu = 0; mu < nh; mu++) {
                        if (mask[i * nh + mu] != 0 && mask[j * nh + mu] != 0) {
                            sharing++;
                            break;
                        }
                    }
                }
            }
            assertEquals((double) sharing / pairs, MaskStats.of(mask, nv, nh).pixelPairSharingFraction(), 0.0,
                    "sparsity " + sparsity);
        }
    }

    @Test
    void denseMaskSharesEveryPair() {
        MaskStats s = MaskStats.of(Masks.dense(10 * 70), 10, 70); // 70 > 64: crosses a bitset word
        assertEquals(1.0, s.pixelPairSharingFraction());
        assertEquals(0.0, s.sparsity());
        assertEquals(70, s.minDegreeVisible());
    }
}
