package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.prunelab.stages.prune.Masks;
import org.junit.jupiter.api.Test;

/** The minimal-core criteria at the same sparsity: largest-first removes exactly what smallest-first keeps. */
class LargestFirstMaskTest {
    private static final double[] W = {0.5, -0.1, 0.0, -2.0, 0.3, 0.3, 1.0, -0.05};

    @Test
    void removesTheLargestMagnitudesFirst() {
        byte[] all = Masks.dense(W.length);
        // 3 of 8 removed (round(0.375*8)): |−2.0|, 1.0, 0.5.
        assertArrayEquals(new byte[] {0, 1, 1, 0, 1, 1, 0, 1}, LargestFirstMask.of(W, all, 0.375));
        // Ties (0.3, 0.3): the lower index goes first.
        assertArrayEquals(new byte[] {0, 1, 1, 0, 0, 1, 0, 1}, LargestFirstMask.of(W, all, 0.5));
    }

    @Test
    void isTheComplementOfSmallestFirstAtHalfSparsity() {
        double[] w = {4, -3, 2, -1, 0.5, -6, 7, 0.25};
        byte[] all = Masks.dense(w.length);
        byte[] largest = LargestFirstMask.of(w, all, 0.5);
        byte[] smallest = Masks.magnitude(w, all, 0.5);
        for (int j = 0; j < w.length; j++) {
            assertArrayEquals(new byte[] {(byte) (1 - smallest[j])}, new byte[] {largest[j]}, "weight " + j);
        }
    }

    @Test
    void onlySurvivorsArePrunedAndNeverBelowTheCurrentSparsity() {
        byte[] current = {1, 1, 1, 0, 1, 1, 1, 1}; // −2.0 is already gone
        assertArrayEquals(new byte[] {0, 1, 1, 0, 1, 1, 0, 1}, LargestFirstMask.of(W, current, 0.375));
        assertThrows(IllegalArgumentException.class, () -> LargestFirstMask.of(W, new byte[] {0, 0, 0, 0, 1, 1, 1, 1}, 0.25));
    }
}
