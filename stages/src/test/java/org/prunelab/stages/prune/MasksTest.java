package org.prunelab.stages.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MasksTest {
    @Test
    void randomHasExactlyRoundedZerosAndIsSeeded() {
        for (double s : new double[] {0.0, 0.1, 0.333, 0.5, 0.8, 0.95, 0.995, 1.0}) {
            byte[] m = Masks.random(1237, s, new SplittableRandom(3));
            assertEquals(Math.round(s * 1237), Masks.countZeros(m), "s=" + s);
            assertEquals(Math.round(s * 1237) / 1237.0, Masks.sparsity(m), 1e-15);
        }
        assertArrayEquals(Masks.random(500, 0.5, new SplittableRandom(1)), Masks.random(500, 0.5, new SplittableRandom(1)));
        assertFalse(Arrays.equals(Masks.random(500, 0.5, new SplittableRandom(1)), Masks.random(500, 0.5, new SplittableRandom(2))));
        assertThrows(IllegalArgumentException.class, () -> Masks.random(10, 1.5, new SplittableRandom(1)));
    }

    @Test
    void randomIsRoughlyUniformOverPositions() {
        int size = 20, trials = 20000;
        int[] zeros = new int[size];
        SplittableRandom rng = new SplittableRandom(5);
        for (int t = 0; t < trials; t++) {
            byte[] m = Masks.random(size, 0.25, rng);
            for (int j = 0; j < size; j++) {
                zeros[j] += 1 - m[j];
            }
        }
        // Each position is pruned with probability 5/20; 5 standard errors ≈ 0.015.
        for (int j = 0; j < size; j++) {
            assertEquals(0.25, zeros[j] / (double) trials, 0.015, "position " + j);
        }
    }

    // Index:                  0     1     2     3     4    5(pruned) 6    7
    private static final double[] W = {0.5, -0.1, 0.3, 0.1, -0.3, 0.05, 2.0, 0.1};
    private static final byte[] M0 = {1, 1, 1, 1, 1, 0, 1, 1};

    @Test
    void magnitudePrunesSmallestSurvivorsWithLowerIndexFirstOnTies() {
        // 3 zeros: two of the three |w| = 0.1 ties (indices 1, 3, 7) go, the lower indices first.
        assertArrayEquals(new byte[] {1, 0, 1, 0, 1, 0, 1, 1}, Masks.magnitude(W, M0, 3.0 / 8));
        // 4 zeros: all three 0.1s. The pruned index 5 (|w| = 0.05, smallest) is not a survivor.
        assertArrayEquals(new byte[] {1, 0, 1, 0, 1, 0, 1, 0}, Masks.magnitude(W, M0, 0.5));
        // 5 zeros: then the 0.3 tie (indices 2 and 4): index 2 goes.
        assertArrayEquals(new byte[] {1, 0, 0, 0, 1, 0, 1, 0}, Masks.magnitude(W, M0, 5.0 / 8));
        // All the way: everything pruned, nothing revived.
        assertArrayEquals(new byte[8], Masks.magnitude(W, M0, 1.0));
        // Same sparsity: unchanged copy.
        byte[] same = Masks.magnitude(W, M0, 1.0 / 8);
        assertArrayEquals(M0, same);
        assertTrue(same != M0, "a new array");
    }

    @Test
    void magnitudeNeverRevivesAndRejectsLowerTargets() {
        byte[] m = Masks.magnitude(W, M0, 0.5);
        // A pruned entry with a now-large weight stays pruned.
        double[] w2 = W.clone();
        w2[1] = 100.0;
        byte[] m2 = Masks.magnitude(w2, m, 5.0 / 8);
        for (int j = 0; j < 8; j++) {
            if (m[j] == 0) {
                assertEquals(0, m2[j], "index " + j + " revived");
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Masks.magnitude(W, M0, 0.0));
        assertTrue(e.getMessage().contains("0.0") && e.getMessage().contains("0.125"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Masks.magnitude(new double[3], M0, 0.5));
    }

    @Test
    void magnitudeOnALargeMaskHitsTheTargetExactly() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] w = new double[784 * 50];
        for (int j = 0; j < w.length; j++) {
            w[j] = rng.nextInt(100) / 100.0 - 0.5; // many ties on purpose
        }
        byte[] m = Masks.random(w.length, 0.3, rng);
        byte[] m2 = Masks.magnitude(w, m, 0.8);
        assertEquals(Math.round(0.8 * w.length), Masks.countZeros(m2));
        // Every survivor is at least as large as every newly pruned entry.
        double maxPruned = 0, minKept = Double.MAX_VALUE;
        for (int j = 0; j < w.length; j++) {
            if (m[j] == 1 && m2[j] == 0) {
                maxPruned = Math.max(maxPruned, Math.abs(w[j]));
            } else if (m2[j] == 1) {
                minKept = Math.min(minKept, Math.abs(w[j]));
            }
            assertTrue(m[j] == 1 || m2[j] == 0);
        }
        assertTrue(maxPruned <= minKept);
    }

    @Test
    void randomFurtherPrunesOnlySurvivorsToTheTarget() {
        byte[] m = Masks.random(1000, 0.5, new SplittableRandom(1));
        byte[] m2 = Masks.randomFurther(m, 0.8, new SplittableRandom(2));
        assertEquals(800, Masks.countZeros(m2));
        for (int j = 0; j < m.length; j++) {
            assertTrue(m[j] == 1 || m2[j] == 0, "revived " + j);
        }
        assertArrayEquals(m2, Masks.randomFurther(m, 0.8, new SplittableRandom(2)));
        assertThrows(IllegalArgumentException.class, () -> Masks.randomFurther(m, 0.4, new SplittableRandom(2)));
        assertArrayEquals(Masks.dense(4), new byte[] {1, 1, 1, 1});
    }
}
