package org.prunelab.stages.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreSpreadTest {
    /** One-pixel images; the class is 10·x, predicted with certainty. */
    private static final Classifier BY_PIXEL = new Classifier() {
        @Override
        public int inputs() {
            return 1;
        }

        @Override
        public double[] probabilities(double[] images, int n) {
            double[] p = new double[n * CLASSES];
            for (int r = 0; r < n; r++) {
                p[r * CLASSES + (int) Math.round(images[r] * 10)] = 1.0;
            }
            return p;
        }
    };

    @Test
    void standardDeviationOverDisjointBlocksOfTheSampleCount() {
        // Block 1: four images of class 0 (entropy 0); block 2: classes 0..3 (entropy ln 4); one
        // image left over, which no block uses.
        double[] images = {0, 0, 0, 0, 0, 0.1, 0.2, 0.3, 0.9};
        ScoreSpread spread = ScoreSpread.of(BY_PIXEL, images, 9, 4);
        assertEquals(2, spread.blocks());
        Map<String, Double> m = spread.asMetrics("score_spread.");
        assertEquals(Math.log(4) / Math.sqrt(2), m.get("score_spread.coverage_entropy"), 1e-12);
        assertEquals(3 / Math.sqrt(2), m.get("score_spread.classes_above_1pct"), 1e-12);
        assertEquals(0.0, m.get("score_spread.confident_0.9"), "every image is classified with certainty");
        assertEquals(2.0, m.get("score_spread.blocks"));
    }

    @Test
    void oneBlockHasNoSpread() {
        ScoreSpread spread = ScoreSpread.of(BY_PIXEL, new double[] {0, 0.1, 0.2}, 3, 2);
        assertEquals(1, spread.blocks());
        assertTrue(spread.standardDeviations().values().stream().allMatch(v -> v.isNaN()));
    }
}
