package org.prunelab.stages.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.core.MaskedGroup;

/** The fixed-count ("absolute") step: exactly N weights per call, whatever the ties. */
class ExactCountTest {
    @Test
    void everyRegisteredPercentileRuleRemovesExactlyTheCountEvenWithTies() {
        SplittableRandom rng = new SplittableRandom(9);
        double[] w0 = new double[60];
        double[] w1 = new double[20];
        for (int j = 0; j < w0.length; j++) {
            w0[j] = Math.round(rng.nextGaussian() * 4) / 4.0; // coarse values: many exact ties
        }
        for (int j = 0; j < w1.length; j++) {
            w1[j] = Math.round(rng.nextGaussian() * 4) / 4.0 + 0.01;
        }
        byte[] m0 = new byte[60];
        byte[] m1 = new byte[20];
        java.util.Arrays.fill(m0, (byte) 1);
        java.util.Arrays.fill(m1, (byte) 1);
        for (int j = 0; j < 60; j++) {
            if (w0[j] == 0.0) {
                m0[j] = 0;
            }
        }
        for (String name : List.of("class-blinded", "class-uniform", "class-distribution", "random-saliency")) {
            List<MaskedGroup> groups = List.of(new MaskedGroup("a", 6, 10, w0.clone(), m0.clone()),
                    new MaskedGroup("b", 2, 10, w1.clone(), m1.clone()));
            long remaining = MaskedGroup.totalRemaining(groups);
            for (int step = 0; step < 4; step++) {
                byte[][] masks = PruningMethods.get(name).prune(groups,
                        new PruningRequest(new PruningRequest.Count(7), null, new SplittableRandom(step)));
                groups = List.of(new MaskedGroup("a", 6, 10, w0.clone(), masks[0]), new MaskedGroup("b", 2, 10, w1.clone(),
                        masks[1]));
                assertEquals(remaining - 7, MaskedGroup.totalRemaining(groups), name + " step " + step);
                remaining -= 7;
            }
        }
    }

    @Test
    void classUniformSplitsTheCountInProportionToTheRemainingWeights() {
        List<MaskedGroup> groups = List.of(new MaskedGroup("a", 1, 30, new double[30], ones(30)),
                new MaskedGroup("b", 1, 10, new double[10], ones(10)));
        assertArrayEquals(new long[] {8, 2}, ExactCount.perLayerShares(groups, new boolean[] {true, true}, 10)); // 7.5/2.5
        assertArrayEquals(new long[] {30, 10}, ExactCount.perLayerShares(groups, new boolean[] {true, true}, 99));
        assertArrayEquals(new long[] {0, 5}, ExactCount.perLayerShares(groups, new boolean[] {false, true}, 5));
    }

    @Test
    void tiesGoLowerLayerThenLowerIndexFirst() {
        List<MaskedGroup> groups = List.of(new MaskedGroup("a", 1, 3, new double[] {1, 1, 1}, ones(3)),
                new MaskedGroup("b", 1, 2, new double[] {1, 1}, ones(2)));
        double[][] s = {{1, 1, 1}, {1, 1}};
        byte[][] masks = ExactCount.removeLowest(groups, s, new boolean[] {true, true}, 4, false);
        assertArrayEquals(new byte[] {0, 0, 0}, masks[0]);
        assertArrayEquals(new byte[] {0, 1}, masks[1]);
    }

    private static byte[] ones(int n) {
        byte[] m = new byte[n];
        java.util.Arrays.fill(m, (byte) 1);
        return m;
    }
}
