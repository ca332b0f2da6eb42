package org.prunelab.stages.families.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.prune.LayerPruning.Method;
import org.prunelab.stages.prune.LayerPruning;
import org.prunelab.stages.prune.Masks;
import org.prunelab.stages.prune.Percentile;

class LayerPruningTest {
    private static final boolean[] BOTH = {true, true};

    /** 2-2-2 net: layer 0 |w| = 1,2,3,4; layer 1 |w| = 0.5,0.1,0.2,6. */
    private static Mlp handMade() {
        return new Mlp(new int[] {2, 2, 2},
                new double[][] {{1, -2, 3, -4}, {0.5, -0.1, 0.2, 6}},
                new double[][] {{0, 0}, {0, 0}},
                new byte[][] {{1, 1, 1, 1}, {1, 1, 1, 1}});
    }

    @Test
    void classBlindedUsesOneGlobalPercentile() {
        // pooled sorted |w| = 0.1 0.2 0.5 1 2 3 4 6; 25th percentile = 0.425 (index 1.75)
        byte[][] m = LayerPruning.step(handMade().groups(), Method.CLASS_BLINDED, BOTH, 0.25, null);
        assertArrayEquals(new byte[] {1, 1, 1, 1}, m[0]);
        assertArrayEquals(new byte[] {1, 0, 0, 1}, m[1]);
        // 50th percentile = 1.5: layer 0 loses |w|=1, layer 1 all but 6 — different fractions per layer
        m = LayerPruning.step(handMade().groups(), Method.CLASS_BLINDED, BOTH, 0.5, null);
        assertArrayEquals(new byte[] {0, 1, 1, 1}, m[0]);
        assertArrayEquals(new byte[] {0, 0, 0, 1}, m[1]);
    }

    @Test
    void classUniformUsesOnePercentilePerLayer() {
        // layer 0: percentile([1,2,3,4], 50) = 2.5; layer 1: percentile([0.1,0.2,0.5,6], 50) = 0.35
        byte[][] m = LayerPruning.step(handMade().groups(), Method.CLASS_UNIFORM, BOTH, 0.5, null);
        assertArrayEquals(new byte[] {0, 0, 1, 1}, m[0]);
        assertArrayEquals(new byte[] {1, 0, 0, 1}, m[1]);
        // output layer excluded: it keeps its mask
        m = LayerPruning.step(handMade().groups(), Method.CLASS_UNIFORM, new boolean[] {true, false}, 0.5, null);
        assertArrayEquals(new byte[] {0, 0, 1, 1}, m[0]);
        assertArrayEquals(new byte[] {1, 1, 1, 1}, m[1]);
    }

    @Test
    void classDistributionDividesByTheUnbiasedStdOfTheWholeLayerIncludingPrunedZeros() {
        // layer 0 already has its last weight pruned: w0 = 1, −2, 3, 0.
        Mlp mlp = new Mlp(new int[] {2, 2, 2},
                new double[][] {{1, -2, 3, 0}, {0.5, -0.1, 0.2, 6}},
                new double[][] {{0, 0}, {0, 0}},
                new byte[][] {{1, 1, 1, 0}, {1, 1, 1, 1}});
        // σ0 over [1,−2,3,0]: mean 0.5, squared deviations 0.25+6.25+6.25+0.25 = 13 → √(13/3).
        // (Excluding the zero would give √(19/3).) σ1 over [0.5,−0.1,0.2,6]: mean 1.65, SS 25.41 → √(25.41/3).
        double s0 = Math.sqrt(13.0 / 3.0), s1 = Math.sqrt(25.41 / 3.0);
        double[][] sal = LayerPruning.saliency(mlp.groups(), Method.CLASS_DISTRIBUTION, null);
        assertArrayEquals(new double[] {1 / s0, 2 / s0, 3 / s0, 0}, sal[0], 1e-15);
        assertArrayEquals(new double[] {0.5 / s1, 0.1 / s1, 0.2 / s1, 6 / s1}, sal[1], 1e-15);
        // Unpruned saliencies sorted: .0344 .0687 .1718 .4804 .9608 1.4412 2.0617 (n = 7).
        // 60th percentile: index 3.6 → 0.9608 − (0.9608 − 0.4804)·0.4 = 0.7686 (numpy lerp, t ≥ 0.5).
        double t = 2 / s0 - (2 / s0 - 1 / s0) * 0.4;
        assertEquals(0.7686, t, 1e-4);
        byte[][] m = LayerPruning.step(mlp.groups(), Method.CLASS_DISTRIBUTION, BOTH, 0.6, null);
        assertArrayEquals(new byte[] {0, 1, 1, 0}, m[0]); // the pruned zero stays pruned
        assertArrayEquals(new byte[] {0, 0, 0, 1}, m[1]);
        // The layer-wise threshold is t·σ_l: layer 1 keeps |w| ≥ 0.7686·2.91 ≈ 2.24, layer 0 |w| ≥ 1.6.
        assertEquals(0.0, LayerPruning.unbiasedStd(new double[] {2, 2, 2}), 0.0);
    }

    @Test
    void randomKeepsExactlyTheWeightsWhoseUniformDrawReachesThePercentile() {
        Mlp mlp = handMade();
        byte[][] m = LayerPruning.step(mlp.groups(), Method.RANDOM, BOTH, 0.5, new SplittableRandom(42));
        SplittableRandom replay = new SplittableRandom(42);
        double[] u = new double[8];
        for (int j = 0; j < 8; j++) {
            u[j] = replay.nextDouble();
        }
        double t = Percentile.of(u, 8, 50);
        for (int j = 0; j < 8; j++) {
            byte expected = (byte) (u[j] >= t ? 1 : 0);
            assertEquals(expected, j < 4 ? m[0][j] : m[1][j - 4], "weight " + j);
        }
        assertEquals(4, Masks.countZeros(m[0]) + Masks.countZeros(m[1]));
    }

    @Test
    void iterativeStepsRemoveTheRateOfTheRemainingWeights() {
        Mlp mlp = Mlp.initialise(Mlp.sizes(784, "100", 10), new SplittableRandom(8));
        boolean[] all = LayerPruning.layers(mlp.layers(), true);
        for (Method method : Method.values()) {
            Mlp current = mlp;
            SplittableRandom rng = new SplittableRandom(9);
            for (int step = 1; step <= 4; step++) {
                long before = current.remainingWeights();
                byte[][] masks = LayerPruning.step(current.groups(), method, all, 0.25, rng);
                Mlp next = current.withMasks(masks);
                long removed = before - next.remainingWeights();
                // linear interpolation: everything below index 0.25·(n−1) goes, i.e. ⌊0.25(n−1)⌋+1 values
                assertTrue(Math.abs(removed - 0.25 * before) <= 1.0, method + " step " + step + ": removed " + removed
                        + " of " + before);
                for (int l = 0; l < 2; l++) {
                    for (int j = 0; j < masks[l].length; j++) {
                        assertTrue(masks[l][j] <= current.mask[l][j], "pruning never revives a weight");
                    }
                    if (method == Method.CLASS_UNIFORM) {
                        double lost = 1.0 - (double) next.remaining(l) / current.remaining(l);
                        assertEquals(0.25, lost, 1.0 / current.remaining(l) + 1e-12, "MCU layer " + l);
                    }
                }
                current = next;
            }
            // after 4 steps of 25 %: 1 − 0.75⁴ = 68.4 % compression (spec §2.4)
            assertEquals(1 - Math.pow(0.75, 4), current.compression(), 1e-4, method.name());
        }
    }

    @Test
    void classBlindedPrunesTheOutputLayerLessThanClassUniform() {
        // spec §2.4 mechanism: the 10×100 output layer has larger weights (fan-in 100 vs 784).
        Mlp mlp = Mlp.initialise(Mlp.sizes(784, "100", 10), new SplittableRandom(8));
        boolean[] all = LayerPruning.layers(mlp.layers(), true);
        Mlp mcb = mlp.withMasks(LayerPruning.oneShotTo(mlp.groups(), Method.CLASS_BLINDED, all, 0.8, null));
        Mlp mcu = mlp.withMasks(LayerPruning.oneShotTo(mlp.groups(), Method.CLASS_UNIFORM, all, 0.8, null));
        assertEquals(0.8, mcb.compression(), 2.0 / mlp.prunableWeights());
        assertEquals(0.8, mcu.compression(), 3.0 / mlp.prunableWeights());
        assertTrue(mcb.density(1) > 0.5, "MCB keeps most of the output layer: " + mcb.density(1));
        assertEquals(0.2, mcu.density(1), 1e-3);
    }

    @Test
    void oneShotWithoutTheOutputLayerReachesTheTargetOverAllWeights() {
        Mlp mlp = Mlp.initialise(Mlp.sizes(784, "100", 10), new SplittableRandom(4));
        boolean[] hiddenOnly = LayerPruning.layers(mlp.layers(), false);
        Mlp pruned = mlp.withMasks(LayerPruning.oneShotTo(mlp.groups(), Method.CLASS_BLINDED, hiddenOnly, 0.9, null));
        assertEquals(0.9, pruned.compression(), 2.0 / mlp.prunableWeights());
        assertEquals(1000, pruned.remaining(1)); // output layer untouched
        assertEquals(0.0, LayerPruning.rateFor(pruned.groups(), hiddenOnly, 0.85));
        var alloc = LayerPruning.allocation(pruned.groups());
        assertEquals(78_400, alloc.get(0).total());
        assertEquals(pruned.remaining(0), alloc.get(0).kept());
    }
}
